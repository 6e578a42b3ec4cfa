import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openStore, schemaVersion } from '../../../electron/core/store/openStore';
import { LATEST_SCHEMA_VERSION } from '../../../electron/core/store/migrations';
import { appendAudit, verifyAuditChain } from '../../../electron/core/store/auditLog';
import { backupBeforeMigration, backupsDir, KEEP_BACKUPS, listBackups } from '../../../electron/core/store/backup';
import { tempStore } from '../../support/tempStore';

// Every migration of an existing database is preceded by a consistent copy in backups/.
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const OLD = LATEST_SCHEMA_VERSION - 1;

function oldWorkspace(): string {
  const t = tempStore({ targetVersion: OLD });
  cleanups.push(t.cleanup);
  const { db } = t.store;
  db.transaction(() => {
    for (let i = 0; i < 20; i++) {
      db.prepare("INSERT INTO models (name, created_at, updated_at) VALUES (?, 'a', 'a')").run(`m${i}`);
      appendAudit(db, { actor: 't', action: 'model.create', subject: `m${i}`, detail: { i } }, '2026-11-26T09:00:00.000Z');
    }
  }).immediate();
  t.store.close();
  return t.dbPath;
}

describe('the automatic backup before a migration', () => {
  it(`leaves a copy of a v${OLD} database that opens at v${OLD} with the same rows`, () => {
    const dbPath = oldWorkspace();
    const taken: string[] = [];
    const store = openStore(dbPath, { onBackup: (f) => taken.push(f) });
    expect(schemaVersion(store.db)).toBe(LATEST_SCHEMA_VERSION);
    store.close();
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatch(new RegExp(`backups[/\\\\]docket-v${OLD}-\\d{8}T\\d{9}Z\\.db$`));
    expect(listBackups(dbPath).map((b) => b.file)).toEqual(taken);
    const copy = new Database(taken[0]!, { readonly: true });
    try {
      expect(copy.pragma('user_version', { simple: true })).toBe(OLD);
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((copy.prepare('SELECT name FROM models ORDER BY id').all() as { name: string }[]).map((r) => r.name)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
      expect(verifyAuditChain(copy)).toMatchObject({ ok: true, checked: 20 });
    } finally {
      copy.close();
    }
  });

  it('takes none for a new database or one already at the latest version', () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    t.store.close();
    openStore(t.dbPath).close();
    expect(existsSync(backupsDir(t.dbPath))).toBe(false);
  });

  it(`keeps only the newest ${KEEP_BACKUPS}`, () => {
    const dbPath = oldWorkspace();
    const db = new Database(dbPath);
    for (let day = 1; day <= KEEP_BACKUPS + 2; day++) backupBeforeMigration(db, dbPath, OLD, new Date(`2026-11-${String(day).padStart(2, '0')}T00:00:00.000Z`));
    db.close();
    const kept = listBackups(dbPath);
    expect(kept).toHaveLength(KEEP_BACKUPS);
    expect(kept[0]!.takenAt).toBe(`2026-11-${String(KEEP_BACKUPS + 2).padStart(2, '0')}T00:00:00.000Z`);
    expect(readdirSync(backupsDir(dbPath))).toHaveLength(KEEP_BACKUPS);
  });

  it('lets two processes start the same upgrade: the second finds it done instead of failing', () => {
    const dbPath = oldWorkspace();
    // Between reading the version and taking the write lock, the other process migrates first.
    const store = openStore(dbPath, { onBackup: () => openStore(dbPath).close() });
    expect(schemaVersion(store.db)).toBe(LATEST_SCHEMA_VERSION);
    expect((store.db.prepare('SELECT count(*) AS n FROM models').get() as { n: number }).n).toBe(20);
    store.close();
  });
});
