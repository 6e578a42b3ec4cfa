// A second process writing the workspace database, for the store's fault tests (bundled by the
// tests with esbuild into a temp folder). Prints "start <ms>", "progress <i>", "end <ms>".
//   audit <db> <n> [actor]   append n audit entries, one IMMEDIATE transaction each (as the app does)
//   audit-until <db> <stopFile>  append until stopFile exists
//   cli <db> <n>             run the real CLI n times: `docket budget set --name cli-<i> …`
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCli } from '../../../electron/cli/program';
import { appendAudit } from '../../../electron/core/store/auditLog';
import { openStore } from '../../../electron/core/store/openStore';

function appendOne(store: ReturnType<typeof openStore>, actor: string, i: number): void {
  store.db
    .transaction(() => {
      store.db.prepare("INSERT INTO models (name, created_at, updated_at) VALUES (?, 'x', 'x')").run(`${actor}-${i}`);
      appendAudit(store.db, { actor, action: 'test.write', subject: `${actor}-${i}`, detail: { i, pad: 'x'.repeat(200) } }, new Date().toISOString());
    })
    .immediate();
}

async function main(): Promise<void> {
  const [mode, dbPath, arg, actorArg] = process.argv.slice(2);
  if (!mode || !dbPath || !arg) throw new Error('usage: writerChild audit|audit-until|cli <db> <n|stopFile> [actor]');
  process.stdout.write(`start ${Date.now()}\n`);
  if (mode === 'audit' || mode === 'audit-until') {
    const actor = actorArg ?? 'child';
    const store = openStore(dbPath);
    const n = mode === 'audit' ? Number(arg) : Number.POSITIVE_INFINITY;
    for (let i = 0; i < n && !(mode === 'audit-until' && existsSync(arg)); i++) {
      appendOne(store, actor, i);
      if (i % 25 === 0) process.stdout.write(`progress ${i}\n`);
    }
    store.close();
  } else if (mode === 'cli') {
    for (let i = 0; i < Number(arg); i++) {
      const code = await runCli(['--db', dbPath, '--json', 'budget', 'set', '--name', `cli-${i}`, '--amount', String(100 + i)], { resourcesDir: resolve('resources') });
      if (code !== 0) throw new Error(`docket budget set exited ${code} at ${i}`);
    }
  } else throw new Error(`unknown mode ${mode}`);
  process.stdout.write(`end ${Date.now()}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
