// Test-only kill points for the crash tests, installed inside a child process before it runs the
// real code. The production code is untouched: the hooks wrap better-sqlite3's prototypes and
// node:fs, so the child stops at an exact point, says so on stdout ("KILLPOINT {json}\n", written
// synchronously) and blocks until the test kills it with SIGKILL. Chosen with DOCKET_TEST_KILL_AT
// (JSON, a KillSpec). Without it nothing is wrapped.
import { createRequire } from 'node:module';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

export type KillSpec =
  /** Before the nth run (1-based) of a statement whose SQL matches `match` (a regex). */
  | { kind: 'sql'; match: string; nth?: number }
  /** At the end of the outermost transaction that appended an audit entry whose action matches, before COMMIT. */
  | { kind: 'commit'; audit: string }
  /** Just after the COMMIT of that transaction. */
  | { kind: 'committed'; audit: string }
  /** In the nth writeFileSync to a path matching `match`: half the bytes are written, then the stop. */
  | { kind: 'write'; match: string; nth?: number }
  /** Before the nth renameSync or linkSync whose destination matches `match`. */
  | { kind: 'rename'; match: string; nth?: number };

export const KILL_ENV = 'DOCKET_TEST_KILL_AT';

// The real module objects (not an ES namespace copy), so the patches are what the bundled code calls.
const nodeRequire = createRequire(__filename);
const fs = nodeRequire('node:fs') as typeof import('node:fs');
const BetterSqlite = nodeRequire('better-sqlite3') as typeof import('better-sqlite3');

let openDb: SqliteDatabase | null = null;
const remember = (db: SqliteDatabase): void => {
  openDb = db;
};

/** Reports the stop and blocks this thread; the parent kills the process. Ends it after 60 s if nobody does. */
function stop(label: string): never {
  const inTransaction = openDb?.open ? openDb.inTransaction : false;
  fs.writeSync(1, `KILLPOINT ${JSON.stringify({ label, inTransaction })}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  process.exit(99);
}

export function installKillPoint(spec: KillSpec | null = readSpec()): void {
  if (!spec) return;
  const label = JSON.stringify(spec);
  let seen = 0;
  const nth = 'nth' in spec && spec.nth !== undefined ? spec.nth : 1;
  const due = () => ++seen === nth;

  const probe = new BetterSqlite(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { run: (...args: unknown[]) => unknown };
  probe.close();
  const dbProto = BetterSqlite.prototype as unknown as { transaction: (fn: (...args: unknown[]) => unknown) => Record<string, unknown> & ((...args: unknown[]) => unknown) };

  // Audit actions appended inside the current outermost transaction (appendAudit's INSERT: action is the 4th value).
  let depth = 0;
  let actions: string[] = [];
  let armedAfterCommit = false;
  const auditRe = spec.kind === 'commit' || spec.kind === 'committed' ? new RegExp(spec.audit) : null;

  const run = statementProto.run;
  statementProto.run = function (this: { source: string }, ...args: unknown[]) {
    const source = this.source;
    if (/^\s*INSERT INTO audit_log\b/i.test(source)) actions.push(String(args[3]));
    if (spec.kind === 'sql' && new RegExp(spec.match).test(source) && due()) stop(label);
    return run.apply(this, args);
  };

  const transaction = dbProto.transaction;
  dbProto.transaction = function (this: SqliteDatabase, fn: (...args: unknown[]) => unknown) {
    remember(this);
    const body = function (this: unknown, ...args: unknown[]) {
      depth += 1;
      if (depth === 1) actions = [];
      try {
        const result = fn.apply(this, args);
        if (depth === 1 && auditRe && actions.some((a) => auditRe.test(a))) {
          if (spec.kind === 'commit') stop(label);
          armedAfterCommit = true;
        }
        return result;
      } finally {
        depth -= 1;
      }
    };
    const inner = transaction.call(this, body);
    const afterCommit = (variant: (...args: unknown[]) => unknown) =>
      function (this: unknown, ...args: unknown[]) {
        const result = variant.apply(this, args);
        if (armedAfterCommit && depth === 0) {
          armedAfterCommit = false;
          stop(label);
        }
        return result;
      };
    const outer = afterCommit(inner) as Record<string, unknown> & ((...args: unknown[]) => unknown);
    for (const key of ['default', 'deferred', 'immediate', 'exclusive']) outer[key] = afterCommit(inner[key] as (...args: unknown[]) => unknown);
    outer.database = this;
    return outer;
  };
  // Remember the database the code under test opened, to report whether the stop is inside its transaction.
  const prepare = (BetterSqlite.prototype as unknown as { prepare: (sql: string) => Statement }).prepare;
  (BetterSqlite.prototype as unknown as { prepare: (sql: string) => Statement }).prepare = function (this: SqliteDatabase, sql: string) {
    if (this.name !== ':memory:') remember(this);
    return prepare.call(this, sql);
  };

  if (spec.kind === 'write') {
    const re = new RegExp(spec.match);
    const writeFileSync = fs.writeFileSync;
    fs.writeFileSync = function (path: unknown, data: unknown, options?: unknown) {
      if (typeof path === 'string' && re.test(path) && due()) {
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data as Uint8Array);
        writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)), options as Parameters<typeof writeFileSync>[2]);
        stop(label);
      }
      return writeFileSync.call(fs, path as string, data as string, options as Parameters<typeof writeFileSync>[2]);
    } as typeof fs.writeFileSync;
  }
  if (spec.kind === 'rename') {
    const re = new RegExp(spec.match);
    for (const name of ['renameSync', 'linkSync'] as const) {
      const original = fs[name];
      fs[name] = function (from: import('node:fs').PathLike, to: import('node:fs').PathLike) {
        if (re.test(String(to)) && due()) stop(label);
        return original.call(fs, from, to);
      } as typeof original;
    }
  }
}

function readSpec(): KillSpec | null {
  const raw = process.env[KILL_ENV];
  return raw ? (JSON.parse(raw) as KillSpec) : null;
}
