import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations as defaultMigrations, type Migration } from './migrations';
import { backupBeforeMigration, backupsDir, listBackups, type BackupInfo } from './backup';
import { damageFromError, describeDamage, inspectHeader, matchesCleanStamp, quickCheck, writeCleanStamp, type Damage } from './integrity';

/**
 * Page size of a new workspace. Spend imports append hundreds of megabytes in one transaction, which
 * SQLite writes twice in WAL mode (to the log, then back to the database): 32 KiB pages make that an
 * eighth as many WAL frames and system calls as the 4 KiB default, measured 15-20 % off a
 * 1,000,000-row FOCUS import; a small write (an audit entry) logs one larger page, which is cheap.
 */
const PAGE_SIZE = 32_768;

export interface Store {
  readonly db: SqliteDatabase;
  readonly path: string;
  close(): void;
}

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * The database file is damaged: refused at open, untouched. `latestBackup` is the newest automatic
 * backup beside it (not yet checked: `docket db restore` and the app check it before using it).
 */
export class StoreDamagedError extends StoreError {
  readonly path: string;
  readonly damage: Damage;
  readonly reason: string;
  readonly latestBackup: BackupInfo | null;
  constructor(path: string, damage: Damage, latestBackup: BackupInfo | null) {
    const reason = describeDamage(damage);
    super(
      `The workspace database at ${path} is damaged (${reason}). It was not changed. ` +
        (latestBackup
          ? `Restore the backup from ${latestBackup.takenAt} with: docket db restore "${latestBackup.file}"`
          : `No automatic backup was found in ${backupsDir(path)}; restore a copy you keep with: docket db restore FILE`),
    );
    this.name = 'StoreDamagedError';
    this.path = path;
    this.damage = damage;
    this.reason = reason;
    this.latestBackup = latestBackup;
  }
}

/**
 * A write did not fit: the disk holding the database is full (or the database reached its page
 * limit). SQLite rolled the transaction back, so the database is as it was before the write.
 */
export class StoreFullError extends StoreError {
  readonly code = 'SQLITE_FULL';
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super(
      `The disk holding the workspace database ${path} is full (or the database reached its size limit): ` +
        'nothing from this change was written and the database is unchanged. Free some disk space and try again.',
    );
    this.name = 'StoreFullError';
    this.path = path;
    this.cause = cause;
  }
}

/** SQLite's "database or disk is full" (SQLITE_FULL), as better-sqlite3 reports it. */
export function isDiskFull(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_FULL' && !(err instanceof StoreFullError);
}

/**
 * Every write in Docket runs in a `db.transaction(...)`: wrapping it here is the one place a full
 * disk becomes a StoreFullError, whichever importer, sync, decision or export hit it (the error is
 * raised after better-sqlite3 has rolled the transaction back).
 */
function reportFullDisk(db: SqliteDatabase, path: string): void {
  const transaction = db.transaction.bind(db);
  const translate = <F extends (...args: never[]) => unknown>(fn: F): F =>
    function (this: unknown, ...args: Parameters<F>) {
      try {
        return fn.apply(this, args);
      } catch (err) {
        throw isDiskFull(err) ? new StoreFullError(path, err) : err;
      }
    } as F;
  db.transaction = ((fn: Parameters<SqliteDatabase['transaction']>[0]) => {
    const inner = transaction(fn);
    const outer = translate(inner) as typeof inner;
    for (const variant of ['default', 'deferred', 'immediate', 'exclusive'] as const) Object.defineProperty(outer, variant, { value: translate(inner[variant]), enumerable: true });
    Object.defineProperty(outer, 'database', { value: db, enumerable: true });
    return outer;
  }) as SqliteDatabase['transaction'];
}

export interface OpenStoreOptions {
  /** Only for tests of the migration path: stop at this schema version. */
  targetVersion?: number;
  migrations?: readonly Migration[];
  readonly?: boolean;
  /**
   * When to read every page with `PRAGMA quick_check` (the header is always checked):
   * 'auto' (default) unless the file is exactly as Docket's last clean close left it; 'always'; 'never'.
   */
  integrityCheck?: 'auto' | 'always' | 'never';
  /** Called with the backup written before a migration (tests, logs). */
  onBackup?: (file: string) => void;
}

function damaged(path: string, damage: Damage): StoreDamagedError {
  let latest: BackupInfo | null = null;
  try {
    latest = listBackups(path)[0] ?? null;
  } catch {
    /* an unreadable backups folder must not hide the damage itself */
  }
  return new StoreDamagedError(path, damage, latest);
}

/**
 * Opens (creating if needed) a workspace database, configures it for two writers (app and CLI)
 * and brings its schema up to date. A damaged file or one written by a newer Docket is refused
 * untouched; an older one is copied to backups/ before it is migrated.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const migrations = options.migrations ?? defaultMigrations;
  const onDisk = path !== ':memory:';
  if (onDisk) mkdirSync(dirname(path), { recursive: true });
  const existing = onDisk && existsSync(path) && statSync(path).size > 0;
  if (existing) {
    const damage = inspectHeader(path);
    if (damage) throw damaged(path, damage);
  }
  const mode = options.integrityCheck ?? 'auto';
  const deepCheck = existing && (mode === 'always' || (mode === 'auto' && !matchesCleanStamp(path)));
  let db: SqliteDatabase;
  try {
    db = new Database(path, { readonly: options.readonly ?? false });
  } catch (err) {
    const damage = damageFromError(err);
    if (damage && existing) throw damaged(path, damage);
    throw new StoreError(`Cannot open database ${path}: ${(err as Error).message}`);
  }
  reportFullDisk(db, path);
  try {
    // First, so every later statement of this connection waits for the other process instead of failing.
    db.pragma('busy_timeout = 5000');
    if (deepCheck) {
      const damage = quickCheck(db);
      if (damage) throw damaged(path, damage);
    }
    if (!options.readonly) {
      // Set before the first write, so only a new database takes it (an existing one keeps its own).
      if (!existing) db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, options.targetVersion, path, (from) => {
      const file = backupBeforeMigration(db, path, from);
      options.onBackup?.(file);
    });
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    const damage = damageFromError(err);
    if (damage && existing) throw damaged(path, damage);
    throw err;
  }
  const readonly = options.readonly ?? false;
  return {
    db,
    path,
    close: () => {
      if (!db.open) return;
      db.close();
      if (onDisk && !readonly) writeCleanStamp(path);
    },
  };
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: SqliteDatabase, migrations: readonly Migration[], target: number | undefined, path: string, backup: (fromVersion: number) => void): void {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const goal = target ?? latest;
  const check = (current: number) => {
    if (current > latest) {
      throw new StoreError(
        `${path} has schema version ${current}, newer than this Docket understands (${latest}). ` +
          'Open it with a newer Docket; it was left unchanged.',
      );
    }
    return migrations.filter((m) => m.version > current && m.version <= goal);
  };
  let current: number;
  try {
    current = schemaVersion(db);
  } catch (err) {
    if (damageFromError(err)) throw err;
    throw new StoreError(`${path} is not a Docket database (or is corrupt): ${(err as Error).message}`);
  }
  if (check(current).length === 0) return;
  // An existing database is copied first (VACUUM INTO cannot run inside the transaction below).
  if (current > 0 && path !== ':memory:') backup(current);
  // One transaction for all pending steps: a failure leaves the database at its old version.
  // The version is read again inside it: the app and the CLI may both start the same upgrade,
  // and the second must find the work done rather than run the steps twice.
  db.transaction(() => {
    for (const m of check(schemaVersion(db))) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}
