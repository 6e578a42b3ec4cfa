import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, StoreDamagedError, StoreError, type Store } from '../../../electron/core/store/openStore';
import { appendAudit } from '../../../electron/core/store/auditLog';
import { cleanStampPath, inspectHeader, matchesCleanStamp } from '../../../electron/core/store/integrity';
import { backupBeforeMigration } from '../../../electron/core/store/backup';
import { runDocket } from '../../support/runDocket';
import { tempStore } from '../../support/tempStore';

// A damaged database is refused at open, untouched, with the file, the reason and how to restore.
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A cleanly closed workspace with enough rows to span many pages. */
function populated(rows = 400): { dir: string; dbPath: string } {
  const t = tempStore();
  cleanups.push(t.cleanup);
  fill(t.store, rows);
  t.store.close();
  return { dir: t.dir, dbPath: t.dbPath };
}

function fill(store: Store, rows: number): void {
  store.db
    .transaction(() => {
      for (let i = 0; i < rows; i++) appendAudit(store.db, { actor: 't', action: 'test', subject: `s${i}`, detail: { i, pad: 'p'.repeat(300) } }, '2026-11-26T09:00:00.000Z');
    })
    .immediate();
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function overwrite(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

describe('a damaged database at open', () => {
  it('refuses a file cut at 60% of its size, names it and the reason, and leaves it as it was', () => {
    const { dbPath } = populated();
    truncateSync(dbPath, Math.floor(statSync(dbPath).size * 0.6));
    const before = sha(dbPath);
    let caught: unknown;
    try {
      openStore(dbPath);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StoreDamagedError);
    expect(caught).toBeInstanceOf(StoreError);
    const e = caught as StoreDamagedError;
    expect(e.damage.kind).toBe('truncated');
    expect(e.message).toContain(`The workspace database at ${dbPath} is damaged (truncated`);
    expect(sha(dbPath)).toBe(before);
  });

  it('refuses a file cut at a page boundary (the header promises more pages than the file holds)', () => {
    const { dbPath } = populated();
    const size = statSync(dbPath).size;
    const raw = new Database(dbPath, { readonly: true });
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    expect(size / pageSize).toBeGreaterThanOrEqual(3);
    truncateSync(dbPath, Math.max(1, Math.floor((size * 0.6) / pageSize)) * pageSize);
    expect(() => openStore(dbPath)).toThrow(/damaged \(truncated: the header promises \d+ pages but the file holds \d+\)/);
  });

  it('refuses a file with garbage written into a table page (found by quick_check)', () => {
    const { dbPath } = populated();
    const raw = new Database(dbPath, { readonly: true });
    const { rootpage } = raw.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").get() as { rootpage: number };
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    // The page header and the first cell pointers: what a bad sector or a stray write destroys.
    overwrite(dbPath, (rootpage - 1) * pageSize, Buffer.alloc(64, 0xde));
    expect(inspectHeader(dbPath)).toBeNull(); // the header alone cannot see it
    let caught: unknown;
    try {
      openStore(dbPath);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StoreDamagedError);
    expect((caught as StoreDamagedError).damage.kind).toBe('malformed');
    expect((caught as StoreDamagedError).message).toMatch(/is damaged \(malformed page: /);
  });

  it('refuses a file that is not a database at all', () => {
    const { dbPath } = populated(1);
    writeFileSync(dbPath, 'model,cost\n'.repeat(1000));
    expect(() => openStore(dbPath)).toThrow(/is damaged \(file is not a database: /);
  });

  it('refuses a database whose write-ahead log belongs to another database', () => {
    const { dir, dbPath } = populated(10);
    // A live WAL from a database with 8 KiB pages, left beside ours (a half-copied folder).
    const other = join(dir, 'other.db');
    const o = new Database(other);
    o.pragma('page_size = 8192');
    o.pragma('journal_mode = WAL');
    o.pragma('wal_autocheckpoint = 0');
    o.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    writeFileSync(`${dbPath}-wal`, readFileSync(`${other}-wal`));
    o.close();
    expect(() => openStore(dbPath)).toThrow(/is damaged \(write-ahead log does not match: /);
  });

  it('names the newest automatic backup and the restore command in the message', () => {
    const { dbPath } = populated(5);
    const db = new Database(dbPath);
    const backup = backupBeforeMigration(db, dbPath, 16, new Date('2026-11-20T08:00:00.000Z'));
    db.close();
    overwrite(dbPath, 0, Buffer.from('garbage!'));
    try {
      openStore(dbPath);
      expect.unreachable();
    } catch (err) {
      const e = err as StoreDamagedError;
      expect(e.latestBackup).toEqual({ file: backup, schemaVersion: 16, takenAt: '2026-11-20T08:00:00.000Z' });
      expect(e.message).toContain(`Restore the backup from 2026-11-20T08:00:00.000Z with: docket db restore "${backup}"`);
    }
  });

  it('the CLI prints the reason and how to restore, and exits 1', async () => {
    const { dbPath } = populated();
    truncateSync(dbPath, Math.floor(statSync(dbPath).size * 0.6));
    const result = await runDocket(['--db', dbPath, 'db', 'info']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The workspace database at ${dbPath} is damaged (truncated`);
    expect(result.stderr).toContain('docket db restore');
  });
});

describe('the cost of checking at open', () => {
  it('skips quick_check only while the file is exactly as a clean close left it', () => {
    const { dbPath } = populated(50);
    expect(existsSync(cleanStampPath(dbPath))).toBe(true);
    expect(matchesCleanStamp(dbPath)).toBe(true);
    // Reopening a clean file reads no page; a write elsewhere (here: SQLite itself) invalidates the stamp.
    const s = openStore(dbPath);
    fill(s, 10);
    const other = openStore(dbPath); // the WAL is live: closing this one must not stamp the file
    other.close();
    expect(matchesCleanStamp(dbPath)).toBe(true); // main file untouched so far: the writes are in the WAL
    s.close(); // the last close checkpoints into the main file and stamps it again
    expect(matchesCleanStamp(dbPath)).toBe(true);
    overwrite(dbPath, 4096 * 3, Buffer.alloc(16, 0xde));
    expect(matchesCleanStamp(dbPath)).toBe(false);
  });

  it('keeps every connection waiting for the other writer (busy_timeout) and readonly ones too', () => {
    const { dbPath } = populated(1);
    for (const readonly of [false, true]) {
      const s = openStore(dbPath, { readonly });
      expect(s.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      s.close();
    }
  });
});
