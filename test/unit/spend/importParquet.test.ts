import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importFocus } from '../../../electron/core/spend/importFocus';
import { fixedClock, tempStore } from '../../support/tempStore';

const CSV = resolve('test/fixtures/focus/focus-1.0-sample-1000.csv');
const PARQUET = resolve('test/fixtures/focus/focus-1.0-sample-1000.parquet');
const options = { actor: 'test', clock: fixedClock() };

let t: ReturnType<typeof tempStore>;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

const count = (table: string) => (t.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('FOCUS import from Parquet', () => {
  it('stores the same line items and totals as the CSV the Parquet file was written from', async () => {
    const fromParquet = await importFocus(t.store, [PARQUET], options);
    expect(fromParquet.files).toEqual([expect.objectContaining({ status: 'imported', rows: 1000, rejected: [] })]);
    const other = tempStore();
    try {
      const fromCsv = await importFocus(other.store, [CSV], options);
      const cents = (totals: { currency: string; billedCost: number; effectiveCost: number }[]) => totals.map((x) => [x.currency, x.billedCost.toFixed(2), x.effectiveCost.toFixed(2)]);
      expect(cents(fromParquet.files[0]!.totals)).toEqual(cents(fromCsv.files[0]!.totals));
      const daily = (db: typeof t.store.db) => db.prepare('SELECT day, tag_model, currency, round(effective_cost, 6) AS e FROM spend_daily ORDER BY 1, 2, 3').all();
      expect(daily(t.store.db)).toEqual(daily(other.store.db));
    } finally {
      other.cleanup();
    }
    // The same bytes again: nothing changes.
    expect((await importFocus(t.store, [PARQUET], options)).files[0]?.status).toBe('unchanged');
    expect(count('spend_line_items')).toBe(1000);
  });

  it('rejects a truncated Parquet file with its reason and leaves the store as it was', async () => {
    const cut = join(t.dir, 'cut.parquet');
    const bytes = readFileSync(PARQUET);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await importFocus(t.store, [CSV], options);
    const before = [count('spend_line_items'), count('spend_daily'), count('spend_files')];
    const result = await importFocus(t.store, [cut], options);
    expect(result.files[0]).toMatchObject({ status: 'rejected', rows: 0 });
    expect(result.files[0]?.rejected[0]?.reason).toMatch(/truncated/i);
    expect([count('spend_line_items'), count('spend_daily'), count('spend_files')]).toEqual(before);
  });

  it('finds Parquet files in a folder', async () => {
    copyFileSync(PARQUET, join(t.dir, 'export.parquet'));
    const result = await importFocus(t.store, [t.dir], options);
    expect(result.files.map((f) => [f.status, f.rows])).toEqual([['imported', 1000]]);
  });
});
