// A realistic FinOps budget report for the renderer tests. The figures are derived from synthetic
// daily costs, so totals, months and the cumulative series agree with each other to the cent:
//   1. a monthly model budget in ALARM (its forecast crosses the budget), two anomalies, AWS's forecast;
//   2. a quarterly team budget in EUR, OK, with the user's planned months and a non-ASCII name;
//   3. a custom-range all-spend budget too new to forecast (forecast null), no anomalies, and a name
//      that a spreadsheet would read as a formula.
import type { AlertState, BudgetReport, BudgetReportAnomaly, BudgetReportBudget, BudgetReportMonth, BudgetReportThreshold } from '../../shared/budgets/types';

const DAY_MS = 86_400_000;
export const REPORT_AS_OF = '2026-11-20';
export const REPORT_GENERATED_AT = '2026-11-20T12:00:00Z';
/** The last day with spend: the report is made on the 20th with data through the 19th. */
const DATA_THROUGH = '2026-11-19';

const round2 = (x: number): number => Math.round(x * 100) / 100;

function daysBetween(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

interface SeriesSpec {
  periodStart: string;
  periodEnd: string;
  /** The cost on a day with data. */
  daily: (day: string, index: number) => number;
  /** The forecast mean for a day after the data, or null when no forecast is made. */
  forecastDaily: ((day: string, index: number) => number) | null;
  /** Half-width of the total's interval as a share of the forecast part. */
  spread: number;
  /** The user's planned amounts per month, or null for pro-rata. */
  planned: Record<string, number> | null;
  amount: number;
  /** The alert state at the end of each closed month and now. */
  stateAt: (month: string) => AlertState;
}

interface Series {
  actual: number;
  forecast: number | null;
  forecastLow: number | null;
  forecastHigh: number | null;
  cumulative: BudgetReportBudget['cumulative'];
  months: BudgetReportMonth[];
  dailyCost: Map<string, number>;
}

function buildSeries(spec: SeriesSpec): Series {
  const days = daysBetween(spec.periodStart, spec.periodEnd);
  const dailyCost = new Map<string, number>();
  const dailyForecast = new Map<string, number>();
  days.forEach((day, i) => {
    if (day <= DATA_THROUGH) dailyCost.set(day, round2(spec.daily(day, i)));
    else if (spec.forecastDaily) dailyForecast.set(day, round2(spec.forecastDaily(day, i)));
  });
  const actual = round2([...dailyCost.values()].reduce((a, b) => a + b, 0));
  const forecastPart = round2([...dailyForecast.values()].reduce((a, b) => a + b, 0));
  const hasForecast = spec.forecastDaily !== null;

  // Cumulative: actual through the data, then the forecast mean with a band widening as √(days ahead),
  // scaled so the last day's band is the total's interval. The forecast starts at the last actual point.
  const cumulative: BudgetReportBudget['cumulative'] = [];
  const ahead = dailyForecast.size;
  let running = 0;
  let forecastRunning = 0;
  let k = 0;
  for (const day of days) {
    if (dailyCost.has(day)) {
      running = round2(running + (dailyCost.get(day) ?? 0));
      const joins = hasForecast && day === DATA_THROUGH;
      cumulative.push({ day, actual: running, forecast: joins ? running : null, low: joins ? running : null, high: joins ? running : null });
    } else if (hasForecast) {
      k++;
      forecastRunning = round2(forecastRunning + (dailyForecast.get(day) ?? 0));
      const half = forecastPart * spec.spread * Math.sqrt(k / ahead);
      cumulative.push({ day, actual: null, forecast: round2(running + forecastRunning), low: round2(running + forecastRunning - half * 0.95), high: round2(running + forecastRunning + half * 1.05) });
    } else {
      cumulative.push({ day, actual: null, forecast: null, low: null, high: null });
    }
  }
  const half = forecastPart * spec.spread;

  // Months of the period.
  const monthKeys = [...new Set(days.map((d) => d.slice(0, 7)))];
  const asOfMonth = REPORT_AS_OF.slice(0, 7);
  let plannedLeft = spec.amount;
  const months = monthKeys.map((month, i): BudgetReportMonth => {
    const inMonth = days.filter((d) => d.startsWith(month));
    let planned: number;
    if (spec.planned) planned = spec.planned[month] ?? 0;
    else planned = i === monthKeys.length - 1 ? round2(plannedLeft) : round2((spec.amount * inMonth.length) / days.length);
    plannedLeft -= planned;
    const monthActual = round2(inMonth.reduce((s, d) => s + (dailyCost.get(d) ?? 0), 0));
    const monthForecastPart = round2(inMonth.reduce((s, d) => s + (dailyForecast.get(d) ?? 0), 0));
    const status = month < asOfMonth ? 'closed' : month === asOfMonth ? 'current' : 'future';
    const forecast = status === 'closed' ? monthActual : hasForecast ? round2(monthActual + monthForecastPart) : null;
    return {
      month,
      planned,
      plannedSource: spec.planned ? 'planned' : 'pro-rata',
      actual: monthActual,
      forecast,
      variance: round2((forecast ?? monthActual) - planned),
      status,
      state: status === 'future' ? null : spec.stateAt(month),
    };
  });

  return {
    actual,
    forecast: hasForecast ? round2(actual + forecastPart) : null,
    forecastLow: hasForecast ? round2(actual + forecastPart - half * 0.95) : null,
    forecastHigh: hasForecast ? round2(actual + forecastPart + half * 1.05) : null,
    cumulative,
    months,
    dailyCost,
  };
}

/** A weekday pattern: lighter weekends, as inference traffic has. */
function weekly(day: string): number {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6 ? 0.78 : 1.06;
}

function fraudBudget(): BudgetReportBudget {
  const spikes: Record<string, number> = { '2026-11-07': 455.2, '2026-11-15': 318.75 };
  const s = buildSeries({
    periodStart: '2026-11-01',
    periodEnd: '2026-11-30',
    daily: (day, i) => 395 * weekly(day) + 3.1 * i + (spikes[day] ?? 0) + ((i * 37) % 11),
    forecastDaily: (day, i) => 402 * weekly(day) + 3.1 * i,
    spread: 0.09,
    planned: null,
    amount: 12_000,
    stateAt: () => 'ALARM',
  });
  const expected = (day: string): number => round2((s.dailyCost.get(day) ?? 0) - (spikes[day] ?? 0));
  const anomaly = (day: string, driver: string | null, verdict: BudgetReportAnomaly['verdict']): BudgetReportAnomaly => {
    const actual = s.dailyCost.get(day) ?? 0;
    return { day, model: 'fraud-score-card-txn', actual, expected: expected(day), impact: round2(actual - expected(day)), driver, verdict };
  };
  const amount = 12_000;
  const thresholds: BudgetReportThreshold[] = [
    { label: 'Actual ≥ 80% of budget', state: s.actual >= 0.8 * amount ? 'ALARM' : 'OK', changedAt: s.actual >= 0.8 * amount ? '2026-11-18T06:00:00Z' : null },
    { label: 'Forecasted ≥ 100% of budget', state: 'ALARM', changedAt: '2026-11-08T06:00:00Z' },
    { label: 'Actual ≥ $12,000.00', state: 'OK', changedAt: null },
  ];
  return {
    name: 'fraud-score-card-txn — real-time inference endpoints, production (us-east-1, eu-west-1)',
    scopeLabel: 'Model fraud-score-card-txn',
    periodLabel: 'Monthly (November 2026)',
    periodStart: '2026-11-01',
    periodEnd: '2026-11-30',
    currency: 'USD',
    amount,
    metric: 'effective',
    actual: s.actual,
    forecast: s.forecast,
    forecastLow: s.forecastLow,
    forecastHigh: s.forecastHigh,
    forecastMethod: 'Seasonal naive with a weekly pattern and linear trend, fitted on 90 days; 80% prediction interval from backtested residuals.',
    periodEnded: false,
    awsForecast: { mean: round2((s.forecast ?? 0) * 0.97), low: round2((s.forecastLow ?? 0) * 0.98), high: round2((s.forecastHigh ?? 0) * 0.99), fetchedAt: '2026-11-20T09:30:00Z' },
    alertForecast: "Docket's forecast (AWS's is shown for comparison)",
    state: 'ALARM',
    stateChangedAt: '2026-11-08T06:00:00Z',
    thresholds,
    months: s.months,
    cumulative: s.cumulative,
    anomalies: [
      anomaly('2026-11-07', 'service AmazonSageMaker (+$431.90)', 'unexpected'),
      anomaly('2026-11-15', null, null),
    ],
    dataThrough: DATA_THROUGH,
  };
}

function paymentsBudget(): BudgetReportBudget {
  const s = buildSeries({
    periodStart: '2026-10-01',
    periodEnd: '2026-12-31',
    daily: (day, i) => 455 * weekly(day) + 0.4 * i + ((i * 53) % 17),
    forecastDaily: (day, i) => 462 * weekly(day) + 0.4 * i,
    spread: 0.06,
    planned: { '2026-10': 15_000, '2026-11': 15_500, '2026-12': 14_500 },
    amount: 45_000,
    stateAt: () => 'OK',
  });
  return {
    name: 'Équipe Paiements — inférence & entraînement',
    scopeLabel: 'Team payments',
    periodLabel: 'Quarterly (2026 Q4)',
    periodStart: '2026-10-01',
    periodEnd: '2026-12-31',
    currency: 'EUR',
    amount: 45_000,
    metric: 'billed',
    actual: s.actual,
    forecast: s.forecast,
    forecastLow: s.forecastLow,
    forecastHigh: s.forecastHigh,
    forecastMethod: 'Seasonal naive with a weekly pattern, fitted on 180 days; 80% prediction interval from backtested residuals.',
    periodEnded: false,
    awsForecast: null,
    alertForecast: "Docket's forecast (no Cost Explorer source covers this scope)",
    state: 'OK',
    stateChangedAt: '2026-11-03T06:00:00Z',
    thresholds: [
      { label: 'Actual ≥ 100% of budget', state: 'OK', changedAt: null },
      { label: 'Forecasted ≥ 100% of budget', state: 'OK', changedAt: '2026-11-03T06:00:00Z' },
    ],
    months: s.months,
    cumulative: s.cumulative,
    anomalies: [],
    dataThrough: DATA_THROUGH,
  };
}

function allSpendBudget(): BudgetReportBudget {
  const s = buildSeries({
    periodStart: '2026-11-09',
    periodEnd: '2027-01-15',
    daily: (day, i) => 370 * weekly(day) + ((i * 29) % 13),
    forecastDaily: null,
    spread: 0,
    planned: null,
    amount: 30_000,
    stateAt: () => 'OK',
  });
  return {
    name: '=HYPERLINK("http://x")',
    scopeLabel: 'All spend',
    periodLabel: 'Custom 2026-11-09 to 2027-01-15',
    periodStart: '2026-11-09',
    periodEnd: '2027-01-15',
    currency: 'USD',
    amount: 30_000,
    metric: 'effective',
    actual: s.actual,
    forecast: null,
    forecastLow: null,
    forecastHigh: null,
    forecastMethod: null,
    periodEnded: false,
    awsForecast: null,
    alertForecast: 'None: 11 days of history, 14 needed; FORECASTED thresholds are not evaluated',
    state: 'OK',
    stateChangedAt: null,
    thresholds: [
      { label: 'Actual ≥ 90% of budget', state: 'OK', changedAt: null },
      { label: 'Forecasted ≥ 100% of budget', state: 'OK', changedAt: null },
    ],
    months: s.months,
    cumulative: s.cumulative,
    anomalies: [],
    dataThrough: DATA_THROUGH,
  };
}

export function sampleBudgetReport(): BudgetReport {
  return {
    schema: 'docket.budget-report/v1',
    generatedAt: REPORT_GENERATED_AT,
    asOf: REPORT_AS_OF,
    source: 'FOCUS files (3 imported, last 2026-11-20T10:00:00Z); AWS Cost Explorer (last sync 2026-11-20T09:30:00Z)',
    budgets: [fraudBudget(), paymentsBudget(), allSpendBudget()],
  };
}

/**
 * An RFC 4180 parser for the tests, written apart from the renderer so it checks the writer's
 * quoting rather than mirroring it. Records end with CRLF; a quoted field may hold commas, line
 * breaks and doubled quotes.
 */
export function parseCsvForTest(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let inQuotes = false;
  while (i < text.length) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        inQuotes = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"' && field === '') {
      inQuotes = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (c === '\n' || c === '\r' || c === '"') {
      throw new Error(`parseCsvForTest: bare ${JSON.stringify(c)} at offset ${i}: records must end with CRLF and quotes open a field`);
    } else {
      field += c;
      i++;
    }
  }
  if (inQuotes) throw new Error('parseCsvForTest: unterminated quoted field');
  if (field !== '' || row.length > 0) throw new Error('parseCsvForTest: the last record has no CRLF');
  return rows;
}
