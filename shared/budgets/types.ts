/**
 * Shapes shared by the budget engine, its report renderers and the renderer: daily cost series,
 * forecasts with their stated interval, detected anomalies, alert states and the budget report.
 * Days are 'YYYY-MM-DD' (UTC); amounts are in one currency (never summed across currencies).
 */

/** One day's cost. A day absent from a series had no spend (zero), not "unknown". */
export interface DailyCost {
  day: string;
  cost: number;
}

/** A threshold's alert state, as AWS Budgets names them. */
export type AlertState = 'OK' | 'ALARM';

/** The forecast for one future day: the mean and the prediction interval at the forecast's level. */
export interface DayForecast {
  day: string;
  mean: number;
  low: number;
  high: number;
}

export interface SpendForecast {
  /** One sentence naming the method and the interval, shown to users next to the figures. */
  method: string;
  /** The interval's nominal coverage, e.g. 0.8 for an 80% prediction interval. */
  level: number;
  /** Days of history the model was fitted on. */
  historyDays: number;
  /** One entry per forecast day, from the day after the history ends to the requested last day. */
  days: DayForecast[];
  /** The sum over `days`, with the interval of that sum (not the sum of the daily bounds). */
  total: { mean: number; low: number; high: number };
}

/** How often the interval covered the truth when the method was replayed on past data. */
export interface BacktestResult {
  /** Forecast origins replayed. */
  origins: number;
  horizonDays: number;
  level: number;
  /** Origins whose true horizon total fell inside the interval. */
  covered: number;
  /** covered / origins (null when no origin could be replayed). */
  coverage: number | null;
  /** Mean absolute percentage error of the horizon total (null when the truth was zero everywhere). */
  meanAbsPctError: number | null;
}

/** A day whose cost left its expected band. */
export interface DetectedAnomaly {
  day: string;
  actual: number;
  /** The expected cost for the day (the baseline's centre). */
  expected: number;
  /** The band's bounds; the anomaly is above `high`. */
  low: number;
  high: number;
  /** actual - expected: the cost the anomaly added. */
  impact: number;
  /** How many robust standard deviations above the centre. */
  score: number;
}

/** The user's verdict on an anomaly, as AWS Cost Anomaly Detection's feedback has it. */
export type AnomalyVerdict = 'expected' | 'unexpected' | 'planned';

/** One row of the report: one budget, one calendar month of its period. */
export interface BudgetReportMonth {
  /** 'YYYY-MM'. */
  month: string;
  /** The planned amount for the month: the user's, or the budget spread over the period's days. */
  planned: number;
  plannedSource: 'planned' | 'pro-rata';
  /** Spend recorded in the month (to date for the current month, 0 for months not begun). */
  actual: number;
  /** Expected month-end total: actual for closed months, actual + forecast for the current one, forecast for later ones. Null when no forecast could be made. */
  forecast: number | null;
  /** (forecast ?? actual) - planned: positive means over plan. */
  variance: number;
  /** 'closed' | 'current' | 'future' relative to the report's as-of day. */
  status: 'closed' | 'current' | 'future';
  /** The budget's alert state at the end of the month (as of the report for the current month); null for future months. */
  state: AlertState | null;
}

export interface BudgetReportThreshold {
  /** e.g. "Actual ≥ 80% of budget", "Forecasted ≥ 100% of budget", "Actual ≥ $5,000.00". */
  label: string;
  state: AlertState;
  changedAt: string | null;
}

export interface BudgetReportAnomaly {
  day: string;
  model: string;
  actual: number;
  expected: number;
  impact: number;
  /** e.g. "service AmazonSageMaker (+$412.00)"; null when no breakdown explains it. */
  driver: string | null;
  verdict: AnomalyVerdict | null;
}

export interface BudgetReportBudget {
  name: string;
  /** e.g. "Model fraud-score-card-txn", "Team payments", "Provider AWS", "All spend". */
  scopeLabel: string;
  /** e.g. "Monthly (November 2026)", "Quarterly (2026 Q4)", "Custom 2026-10-01 to 2026-12-31". */
  periodLabel: string;
  /** The current period's first and last day (inclusive). */
  periodStart: string;
  periodEnd: string;
  currency: string;
  amount: number;
  /** Which cost the budget tracks. */
  metric: 'effective' | 'billed';
  /** Spend in the period so far. */
  actual: number;
  /** Docket's forecast of the period-end total and its interval (null with too little history). */
  forecast: number | null;
  forecastLow: number | null;
  forecastHigh: number | null;
  forecastMethod: string | null;
  /** The data reaches the period's end: `forecast` is the actual total, with no interval. */
  periodEnded: boolean;
  /** AWS GetCostForecast for the same period, where a Cost Explorer source was synced. */
  awsForecast: { mean: number; low: number | null; high: number | null; fetchedAt: string } | null;
  /** Which forecast the FORECASTED thresholds use, in words. */
  alertForecast: string;
  state: AlertState;
  stateChangedAt: string | null;
  thresholds: BudgetReportThreshold[];
  months: BudgetReportMonth[];
  /** Cumulative spend through the period for the chart: actual to the last data day, then the forecast mean and band. */
  cumulative: { day: string; actual: number | null; forecast: number | null; low: number | null; high: number | null }[];
  anomalies: BudgetReportAnomaly[];
  /** The last day with spend data in the period, or null. */
  dataThrough: string | null;
}

export interface BudgetReport {
  schema: 'docket.budget-report/v1';
  /** ISO time the report was made (SOURCE_DATE_EPOCH when set). */
  generatedAt: string;
  /** The day the report is as of. */
  asOf: string;
  /** Where the spend came from, e.g. "FOCUS files (3 imported, last 2026-11-20T10:00:00Z)". */
  source: string;
  budgets: BudgetReportBudget[];
}
