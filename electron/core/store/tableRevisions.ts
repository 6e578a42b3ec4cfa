import type { Database } from 'better-sqlite3';
import { prepared } from '../policy/statementCache';

/**
 * The revision of each table, so that answers kept across requests (revisionCache) are thrown away
 * only when a table they read changed: a review comment must not cost the judgement of every model.
 *
 * Two kinds of table, because a trigger has a price: any statement on a table with a trigger keeps
 * a statement journal, measured at about 30 us more per statement in a large write transaction
 * (a 5,000-card import took twice as long with a trigger on every table).
 *
 * - The tables people write one row at a time (reviews, decisions, comments, budgets, sunsets, and
 *   the record of import runs: those migrations 19 and 20 pass to trackTableRevisions, listed in
 *   `store_table_revisions`) each have a
 *   revision kept by triggers, counting every row inserted, updated and deleted, by this connection
 *   or another.
 * - The audit log, written with every action (an import writes one entry per card), takes only
 *   appends (its own triggers refuse updates and deletes), so its largest id is its revision.
 * - Every other table (models, versions, cards, lineage, spend: what importers and syncs write in
 *   bulk, and any table added later) shares one revision, the bulk revision. It moves when this
 *   connection changed a row that no trigger counted, or when another connection committed
 *   anything. SQLite's total_changes() counts every row this connection changed, triggers' rows
 *   included: each row of a tracked table counts twice (the row and its trigger's count) and each
 *   audit entry once, so when total_changes() moved by exactly that much, no other table changed.
 *   A rolled-back write breaks that equality too (the revisions roll back, total_changes() does not),
 *   which moves the bulk revision for nothing: coarse, never stale.
 */
const REVISIONS_TABLE = 'store_table_revisions';

/** Tables that take only appends (their triggers refuse the rest): the largest id is the revision. */
export const APPEND_ONLY_TABLES: readonly string[] = ['audit_log'];

/** Creates the revisions table (if it is missing) and the triggers that keep `table`'s revision. */
export function trackTableRevisions(db: Database, table: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`trackTableRevisions: unexpected table name ${JSON.stringify(table)}`);
  db.exec(`CREATE TABLE IF NOT EXISTS ${REVISIONS_TABLE} (name TEXT PRIMARY KEY, revision INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID`);
  db.prepare(`INSERT OR IGNORE INTO ${REVISIONS_TABLE} (name) VALUES (?)`).run(table);
  for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
    db.exec(
      `CREATE TRIGGER IF NOT EXISTS ${table}_revision_${event.toLowerCase()} AFTER ${event} ON ${table}
         BEGIN UPDATE ${REVISIONS_TABLE} SET revision = revision + 1 WHERE name = '${table}'; END`,
    );
  }
}

interface Snapshot {
  /** total_changes():data_version when read: while it stands, no revision can have moved. */
  mark: string;
  changes: number;
  dataVersion: number;
  /** The sum of the tracked tables' revisions. */
  trackedSum: number;
  /** The sum of the append-only tables' largest ids. */
  appendedSum: number;
  revisions: Map<string, number>;
  bulk: number;
}

const snapshots = new WeakMap<Database, Snapshot>();

function changesAndVersion(db: Database): { changes: number; dataVersion: number; mark: string } {
  // Asked on every lookup of a kept answer: prepared once per connection.
  const changes = prepared(db, 'SELECT total_changes()').pluck().get() as number;
  const dataVersion = prepared(db, 'PRAGMA data_version').pluck().get() as number;
  return { changes, dataVersion, mark: `${changes}:${dataVersion}` };
}

/**
 * Moves whenever this connection writes a row or another connection commits: the cheap test of
 * whether the revisions need reading again.
 */
export function changeMark(db: Database): string {
  return changesAndVersion(db).mark;
}

function readSnapshot(db: Database, previous: Snapshot | undefined, { changes, dataVersion, mark }: ReturnType<typeof changesAndVersion>): Snapshot {
  const rows = prepared(db, `SELECT name, revision FROM ${REVISIONS_TABLE}`).all() as { name: string; revision: number }[];
  const revisions = new Map(rows.map((r) => [r.name, r.revision]));
  const trackedSum = rows.reduce((sum, r) => sum + r.revision, 0);
  let appendedSum = 0;
  for (const table of APPEND_ONLY_TABLES) {
    const largest = prepared(db, `SELECT COALESCE(MAX(rowid), 0) FROM ${table}`).pluck().get() as number;
    revisions.set(table, largest);
    appendedSum += largest;
  }
  const expected = previous ? 2 * (trackedSum - previous.trackedSum) + (appendedSum - previous.appendedSum) : NaN;
  const onlyTracked = previous !== undefined && previous.dataVersion === dataVersion && changes - previous.changes === expected;
  return { mark, changes, dataVersion, trackedSum, appendedSum, revisions, bulk: onlyTracked ? previous.bulk : (previous?.bulk ?? 0) + 1 };
}

/**
 * The revision of the given tables together: it moves when any row of any of them was inserted,
 * updated or deleted, by this connection or another (for untracked tables: when any untracked
 * table's row was). Read once per change of the store, then kept.
 */
export function tablesRevision(db: Database, tables: readonly string[]): string {
  const previous = snapshots.get(db);
  const now = changesAndVersion(db);
  let snapshot = previous;
  if (!snapshot || snapshot.mark !== now.mark) {
    snapshot = readSnapshot(db, previous, now);
    // Not kept from inside a transaction: a rollback takes the revisions back but not total_changes(),
    // so the mark would go on vouching for numbers the store never committed.
    if (!db.inTransaction) snapshots.set(db, snapshot);
  }
  // The tracked tables' own revisions, then the bulk revision once if any table read is a bulk one.
  const own = tables.map((table) => snapshot.revisions.get(table));
  const readsBulk = own.includes(undefined);
  return [...own.filter((r) => r !== undefined), ...(readsBulk ? [`b${snapshot.bulk}`] : [])].join('.');
}
