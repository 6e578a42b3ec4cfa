import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openStore, schemaVersion, StoreError } from '../../electron/core/store/openStore';
import { LATEST_SCHEMA_VERSION, migrations } from '../../electron/core/store/migrations';
import { appendAudit, verifyAuditChain, listAudit, GENESIS_HASH } from '../../electron/core/store/auditLog';
import { tempStore } from '../support/tempStore';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const fresh = (options = {}) => {
  const t = tempStore(options);
  cleanups.push(t.cleanup);
  return t;
};

describe('migrations', () => {
  it('creates a fresh database at the latest schema version with WAL and foreign keys on', () => {
    const { store } = fresh();
    expect(schemaVersion(store.db)).toBe(LATEST_SCHEMA_VERSION);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['models', 'model_versions', 'model_cards', 'model_version_tags', 'model_aliases', 'sources', 'sync_runs', 'audit_log']));
  });

  it('upgrades a database from the previous schema version and keeps its rows', () => {
    const { store, dbPath } = fresh({ targetVersion: LATEST_SCHEMA_VERSION - 1 });
    expect(schemaVersion(store.db)).toBe(LATEST_SCHEMA_VERSION - 1);
    store.db.prepare("INSERT INTO models (name, created_at, updated_at) VALUES ('kept', 'a', 'a')").run();
    store.close();
    const upgraded = openStore(dbPath);
    try {
      expect(schemaVersion(upgraded.db)).toBe(LATEST_SCHEMA_VERSION);
      expect(upgraded.db.prepare('SELECT name FROM models').all()).toEqual([{ name: 'kept' }]);
      expect(() => upgraded.db.prepare("INSERT INTO model_tags (model_id, key) VALUES (1, 'team')").run()).not.toThrow();
    } finally {
      upgraded.close();
    }
  });

  it('refuses a database written by a newer Docket and leaves it untouched', () => {
    const { store, dbPath } = fresh();
    store.db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    store.close();
    expect(() => openStore(dbPath)).toThrow(StoreError);
    expect(() => openStore(dbPath)).toThrow(/newer than this Docket understands/);
    const raw = new Database(dbPath);
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 5);
    raw.close();
  });

  it('rolls back every step of a failed migration', () => {
    const broken = [...migrations, { version: 99, description: 'fails halfway', up: (db: Database.Database) => db.exec('CREATE TABLE half (x); SELECT * FROM no_such_table;') }];
    const { store, dbPath } = fresh();
    store.close();
    expect(() => openStore(dbPath, { migrations: broken })).toThrow(/no_such_table/);
    const again = openStore(dbPath);
    expect(schemaVersion(again.db)).toBe(LATEST_SCHEMA_VERSION);
    expect(again.db.prepare("SELECT count(*) n FROM sqlite_master WHERE name='half'").get()).toEqual({ n: 0 });
    again.close();
  });

  it('says clearly when the file is not a database', async () => {
    const { dir } = fresh();
    const { writeFileSync } = await import('node:fs');
    const bogus = `${dir}/not-a-db.db`;
    writeFileSync(bogus, 'this is plain text, not SQLite '.repeat(200));
    expect(() => openStore(bogus)).toThrow(/not a Docket database|file is not a database/);
  });
});

describe('audit log', () => {
  const append = (db: Database.Database, n: number) =>
    db.transaction(() => {
      for (let i = 0; i < n; i++) appendAudit(db, { actor: 'ana', action: 'test.event', subject: `s${i}`, detail: { i, note: 'Zoë' } }, `2026-01-0${(i % 9) + 1}T00:00:00.000Z`);
    })();

  it('chains entries from the genesis hash and verifies', () => {
    const { store } = fresh();
    append(store.db, 5);
    const rows = store.db.prepare('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(verifyAuditChain(store.db)).toEqual({ ok: true, checked: 5, head: rows[4]!.hash, firstBadSeq: null, reason: null });
    expect(listAudit(store.db, 2).map((e) => e.seq)).toEqual([5, 4]);
  });

  it('refuses UPDATE and DELETE through its triggers', () => {
    const { store } = fresh();
    append(store.db, 2);
    expect(() => store.db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
  });

  it('refuses to append outside a transaction', () => {
    const { store } = fresh();
    expect(() => appendAudit(store.db, { actor: 'a', action: 'b', subject: 'c', detail: null }, 'now')).toThrow(/inside a write transaction/);
  });

  it('detects a row changed behind its back, and a row removed', () => {
    const { store } = fresh();
    append(store.db, 4);
    store.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    store.db.prepare(`UPDATE audit_log SET detail_json = '{"i":2,"note":"forged"}' WHERE seq = 3`).run();
    expect(verifyAuditChain(store.db)).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/changed after it was written/) });
    store.db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verifyAuditChain(store.db)).toMatchObject({ ok: false, firstBadSeq: 2, reason: expect.stringMatching(/missing/) });
  });
});
