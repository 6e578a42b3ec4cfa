import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verifyAuditChain } from '../../../electron/core/store/auditLog';
import { openStore } from '../../../electron/core/store/openStore';

/**
 * Budget changes killed with SIGKILL at several points: each change and its audit entry are one
 * transaction, so after every kill the database is intact, the chain verifies, and every budget's
 * stored amount matches exactly the audit entries recorded for it (nothing half-written).
 */

let dir: string;
let childFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-crash-'));
  childFile = join(dir, 'crashWriterChild.cjs');
  await build({ entryPoints: ['test/unit/store/crashWriterChild.ts'], bundle: true, platform: 'node', format: 'cjs', external: ['better-sqlite3', 'pdfkit', 'electron'], outfile: childFile, logLevel: 'warning' });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the child until it has committed `steps` steps, then kills it with SIGKILL mid-stream. */
function killAfter(dbPath: string, run: string, steps: number): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [childFile, dbPath, run], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: resolve('node_modules') } });
    let out = '';
    let err = '';
    let seen = -1;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const all = [...out.matchAll(/progress (\d+)\n/g)];
      seen = all.length ? Number(all[all.length - 1]![1]) : -1;
      if (seen + 1 >= steps) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? done(seen + 1) : fail(new Error(`child ended without being killed: ${err}`))));
  });
}

describe('budget changes killed with SIGKILL', () => {
  it.each([3, 20, 55])('leave an intact database whose budgets match their audit entries (killed after %i steps)', async (steps) => {
    const dbPath = join(dir, `crash-${steps}.db`);
    openStore(dbPath).close();
    const committed = await killAfter(dbPath, `r${steps}`, steps);
    expect(committed).toBeGreaterThanOrEqual(steps);

    const store = openStore(dbPath);
    try {
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(verifyAuditChain(store.db).ok).toBe(true);
      const budgets = store.db.prepare('SELECT id, name, json_extract(definition_json, \'$.amount\') AS amount FROM budgets ORDER BY id').all() as { id: number; name: string; amount: number }[];
      const entries = store.db.prepare("SELECT action, json_extract(detail_json, '$.budgetId') AS budgetId FROM audit_log WHERE action LIKE 'budget.%'").all() as { action: string; budgetId: number }[];
      // Every step reported done is stored; the one in flight is either wholly there or not at all.
      expect(budgets.length).toBeGreaterThanOrEqual(committed);
      expect(budgets.length).toBeLessThanOrEqual(committed + 1);
      for (const b of budgets) {
        const mine = entries.filter((e) => e.budgetId === b.id).map((e) => e.action).sort();
        expect(mine, b.name).toEqual(b.amount === 200 ? ['budget.changed', 'budget.created'] : ['budget.created']);
      }
      expect(entries.every((e) => budgets.some((b) => b.id === e.budgetId))).toBe(true);
    } finally {
      store.close();
    }
  }, 60_000);
});
