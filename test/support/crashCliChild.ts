// A child process for the crash tests: installs the kill point named by DOCKET_TEST_KILL_AT (if any),
// then runs the real `docket` command line with the given arguments and a fixed clock
// (DOCKET_TEST_CLOCK, ISO). Prints "exit <code>" when the command returns. Bundled by the tests with
// esbuild into a temp folder (never out/).
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { installKillPoint } from './killPoints';

/**
 * DOCKET_TEST_PAGE_HEADROOM=N: every database the command opens may grow by N pages at most
 * (PRAGMA max_page_count, set on the connection's first statement), to simulate a full disk.
 */
function limitPages(): void {
  const headroom = process.env.DOCKET_TEST_PAGE_HEADROOM;
  if (!headroom) return;
  const Database = createRequire(__filename)('better-sqlite3') as typeof import('better-sqlite3');
  const proto = Database.prototype as unknown as { prepare: (this: import('better-sqlite3').Database, sql: string) => unknown };
  const prepare = proto.prepare;
  const limited = new WeakSet<object>();
  proto.prepare = function (sql: string) {
    if (!limited.has(this) && this.name !== ':memory:') {
      limited.add(this);
      const pages = (prepare.call(this, 'PRAGMA page_count') as { pluck(): { get(): number } }).pluck().get();
      (prepare.call(this, `PRAGMA max_page_count = ${pages + Number(headroom)}`) as { run(): void }).run();
    }
    return prepare.call(this, sql);
  };
}

async function main(): Promise<void> {
  installKillPoint();
  limitPages();
  // Loaded after the hooks, so every module sees the wrapped prototypes from the start.
  const { runCli } = await import('../../electron/cli/program');
  const at = new Date(process.env.DOCKET_TEST_CLOCK ?? '2026-11-26T09:00:00.000Z');
  const code = await runCli(process.argv.slice(2), { resourcesDir: resolve(process.env.DOCKET_TEST_RESOURCES ?? 'resources'), clock: () => at });
  process.stdout.write(`exit ${code}\n`);
  process.exitCode = code;
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
