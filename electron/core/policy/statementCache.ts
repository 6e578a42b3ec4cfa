import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements kept per connection: queries run once per model (judging 20,000 models for
 * sunset candidates) spent more time compiling SQL than running it.
 */
const statements = new WeakMap<Database, Map<string, Statement>>();

export function prepared(db: Database, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}
