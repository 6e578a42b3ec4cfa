import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importFocus } from '../../../electron/core/spend/importFocus';
import { spendBy } from '../../../electron/core/spend/spendQueries';
import { runDocket } from '../../support/runDocket';
import { fixedClock, tempStore } from '../../support/tempStore';
import { generateFocusCsv } from '../../bench/focusData';
import { decimalTotals, floatToCents, toUnits, unitsToCents } from './decimalSum';
import { parse } from 'csv-parse/sync';

const SAMPLE = resolve('test/fixtures/focus/focus-1.0-sample-1000.csv');
const opts = { actor: 'tester', clock: fixedClock() };

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function fresh() {
  const t = tempStore();
  cleanups.push(t.cleanup);
  return t;
}

describe('spend queries', () => {
  it('groups the sample by provider and service; by model everything is unattributed (no ml:model tag in it)', async () => {
    const { store } = fresh();
    await importFocus(store, [SAMPLE], opts);
    const byProvider = spendBy(store.db, { by: 'provider' });
    expect(byProvider.map((r) => r.key).sort()).toEqual(['AWS', 'Microsoft', 'Oracle']);
    const records = parse(readSample(), { columns: true }) as Record<string, string>[];
    for (const row of byProvider) {
      const exact = records.filter((r) => r.ProviderName === row.key).reduce((sum, r) => sum + toUnits(r.BilledCost!), 0n);
      expect(floatToCents(row.billedCost)).toBe(unitsToCents(exact));
    }
    expect(spendBy(store.db, { by: 'service' })).toHaveLength(new Set(records.map((r) => r.ServiceName)).size);
    const byModel = spendBy(store.db, { by: 'model' });
    expect(byModel).toHaveLength(1);
    expect(byModel[0]!.key).toBe('unattributed');
    expect(floatToCents(byModel[0]!.billedCost)).toBe(unitsToCents(decimalTotals(SAMPLE).get('USD')!.billed));
  });

  it('attributes generated spend to models and teams, keeps an unattributed line, and filters by day', async () => {
    const { store, dir } = fresh();
    const path = join(dir, 'gen.csv');
    writeFileSync(path, generateFocusCsv(5000));
    const result = await importFocus(store, [path], opts);
    expect(result.files[0]).toMatchObject({ status: 'imported', rows: 5000, rejected: [] });
    const records = parse(generateFocusCsv(5000), { columns: true }) as Record<string, string>[];
    const modelOf = (r: Record<string, string>) => (r.Tags === 'NULL' ? undefined : (JSON.parse(r.Tags!) as Record<string, string>)['ml:model']) ?? 'unattributed';
    const byModel = spendBy(store.db, { by: 'model' });
    expect(byModel.map((r) => r.key)).toContain('unattributed');
    expect(byModel).toHaveLength(7);
    for (const row of byModel) {
      const exact = records.filter((r) => modelOf(r) === row.key).reduce((sum, r) => sum + toUnits(r.EffectiveCost!), 0n);
      expect(floatToCents(row.effectiveCost)).toBe(unitsToCents(exact));
    }
    const janFirst = spendBy(store.db, { by: 'team', from: '2026-01-01', to: '2026-01-01' });
    const exactDay = records.filter((r) => r.ChargePeriodStart!.startsWith('2026-01-01')).reduce((sum, r) => sum + toUnits(r.BilledCost!), 0n);
    expect(floatToCents(janFirst.reduce((s, r) => s + r.billedCost, 0))).toBe(unitsToCents(exactDay));
    expect(janFirst.map((r) => r.key)).toContain('unattributed');
    expect(() => spendBy(store.db, { by: 'team', from: '2026-13-01' })).toThrow(/not a date/);
  });
});

function readSample(): Buffer {
  return readFileSync(SAMPLE);
}

describe('docket import focus / docket spend', () => {
  it('prints per-file JSON, rejects broken files with exit 1, and shows spend as JSON and as an aligned table', async () => {
    const { dbPath } = fresh();
    const ok = await runDocket(['--db', dbPath, '--json', 'import', 'focus', SAMPLE]);
    expect(ok.code).toBe(0);
    const files = ok.json() as { file: string; rows: number; rejected: unknown[]; totals: { currency: string; billedCost: number; effectiveCost: number }[] }[];
    expect(files).toEqual([{ file: SAMPLE, status: 'imported', focusVersion: '1.0', rows: 1000, rejected: [], totals: [{ currency: 'USD', billedCost: expect.any(Number), effectiveCost: expect.any(Number) }] }]);

    const bad = await runDocket(['--db', dbPath, '--json', 'import', 'focus', resolve('test/fixtures/focus/broken/non-numeric-cost.csv')]);
    expect(bad.code).toBe(1);
    expect((bad.json() as { rejected: unknown[] }[])[0]!.rejected).toEqual([{ line: 17, column: 'BilledCost', reason: "'abc' is not a number" }]);
    const human = await runDocket(['--db', dbPath, 'import', 'focus', resolve('test/fixtures/focus/broken/non-numeric-cost.csv')]);
    expect(human.stdout).toContain("line 17, column BilledCost: 'abc' is not a number");

    const skip = await runDocket(['--db', dbPath, '--json', 'import', 'focus', '--skip-bad-rows', resolve('test/fixtures/focus/broken/three-bad-rows.csv')]);
    expect(skip.code).toBe(0);
    expect((skip.json() as { rejected: unknown[] }[])[0]!.rejected).toHaveLength(3);

    const spend = await runDocket(['--db', dbPath, '--json', 'spend', '--by', 'provider']);
    expect(spend.code).toBe(0);
    const rows = spend.json() as { key: string; currency: string; billedCost: number; effectiveCost: number }[];
    expect(rows.map((r) => Object.keys(r))).toEqual(rows.map(() => ['key', 'currency', 'billedCost', 'effectiveCost']));
    const table = await runDocket(['--db', dbPath, 'spend', '--by', 'model', '--from', '2024-09-01', '--to', '2024-09-30']);
    expect(table.stdout).toMatch(/^MODEL\s+CURRENCY\s+BILLED\s+EFFECTIVE/);
    expect(table.stdout).toMatch(/unattributed\s+USD\s+\d/);
    const usage = await runDocket(['--db', dbPath, 'spend', '--by', 'region']);
    expect(usage.code).toBe(2);
  });
});
