import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { anomalyMethodText, listAnomalies, scanAnomalies, setAnomalyVerdict } from '../../../electron/core/budgets/anomalyScan';
import { allBudgetStatuses, budgetStatus, listNotifications, refreshBudgetStates } from '../../../electron/core/budgets/budgetStatus';
import { deleteBudget, getBudget, setBudget } from '../../../electron/core/budgets/budgetStore';
import { importFocus } from '../../../electron/core/spend/importFocus';
import { listAudit, verifyAuditChain } from '../../../electron/core/store/auditLog';
import { fixedClock, tempStore } from '../../support/tempStore';

const DEMO_SPEND = resolve('resources/demo/spend/halden-focus-2026q1.csv');
const clock = fixedClock('2026-11-26T09:00:00.000Z');
const Q1 = { kind: 'custom', from: '2026-01-01', to: '2026-03-31' } as const;

let t: ReturnType<typeof tempStore>;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

const total = (from: string, to: string, model?: string): number =>
  (t.store.db.prepare(`SELECT TOTAL(effective_cost) AS s FROM spend_daily WHERE day BETWEEN ? AND ? AND currency = 'USD' ${model ? 'AND tag_model = ?' : ''}`).get(from, to, ...(model ? [model] : [])) as { s: number }).s;

describe('budgets in the store', () => {
  it('goes to ALARM once the spend is imported, records and announces it once, and the audit chain holds', async () => {
    setBudget(t.store, { name: 'Q1 inference', scope: { kind: 'all' }, period: Q1, amount: 1000, currency: 'USD', thresholds: [{ basis: 'actual', kind: 'percent', value: 80 }, { basis: 'forecasted', kind: 'percent', value: 100 }] }, { actor: 'lead', clock });
    expect(refreshBudgetStates(t.store, { clock, actor: 'docket' })).toEqual([]);
    const before = getBudget(t.store.db, 'Q1 inference');
    expect(budgetStatus(t.store.db, before, '2026-11-26')).toMatchObject({ actual: 0, state: 'OK', forecast: null });

    await importFocus(t.store, [DEMO_SPEND], { actor: 'finops', clock });
    const made = refreshBudgetStates(t.store, { clock, actor: 'docket' });
    expect(made.map((n) => n.title)).toEqual(['Q1 inference: ALARM', 'Q1 inference: ALARM']);
    expect(made[0]!.body).toMatch(/Actual > 80% of budget \(\$800\.00\): spend so far is \$[\d,]+\.\d\d in Custom \(2026-01-01 to 2026-03-31\)/);
    // Judged again: same state, nothing new.
    expect(refreshBudgetStates(t.store, { clock, actor: 'docket' })).toEqual([]);
    expect(listNotifications(t.store.db)).toHaveLength(2);

    const status = budgetStatus(t.store.db, before, '2026-11-26');
    expect(status.actual).toBeCloseTo(total('2026-01-01', '2026-03-31'), 6);
    expect(status.state).toBe('ALARM');
    expect(status.stateChangedAt).toBe('2026-11-26T09:00:00.000Z');
    // The data covers the whole period: the forecast is the actual.
    expect(status.forecast).toMatchObject({ mean: status.actual, low: status.actual, high: status.actual });
    const transitions = listAudit(t.store.db, 100).filter((e) => e.action === 'budget.threshold');
    expect(transitions).toHaveLength(2);
    expect(transitions[0]!.detail).toMatchObject({ from: 'OK', to: 'ALARM', periodStart: '2026-01-01' });
    expect(verifyAuditChain(t.store.db).ok).toBe(true);
  });

  it('forecasts the rest of a period from the history, with an interval around the actual', async () => {
    await importFocus(t.store, [DEMO_SPEND], { actor: 'finops', clock });
    // As of mid-March with data through March 31 but a period ending in April: the forecast adds April.
    setBudget(t.store, { name: 'to April', scope: { kind: 'all' }, period: { kind: 'custom', from: '2026-03-01', to: '2026-04-30' }, amount: 1_000_000, currency: 'USD', thresholds: [{ basis: 'forecasted', kind: 'percent', value: 100 }] }, { actor: 'lead', clock });
    const s = budgetStatus(t.store.db, getBudget(t.store.db, 'to April'), '2026-11-26');
    expect(s.dataThrough).toBe('2026-03-31');
    expect(s.actual).toBeCloseTo(total('2026-03-01', '2026-03-31'), 6);
    expect(s.forecastDaily).toHaveLength(30);
    expect(s.forecast!.mean).toBeGreaterThan(s.actual);
    expect(s.forecast!.low).toBeLessThanOrEqual(s.forecast!.mean);
    expect(s.forecast!.high).toBeGreaterThan(s.forecast!.mean);
    expect(s.forecast!.method).toMatch(/day-of-week/);
    expect(s.forecast!.backtest!.origins).toBeGreaterThan(0);
    expect(s.alertForecast).toMatch(/Docket's forecast drives the forecasted thresholds; no AWS forecast beside it/);
    // March spend is about a month of April: the forecast of April is the same order of magnitude.
    const april = s.forecast!.mean - s.actual;
    expect(april / s.actual).toBeGreaterThan(0.5);
    expect(april / s.actual).toBeLessThan(2);
  });

  it('scopes spend to a model, a team or a provider', async () => {
    await importFocus(t.store, [DEMO_SPEND], { actor: 'finops', clock });
    const model = (t.store.db.prepare("SELECT tag_model AS m FROM spend_daily WHERE tag_model != '' GROUP BY tag_model ORDER BY SUM(effective_cost) DESC LIMIT 1").get() as { m: string }).m;
    const team = (t.store.db.prepare("SELECT tag_team AS t FROM spend_daily WHERE tag_team != '' LIMIT 1").get() as { t: string }).t;
    setBudget(t.store, { name: 'model', scope: { kind: 'model', value: model }, period: Q1, amount: 10, currency: 'USD' }, { actor: 'lead', clock });
    setBudget(t.store, { name: 'team', scope: { kind: 'team', value: team }, period: Q1, amount: 10, currency: 'USD' }, { actor: 'lead', clock });
    setBudget(t.store, { name: 'provider', scope: { kind: 'provider', value: 'aws' }, period: Q1, amount: 10, currency: 'USD' }, { actor: 'lead', clock });
    const by = Object.fromEntries(allBudgetStatuses(t.store.db, '2026-11-26').map((s) => [s.name, s.actual]));
    expect(by.model).toBeCloseTo(total('2026-01-01', '2026-03-31', model), 6);
    const teamTotal = (t.store.db.prepare("SELECT TOTAL(effective_cost) AS s FROM spend_daily WHERE tag_team = ? AND currency = 'USD'").get(team) as { s: number }).s;
    expect(by.team).toBeCloseTo(teamTotal, 6);
    // Provider matches without case ("AWS" in the file).
    expect(by.provider).toBeCloseTo(total('2026-01-01', '2026-03-31'), 6);
  });

  it('records a change with who, the old and new amount and the reason, and refuses one without a reason', () => {
    const def = { name: 'Fraud', scope: { kind: 'model', value: 'fraud-score-card-txn' }, period: { kind: 'monthly' }, amount: 5000, currency: 'USD' } as const;
    expect(setBudget(t.store, def, { actor: 'lead', clock }).outcome).toBe('created');
    expect(setBudget(t.store, def, { actor: 'lead', clock }).outcome).toBe('unchanged');
    expect(() => setBudget(t.store, { ...def, amount: 6500 }, { actor: 'lead', clock })).toThrow(/needs a reason/);
    const changed = setBudget(t.store, { ...def, amount: 6500 }, { actor: 'cfo', clock, reason: 'Black Friday traffic' });
    expect(changed).toMatchObject({ outcome: 'changed', changed: ['amount'] });
    const entry = listAudit(t.store.db, 10).find((e) => e.action === 'budget.changed')!;
    expect(entry).toMatchObject({ actor: 'cfo', subject: 'Fraud', detail: expect.objectContaining({ oldAmount: 5000, newAmount: 6500, reason: 'Black Friday traffic' }) });
    expect(() => setBudget(t.store, { ...def, amount: -1 }, { actor: 'lead', clock, reason: 'x' })).toThrow(/amount: the amount must be greater than 0/);
    // Refused input changed nothing.
    expect(getBudget(t.store.db, 'Fraud').definition.amount).toBe(6500);
    deleteBudget(t.store, 'Fraud', { actor: 'lead', clock, reason: 'model retired' });
    expect(() => getBudget(t.store.db, 'Fraud')).toThrow(/no budget named "Fraud"/);
    expect(listAudit(t.store.db, 10).find((e) => e.action === 'budget.deleted')!.detail).toMatchObject({ reason: 'model retired', oldAmount: 6500 });
  });

  it('does not forecast a period that starts long after the data ends, and says why', async () => {
    await importFocus(t.store, [DEMO_SPEND], { actor: 'finops', clock });
    setBudget(t.store, { name: 'monthly', scope: { kind: 'all' }, period: { kind: 'monthly' }, amount: 2000, currency: 'USD', thresholds: [{ basis: 'forecasted', kind: 'percent', value: 100 }] }, { actor: 'lead', clock });
    const s = allBudgetStatuses(t.store.db, '2026-11-26')[0]!;
    expect(s).toMatchObject({ periodStart: '2026-11-01', periodEnd: '2026-11-30', actual: 0, forecast: null, state: 'OK' });
    expect(s.notes.join(' ')).toMatch(/ends 2026-03-31, more than 31 days before this period began: import recent spend/);
    expect(s.thresholds[0]!.note).toMatch(/no forecast/);
  });

  it('notes spend in another currency instead of adding it', async () => {
    await importFocus(t.store, [DEMO_SPEND], { actor: 'finops', clock });
    setBudget(t.store, { name: 'eur', scope: { kind: 'all' }, period: Q1, amount: 10, currency: 'EUR' }, { actor: 'lead', clock });
    const s = allBudgetStatuses(t.store.db, '2026-11-26')[0]!;
    expect(s.actual).toBe(0);
    expect(s.notes.join(' ')).toMatch(/Spend in USD \(\$[\d,.]+\) is not counted: this budget is in EUR/);
  });
});

describe('spend anomalies in the store', () => {
  it('finds an injected spike on its day with its driver, keeps the verdict across re-scans', async () => {
    await importFocus(t.store, [DEMO_SPEND], { actor: 'finops', clock });
    const model = (t.store.db.prepare("SELECT tag_model AS m FROM spend_daily WHERE tag_model != '' GROUP BY tag_model ORDER BY SUM(effective_cost) DESC LIMIT 1").get() as { m: string }).m;
    const baseline = scanAnomalies(t.store, { clock, from: '2026-03-01', to: '2026-03-31' });
    expect(baseline).toMatchObject({ from: '2026-03-01', to: '2026-03-31' });
    const before = listAnomalies(t.store.db, { model, from: '2026-03-01', to: '2026-03-31' }).map((a) => a.day);
    // Inject a spike: a new service row costing ten times the model's usual day on 2026-03-17.
    const usual = total('2026-02-15', '2026-03-14', model) / 28;
    t.store.db
      .prepare("INSERT INTO spend_daily (day, provider, service_name, sub_account_id, tag_team, tag_model, currency, billed_cost, effective_cost, list_cost, line_items) VALUES ('2026-03-17', 'AWS', 'Amazon Bedrock', '999900001111', '', ?, 'USD', ?, ?, ?, 1)")
      .run(model, usual * 10, usual * 10, usual * 10);
    // A version of the model created in the registry the day before: shown as a possible cause.
    const modelId = Number(t.store.db.prepare("INSERT INTO models (name, created_at, updated_at) VALUES (?, 'x', 'x')").run(model).lastInsertRowid);
    t.store.db.prepare("INSERT INTO model_versions (model_id, version, created_at, updated_at, registry_json) VALUES (?, '7', 'x', 'x', ?)").run(modelId, JSON.stringify({ createdAt: Date.parse('2026-03-16T14:00:00Z') }));
    t.store.db.prepare("INSERT INTO model_versions (model_id, version, created_at, updated_at, registry_json) VALUES (?, '6', 'x', 'x', ?)").run(modelId, JSON.stringify({ createdAt: Date.parse('2026-02-01T14:00:00Z') }));
    scanAnomalies(t.store, { clock, from: '2026-03-01', to: '2026-03-31' });
    const found = listAnomalies(t.store.db, { model, from: '2026-03-01', to: '2026-03-31' });
    const spike = found.find((a) => a.day === '2026-03-17')!;
    expect(spike, `anomalies before: ${before.join(', ')}`).toBeDefined();
    expect(spike.impact).toBeGreaterThan(usual * 8);
    expect(spike.drivers[0]).toMatchObject({ dimension: expect.stringMatching(/service|account/), key: expect.stringMatching(/Amazon Bedrock|999900001111/) });
    expect(spike.drivers.find((d) => d.dimension === 'service')!.key).toBe('Amazon Bedrock');
    // One provider in the data: it explains nothing and is not offered as a driver.
    expect(spike.drivers.some((d) => d.dimension === 'provider')).toBe(false);
    expect(spike.releases).toEqual([{ at: '2026-03-16T14:00:00.000Z', kind: 'version.created', version: '7', detail: 'version 7 created in the registry' }]);
    expect(anomalyMethodText('USD')).toMatch(/median of the previous 28 days.*3 robust standard deviations.*\$1\.00/);

    setAnomalyVerdict(t.store, spike.id, 'planned', { actor: 'lead', clock, note: 'Bedrock trial' });
    scanAnomalies(t.store, { clock, from: '2026-03-01', to: '2026-03-31' });
    const again = listAnomalies(t.store.db, { model }).find((a) => a.day === '2026-03-17')!;
    expect(again).toMatchObject({ id: spike.id, verdict: 'planned', verdictBy: 'lead', verdictNote: 'Bedrock trial' });
    expect(listAudit(t.store.db, 5).find((e) => e.action === 'anomaly.verdict')!.detail).toMatchObject({ verdict: 'planned', anomalyId: spike.id });
  });
});

