import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDocket } from '../../support/runDocket';
import { generateDataset, startCostExplorerServer, type CostExplorerTestServer } from '../../support/costExplorerServer';

let dir: string;
let db: string;
let server: CostExplorerTestServer;
const saved = { ...process.env };
const at = (iso: string) => () => new Date(iso);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-ce-'));
  db = join(dir, 'w.db');
  server = await startCostExplorerServer({ dataset: generateDataset({ from: '2026-11-01', days: 10, estimatedTail: 2 }), pageSize: 5 });
  // The SDK's default chain finds these; the loopback server only checks that requests are signed.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLETESTKEY';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-key-not-real';
  process.env.AWS_REGION = 'us-east-1';
});
afterEach(async () => {
  await server.close();
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

const sync = (clock: () => Date) =>
  runDocket(['--db', db, '--json', 'sync', 'aws-ce', '--from', '2026-11-01', '--to', '2026-11-10', '--endpoint', server.url], clock);

describe('docket sync aws-ce', () => {
  it('fetches every page, then only days not yet final, and records restatements', async () => {
    const first = await sync(at('2026-11-11T08:00:00Z'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toEqual({ requests: expect.any(Number), days: 10, groups: 6, restated: 0 });
    expect((first.json() as { requests: number }).requests).toBeGreaterThanOrEqual(3);

    // AWS finalises an Estimated day with a different amount; the next sync asks only for recent and
    // estimated days, and records the change.
    server.restateDay('2026-11-10', (row) => {
      row.unblendedCost = (Number(row.unblendedCost) + 5).toFixed(10);
    });
    const second = await sync(at('2026-11-11T20:00:00Z'));
    const body = second.json() as { days: number; restated: number };
    expect(body.days).toBeLessThan(10);
    expect(body.restated).toBeGreaterThan(0);

    // A month later AWS has finalised the last estimated day: one more fetch picks that up...
    server.setEstimated('2026-11-09', false);
    const third0 = await sync(at('2026-12-15T08:00:00Z'));
    expect(third0.json()).toMatchObject({ days: 1, restated: 0 });
    // ...and after that every day is final: nothing is fetched and no request is billed.
    const third = await sync(at('2026-12-15T08:00:00Z'));
    expect(third.json()).toEqual({ requests: 0, days: 0, groups: 0, restated: 0 });
  });

  it('ends with a clear message on an auth error and writes no cost', async () => {
    server.inject('GetCostAndUsage', { error: 'UnrecognizedClientException', status: 400, times: Infinity });
    const failed = await runDocket(['--db', db, 'sync', 'aws-ce', '--from', '2026-11-01', '--to', '2026-11-10', '--endpoint', server.url], at('2026-11-11T08:00:00Z'));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/nothing was changed/);
    expect(failed.stderr).not.toContain('test-secret-key-not-real');
    const info = (await runDocket(['--db', db, '--json', 'db', 'info'])).json() as { counts: Record<string, number> };
    expect(info.counts.sync_runs).toBe(1); // the failed run, on record
  });
});

describe('AWS forecast beside budgets', () => {
  it('stores GetCostForecast with --forecast and shows it beside Docket\'s forecast for an all-spend Cost Explorer budget', async () => {
    server.forecast = { months: [{ mean: '1234.5000000000', lower: '1100.0000000000', upper: '1400.0000000000' }] };
    const clock = at('2026-11-11T08:00:00Z');
    const synced = await runDocket(['--db', db, '--json', 'sync', 'aws-ce', '--from', '2026-11-01', '--to', '2026-11-10', '--endpoint', server.url, '--forecast'], clock);
    expect(synced.code, synced.stderr).toBe(0);
    expect(server.requestsTo('GetCostForecast')).toHaveLength(1);
    const body = server.requestsTo('GetCostForecast')[0]!.body as { TimePeriod: { Start: string; End: string }; Metric: string };
    expect(body).toMatchObject({ TimePeriod: { Start: '2026-11-11', End: '2026-12-01' }, Metric: 'UNBLENDED_COST' });

    const set = await runDocket(['--db', db, 'budget', 'set', '--name', 'AWS account', '--source', 'aws-ce:1', '--metric', 'billed', '--amount', '5000', '--threshold', 'forecasted:100%'], clock);
    expect(set.code, set.stderr).toBe(0);
    const { openStore } = await import('../../../electron/core/store/openStore');
    const { allBudgetStatuses } = await import('../../../electron/core/budgets/budgetStatus');
    const store = openStore(db);
    try {
      const status = allBudgetStatuses(store.db, '2026-11-11')[0]!;
      const before = status.daily.filter((d) => d.day < '2026-11-11').reduce((s, d) => s + d.cost, 0);
      expect(status.awsForecast).toMatchObject({ mean: expect.closeTo(before + 1234.5, 6), low: expect.closeTo(before + 1100, 6), high: expect.closeTo(before + 1400, 6) });
      expect(status.alertForecast).toMatch(/Docket's forecast drives the forecasted thresholds; AWS's GetCostForecast is shown beside it/);
    } finally {
      store.close();
    }
  });
});
