import type { Database } from 'better-sqlite3';
import type { BudgetDefinition } from '../../../shared/budgets/budgetSchema';
import type { BudgetForecastView, BudgetStatusView, NotificationView } from '../../../shared/budgets/budgetViews';
import { addDays, daysBetween } from '../../../shared/budgets/dailySeries';
import { backtestForecast, forecastSpend } from '../../../shared/budgets/forecast';
import { amountFor, periodAt, periodDescription, periodEndedInData, type PeriodWindow } from '../../../shared/budgets/periods';
import { budgetState, evaluateThreshold, thresholdLabel, thresholdTransitions, type StoredThresholdState } from '../../../shared/budgets/thresholds';
import type { AlertState, DailyCost } from '../../../shared/budgets/types';
import { formatMoney } from '../../../shared/format/money';
import { parseSpendSource } from '../spend/ceSpendQueries';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { budgetDailySpend, otherCurrencySpend, scopeLabel, spendDataThrough } from './budgetSpend';
import { listBudgets, type StoredBudget } from './budgetStore';

/**
 * Where each budget stands now: spend so far in its current period, Docket's forecast of the
 * period-end total (and AWS's, where one applies), and the state of every threshold. Reading a
 * status writes nothing; `refreshBudgetStates` records state changes, once each, and announces them.
 */

/** History fitted for the forecast and replayed by the back-test: a year at most. */
const HISTORY_DAYS = 365;
/** No forecast for a period starting more than this long after the last day of data. */
const MAX_FORECAST_GAP_DAYS = 31;
/** The back-test checks totals over at most this many days (the remaining period, usually). */
const MAX_BACKTEST_HORIZON = 92;

const sum = (rows: readonly DailyCost[]): number => rows.reduce((s, r) => s + r.cost, 0);

function storedStates(db: Database, budgetId: number): Map<string, StoredThresholdState> {
  const rows = db.prepare('SELECT threshold_key AS key, period_start AS periodStart, state, changed_at AS changedAt FROM budget_threshold_states WHERE budget_id = ?').all(budgetId) as StoredThresholdState[];
  return new Map(rows.map((r) => [r.key, r]));
}

interface Forecasted {
  forecast: BudgetForecastView | null;
  forecastDaily: BudgetStatusView['forecastDaily'];
  notes: string[];
}

/** Docket's forecast of the period-end total, from the scope's own daily history. */
function forecastPeriod(db: Database, def: BudgetDefinition, window: PeriodWindow, horizon: string | null, actual: number): Forecasted {
  if (horizon === null) return { forecast: null, forecastDaily: [], notes: ['No spend data from this source yet: nothing to forecast from.'] };
  if (periodEndedInData(horizon, window.end)) {
    const method = 'The period has ended in the data: the period-end figure is the actual spend.';
    return { forecast: { mean: actual, low: actual, high: actual, level: 1, method, backtest: null }, forecastDaily: [], notes: [] };
  }
  const notes: string[] = [];
  const gap = daysBetween(horizon, window.start);
  if (gap > MAX_FORECAST_GAP_DAYS) {
    // Forecasting months past the last data would only extend an old trend: say what is missing instead.
    notes.push(`The spend data ends ${horizon}, more than ${MAX_FORECAST_GAP_DAYS} days before this period began: import recent spend to forecast it.`);
    return { forecast: null, forecastDaily: [], notes };
  }
  const history = budgetDailySpend(db, def, addDays(horizon, -(HISTORY_DAYS - 1)), horizon);
  if (horizon < window.start) notes.push(`The spend data ends ${horizon}, before this period began: the whole period is forecast.`);
  const f = forecastSpend(history, window.end, { historyEnd: horizon });
  if (!f) {
    notes.push(history.length === 0 ? 'This scope has no spend history: no forecast.' : 'Fewer than 7 days of spend history: no forecast yet.');
    return { forecast: null, forecastDaily: [], notes };
  }
  const inPeriod = f.days.filter((d) => d.day >= window.start);
  const partMean = inPeriod.reduce((s, d) => s + d.mean, 0);
  let low = f.total.low;
  let high = f.total.high;
  if (inPeriod.length < f.days.length) {
    // Only the days inside the period count. The interval of that part is taken as the whole
    // horizon's, narrowed by the square root of the share of days (the noise term dominates it).
    const share = Math.sqrt(inPeriod.length / f.days.length);
    low = Math.max(0, partMean - (f.total.mean - f.total.low) * share);
    high = partMean + (f.total.high - f.total.mean) * share;
  }
  const remaining = Math.max(1, Math.min(MAX_BACKTEST_HORIZON, daysBetween(horizon, window.end)));
  const backtest = backtestForecast(history, { horizonDays: remaining, historyEnd: horizon, level: f.level });
  return {
    forecast: { mean: actual + partMean, low: actual + low, high: actual + high, level: f.level, method: f.method, backtest: backtest.origins > 0 ? backtest : null },
    forecastDaily: inPeriod,
    notes,
  };
}

/**
 * AWS's GetCostForecast covers the whole account (no tag filter), so it is comparable only with a
 * Cost Explorer budget over all spend in the forecast's currency.
 */
function awsForecastFor(db: Database, def: BudgetDefinition, window: PeriodWindow, daily: readonly DailyCost[]): { value: BudgetStatusView['awsForecast']; why: string } {
  const source = parseSpendSource(def.source);
  if (source.kind !== 'aws-ce') return { value: null, why: 'AWS forecasts exist only for Cost Explorer sources' };
  if (def.scope.kind !== 'all') return { value: null, why: "AWS's forecast covers the whole account, not one model" };
  const row = db
    .prepare('SELECT period_from AS periodFrom, currency, mean, low, high, fetched_at AS fetchedAt FROM ce_forecasts WHERE source_id = ? AND period_from >= ? AND period_to <= ? AND currency = ? ORDER BY fetched_at DESC LIMIT 1')
    .get(source.sourceId, window.start, addDays(window.end, 1), def.currency) as { periodFrom: string; mean: number; low: number | null; high: number | null; fetchedAt: string } | undefined;
  if (!row) return { value: null, why: 'no AWS forecast for this period has been synced' };
  if (def.metric !== 'billed') return { value: null, why: "AWS's forecast is of unblended (billed) cost, and this budget tracks effective cost" };
  // AWS forecasts from its start day on; the days before it are the actual spend.
  const before = sum(daily.filter((d) => d.day < row.periodFrom));
  return { value: { mean: before + row.mean, low: row.low === null ? null : before + row.low, high: row.high === null ? null : before + row.high, fetchedAt: row.fetchedAt }, why: '' };
}

/** A budget's status as of a day (UTC), from the store as it stands. */
export function budgetStatus(db: Database, budget: StoredBudget, asOf: string): BudgetStatusView {
  const def = budget.definition;
  const window = periodAt(def.period, asOf);
  const amount = amountFor(def, window);
  const horizon = spendDataThrough(db, def.source);
  const daily = budgetDailySpend(db, def, window.start, window.end);
  const actual = sum(daily);
  const { forecast, forecastDaily, notes } = forecastPeriod(db, def, window, horizon, actual);
  const aws = awsForecastFor(db, def, window, daily);
  const stored = storedStates(db, budget.id);
  const thresholds = def.thresholds.map((t) => {
    const e = evaluateThreshold(t, { amount, actual, forecast: forecast?.mean ?? null });
    const s = stored.get(e.key);
    const changedAt = s && s.periodStart === window.start && s.state === e.state ? s.changedAt : null;
    return { threshold: t, key: e.key, label: thresholdLabel(t, amount, def.currency), state: e.state, value: e.value, trigger: e.trigger, changedAt, note: e.note };
  });
  const state = budgetState(thresholds);
  const alarmTimes = thresholds.filter((t) => t.state === state && t.changedAt).map((t) => t.changedAt!);
  const hasForecastThreshold = def.thresholds.some((t) => t.basis === 'forecasted');
  const alertForecast = `${hasForecastThreshold ? "Docket's forecast drives the forecasted thresholds" : 'No forecasted threshold: the forecast is shown for information'}; ${aws.value ? "AWS's GetCostForecast is shown beside it for comparison" : `no AWS forecast beside it (${aws.why})`}.`;
  const others = otherCurrencySpend(db, def, window.start, window.end);
  if (others.length) notes.push(`Spend in ${others.map((o) => `${o.currency} (${formatMoney(o.cost, o.currency)})`).join(', ')} is not counted: this budget is in ${def.currency}.`);
  return {
    id: budget.id,
    name: budget.name,
    definition: def,
    scopeLabel: scopeLabel(def.scope),
    periodLabel: periodDescription(window),
    periodStart: window.start,
    periodEnd: window.end,
    amount,
    currency: def.currency,
    actual,
    dataThrough: horizon,
    forecast,
    awsForecast: aws.value,
    alertForecast,
    state,
    // ALARM since the earliest threshold in ALARM; OK since the latest return to OK.
    stateChangedAt: alarmTimes.length ? (state === 'ALARM' ? alarmTimes.sort()[0]! : alarmTimes.sort().pop()!) : null,
    thresholds,
    daily,
    forecastDaily,
    otherCurrencies: others,
    notes,
    updatedAt: budget.updatedAt,
    updatedBy: budget.updatedBy,
  };
}

export const utcDay = (clock: Clock): string => isoNow(clock).slice(0, 10);

export function allBudgetStatuses(db: Database, asOf: string): BudgetStatusView[] {
  return listBudgets(db).map((b) => budgetStatus(db, b, asOf));
}

/**
 * Judges every budget now and records each threshold whose state changed since it was last
 * recorded: the new state, an audit entry and an in-app notification. A state already recorded is
 * never recorded or announced again. Returns the notifications made, for the desktop shell.
 */
export function refreshBudgetStates(store: Store, options: { clock: Clock; actor: string }): NotificationView[] {
  const { db } = store;
  const at = isoNow(options.clock);
  const asOf = at.slice(0, 10);
  const made: NotificationView[] = [];
  db.transaction(() => {
    for (const budget of listBudgets(db)) {
      const status = budgetStatus(db, budget, asOf);
      const transitions = thresholdTransitions(
        status.thresholds.map((t) => ({ key: t.key, state: t.state, value: t.value, trigger: t.trigger, note: t.note })),
        storedStates(db, budget.id),
        status.periodStart,
      );
      for (const change of transitions) {
        const view = status.thresholds.find((t) => t.key === change.key)!;
        db.prepare(
          `INSERT INTO budget_threshold_states (budget_id, threshold_key, period_start, state, changed_at, value) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (budget_id, threshold_key) DO UPDATE SET period_start = excluded.period_start, state = excluded.state, changed_at = excluded.changed_at, value = excluded.value`,
        ).run(budget.id, change.key, status.periodStart, change.to, at, view.value);
        if (!change.notify) continue;
        const figure = view.value === null ? 'no figure' : formatMoney(view.value, status.currency);
        const title = `${budget.name}: ${change.to === 'ALARM' ? 'ALARM' : 'back to OK'}`;
        const body = `${view.label}: ${view.threshold.basis === 'actual' ? 'spend so far' : 'forecast'} is ${figure} in ${status.periodLabel}.`;
        const id = Number(db.prepare("INSERT INTO notifications (at, kind, title, body, link) VALUES (?, 'budget.threshold', ?, ?, ?)").run(at, title, body, `#/budgets/${budget.id}`).lastInsertRowid);
        made.push({ id, at, kind: 'budget.threshold', title, body, link: `#/budgets/${budget.id}`, readAt: null });
        appendAudit(
          db,
          {
            actor: options.actor,
            action: 'budget.threshold',
            subject: budget.name,
            detail: { budgetId: budget.id, threshold: change.key, label: view.label, from: change.from ?? 'OK', to: change.to, value: view.value, trigger: view.trigger, periodStart: status.periodStart },
          },
          at,
        );
      }
    }
  }).immediate();
  return made;
}

export function listNotifications(db: Database, options: { unreadOnly?: boolean; limit?: number } = {}): NotificationView[] {
  return db
    .prepare(`SELECT id, at, kind, title, body, link, read_at AS readAt FROM notifications ${options.unreadOnly ? 'WHERE read_at IS NULL' : ''} ORDER BY id DESC LIMIT ?`)
    .all(options.limit ?? 50) as NotificationView[];
}

export function markNotificationsRead(db: Database, ids: readonly number[] | 'all', at: string): number {
  if (ids === 'all') return db.prepare('UPDATE notifications SET read_at = ? WHERE read_at IS NULL').run(at).changes;
  const stmt = db.prepare('UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL');
  return db.transaction(() => ids.reduce((n, id) => n + stmt.run(at, id).changes, 0)).immediate();
}

export type { AlertState };
