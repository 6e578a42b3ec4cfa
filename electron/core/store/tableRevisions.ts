import type { Database } from 'better-sqlite3';

/**
 * A revision per table, kept by the database itself: triggers on every table count the rows
 * inserted, updated and deleted into `store_table_revisions`. Answers kept across requests
 * (revisionCache) are keyed by the revisions of the tables they read, so a review comment does not
 * throw away the judgement of every model, which reads no review table.
 *
 * Triggers, not bookkeeping in Docket's writers: they also count what another process (the CLI on
 * the same file) or a writer that forgot to say so changes, and they roll back with the write.
 *
 * One table has none: spend line items arrive millions at a time, and a trigger would add a write
 * per row to the import. No kept answer reads them (spend figures come from the daily roll-ups in
 * spend_daily, which the import adds to in the same transaction); one that did could not declare
 * them, since only tracked tables can be declared (tablesRevision throws, and a test checks).
 */
export const REVISIONS_TABLE = 'store_table_revisions';

/** Tables no revision is kept for: the revisions themselves, and the line items (above). */
const UNTRACKED = new Set([REVISIONS_TABLE, 'spend_line_items_coded']);

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

/** Every table of the store a revision is kept for (all but SQLite's own and the revisions table). */
export function trackedTables(db: Database): string[] {
  const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return names.filter((name) => !UNTRACKED.has(name));
}

interface Snapshot {
  /** total_changes():data_version when read: while it stands, no table's revision can have moved. */
  mark: string;
  revisions: Map<string, number>;
}

const snapshots = new WeakMap<Database, Snapshot>();

/**
 * Moves whenever this connection writes a row (total_changes(), triggers' rows included) or another
 * connection commits (data_version): the cheap test of whether the revisions need reading again.
 */
export function changeMark(db: Database): string {
  const changes = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const version = db.pragma('data_version', { simple: true }) as number;
  return `${changes}:${version}`;
}

/**
 * The revision of the given tables together: it moves when any row of any of them was inserted,
 * updated or deleted, by this connection or another. Read once per change of the store, then kept.
 */
export function tablesRevision(db: Database, tables: readonly string[]): string {
  const mark = changeMark(db);
  let snapshot = snapshots.get(db);
  if (!snapshot || snapshot.mark !== mark) {
    const rows = db.prepare(`SELECT name, revision FROM ${REVISIONS_TABLE}`).all() as { name: string; revision: number }[];
    snapshot = { mark, revisions: new Map(rows.map((r) => [r.name, r.revision])) };
    // Not kept from inside a transaction: a rollback takes the revisions back but not total_changes(),
    // so the mark would go on vouching for numbers the store never committed.
    if (!db.inTransaction) snapshots.set(db, snapshot);
  }
  return tables
    .map((table) => {
      const revision = snapshot.revisions.get(table);
      if (revision === undefined) throw new Error(`no revision is kept for table ${table}: is it a table of the store, and tracked (trackTableRevisions)?`);
      return revision;
    })
    .join('.');
}
