import type { Database } from 'better-sqlite3';
import { changeMark, tablesRevision } from '../store/tableRevisions';

/**
 * Answers that are expensive to compute and change only when the store does (policy evaluation of
 * every model, every open review's verdict) are kept per connection and keyed by the revisions of
 * the tables they read (store/tableRevisions.ts: one per table people write a row at a time, one
 * shared by the tables importers write in bulk). Each kept answer declares the tables it reads
 * (policy/keptReads.ts); a write to any of them invalidates it, a write elsewhere (a review comment,
 * for the judgement of every model) does not. A kept answer read inside another's computation must
 * read no table the outer one does not declare (checked here at run time), and
 * test/unit/store/keptReads.test.ts holds every declaration to the tables its SQL actually reads.
 *
 * Nothing is cached inside an open transaction: what it reads may yet be rolled back.
 */
interface Entry {
  reads: readonly string[];
  revision: string;
  value: unknown;
}

const MAX_ENTRIES = 256;
const caches = new WeakMap<Database, Map<string, Entry>>();

/** The computations running now, innermost last: what a nested kept answer is checked against. */
const computing: { key: string; reads: readonly string[] }[] = [];

/** The tables declared by the kept answer being computed now, if any (for the test of declared reads). */
export function readsBeingComputed(): readonly string[] | undefined {
  return computing[computing.length - 1]?.reads;
}

/** The revision of the tables a kept answer reads: it moves when any of their rows changes. */
export function storeRevision(db: Database, reads: readonly string[]): string {
  return tablesRevision(db, reads);
}

/**
 * The cached value for `key` if none of the tables it reads changed since it was computed, else
 * `compute()`'s. The revision is read after computing, so a computation that itself writes (a refresh
 * that records what it found) is still reused until something else changes those tables; but if
 * another connection committed while it computed, its statements may have read two states of the
 * store, and the answer is not kept.
 */
export function cachedByRevision<T>(db: Database, key: string, reads: readonly string[], compute: () => T): T {
  const outer = computing[computing.length - 1];
  if (outer) {
    const undeclared = reads.filter((t) => !outer.reads.includes(t));
    if (undeclared.length > 0) throw new Error(`kept answer ${JSON.stringify(outer.key)} uses ${JSON.stringify(key)}, which reads ${undeclared.join(', ')}: declare them`);
  }
  if (db.inTransaction) return compute();
  const hit = keptForRevision<T>(db, key);
  if (hit !== undefined) return hit;
  const others = db.pragma('data_version', { simple: true }) as number;
  computing.push({ key, reads });
  let value: T;
  try {
    value = compute();
  } finally {
    computing.pop();
  }
  if (!db.inTransaction && db.pragma('data_version', { simple: true }) === others) keepForRevision(db, key, reads, storeRevision(db, reads), value);
  return value;
}

/** The value kept for `key` if the tables it reads are still at the revision it was kept for, else undefined. */
export function keptForRevision<T>(db: Database, key: string): T | undefined {
  if (db.inTransaction) return undefined;
  const hit = caches.get(db)?.get(key);
  return hit && hit.revision === storeRevision(db, hit.reads) ? (hit.value as T) : undefined;
}

/**
 * Keeps `value` as the answer for `key` at `revision` of the tables it reads: for answers computed
 * elsewhere (a worker thread reading its own snapshot), kept only if those tables are still at the
 * revision they were asked at.
 */
export function keepForRevision(db: Database, key: string, reads: readonly string[], revision: string, value: unknown): void {
  if (db.inTransaction || storeRevision(db, reads) !== revision) return;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  // Entries whose tables moved can never be hit again; a bound keeps keys that vary (days, windows) in check.
  const mark = changeMark(db);
  if (cache.size > 0 && marks.get(cache) !== mark) {
    for (const [k, e] of cache) if (e.revision !== storeRevision(db, e.reads)) cache.delete(k);
    marks.set(cache, mark);
  }
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { reads, revision, value });
}

/** The change mark at which each cache last dropped its stale entries (sweeping once per change suffices). */
const marks = new WeakMap<Map<string, Entry>, string>();
