import { describe, expect, it } from 'vitest';
import { BudgetDefinitionSchema, budgetFieldErrors, type Threshold } from '../../../shared/budgets/budgetSchema';
import { monthsOf, periodAt, plannedMonths } from '../../../shared/budgets/periods';
import { budgetState, evaluateThreshold, thresholdLabel, thresholdTransitions, type StoredThresholdState } from '../../../shared/budgets/thresholds';

const actual80: Threshold = { basis: 'actual', kind: 'percent', value: 80 };
const forecast100: Threshold = { basis: 'forecasted', kind: 'percent', value: 100 };
const actual5000: Threshold = { basis: 'actual', kind: 'absolute', value: 5000 };

describe('threshold semantics (AWS Budgets)', () => {
  it('compares ACTUAL thresholds with spend so far and FORECASTED ones with the period-end forecast', () => {
    // Spend so far is low, the forecast is over: only the forecasted threshold fires.
    const figures = { amount: 1000, actual: 500, forecast: 1200 };
    expect(evaluateThreshold(actual80, figures).state).toBe('OK');
    expect(evaluateThreshold(forecast100, figures).state).toBe('ALARM');
    // The other way round.
    const late = { amount: 1000, actual: 850, forecast: 900 };
    expect(evaluateThreshold(actual80, late).state).toBe('ALARM');
    expect(evaluateThreshold(forecast100, late).state).toBe('OK');
  });

  it('reads a percentage of the budgeted amount and an absolute value as an amount', () => {
    expect(evaluateThreshold(actual80, { amount: 10_000, actual: 7_999, forecast: null }).state).toBe('OK');
    expect(evaluateThreshold(actual80, { amount: 10_000, actual: 8_001, forecast: null }).state).toBe('ALARM');
    expect(evaluateThreshold(actual80, { amount: 10_000, actual: 8_001, forecast: null }).trigger).toBe(8000);
    // Absolute: the amount does not matter.
    expect(evaluateThreshold(actual5000, { amount: 100, actual: 4_999, forecast: null }).state).toBe('OK');
    expect(evaluateThreshold(actual5000, { amount: 1_000_000, actual: 5_001, forecast: null }).state).toBe('ALARM');
    // At the trigger exactly it is not yet over (greater than, as AWS compares).
    expect(evaluateThreshold(actual5000, { amount: 1, actual: 5000, forecast: null }).state).toBe('OK');
    expect(thresholdLabel(actual80, 10_000, 'USD')).toBe('Actual > 80% of budget ($8,000.00)');
    expect(thresholdLabel(actual5000, 10_000, 'EUR')).toBe('Actual > €5,000.00');
  });

  it('keeps a FORECASTED threshold OK, with the reason, while there is no forecast', () => {
    const e = evaluateThreshold(forecast100, { amount: 1000, actual: 2000, forecast: null });
    expect(e.state).toBe('OK');
    expect(e.note).toMatch(/no forecast/);
  });

  it('is in ALARM when any threshold is', () => {
    expect(budgetState([{ state: 'OK' }, { state: 'ALARM' }])).toBe('ALARM');
    expect(budgetState([{ state: 'OK' }])).toBe('OK');
    expect(budgetState([])).toBe('OK');
  });

  it('changes state once: a repeated evaluation yields no transition, a new period starts from OK', () => {
    const alarm = evaluateThreshold(actual80, { amount: 100, actual: 90, forecast: null });
    const ok = evaluateThreshold(actual80, { amount: 100, actual: 10, forecast: null });
    const none = new Map<string, StoredThresholdState>();
    // First look, in ALARM: recorded and announced.
    expect(thresholdTransitions([alarm], none, '2026-11-01')).toEqual([{ key: alarm.key, from: null, to: 'ALARM', notify: true }]);
    // First look, OK: recorded silently.
    expect(thresholdTransitions([ok], none, '2026-11-01')).toEqual([{ key: ok.key, from: null, to: 'OK', notify: false }]);
    const stored = new Map([[alarm.key, { key: alarm.key, periodStart: '2026-11-01', state: 'ALARM' as const, changedAt: 't1' }]]);
    // Same state again: nothing.
    expect(thresholdTransitions([alarm], stored, '2026-11-01')).toEqual([]);
    // Back to OK: announced.
    expect(thresholdTransitions([ok], stored, '2026-11-01')).toEqual([{ key: ok.key, from: 'ALARM', to: 'OK', notify: true }]);
    // Next period: the old ALARM does not carry over; OK is recorded without a notification.
    expect(thresholdTransitions([ok], stored, '2026-12-01')).toEqual([{ key: ok.key, from: 'OK', to: 'OK', notify: false }]);
    // ...and an ALARM in the new period is news again.
    expect(thresholdTransitions([alarm], stored, '2026-12-01')).toEqual([{ key: alarm.key, from: 'OK', to: 'ALARM', notify: true }]);
  });
});

describe('budget definitions', () => {
  const valid = { name: 'Fraud serving', scope: { kind: 'model', value: 'fraud-score-card-txn' }, period: { kind: 'monthly' }, amount: 5000, currency: 'usd', thresholds: [actual80, forecast100] };

  it('accepts a valid budget, upper-cases the currency and fills the defaults', () => {
    const parsed = BudgetDefinitionSchema.parse(valid);
    expect(parsed.currency).toBe('USD');
    expect(parsed.metric).toBe('effective');
    expect(parsed.source).toBe('focus');
    expect(BudgetDefinitionSchema.parse({ ...valid, thresholds: undefined }).thresholds).toEqual([{ basis: 'actual', kind: 'percent', value: 100 }]);
  });

  it.each([
    ['a negative amount', { amount: -5 }, 'amount', /greater than 0/],
    ['a zero amount', { amount: 0 }, 'amount', /greater than 0/],
    ['an end before the start', { period: { kind: 'custom', from: '2026-03-31', to: '2026-01-01' } }, 'period.to', /before the start/],
    ['an impossible date', { period: { kind: 'custom', from: '2026-02-30', to: '2026-03-01' } }, 'period.from', /real date/],
    ['an unknown currency', { currency: 'XYZ' }, 'currency', /unknown currency "XYZ"/],
    ['a threshold over 1000%', { thresholds: [{ basis: 'actual', kind: 'percent', value: 1500 }] }, 'thresholds.0.value', /cannot exceed 1000%/],
    ['a negative threshold', { thresholds: [{ basis: 'forecasted', kind: 'absolute', value: -1 }] }, 'thresholds.0.value', /greater than 0/],
    ['an empty name', { name: '  ' }, 'name', /name the budget/],
    ['a team budget on Cost Explorer spend', { scope: { kind: 'team', value: 'payments' }, source: 'aws-ce:1' }, 'scope', /grouped by model only/],
    ['a planned month outside a custom period', { period: { kind: 'custom', from: '2026-01-01', to: '2026-03-31' }, planned: [{ month: '2026-05', amount: 10 }] }, 'planned.0.month', /outside/],
  ])('refuses %s, naming the field', (_what, change, field, message) => {
    const result = BudgetDefinitionSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    const errors = budgetFieldErrors(result.error!);
    expect(errors[field]).toMatch(message);
  });
});

describe('budget periods', () => {
  it('finds the month, quarter and year containing a day, and keeps a custom window fixed', () => {
    expect(periodAt({ kind: 'monthly' }, '2026-02-14')).toMatchObject({ start: '2026-02-01', end: '2026-02-28', label: 'February 2026' });
    expect(periodAt({ kind: 'monthly' }, '2028-02-14')).toMatchObject({ end: '2028-02-29' });
    expect(periodAt({ kind: 'quarterly' }, '2026-11-26')).toMatchObject({ start: '2026-10-01', end: '2026-12-31', label: '2026 Q4' });
    expect(periodAt({ kind: 'annual' }, '2026-11-26')).toMatchObject({ start: '2026-01-01', end: '2026-12-31' });
    expect(periodAt({ kind: 'custom', from: '2026-01-15', to: '2026-03-10' }, '2030-01-01')).toMatchObject({ start: '2026-01-15', end: '2026-03-10' });
    expect(monthsOf('2026-01-15', '2026-03-10').map((m) => [m.month, m.days])).toEqual([['2026-01', 17], ['2026-02', 28], ['2026-03', 10]]);
  });

  it('spreads the amount over the months left unplanned, by days, so the months add up to the budget', () => {
    const def = BudgetDefinitionSchema.parse({ name: 'q', scope: { kind: 'all' }, period: { kind: 'quarterly' }, amount: 9000, currency: 'USD', planned: [{ month: '2026-10', amount: 5000 }] });
    const months = plannedMonths(def, periodAt(def.period, '2026-11-01'));
    expect(months[0]).toEqual({ month: '2026-10', planned: 5000, plannedSource: 'planned' });
    expect(months[1]!.plannedSource).toBe('pro-rata');
    expect(months.reduce((s, m) => s + m.planned, 0)).toBeCloseTo(9000, 9);
    expect(months[1]!.planned / months[2]!.planned).toBeCloseTo(30 / 31, 9);
  });
});
