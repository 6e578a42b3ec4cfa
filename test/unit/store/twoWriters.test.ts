import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../../electron/core/store/openStore';
import { verifyAuditChain } from '../../../electron/core/store/auditLog';
import { buildWriterChild, runChild } from './childProcess';

// The CLI and the app, two processes, writing one database at once: nothing lost, no SQLITE_BUSY.
let dir: string;
let child: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-two-writers-'));
  child = await buildWriterChild(dir);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const span = (stdout: string) => ({ start: Number(/start (\d+)/.exec(stdout)![1]), end: Number(/end (\d+)/.exec(stdout)![1]) });

describe('two processes writing the same database', () => {
  it('lose nothing, keep the audit chain whole and never surface SQLITE_BUSY', async () => {
    const dbPath = join(dir, 'shared.db');
    openStore(dbPath).close();
    const CLI_OPS = 60;
    const APP_OPS = 1500;
    // Process 1: the real CLI, `docket budget set` (open, IMMEDIATE write with audit entry, close) per operation.
    const cli = runChild(child, ['cli', dbPath, String(CLI_OPS)]);
    // Process 2: "the app", one long-lived connection appending model rows with audit entries.
    const app = runChild(child, ['audit', dbPath, String(APP_OPS), 'app']);
    const [c, a] = await Promise.all([cli.exit, app.exit]);
    expect(c.stderr).not.toMatch(/SQLITE_BUSY|database is locked/);
    expect(a.stderr).not.toMatch(/SQLITE_BUSY|database is locked/);
    expect(c.stderr).toBe('');
    expect(a.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(a.code).toBe(0);
    // They really overlapped.
    const cs = span(c.stdout);
    const as = span(a.stdout);
    expect(Math.max(cs.start, as.start)).toBeLessThan(Math.min(cs.end, as.end));

    const db = new Database(dbPath, { readonly: true });
    try {
      const budgets = (db.prepare("SELECT name FROM budgets WHERE name LIKE 'cli-%'").all() as { name: string }[]).map((r) => r.name).sort();
      expect(budgets).toEqual(Array.from({ length: CLI_OPS }, (_, i) => `cli-${i}`).sort());
      expect((db.prepare("SELECT count(*) AS n FROM models WHERE name LIKE 'app-%'").get() as { n: number }).n).toBe(APP_OPS);
      expect((db.prepare("SELECT count(*) AS n FROM audit_log WHERE actor = 'app'").get() as { n: number }).n).toBe(APP_OPS);
      const cliAudit = (db.prepare("SELECT count(DISTINCT subject) AS n FROM audit_log WHERE actor <> 'app'").get() as { n: number }).n;
      expect(cliAudit).toBeGreaterThanOrEqual(CLI_OPS);
      const chain = verifyAuditChain(db);
      expect(chain.ok, chain.reason ?? '').toBe(true);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  }, 120_000);
});
