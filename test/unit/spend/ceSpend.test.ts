import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { syncAwsCe } from '../../../electron/core/awsce/syncAwsCe';
import { importFocus } from '../../../electron/core/spend/importFocus';
import { listSpendSources, spendBy, spendCoverage, spendDaily, spendLineItems, spendProvenance, unitCosts } from '../../../electron/core/spend/spendQueries';
import { createCoreHandlers } from '../../../electron/core/handlers';
import { dispatch, type Handlers } from '../../../shared/ipc/dispatch';
import { generateDataset, startCostExplorerServer, type CeRow, type CostExplorerTestServer } from '../../support/costExplorerServer';
import { fixedClock, tempStore } from '../../support/tempStore';
import { floatToCents, toUnits, unitsToCents } from './decimalSum';

const credentials = { accessKeyId: 'AKIDEXAMPLETESTKEY', secretAccessKey: 'test-secret-key-not-real' };
const SYNCED_AT = '2026-11-11T08:00:00.000Z';
const clock = fixedClock(SYNCED_AT);

let server: CostExplorerTestServer;
let t: ReturnType<typeof tempStore>;

beforeEach(async () => {
  // Ten days, the last two still Estimated; two models and untagged spend on two services.
  server = await startCostExplorerServer({ dataset: generateDataset({ from: '2026-11-01', days: 10, estimatedTail: 2, account: '111122223333' }), pageSize: 7 });
  t = tempStore();
});
afterEach(async () => {
  await server.close();
  t.cleanup();
});

async function sync(groupBy2: 'SERVICE' | 'LINKED_ACCOUNT' = 'SERVICE'): Promise<string> {
  const result = await syncAwsCe(t.store, { from: '2026-11-01', to: '2026-11-11', groupBy2, endpoint: server.url, credentials, actor: 'tester', clock });
  expect(result.syncRunId).not.toBeNull();
  const sources = listSpendSources(t.store.db).filter((s) => s.kind === 'aws-ce');
  return sources[sources.length - 1]!.id;
}

/** The test's own oracle: exact decimal sums of the served strings, by a key of each row. */
function exact(rows: CeRow[], keyOf: (row: CeRow) => string, from = '0000', to = '9999'): Map<string, { billed: string; effective: string }> {
  const sums = new Map<string, { billed: bigint; effective: bigint }>();
  for (const row of rows.filter((r) => r.day >= from && r.day <= to)) {
    const s = sums.get(keyOf(row)) ?? { billed: 0n, effective: 0n };
    s.billed += toUnits(row.unblendedCost);
    s.effective += toUnits(row.amortizedCost);
    sums.set(keyOf(row), s);
  }
  return new Map([...sums].map(([k, v]) => [k, { billed: unitsToCents(v.billed), effective: unitsToCents(v.effective) }]));
}
const cents = (rows: { key: string; billedCost: number; effectiveCost: number }[]) => new Map(rows.map((r) => [r.key, { billed: floatToCents(r.billedCost), effective: floatToCents(r.effectiveCost) }]));

describe('spend from a Cost Explorer source', () => {
  it('groups by model (untagged = unattributed), service and provider, to the cent, with billed = unblended and effective = amortized', async () => {
    const source = await sync();
    const rows = server.dataset.rows;

    const byModel = spendBy(t.store.db, { by: 'model', source });
    expect(byModel.map((r) => r.key).sort()).toEqual(['churn', 'fraud-scorer', 'unattributed']);
    expect(cents(byModel)).toEqual(exact(rows, (r) => r.tagValue ?? 'unattributed'));
    expect(byModel.every((r) => r.currency === 'USD' && r.estimated === true)).toBe(true);

    const byService = spendBy(t.store.db, { by: 'service', source, from: '2026-11-02', to: '2026-11-05' });
    expect(cents(byService)).toEqual(exact(rows, (r) => r.dimensions.SERVICE!, '2026-11-02', '2026-11-05'));
    // No day of that range is Estimated.
    expect(byService.every((r) => r.estimated === false)).toBe(true);

    const byProvider = spendBy(t.store.db, { by: 'provider', source });
    expect(byProvider).toHaveLength(1);
    expect(cents(byProvider)).toEqual(exact(rows, () => 'AWS'));
  });

  it('never mixes sources: FOCUS stays the default and is not added to Cost Explorer spend', async () => {
    await importFocus(t.store, [resolve('test/fixtures/focus/focus-1.0-sample-1000.csv')], { actor: 'tester', clock });
    const focusBefore = spendBy(t.store.db, { by: 'provider' });
    const source = await sync();
    expect(spendBy(t.store.db, { by: 'provider' })).toEqual(focusBefore);
    expect(spendBy(t.store.db, { by: 'provider', source: 'focus' })).toEqual(focusBefore);
    expect(cents(spendBy(t.store.db, { by: 'provider', source }))).toEqual(exact(server.dataset.rows, () => 'AWS'));
    expect(spendCoverage(t.store.db, source)).toEqual({ firstDay: '2026-11-01', lastDay: '2026-11-10', files: [] });
    expect(spendCoverage(t.store.db).files).toHaveLength(1);

    const sources = listSpendSources(t.store.db);
    expect(sources.map((s) => s.id)).toEqual(['focus', source]);
    expect(sources[1]).toMatchObject({ kind: 'aws-ce', firstDay: '2026-11-01', lastDay: '2026-11-10', lastSyncAt: SYNCED_AT, tagKey: 'ml:model', groupBy2: 'SERVICE', endpoint: server.url, groupings: ['model', 'service', 'provider'] });
  });

  it('keeps an unattributed line per currency even when every cost is tagged', async () => {
    server.dataset = { ...server.dataset, ...generateDataset({ from: '2026-11-01', days: 10, untagged: false }) };
    const source = await sync();
    const byModel = spendBy(t.store.db, { by: 'model', source });
    expect(byModel.find((r) => r.key === 'unattributed')).toEqual({ key: 'unattributed', currency: 'USD', billedCost: 0, effectiveCost: 0, estimated: false });
  });

  it('refuses groupings the sync did not ask Cost Explorer for, saying which it supports', async () => {
    const bySource = await sync('SERVICE');
    expect(() => spendBy(t.store.db, { by: 'account', source: bySource })).toThrow(/cannot group by account: it was synced with --group-by SERVICE\. It can group by model, service, provider; sync again with --group-by LINKED_ACCOUNT/);
    expect(() => spendBy(t.store.db, { by: 'team', source: bySource })).toThrow(/has no team.*pick the FOCUS source/);
    expect(() => spendDaily(t.store.db, { by: 'team', source: bySource })).toThrow(/has no team/);
    expect(() => spendLineItems(t.store.db, { by: 'model', key: 'churn', source: bySource })).toThrow(/not line items/);
    expect(() => spendBy(t.store.db, { by: 'model', source: 'aws-ce:999' })).toThrow(/no Cost Explorer source 999 \(known: aws-ce:\d+\)/);
    expect(() => spendBy(t.store.db, { by: 'model', source: 'azure' })).toThrow(/unknown spend source/);

    // A second source grouped by linked account answers by account, and refuses service.
    const byAccount = await sync('LINKED_ACCOUNT');
    expect(byAccount).not.toBe(bySource);
    expect(spendBy(t.store.db, { by: 'account', source: byAccount }).map((r) => r.key)).toEqual(['111122223333']);
    expect(() => spendBy(t.store.db, { by: 'service', source: byAccount })).toThrow(/--group-by LINKED_ACCOUNT.*--group-by SERVICE to group by service/);

    // Over IPC the refusal is an INVALID_INPUT with the same message, not an internal error.
    const handlers = createCoreHandlers({ store: t.store, resourcesDir: resolve('resources'), actor: 'tester', clock, emit: () => undefined }) as Handlers;
    const answer = await dispatch(handlers, 'spend/summary', { by: 'team', source: bySource });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/has no team/) } });
    const bad = await dispatch(handlers, 'spend/summary', { by: 'model', source: 'aws-ce:x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('gives the daily series with Estimated days flagged, and provenance naming the source, the sync time and the Estimated days in range', async () => {
    const source = await sync();
    const daily = spendDaily(t.store.db, { by: 'model', source });
    expect(new Set(daily.map((p) => p.day)).size).toBe(10);
    expect([...new Set(daily.filter((p) => p.estimated).map((p) => p.day))]).toEqual(['2026-11-09', '2026-11-10']);
    expect(daily.some((p) => p.key === 'unattributed')).toBe(true);

    const all = spendProvenance(t.store.db, { source });
    expect(all).toMatchObject({ source, kind: 'aws-ce', lastSyncAt: SYNCED_AT, syncRunId: expect.any(Number), estimatedDays: ['2026-11-09', '2026-11-10'], estimatedDayCount: 2, files: [] });
    expect(all.name).toContain(server.url);
    expect(all.name).toContain('tag ml:model');
    expect(spendProvenance(t.store.db, { source, from: '2026-11-01', to: '2026-11-09' }).estimatedDays).toEqual(['2026-11-09']);
    expect(spendProvenance(t.store.db, { source, to: '2026-11-08' }).estimatedDayCount).toBe(0);

    // AWS finalises the days; the next sync clears the flag and the provenance says so.
    server.setEstimated('2026-11-09', false);
    server.setEstimated('2026-11-10', false);
    await syncAwsCe(t.store, { from: '2026-11-01', to: '2026-11-11', endpoint: server.url, credentials, actor: 'tester', clock: fixedClock('2026-11-12T08:00:00.000Z') });
    expect(spendProvenance(t.store.db, { source })).toMatchObject({ estimatedDayCount: 0, lastSyncAt: '2026-11-12T08:00:00.000Z' });
    expect(spendBy(t.store.db, { by: 'model', source }).some((r) => r.estimated)).toBe(false);

    // FOCUS provenance: file names with their FOCUS versions, import time, never Estimated.
    await importFocus(t.store, [resolve('test/fixtures/focus/focus-1.0-sample-1000.csv')], { actor: 'tester', clock });
    expect(spendProvenance(t.store.db, {})).toMatchObject({ source: 'focus', kind: 'focus', name: 'FOCUS file focus-1.0-sample-1000.csv (FOCUS 1.0)', lastSyncAt: SYNCED_AT, estimatedDayCount: 0 });
  });

  it('computes unit costs per tagged model from amortized cost', async () => {
    const source = await sync();
    const units = unitCosts(t.store.db, { source });
    expect(units.map((u) => u.model).sort()).toEqual(['churn', 'fraud-scorer']);
    const expected = exact(server.dataset.rows, (r) => r.tagValue ?? '');
    for (const u of units) expect(floatToCents(u.effectiveCost)).toBe(expected.get(u.model)!.effective);
    expect(units.every((u) => u.requests === 0 && u.costPer1kPredictions === null)).toBe(true);
  });
});
