import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations as defaultMigrations, type Migration } from './migrations';

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

export interface OpenStoreOptions {
  /** Only for tests of the migration path: stop at this schema version. */
  targetVersion?: number;
  migrations?: readonly Migration[];
  readonly?: boolean;
}

/**
 * Opens (creating if needed) a workspace database, configures it for two writers (app and CLI)
 * and brings its schema up to date. A database written by a newer Docket is refused untouched.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const migrations = options.migrations ?? defaultMigrations;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: SqliteDatabase;
  try {
    db = new Database(path, { readonly: options.readonly ?? false });
  } catch (err) {
    throw new StoreError(`Cannot open database ${path}: ${(err as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, options.targetVersion, path);
  } catch (err) {
    db.close();
    throw err;
  }
  return { db, path, close: () => db.close() };
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: SqliteDatabase, migrations: readonly Migration[], target: number | undefined, path: string): void {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const goal = target ?? latest;
  let current: number;
  try {
    current = schemaVersion(db);
  } catch (err) {
    throw new StoreError(`${path} is not a Docket database (or is corrupt): ${(err as Error).message}`);
  }
  if (current > latest) {
    throw new StoreError(
      `${path} has schema version ${current}, newer than this Docket understands (${latest}). ` +
        'Open it with a newer Docket; it was left unchanged.',
    );
  }
  const pending = migrations.filter((m) => m.version > current && m.version <= goal);
  if (pending.length === 0) return;
  // One transaction for all pending steps: a failure leaves the database at its old version.
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}
