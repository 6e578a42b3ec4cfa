import type { Database } from 'better-sqlite3';
import type { BudgetStatusView } from '../../../shared/budgets/budgetViews';
import { addDays } from '../../../shared/budgets/dailySeries';
import { cumulativeSeries } from '../../../shared/budgets/cumulative';
import { forecastSpend } from '../../../shared/budgets/forecast';
import { monthsOf, periodAt, periodEndedInData, plannedMonths } from '../../../shared/budgets/periods';
import { budgetState, evaluateThreshold } from '../../../shared/budgets/thresholds';
import type { AlertState, BudgetReport, BudgetReportAnomaly, BudgetReportBudget, BudgetReportMonth, DailyCost } from '../../../shared/budgets/types';
import { formatSignedMoney } from '../../../shared/format/money';
import { listSpendSources } from '../spend/spendQueries';
import { listAnomalies } from './anomalyScan';
import { budgetDailySpend } from './budgetSpend';
import { allBudgetStatuses } from './budgetStatus';
import type { StoredBudget } from './budgetStore';

/**
 * The FinOps budget report: every budget's current period with one row per month (planned, actual,
 * forecast, variance, state), the cumulative chart series and the anomalies in its scope. Built
 * from the same status the Budgets view shows, so the report and the app state the same numbers.
 */

const sum = (rows: readonly DailyCost[]): number => rows.reduce((s, r) => s + r.cost, 0);

/** The budget's state as it would have been judged with the data through `day` (a month's end). */
function stateAt(db: Database, status: BudgetStatusView, day: string): AlertState {
  const def = status.definition;
  const actual = sum(status.daily.filter((d) => d.day <= day));
  let forecast: number | null = actual;
  if (day < status.periodEnd) {
    const history = budgetDailySpend(db, def, addDays(day, -364), day);
    const f = forecastSpend(history, status.periodEnd, { historyEnd: day });
    forecast = f ? actual + f.days.filter((d) => d.day >= status.periodStart).reduce((s, d) => s + d.mean, 0) : null;
  }
  return budgetState(def.thresholds.map((t) => evaluateThreshold(t, { amount: status.amount, actual, forecast })));
}

function months(db: Database, status: BudgetStatusView, asOf: string): BudgetReportMonth[] {
  const window = periodAt(status.definition.period, asOf);
  const plan = new Map(plannedMonths(status.definition, window).map((p) => [p.month, p]));
  const horizon = status.dataThrough;
  return monthsOf(status.periodStart, status.periodEnd).map((slice): BudgetReportMonth => {
    const actual = sum(status.daily.filter((d) => d.day >= slice.from && d.day <= slice.to));
    const ahead = status.forecastDaily.filter((d) => d.day >= slice.from && d.day <= slice.to).reduce((s, d) => s + d.mean, 0);
    const closed = horizon !== null && horizon >= slice.to;
    const begun = horizon !== null && horizon >= slice.from;
    const monthStatus: BudgetReportMonth['status'] = closed ? 'closed' : begun || slice.from <= asOf ? 'current' : 'future';
    const forecast = closed ? actual : status.forecast ? actual + ahead : null;
    const planned = plan.get(slice.month)!;
    return {
      month: slice.month,
      planned: planned.planned,
      plannedSource: planned.plannedSource,
      actual,
      forecast,
      variance: (forecast ?? actual) - planned.planned,
      status: monthStatus,
      state: monthStatus === 'future' ? null : monthStatus === 'current' ? status.state : stateAt(db, status, slice.to),
    };
  });
}

function anomaliesFor(db: Database, status: BudgetStatusView): BudgetReportAnomaly[] {
  const { scope, source } = status.definition;
  let models: Set<string> | null = null;
  if (scope.kind === 'model') models = new Set([scope.value]);
  else if (scope.kind === 'team' || scope.kind === 'provider') {
    const column = scope.kind === 'team' ? 'tag_team' : 'provider';
    models = new Set((db.prepare(`SELECT DISTINCT tag_model AS model FROM spend_daily WHERE ${column} = ? AND day BETWEEN ? AND ?`).all(scope.value, status.periodStart, status.periodEnd) as { model: string }[]).map((r) => r.model));
  }
  return listAnomalies(db, { source, from: status.periodStart, to: status.periodEnd })
    .filter((a) => a.currency === status.currency && (models === null || models.has(a.model)))
    .map((a) => ({
      day: a.day,
      model: a.model,
      actual: a.actual,
      expected: a.expected,
      impact: a.impact,
      driver: a.drivers.length ? a.drivers.map((d) => `${d.dimension} ${d.key} (${formatSignedMoney(d.impact, a.currency)})`).join('; ') : null,
      verdict: a.verdict,
    }));
}

export function reportBudget(db: Database, status: BudgetStatusView, asOf: string): BudgetReportBudget {
  const f = status.forecast;
  return {
    name: status.name,
    scopeLabel: status.scopeLabel,
    periodLabel: status.periodLabel,
    periodStart: status.periodStart,
    periodEnd: status.periodEnd,
    currency: status.currency,
    amount: status.amount,
    metric: status.definition.metric,
    actual: status.actual,
    forecast: f?.mean ?? null,
    forecastLow: f?.low ?? null,
    forecastHigh: f?.high ?? null,
    forecastMethod: f?.method ?? null,
    periodEnded: periodEndedInData(status.dataThrough, status.periodEnd),
    awsForecast: status.awsForecast,
    alertForecast: status.alertForecast,
    state: status.state,
    stateChangedAt: status.stateChangedAt,
    thresholds: status.thresholds.map((t) => ({ label: t.label, state: t.state, changedAt: t.changedAt })),
    months: months(db, status, asOf),
    cumulative: cumulativeSeries(status),
    anomalies: anomaliesFor(db, status),
    dataThrough: status.dataThrough !== null && status.dataThrough > status.periodEnd ? status.periodEnd : status.dataThrough !== null && status.dataThrough < status.periodStart ? null : status.dataThrough,
  };
}

/** "FOCUS files (3)" and/or the Cost Explorer sources the budgets read, with their last sync. */
function sourceLine(db: Database, budgets: readonly StoredBudget[]): string {
  const used = new Set(budgets.map((b) => b.definition.source));
  const sources = listSpendSources(db).filter((s) => used.has(s.id));
  if (sources.length === 0) return 'no budgets';
  return sources.map((s) => `${s.label}${s.lastSyncAt ? `, last updated ${s.lastSyncAt}` : ''}${s.lastDay ? `, data through ${s.lastDay}` : ''}`).join('; ');
}

export function buildBudgetReport(db: Database, options: { generatedAt: string; asOf: string; budgets?: readonly StoredBudget[] }): BudgetReport {
  const statuses = allBudgetStatuses(db, options.asOf);
  const budgets = options.budgets ? statuses.filter((s) => options.budgets!.some((b) => b.id === s.id)) : statuses;
  return {
    schema: 'docket.budget-report/v1',
    generatedAt: options.generatedAt,
    asOf: options.asOf,
    source: sourceLine(db, budgets.map((s) => ({ id: s.id, name: s.name, definition: s.definition }) as StoredBudget)),
    budgets: budgets.map((s) => reportBudget(db, s, options.asOf)),
  };
}

