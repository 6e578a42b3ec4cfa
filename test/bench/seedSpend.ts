import type { Database } from 'better-sqlite3';
import { rollUpLineItems } from '../../electron/core/spend/attribution';

/**
 * Fills a store with `items` generated FOCUS line items in one spend file, and builds their daily
 * rollup with the code an import uses. Rows are generated inside SQLite (a recursive CTE), which is
 * far quicker than importing a multi-gigabyte CSV; values cycle independently so that every day
 * meets every service, account, team and model (a realistic rollup size). Line items are stored
 * dictionary-coded (spend_line_items_coded, values in spend_text), so each value family is added to
 * spend_text first and a row picks its codes by arithmetic or a keyed lookup.
 */
export function seedLineItems(db: Database, items: number): void {
  db.transaction(() => {
    const run = Number(db.prepare("INSERT INTO sync_runs (kind, started_at, status) VALUES ('focus', '2026-01-01', 'ok')").run().lastInsertRowid);
    const fileId = Number(
      db.prepare("INSERT INTO spend_files (path, sha256, focus_version, rows, imported_at, sync_run_id) VALUES ('generated', 'generated-' || ?, '1.0', ?, '2026-01-01', ?)").run(items, items, run).lastInsertRowid,
    );
    const code = codeExpressions(db);
    const day = (k: number) => new Date(Date.UTC(2026, 0, 1 + k)).toISOString().slice(0, 10) + 'T00:00:00Z';
    const account = code('account', ['11110', '11111', '11112'], 'i / 360 % 3');
    const service = code('service', ['Service 0', 'Service 1', 'Service 2', 'Service 3'], 'i / 90 % 4');
    const resource = code('resource', Array.from({ length: 5000 }, (_, k) => `res-${k}`), 'i % 5000');
    const start = code('start', Array.from({ length: 90 }, (_, k) => day(k)), 'i % 90');
    const end = code('end', Array.from({ length: 90 }, (_, k) => day(k + 1)), 'i % 90');
    const team = code('team', ['team-0', 'team-1', 'team-2', 'team-3'], 'i / 1080 % 4');
    const model = code('model', Array.from({ length: 13 }, (_, k) => `model-${k}`), 'i / 4320 % 13');
    const constant = (value: string) => code(value, [value], '0');
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
       INSERT INTO spend_line_items_coded (file_id, line, provider_code, billing_account_id_code, sub_account_id_code, service_name_code, service_category_code, region_code,
         resource_id_code, charge_category_code, charge_period_start_code, charge_period_end_code, billing_currency_code, billed_cost, effective_cost, list_cost, tag_team_code, tag_model_code)
       SELECT ?, i + 2, ${constant('AWS')}, ${constant('123456789012')}, ${account}, ${service}, ${constant('Compute')}, ${constant('us-east-1')},
         ${resource}, ${constant('Usage')}, ${start}, ${end}, ${constant('USD')}, (i % 1000) / 100.0, (i % 1000) / 125.0, (i % 1000) / 100.0,
         CASE WHEN i / 1080 % 4 = 0 THEN NULL ELSE ${team} END, CASE WHEN i / 4320 % 13 = 0 THEN NULL ELSE ${model} END
       FROM n`,
    ).run(items, fileId);
    rollUpLineItems(db, 0);
  })();
}

/**
 * Returns a function that stores a family of values in spend_text and gives the SQL expression of the
 * code of value number `index` (an SQL expression over i): an offset when the family's ids came out
 * consecutive (a fresh store), else a keyed lookup in a temporary table.
 */
function codeExpressions(db: Database): (family: string, values: string[], index: string) => string {
  const add = db.prepare('INSERT OR IGNORE INTO spend_text (value) VALUES (?)');
  const find = db.prepare('SELECT id FROM spend_text WHERE value = ?').pluck();
  db.exec('CREATE TEMP TABLE IF NOT EXISTS seed_codes (family TEXT NOT NULL, k INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (family, k)) WITHOUT ROWID');
  const keep = db.prepare('INSERT OR REPLACE INTO temp.seed_codes (family, k, id) VALUES (?, ?, ?)');
  return (family, values, index) => {
    const ids = values.map((v) => {
      add.run(v);
      return find.get(v) as number;
    });
    if (ids.every((id, k) => id === ids[0]! + k)) return `(${ids[0]} + (${index}))`;
    ids.forEach((id, k) => keep.run(family, k, id));
    return `(SELECT id FROM temp.seed_codes WHERE family = '${family}' AND k = ${index})`;
  };
}
