import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, type Store } from '../../../electron/core/store/openStore';
import { LATEST_SCHEMA_VERSION } from '../../../electron/core/store/migrations';
import { appendAudit, verifyAuditChain } from '../../../electron/core/store/auditLog';
import { backupBeforeMigration, backupsDir, planRecovery } from '../../../electron/core/store/backup';
import { runDocket } from '../../support/runDocket';
import { tempStore } from '../../support/tempStore';

// `docket db restore FILE [--force]`: checks the backup, refuses while in use or when it would lose
// audit entries, moves the current database aside, copies the backup in and verifies the chain.
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function append(store: Store, from: number, n: number): void {
  store.db
    .transaction(() => {
      for (let i = from; i < from + n; i++) appendAudit(store.db, { actor: 't', action: 'test', subject: `s${i}`, detail: { i, pad: 'p'.repeat(300) } }, '2026-11-26T09:00:00.000Z');
    })
    .immediate();
}

/** A workspace with 30 entries and a backup holding the first 20. */
function workspaceWithBackup(): { dir: string; dbPath: string; backup: string } {
  const t = tempStore();
  cleanups.push(t.cleanup);
  append(t.store, 0, 20);
  const backup = backupBeforeMigration(t.store.db, t.dbPath, LATEST_SCHEMA_VERSION, new Date('2026-11-25T10:00:00.000Z'));
  append(t.store, 20, 10);
  t.store.close();
  return { dir: t.dir, dbPath: t.dbPath, backup };
}

const auditCount = (dbPath: string) => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return verifyAuditChain(db);
  } finally {
    db.close();
  }
};

describe('docket db restore', () => {
  it('restores a damaged database from its backup, keeps the damaged file and verifies the chain', async () => {
    const { dbPath, backup } = workspaceWithBackup();
    truncateSync(dbPath, Math.floor(statSync(dbPath).size * 0.6));
    const result = await runDocket(['--db', dbPath, 'db', 'restore', backup]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Moved the previous database \(damaged: truncated: .*\) to .*replaced-\d{8}T\d{9}Z\.db/);
    expect(result.stdout).toContain('audit chain verifies (20 entries');
    expect(auditCount(dbPath)).toMatchObject({ ok: true, checked: 20 });
    expect(readdirSync(backupsDir(dbPath)).filter((f) => f.startsWith('replaced-'))).toHaveLength(1);
    const store = openStore(dbPath);
    store.close();
  });

  it('without --force refuses to replace a healthy database that has entries the backup lacks; with --force it does', async () => {
    const { dbPath, backup } = workspaceWithBackup();
    const refused = await runDocket(['--db', dbPath, 'db', 'restore', backup]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('has 10 audit entries more than the backup');
    expect(refused.stderr).toContain('pass --force');
    expect(auditCount(dbPath)).toMatchObject({ ok: true, checked: 30 });
    const forced = await runDocket(['--db', dbPath, '--json', 'db', 'restore', backup, '--force']);
    expect(forced.code).toBe(0);
    const out = forced.json() as { auditEntries: number; replacedMovedTo: string; replacedDamage: string | null };
    expect(out).toMatchObject({ auditEntries: 20, replacedDamage: null });
    expect(auditCount(out.replacedMovedTo)).toMatchObject({ ok: true, checked: 30 }); // nothing is lost: the replaced file is kept
    expect(auditCount(dbPath)).toMatchObject({ ok: true, checked: 20 });
  });

  it('refuses while another connection (the app) has the database open, even an idle one', async () => {
    const { dbPath, backup } = workspaceWithBackup();
    const holder = new Database(dbPath); // the app: open, not writing
    holder.prepare('SELECT count(*) FROM audit_log').get();
    try {
      const result = await runDocket(['--db', dbPath, 'db', 'restore', backup, '--force']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('is open in another Docket');
      expect(auditCount(dbPath)).toMatchObject({ ok: true, checked: 30 });
    } finally {
      holder.close();
    }
  });

  it('refuses a backup that is damaged, from a newer Docket, or whose audit chain is broken', async () => {
    const { dir, dbPath, backup } = workspaceWithBackup();
    const truncated = join(dir, 'cut.db');
    writeFileSync(truncated, 'not a database');
    expect((await runDocket(['--db', dbPath, 'db', 'restore', truncated, '--force'])).stderr).toMatch(/is not a usable backup/);

    const newer = join(dir, 'newer.db');
    const n = new Database(backup, { readonly: true });
    await n.backup(newer);
    n.close();
    const w = new Database(newer);
    w.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    w.close();
    expect((await runDocket(['--db', dbPath, 'db', 'restore', newer, '--force'])).stderr).toMatch(/newer than this Docket understands/);

    const tampered = join(dir, 'tampered.db');
    const t = new Database(backup, { readonly: true });
    await t.backup(tampered);
    t.close();
    const x = new Database(tampered);
    x.exec('DROP TRIGGER IF EXISTS audit_log_no_update');
    for (const { name } of x.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as { name: string }[]) x.exec(`DROP TRIGGER "${name}"`);
    x.prepare("UPDATE audit_log SET subject = 'changed' WHERE seq = 5").run();
    x.close();
    const result = await runDocket(['--db', dbPath, 'db', 'restore', tampered, '--force']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken audit chain: entry 5 was changed/);
    expect(auditCount(dbPath)).toMatchObject({ ok: true, checked: 30 }); // untouched
    expect(existsSync(join(backupsDir(dbPath)))).toBe(true);
    expect(readdirSync(backupsDir(dbPath)).filter((f) => f.startsWith('replaced-'))).toHaveLength(0);
  });
});

describe("the app's recovery offer", () => {
  it('offers the newest backup that passes its checks, skipping a damaged newer one', () => {
    const { dbPath, backup } = workspaceWithBackup();
    const newer = join(backupsDir(dbPath), 'docket-v16-20261126T000000000Z.db');
    writeFileSync(newer, 'garbage');
    const offer = planRecovery(dbPath, 'truncated: test');
    expect(offer.backup).toMatchObject({ file: backup, takenAt: '2026-11-25T10:00:00.000Z', auditEntries: 20 });
    expect(offer.message).toBe(`The workspace database at ${dbPath} is damaged (truncated: test). Restore the backup from 2026-11-25T10:00:00.000Z?`);
    expect(offer.detail).toContain('Skipped newer backups');
  });

  it('says so when there is no usable backup', () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    t.store.close();
    const offer = planRecovery(t.dbPath, 'malformed page: test');
    expect(offer.backup).toBeNull();
    expect(offer.message).toContain('No usable backup was found');
  });
});
