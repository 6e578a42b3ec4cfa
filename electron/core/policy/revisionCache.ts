import type { Database } from 'better-sqlite3';

/**
 * Answers that are expensive to compute and change only when the store does (policy evaluation of
 * every model, every open review's verdict) are kept per connection and keyed by the store's
 * revision: SQLite's total_changes() (every row this connection inserted, updated or deleted) plus
 * PRAGMA data_version (which moves when another connection, such as the CLI on the same file,
 * commits). Any write at all invalidates every entry: coarse, but never stale.
 *
 * Nothing is cached inside an open transaction: what it reads may yet be rolled back, and
 * total_changes() would not move back with it.
 */
interface Entry {
  revision: string;
  value: unknown;
}

const MAX_ENTRIES = 256;
const caches = new WeakMap<Database, Map<string, Entry>>();

export function storeRevision(db: Database): string {
  const changes = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const version = db.pragma('data_version', { simple: true }) as number;
  return `${changes}:${version}`;
}

/**
 * The cached value for `key` if the store has not changed since it was computed, else `compute()`'s.
 * The revision is read after computing, so a computation that itself writes (a refresh that records
 * what it found) is still reused until something else changes the store.
 */
export function cachedByRevision<T>(db: Database, key: string, compute: () => T): T {
  if (db.inTransaction) return compute();
  const hit = keptForRevision<T>(db, key);
  if (hit !== undefined) return hit;
  const value = compute();
  if (!db.inTransaction) keepForRevision(db, key, storeRevision(db), value);
  return value;
}

/** The value kept for `key` if the store is still at the revision it was kept for, else undefined. */
export function keptForRevision<T>(db: Database, key: string): T | undefined {
  if (db.inTransaction) return undefined;
  const hit = caches.get(db)?.get(key);
  return hit && hit.revision === storeRevision(db) ? (hit.value as T) : undefined;
}

/**
 * Keeps `value` as the answer for `key` at `revision`: for answers computed elsewhere (a worker thread
 * reading its own snapshot), kept only if the store is still at the revision they were asked at.
 */
export function keepForRevision(db: Database, key: string, revision: string, value: unknown): void {
  if (db.inTransaction || storeRevision(db) !== revision) return;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  // Entries of an older revision can never be hit again; a bound keeps keys that vary (days, windows) in check.
  for (const [k, e] of cache) if (e.revision !== revision) cache.delete(k);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { revision, value });
}
