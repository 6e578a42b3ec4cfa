import type { BudgetDefinition, Threshold } from './budgetSchema';
import type { AlertState, AnomalyVerdict, BacktestResult, DailyCost, DayForecast } from './types';

/** What the Budgets view, `docket budget status` and the report show of one budget, now. */

export interface BudgetThresholdView {
  threshold: Threshold;
  key: string;
  /** "Actual > 80% of budget ($4,000.00)". */
  label: string;
  state: AlertState;
  /** The figure compared (actual or forecast); null for a forecast threshold without a forecast. */
  value: number | null;
  trigger: number;
  /** When the threshold entered its state in this period (null until the state is recorded). */
  changedAt: string | null;
  note: string | null;
}

export interface BudgetForecastView {
  /** The period-end total: spend so far plus the forecast of the remaining days. */
  mean: number;
  low: number;
  high: number;
  level: number;
  method: string;
  /** How often the method's interval held on this budget's own history (null without enough history). */
  backtest: BacktestResult | null;
}

export interface BudgetStatusView {
  id: number;
  name: string;
  definition: BudgetDefinition;
  scopeLabel: string;
  /** "Monthly (November 2026)". */
  periodLabel: string;
  periodStart: string;
  periodEnd: string;
  /** The amount for this period (a monthly budget's planned month replaces the standing amount). */
  amount: number;
  currency: string;
  actual: number;
  /** The last day the source has spend for (the horizon of `actual`), or null without data. */
  dataThrough: string | null;
  forecast: BudgetForecastView | null;
  /** AWS GetCostForecast for the same period as a period-end total, where it applies. */
  awsForecast: { mean: number; low: number | null; high: number | null; fetchedAt: string } | null;
  /** Which forecast the FORECASTED thresholds use, and why AWS's does or does not appear. */
  alertForecast: string;
  state: AlertState;
  stateChangedAt: string | null;
  thresholds: BudgetThresholdView[];
  /** Daily spend in the period (through dataThrough) and the forecast for its remaining days. */
  daily: DailyCost[];
  forecastDaily: DayForecast[];
  /** Spend in the scope in other currencies: not counted against this budget. */
  otherCurrencies: { currency: string; cost: number }[];
  /** Plain sentences about gaps in the figures (stale data, no history). */
  notes: string[];
  updatedAt: string;
  updatedBy: string;
}

export interface AnomalyDriver {
  dimension: 'service' | 'account' | 'provider';
  key: string;
  /** The day's cost for this value minus its mean over the baseline window. */
  impact: number;
}

export interface AnomalyView {
  id: number;
  source: string;
  model: string;
  day: string;
  currency: string;
  actual: number;
  expected: number;
  bandLow: number;
  bandHigh: number;
  impact: number;
  score: number;
  /** Per dimension, the value whose cost rose most that day against its own baseline, largest rise first. */
  drivers: AnomalyDriver[];
  /** Registry events of the model within a few days of the anomaly: possible causes. */
  releases: { at: string; kind: string; version: string | null; detail: string }[];
  verdict: AnomalyVerdict | null;
  verdictBy: string | null;
  verdictAt: string | null;
  verdictNote: string | null;
}

export interface NotificationView {
  id: number;
  at: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  readAt: string | null;
}
