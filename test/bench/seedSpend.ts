import type { Database } from 'better-sqlite3';
import { rollUpLineItems } from '../../electron/core/spend/attribution';

/**
 * Fills a store with `items` generated FOCUS line items in one spend file, and builds their daily
 * rollup with the code an import uses. Rows are generated inside SQLite (a recursive CTE), which is
 * far quicker than importing a multi-gigabyte CSV; values cycle independently so that every day
 * meets every service, account, team and model (a realistic rollup size).
 */
export function seedLineItems(db: Database, items: number): void {
  db.transaction(() => {
    const run = Number(db.prepare("INSERT INTO sync_runs (kind, started_at, status) VALUES ('focus', '2026-01-01', 'ok')").run().lastInsertRowid);
    const fileId = Number(
      db.prepare("INSERT INTO spend_files (path, sha256, focus_version, rows, imported_at, sync_run_id) VALUES ('generated', 'generated-' || ?, '1.0', ?, '2026-01-01', ?)").run(items, items, run).lastInsertRowid,
    );
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
       INSERT INTO spend_line_items (file_id, line, provider, billing_account_id, sub_account_id, service_name, service_category, region, resource_id,
         charge_category, charge_period_start, charge_period_end, billing_currency, billed_cost, effective_cost, list_cost, tag_team, tag_model)
       SELECT ?, i + 2, 'AWS', '123456789012', '1111' || (i / 360 % 3), 'Service ' || (i / 90 % 4), 'Compute', 'us-east-1', 'res-' || (i % 5000),
         'Usage', date('2026-01-01', '+' || (i % 90) || ' days') || 'T00:00:00Z', date('2026-01-01', '+' || (i % 90 + 1) || ' days') || 'T00:00:00Z',
         'USD', (i % 1000) / 100.0, (i % 1000) / 125.0, (i % 1000) / 100.0,
         CASE WHEN i / 1080 % 4 = 0 THEN NULL ELSE 'team-' || (i / 1080 % 4) END, CASE WHEN i / 4320 % 13 = 0 THEN NULL ELSE 'model-' || (i / 4320 % 13) END
       FROM n`,
    ).run(items, fileId);
    rollUpLineItems(db, 0);
  })();
}
