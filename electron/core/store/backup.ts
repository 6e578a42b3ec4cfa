import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { verifyAuditChain } from './auditLog';
import { clearCleanStamp, damageFromError, describeDamage, inspectHeader, integrityCheck, quickCheck, type Damage } from './integrity';
import { LATEST_SCHEMA_VERSION } from './migrations';

/**
 * Backups of a workspace database, kept in `<dbdir>/backups/`:
 * - `docket-v<old>-<time>.db`: taken automatically before a migration (the last KEEP_BACKUPS are kept),
 * - `replaced-<time>.db`: the database `restore` moved aside (never pruned: it may be the only copy).
 * Copies are written with `VACUUM INTO`: one read transaction, so the copy is the state of one
 * commit even while another process writes (WAL readers do not block writers), it never restarts
 * the way the online backup API does when another connection writes between its steps, and it is
 * synchronous, which openStore (synchronous, like better-sqlite3) needs.
 */

export const KEEP_BACKUPS = 5;

export interface BackupInfo {
  file: string;
  /** The schema version the database had when copied (from the file name). */
  schemaVersion: number;
  /** When it was taken (from the file name), ISO 8601. */
  takenAt: string;
}

export function backupsDir(dbPath: string): string {
  return join(dirname(resolve(dbPath)), 'backups');
}

/** 2026-11-26T12:56:23.123Z -> 20261126T125623123Z (safe in file names on every OS). */
function fileTime(d: Date): string {
  return d.toISOString().replace(/[-:.]/g, '');
}

function parseFileTime(s: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(s);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : null;
}

const AUTO_BACKUP = /^docket-v(\d+)-(\d{8}T\d{9}Z)(?:-\d+)?\.db$/;

/** The automatic backups beside a database, newest first. */
export function listBackups(dbPath: string): BackupInfo[] {
  const dir = backupsDir(dbPath);
  if (!existsSync(dir)) return [];
  const found: BackupInfo[] = [];
  for (const name of readdirSync(dir)) {
    const m = AUTO_BACKUP.exec(name);
    const takenAt = m ? parseFileTime(m[2]!) : null;
    if (m && takenAt) found.push({ file: join(dir, name), schemaVersion: Number(m[1]), takenAt });
  }
  return found.sort((a, b) => (a.takenAt === b.takenAt ? b.file.localeCompare(a.file) : b.takenAt.localeCompare(a.takenAt)));
}

function freshName(dir: string, stem: string): string {
  let target = join(dir, `${stem}.db`);
  for (let n = 2; existsSync(target); n++) target = join(dir, `${stem}-${n}.db`);
  return target;
}

/** A consistent copy of the open database (one snapshot, even while others write). Must not be inside a transaction. */
export function copyDatabase(db: SqliteDatabase, destination: string): { bytes: number; pages: number } {
  if (existsSync(destination)) throw new Error(`${destination} already exists; choose a new file for the backup`);
  mkdirSync(dirname(destination), { recursive: true });
  db.prepare('VACUUM INTO ?').run(destination);
  const bytes = statSync(destination).size;
  return { bytes, pages: Math.round(bytes / (db.pragma('page_size', { simple: true }) as number)) };
}

/** Copies the database before migrating it from `fromVersion`, then keeps only the newest `keep` automatic backups. */
export function backupBeforeMigration(db: SqliteDatabase, dbPath: string, fromVersion: number, now: Date = new Date(), keep = KEEP_BACKUPS): string {
  const dir = backupsDir(dbPath);
  mkdirSync(dir, { recursive: true });
  const target = freshName(dir, `docket-v${fromVersion}-${fileTime(now)}`);
  copyDatabase(db, target);
  for (const old of listBackups(dbPath).slice(keep)) rmSync(old.file, { force: true });
  return target;
}

export interface BackupCheck {
  file: string;
  schemaVersion: number;
  auditEntries: number;
  auditHead: string | null;
}

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

/** Header, full integrity_check, a schema this Docket can open, an intact audit chain; throws RestoreError naming what fails. */
export function checkBackup(file: string): BackupCheck {
  if (!existsSync(file)) throw new RestoreError(`${file} does not exist`);
  const header = inspectHeader(file);
  if (header) throw new RestoreError(`${file} is not a usable backup (${describeDamage(header)})`);
  let db: SqliteDatabase;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new RestoreError(`${file} cannot be opened: ${(err as Error).message}`);
  }
  try {
    const damage = integrityCheck(db);
    if (damage) throw new RestoreError(`${file} is not a usable backup (${describeDamage(damage)})`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < 1) throw new RestoreError(`${file} is not a Docket database (schema version 0)`);
    if (version > LATEST_SCHEMA_VERSION) {
      throw new RestoreError(`${file} has schema version ${version}, newer than this Docket understands (${LATEST_SCHEMA_VERSION})`);
    }
    const chain = verifyAuditChain(db);
    if (!chain.ok) throw new RestoreError(`${file} has a broken audit chain: ${chain.reason ?? 'unknown reason'}`);
    return { file, schemaVersion: version, auditEntries: chain.checked, auditHead: chain.head };
  } catch (err) {
    if (err instanceof RestoreError) throw err;
    const damage = damageFromError(err);
    throw new RestoreError(`${file} is not a usable backup (${damage ? describeDamage(damage) : (err as Error).message})`);
  } finally {
    db.close();
  }
}

/**
 * Whether any other connection (the app, another CLI) has the database open, idle or not: a
 * connection in EXCLUSIVE locking mode cannot start a write transaction on a WAL database while
 * any other connection holds it open. A plain BEGIN IMMEDIATE would only see an active writer.
 */
export function databaseInUse(dbPath: string, waitMs = 250): boolean {
  if (!existsSync(dbPath)) return false;
  let db: SqliteDatabase;
  try {
    db = new Database(dbPath, { fileMustExist: true });
  } catch {
    return false;
  }
  try {
    db.pragma(`busy_timeout = ${waitMs}`);
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN IMMEDIATE');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.exec('ROLLBACK');
    return false;
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
  } finally {
    db.close();
  }
}

interface CurrentState {
  damage: Damage | null;
  auditEntries: number | null;
}

function inspectCurrent(dbPath: string): CurrentState {
  const header = inspectHeader(dbPath);
  if (header) return { damage: header, auditEntries: null };
  let db: SqliteDatabase | null = null;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const damage = quickCheck(db);
    if (damage) return { damage, auditEntries: null };
    const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() !== undefined;
    const n = hasLog ? (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n : 0;
    return { damage: null, auditEntries: n };
  } catch (err) {
    const damage = damageFromError(err);
    return { damage: damage ?? { kind: 'malformed', detail: (err as Error).message }, auditEntries: null };
  } finally {
    db?.close();
  }
}

export interface RestoreResult {
  restored: BackupCheck;
  /** Where the database that was replaced now lives (null when there was none). */
  replacedMovedTo: string | null;
  /** Why the replaced database was replaced: its damage, or null when it was healthy. */
  replacedDamage: string | null;
  replacedAuditEntries: number | null;
}

/**
 * Puts a checked backup in place of the workspace database. Refuses while another process has the
 * database open, and (without `force`) refuses to replace a healthy database holding audit entries
 * the backup lacks. The replaced file, with its WAL, is moved to `backups/replaced-<time>.db`.
 */
export function restoreBackup(dbPath: string, backupFile: string, options: { force?: boolean; now?: Date } = {}): RestoreResult {
  const target = resolve(dbPath);
  const source = resolve(backupFile);
  if (source === target) throw new RestoreError('the backup is the database itself');
  const restored = checkBackup(source);
  let replacedMovedTo: string | null = null;
  let current: CurrentState = { damage: null, auditEntries: null };
  if (existsSync(target)) {
    if (databaseInUse(target)) {
      throw new RestoreError(`${target} is open in another Docket (the app, or a running command). Quit it, then restore again.`);
    }
    current = inspectCurrent(target);
    if (!options.force && current.damage === null && (current.auditEntries ?? 0) > restored.auditEntries) {
      const more = (current.auditEntries ?? 0) - restored.auditEntries;
      throw new RestoreError(
        `${target} is healthy and has ${more} audit ${more === 1 ? 'entry' : 'entries'} more than the backup; pass --force to restore anyway (the current database would be kept in ${backupsDir(target)}).`,
      );
    }
    const dir = backupsDir(target);
    mkdirSync(dir, { recursive: true });
    replacedMovedTo = freshName(dir, `replaced-${fileTime(options.now ?? new Date())}`);
    renameSync(target, replacedMovedTo);
    if (existsSync(`${target}-wal`)) renameSync(`${target}-wal`, `${replacedMovedTo}-wal`);
    rmSync(`${target}-shm`, { force: true });
    rmSync(`${target}-journal`, { force: true });
  }
  clearCleanStamp(target);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.restoring`;
  copyFileSync(source, partial);
  renameSync(partial, target);
  // The copy in place must be the backup that was checked: same chain, same head.
  const after = checkBackup(target);
  if (after.auditHead !== restored.auditHead || after.auditEntries !== restored.auditEntries) {
    throw new RestoreError(`the restored ${basename(target)} does not match the backup it was copied from`);
  }
  return {
    restored,
    replacedMovedTo,
    replacedDamage: current.damage ? describeDamage(current.damage) : null,
    replacedAuditEntries: current.auditEntries,
  };
}

/** What the app offers when the database is damaged: the newest backup that passes checkBackup. */
export interface RecoveryOffer {
  dbPath: string;
  reason: string;
  backup: (BackupInfo & { auditEntries: number }) | null;
  /** The dialog's words, decided here so the shell only shows them. */
  message: string;
  detail: string;
}

export function planRecovery(dbPath: string, reason: string): RecoveryOffer {
  const rejected: string[] = [];
  for (const candidate of listBackups(dbPath)) {
    try {
      const check = checkBackup(candidate.file);
      return {
        dbPath,
        reason,
        backup: { ...candidate, auditEntries: check.auditEntries },
        message: `The workspace database at ${dbPath} is damaged (${reason}). Restore the backup from ${candidate.takenAt}?`,
        detail:
          `The backup (${basename(candidate.file)}, schema version ${candidate.schemaVersion}, ${check.auditEntries} audit entries) passed SQLite's integrity check and its audit chain verifies. ` +
          `The damaged file is kept in ${backupsDir(dbPath)}. Changes made after the backup was taken are not in it.` +
          (rejected.length ? `\nSkipped newer backups: ${rejected.join('; ')}` : ''),
      };
    } catch (err) {
      rejected.push((err as Error).message);
    }
  }
  return {
    dbPath,
    reason,
    backup: null,
    message: `The workspace database at ${dbPath} is damaged (${reason}). No usable backup was found.`,
    detail: `Docket looked in ${backupsDir(dbPath)}.${rejected.length ? ` ${rejected.join('; ')}` : ''} Restore one you keep elsewhere with "docket db restore FILE".`,
  };
}
