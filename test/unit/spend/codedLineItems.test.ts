import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importFocus } from '../../../electron/core/spend/importFocus';
import { addRule, reapplyAttribution } from '../../../electron/core/spend/attribution';
import { spendLineItems } from '../../../electron/core/spend/spendQueries';
import { openStore } from '../../../electron/core/store/openStore';
import { generateFocusCsv } from '../../bench/focusData';
import { fixedClock, tempStore } from '../../support/tempStore';
import type { Store } from '../../../electron/core/store/openStore';

// Line items are stored dictionary-coded (schema v17): each text value once in spend_text, rows as
// integers in spend_line_items_coded, read back through the spend_line_items view. These tests pin
// down that the coding is invisible to readers and that an upgraded store reads exactly as before.

const SAMPLE = resolve('test/fixtures/focus/focus-1.0-sample-1000.csv');
const opts = { actor: 'tester', clock: fixedClock() };
const TEXT_COLUMNS = [
  'provider', 'billing_account_id', 'sub_account_id', 'service_name', 'service_category', 'region', 'resource_id', 'resource_name', 'charge_category',
  'charge_class', 'charge_period_start', 'charge_period_end', 'billing_currency', 'tags_json', 'provider_columns_json', 'tag_team', 'tag_model',
];

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function fresh(options = {}) {
  const t = tempStore(options);
  cleanups.push(t.cleanup);
  return t;
}
const lineItems = (store: Store) => store.db.prepare('SELECT * FROM spend_line_items ORDER BY id').all();
const rollup = (store: Store) =>
  store.db.prepare('SELECT day, provider, service_name, sub_account_id, tag_team, tag_model, currency, billed_cost, effective_cost, list_cost, line_items FROM spend_daily ORDER BY 1, 2, 3, 4, 5, 6, 7').all();

describe('dictionary-coded line items', () => {
  it('stores each distinct text value once and rows as integers only', async () => {
    const { store } = fresh();
    await importFocus(store, [SAMPLE], opts);
    // Every distinct value once (spend_text also holds the billing-period timestamps the parser read
    // through the same cache, hence at least, not exactly).
    const distinct = store.db.prepare(TEXT_COLUMNS.map((c) => `SELECT ${c} AS v FROM spend_line_items WHERE ${c} IS NOT NULL`).join(' UNION ')).all().length;
    const stored = (store.db.prepare('SELECT count(*) AS n, count(DISTINCT value) AS d FROM spend_text').get() as { n: number; d: number });
    expect(stored.n).toBe(stored.d);
    expect(stored.n).toBeGreaterThanOrEqual(distinct);
    expect(stored.n).toBeLessThanOrEqual(distinct + 4);
    const types = store.db.prepare(`SELECT DISTINCT ${TEXT_COLUMNS.map((c) => `typeof(${c}_code)`).join(' || \',\' || ')} AS t FROM spend_line_items_coded`).all() as { t: string }[];
    for (const { t } of types) expect(t.split(',').every((type) => type === 'integer' || type === 'null')).toBe(true);
    expect(store.db.pragma('page_size', { simple: true })).toBe(32_768);
  });

  it('round-trips values too long for the parser dictionary, and a value shared by two files is stored once', async () => {
    const { store, dir } = fresh();
    const csv = generateFocusCsv(50).split('\n');
    const longTag = 'x'.repeat(700);
    // Row 2 gets a Tags value far over the dictionary's per-value limit, so it travels as a literal.
    csv[2] = csv[2]!.replace(/"\{[^}]*\}"/, `"{""note"":""${longTag}""}"`);
    const first = join(dir, 'long.csv');
    writeFileSync(first, csv.join('\n'));
    const second = join(dir, 'again.csv');
    writeFileSync(second, [csv[0], csv[2]].join('\n') + '\n');
    await importFocus(store, [first, second], opts);
    const tags = store.db.prepare("SELECT tags_json FROM spend_line_items WHERE tags_json LIKE '%xxxx%'").all() as { tags_json: string }[];
    expect(tags).toHaveLength(2);
    expect(JSON.parse(tags[0]!.tags_json)).toEqual({ note: longTag });
    expect(store.db.prepare("SELECT count(*) AS n FROM spend_text WHERE value LIKE '%xxxx%'").get()).toEqual({ n: 1 });
  });

  it('upgrades a v16 store: the view reads every line item exactly as the old table held it, and the rollup rebuilds the same', () => {
    const { store, dbPath } = fresh({ targetVersion: 16 });
    const db = store.db;
    db.transaction(() => {
      db.prepare("INSERT INTO sync_runs (id, kind, started_at, status) VALUES (1, 'focus', '2026-01-01', 'ok')").run();
      db.prepare("INSERT INTO spend_files (id, path, sha256, focus_version, rows, imported_at, sync_run_id) VALUES (1, 'f.csv', 'abc', '1.0', 3, '2026-01-01', 1)").run();
      const insert = db.prepare(
        `INSERT INTO spend_line_items (file_id, line, provider, billing_account_id, sub_account_id, service_name, service_category, region, resource_id, resource_name,
           charge_category, charge_class, charge_period_start, charge_period_end, billing_currency, billed_cost, effective_cost, list_cost, contracted_cost,
           consumed_quantity, tags_json, provider_columns_json, tag_team, tag_model)
         VALUES (1, ?, 'AWS', '123', ?, 'Amazon SageMaker', 'AI and Machine Learning', ?, ?, NULL, 'Usage', ?, ?, ?, 'USD', ?, ?, ?, NULL, 1.5, ?, NULL, ?, ?)`,
      );
      insert.run(2, '111', 'us-east-1', 'arn:aws:sagemaker:us-east-1:111:endpoint/a', null, '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', 1.25, 1.0, 1.25, '{"ml:model":"a","team":"t"}', 't', 'a');
      insert.run(3, null, null, null, 'Correction', '2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z', -0.5, -0.5, null, null, null, null);
      // The same value in two columns is one spend_text row serving both.
      insert.run(4, 'us-east-1', 'us-east-1', 'AWS', null, '2026-01-02T00:00:00Z', '2026-01-02T01:00:00Z', 3, 2.5, 3, '{"team":"t"}', 't', null);
    })();
    const before = lineItems(store);
    store.close();
    const upgraded = openStore(dbPath);
    cleanups.push(() => upgraded.close());
    expect(lineItems(upgraded)).toEqual(before);
    // The rollup built from codes equals the plain definition over the decoded rows.
    upgraded.db.transaction(() => reapplyAttribution(upgraded.db))();
    const plain = upgraded.db
      .prepare(
        `SELECT substr(charge_period_start, 1, 10) AS day, provider, service_name, COALESCE(sub_account_id, '') AS sub_account_id, COALESCE(tag_team, '') AS tag_team,
                COALESCE(tag_model, '') AS tag_model, billing_currency AS currency, SUM(billed_cost) AS billed_cost, SUM(effective_cost) AS effective_cost,
                TOTAL(list_cost) AS list_cost, COUNT(*) AS line_items
           FROM spend_line_items GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
      )
      .all();
    expect(rollup(upgraded)).toEqual(plain);
    expect(plain).toHaveLength(3);
  });

  it('gives only a new store the larger page size; an existing database keeps its own', () => {
    const { dir } = fresh();
    const path = join(dir, 'older.db');
    const older = new Database(path);
    older.exec('CREATE TABLE t (x)');
    older.close();
    const store = openStore(path);
    cleanups.push(() => store.close());
    expect(store.db.pragma('page_size', { simple: true })).toBe(4096);
  });

  it('drills down by code and by rule to the same rows the rollup counted', async () => {
    const { store } = fresh();
    await importFocus(store, [SAMPLE], opts);
    const groupSum = (by: 'service' | 'model', key: string) => {
      const column = by === 'service' ? 'service_name' : 'tag_model';
      return (store.db.prepare(`SELECT SUM(line_items) AS n FROM spend_daily WHERE ${column} = ?`).get(key) as { n: number }).n;
    };
    const service = (store.db.prepare('SELECT service_name AS s FROM spend_daily GROUP BY 1 ORDER BY SUM(line_items) DESC LIMIT 1').get() as { s: string }).s;
    expect(spendLineItems(store.db, { by: 'service', key: service }).total).toBe(groupSum('service', service));
    const resource = (store.db.prepare('SELECT resource_id AS r FROM spend_line_items WHERE resource_id IS NOT NULL LIMIT 1').get() as { r: string }).r;
    addRule(store.db, { kind: 'resource', tagKey: null, pattern: resource, model: 'by-rule', priority: 1 }, 'tester', '2026-01-01T00:00:00Z');
    const byRule = spendLineItems(store.db, { by: 'model', key: 'by-rule' });
    expect(byRule.total).toBe(groupSum('model', 'by-rule'));
    expect(byRule.total).toBe((store.db.prepare('SELECT count(*) AS n FROM spend_line_items WHERE resource_id = ?').get(resource) as { n: number }).n);
  });
});
