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
import { generateDataset, startCostExplorerServer } from '../../support/costExplorerServer';

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

describe('docket spend --source', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads one Cost Explorer source (never added to FOCUS), marks Estimated rows, names the source, and refuses what the source cannot answer', async () => {
    const { dbPath } = fresh();
    const server = await startCostExplorerServer({ dataset: generateDataset({ from: '2026-11-01', days: 10, estimatedTail: 2 }) });
    cleanups.push(() => void server.close());
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLETESTKEY';
    process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-key-not-real';
    process.env.AWS_REGION = 'us-east-1';
    const clock = fixedClock('2026-11-11T08:00:00.000Z');

    const none = await runDocket(['--db', dbPath, 'spend', '--source', 'aws-ce']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no Cost Explorer source yet; sync one with: docket sync aws-ce/);

    expect((await runDocket(['--db', dbPath, '--json', 'import', 'focus', SAMPLE])).code).toBe(0);
    const sync = await runDocket(['--db', dbPath, '--json', 'sync', 'aws-ce', '--from', '2026-11-01', '--to', '2026-11-10', '--endpoint', server.url], clock);
    expect(sync.code, sync.stderr).toBe(0);

    // The default stays FOCUS, unchanged in shape.
    const focus = await runDocket(['--db', dbPath, '--json', 'spend', '--by', 'provider']);
    const focusRows = focus.json() as Record<string, unknown>[];
    expect(focusRows.map((r) => r.key).sort()).toEqual(['AWS', 'Microsoft', 'Oracle']);
    expect(focusRows.map((r) => Object.keys(r))).toEqual(focusRows.map(() => ['key', 'currency', 'billedCost', 'effectiveCost']));

    // aws-ce alone picks the only Cost Explorer source; its JSON rows add `estimated`.
    const ce = await runDocket(['--db', dbPath, '--json', 'spend', '--by', 'model', '--source', 'aws-ce']);
    expect(ce.code, ce.stderr).toBe(0);
    const ceRows = ce.json() as { key: string; currency: string; billedCost: number; effectiveCost: number; estimated: boolean }[];
    expect(ceRows.map((r) => Object.keys(r))).toEqual(ceRows.map(() => ['key', 'currency', 'billedCost', 'effectiveCost', 'estimated']));
    expect(ceRows.map((r) => r.key).sort()).toEqual(['churn', 'fraud-scorer', 'unattributed']);
    const exact = server.dataset.rows.reduce((sum, r) => sum + toUnits(r.unblendedCost), 0n);
    expect(floatToCents(ceRows.reduce((s, r) => s + r.billedCost, 0))).toBe(unitsToCents(exact));
    expect(ceRows.every((r) => r.estimated)).toBe(true);

    // People get a STATUS column and the provenance under the table.
    const human = await runDocket(['--db', dbPath, 'spend', '--by', 'service', '--source', 'aws-ce', '--to', '2026-11-09']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^SERVICE\s+CURRENCY\s+BILLED\s+EFFECTIVE\s+STATUS/);
    expect(human.stdout).toMatch(/Amazon SageMaker\s+USD\s+[\d,.]+\s+[\d,.]+\s+Estimated/);
    expect(human.stdout).toContain(`Source: AWS Cost Explorer ${server.url} (profile default), tag ml:model, grouped by SERVICE`);
    expect(human.stdout).toMatch(/Synced: 2026-11-11 08:00:00 UTC \(sync run \d+\)/);
    expect(human.stdout).toContain('Estimated: 1 day in range (2026-11-09)');
    const final = await runDocket(['--db', dbPath, 'spend', '--source', 'aws-ce', '--to', '2026-11-05']);
    expect(final.stdout).toMatch(/fraud-scorer\s+USD\s+[\d,.]+\s+[\d,.]+\s+final/);
    expect(final.stdout).not.toContain('Estimated:');
    const focusHuman = await runDocket(['--db', dbPath, 'spend', '--by', 'provider']);
    expect(focusHuman.stdout).toContain('Source: FOCUS file focus-1.0-sample-1000.csv (FOCUS 1.0)');

    const team = await runDocket(['--db', dbPath, 'spend', '--by', 'team', '--source', 'aws-ce']);
    expect(team.code).toBe(2);
    expect(team.stderr).toMatch(/has no team/);
    const account = await runDocket(['--db', dbPath, 'spend', '--by', 'account', '--source', 'aws-ce']);
    expect(account.code).toBe(2);
    expect(account.stderr).toMatch(/sync again with --group-by LINKED_ACCOUNT/);
    expect((await runDocket(['--db', dbPath, 'spend', '--source', 'gcp'])).stderr).toMatch(/unknown spend source "gcp"/);

    // A second source: aws-ce alone is now ambiguous and the error lists both; an id picks one.
    const second = await runDocket(['--db', dbPath, '--json', 'sync', 'aws-ce', '--from', '2026-11-01', '--to', '2026-11-10', '--group-by', 'LINKED_ACCOUNT', '--endpoint', server.url], clock);
    expect(second.code, second.stderr).toBe(0);
    const ambiguous = await runDocket(['--db', dbPath, 'spend', '--source', 'aws-ce']);
    expect(ambiguous.code).toBe(2);
    const ids = [...ambiguous.stderr.matchAll(/aws-ce:(\d+) {2}AWS Cost Explorer: ml:model by (SERVICE|LINKED_ACCOUNT)/g)];
    expect(ids.map((m) => m[2])).toEqual(['SERVICE', 'LINKED_ACCOUNT']);
    const byAccount = await runDocket(['--db', dbPath, '--json', 'spend', '--by', 'account', '--source', `aws-ce:${ids[1]![1]}`]);
    expect(byAccount.code, byAccount.stderr).toBe(0);
    expect((byAccount.json() as { key: string }[]).map((r) => r.key)).toEqual(['111122223333']);
  });
});
