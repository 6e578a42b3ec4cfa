import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../../electron/core/store/openStore';
import { appendAudit, verifyAuditChain } from '../../../electron/core/store/auditLog';
import { runDocket } from '../../support/runDocket';
import { buildWriterChild, runChild } from './childProcess';

// `docket db backup` while another process appends to the audit log: every copy is one commit's state.
let dir: string;
let child: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-backup-live-'));
  child = await buildWriterChild(dir);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const auditCount = (db: Database.Database) => (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

describe('a backup taken while the app writes', () => {
  it('is consistent: passes integrity_check and the audit chain, and holds a count between before and after', async () => {
    const dbPath = join(dir, 'live.db');
    // Some megabytes first, so each copy takes long enough for the writer to commit meanwhile.
    const seed = openStore(dbPath);
    seed.db
      .transaction(() => {
        for (let i = 0; i < 8000; i++) appendAudit(seed.db, { actor: 'seed', action: 'test', subject: `s${i}`, detail: { i, pad: 'p'.repeat(400) } }, '2026-11-26T09:00:00.000Z');
      })
      .immediate();
    seed.close();

    const stop = join(dir, 'stop');
    const writer = runChild(child, ['audit-until', dbPath, stop, 'writer']);
    await writer.waitFor(/progress 50\n/);
    const live = new Database(dbPath, { readonly: true });
    const seen: { before: number; inBackup: number; after: number }[] = [];
    try {
      for (let k = 0; k < 5; k++) {
        const target = join(dir, `backup-${k}.db`);
        const before = auditCount(live);
        const result = await runDocket(['--db', dbPath, 'db', 'backup', '--out', target]);
        const after = auditCount(live);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const copy = new Database(target, { readonly: true });
        try {
          expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
          const chain = verifyAuditChain(copy);
          expect(chain.ok, chain.reason ?? '').toBe(true);
          seen.push({ before, inBackup: chain.checked, after });
        } finally {
          copy.close();
        }
        await new Promise((r) => setTimeout(r, 30));
      }
    } finally {
      live.close();
      writeFileSync(stop, '');
    }
    const { code, stderr } = await writer.exit;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const s of seen) {
      expect(s.inBackup).toBeGreaterThanOrEqual(s.before);
      expect(s.inBackup).toBeLessThanOrEqual(s.after);
    }
    // The writer really was writing throughout: the counts moved between and during the copies.
    expect(seen[seen.length - 1]!.after).toBeGreaterThan(seen[0]!.before);
    expect(seen.filter((s) => s.after > s.before).length).toBeGreaterThan(0);
  }, 60_000);
});
