import type { BacktestResult, DailyCost, DayForecast, SpendForecast } from './types';
import { dayFromNumber, dayNumber, denseCosts, seriesSpan, weekdayOfNumber } from './dailySeries';

/**
 * Spend forecasts with an honest interval: ordinary least squares on the recent daily costs with a
 * linear trend and day-of-week effects, and a prediction interval that accounts for both the day-to-day
 * noise and the uncertainty of the fitted line. Small and explainable on purpose: a reviewer can check
 * it with a spreadsheet, and `backtestForecast` shows how often its interval held on the user's own data.
 *
 * The interval assumes the residuals are independent. Real spend is often autocorrelated (a busy week
 * stays busy), which makes the interval of a multi-day total too narrow; the back-test is how a user
 * finds that out for their series.
 */

/** Below this many days there is too little to fit even a line with a residual spread. */
export const MIN_TREND_DAYS = 7;
/** Day-of-week effects need every weekday seen at least twice, or a weekday's effect is one raw point. */
export const MIN_WEEKLY_DAYS = 14;
export const DEFAULT_LEVEL = 0.8;
/** About a quarter: long enough to see the weekly shape 13 times, short enough to follow a change of trend. */
export const DEFAULT_WINDOW_DAYS = 91;

export interface ForecastOptions {
  /** Nominal coverage of the prediction interval, in (0, 1). Default 0.8. */
  level?: number;
  /** Fit on at most this many of the latest days (at least 7). Default 91. */
  windowDays?: number;
  /** The history runs through this day: days after the last entry up to it are zeros. Default: the last entry's day. Entries after it are ignored. */
  historyEnd?: string;
}

export interface BacktestOptions {
  /** Days forecast from each origin; the check is on the total over them. */
  horizonDays: number;
  level?: number;
  /** The first origin has this many days of history (at least 7). Default 28. */
  minTrainDays?: number;
  /** Days between origins. Default 7. */
  step?: number;
  historyEnd?: string;
  windowDays?: number;
}

// ---------------------------------------------------------------------------------------------------
// Quantiles

/**
 * Inverse of the standard normal CDF, by Peter Acklam's rational approximation (relative error below
 * 1.15e-9 over (0, 1)), which is plenty for an interval shown to the cent.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < pLow) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - pLow) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xx = x - 1;
  let s = g[0]!;
  for (let i = 1; i < 9; i++) s += g[i]! / (xx + i);
  const t = xx + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Continued fraction for the regularized incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** I_x(a, b), the regularized incomplete beta function. */
function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast only on one side of the mean; use the symmetry on the other.
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t * t));
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Quantile of Student's t, by bisection on its CDF. Bisection rather than a closed-form approximation
 * because the small degrees of freedom of a short history (5 or 6) are exactly where the usual
 * approximations are weakest.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be positive, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = Math.max(1, normalQuantile(p));
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---------------------------------------------------------------------------------------------------
// Least squares

/** Lower-triangular L with A = L Lᵀ, or null when A is not (numerically) positive definite. */
function cholesky(a: number[][]): number[][] | null {
  const p = a.length;
  const l = a.map(() => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(s > 1e-12 * Math.max(1, Math.abs(a[i]![i]!)))) return null;
        l[i]![i] = Math.sqrt(s);
      } else {
        l[i]![j] = s / l[j]![j]!;
      }
    }
  }
  return l;
}

/** Solves L Lᵀ x = b. */
function choleskySolve(l: number[][], b: number[]): number[] {
  const p = b.length;
  const y = new Array<number>(p).fill(0);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
    y[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(p).fill(0);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

/** xᵀ M x. */
function quadForm(m: readonly number[][], x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * dot(m[i]!, x);
  return s;
}

interface Fit {
  weekly: boolean;
  /** Days fitted on. */
  n: number;
  /** Day number of the first fitted day. */
  start: number;
  beta: number[];
  /** (XᵀX)⁻¹: σ² times it is the covariance of beta. */
  inverse: number[][];
  sigma: number;
  df: number;
}

/**
 * The regressors for a day: intercept, trend, and (weekly model) one dummy per weekday except Sunday.
 * The trend is centred on the fitted window so the intercept is the window's average level and XᵀX
 * stays well conditioned however long the window is.
 */
function regressors(fit: Pick<Fit, 'weekly' | 'n' | 'start'>, day: number): number[] {
  const x = [1, day - fit.start - (fit.n - 1) / 2];
  if (fit.weekly) {
    const w = weekdayOfNumber(day);
    for (let k = 1; k <= 6; k++) x.push(w === k ? 1 : 0);
  }
  return x;
}

function fitLeastSquares(values: readonly number[], start: number): Fit | null {
  const n = values.length;
  if (n < MIN_TREND_DAYS) return null;
  const shape = { weekly: n >= MIN_WEEKLY_DAYS, n, start };
  const rows = values.map((_, i) => regressors(shape, start + i));
  const p = rows[0]!.length;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  rows.forEach((x, i) => {
    for (let a = 0; a < p; a++) {
      xty[a] = xty[a]! + x[a]! * values[i]!;
      for (let b = 0; b < p; b++) xtx[a]![b] = xtx[a]![b]! + x[a]! * x[b]!;
    }
  });
  // With ≥ 7 days for the line and ≥ 2 of every weekday for the weekly model XᵀX is always positive
  // definite; the check guards against a future change to the regressors, not against data.
  const l = cholesky(xtx);
  if (!l) return null;
  const beta = choleskySolve(l, xty);
  const inverse = Array.from({ length: p }, (_, j) => choleskySolve(l, Array.from({ length: p }, (_, i) => (i === j ? 1 : 0))));
  const rss = rows.reduce((s, x, i) => s + (values[i]! - dot(x, beta)) ** 2, 0);
  const df = n - p;
  return { ...shape, beta, inverse, sigma: Math.sqrt(rss / df), df };
}

// ---------------------------------------------------------------------------------------------------
// Forecast

function checkLevel(level: number): void {
  if (!(Number.isFinite(level) && level > 0 && level < 1)) throw new RangeError(`level must be between 0 and 1 (exclusive), got ${level}`);
}

function checkInteger(name: string, value: number, min: number): void {
  if (!(Number.isInteger(value) && value >= min)) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
}

function checkCosts(history: readonly DailyCost[]): void {
  for (const { day, cost } of history) {
    if (!Number.isFinite(cost)) throw new RangeError(`the cost for ${day} is not a finite number`);
  }
}

const percent = (level: number) => `${Number((level * 100).toFixed(1))}%`;

function methodSentence(fit: Fit, windowDays: number, level: number): string {
  const model = fit.weekly
    ? 'Linear trend with day-of-week seasonality'
    : `Linear trend without day-of-week seasonality (fitted on ${fit.n} days; ${MIN_WEEKLY_DAYS} are needed for the weekly pattern)`;
  const data = fit.n >= windowDays ? `the last ${windowDays} days` : `all ${fit.n} days of history`;
  return `${model}, least squares on ${data}; ${percent(level)} prediction interval from the residual spread and the fit's uncertainty (Student t, ${fit.df} degrees of freedom).`;
}

/**
 * The forecast from a dense history (`values[i]` is the cost of day `start + i`) through day number
 * `last`. Shared by forecastSpend and the back-test so both run exactly the same method.
 */
function forecastDense(values: readonly number[], start: number, last: number, level: number, windowDays: number): SpendForecast | null {
  const windowStart = Math.max(0, values.length - windowDays);
  const fit = fitLeastSquares(values.slice(windowStart), start + windowStart);
  if (!fit) return null;
  const end = start + values.length - 1;
  const q = studentTQuantile((1 + level) / 2, fit.df);
  const p = fit.beta.length;
  const xSum = new Array<number>(p).fill(0);
  const days: DayForecast[] = [];
  let meanSum = 0;
  for (let day = end + 1; day <= last; day++) {
    const x = regressors(fit, day);
    for (let k = 0; k < p; k++) xSum[k] = xSum[k]! + x[k]!;
    const raw = dot(x, fit.beta);
    // A new day's cost = the fitted mean (uncertain: xᵀ(XᵀX)⁻¹x σ²) + fresh noise (σ²).
    const half = q * fit.sigma * Math.sqrt(1 + quadForm(fit.inverse, x));
    // Spend cannot be negative; the clamp comes after the interval so the width still reflects the fit.
    const mean = Math.max(0, raw);
    days.push({ day: dayFromNumber(day), mean, low: Math.max(0, raw - half), high: Math.max(0, raw + half) });
    meanSum += mean;
  }
  const h = days.length;
  let total = { mean: 0, low: 0, high: 0 };
  if (h > 0) {
    // The sum of h days: h independent noises (hσ²) plus the uncertainty of the summed mean, x_sumᵀ(XᵀX)⁻¹x_sum σ².
    // The noises partly cancel (√h, not h), so the total's interval is much narrower than the sum of the
    // daily bounds; the fitted line's error does not cancel (every day shares it, and a wrong slope grows
    // with the horizon), so it is wider than √h daily intervals.
    const rawSum = dot(xSum, fit.beta);
    const half = q * fit.sigma * Math.sqrt(h + quadForm(fit.inverse, xSum));
    // The total's mean is the sum of the (clamped) daily means so the days shown add up to it. Where a
    // falling trend has been clamped at zero that sum exceeds the raw one; the bounds keep the raw
    // interval, with the high bound raised to the mean if the clamping pushed the mean past it.
    // min/max against meanSum also absorb the last-bit difference between summing the daily means and
    // xSumᵀβ when the spread is zero (a perfectly regular history).
    total = { mean: meanSum, low: Math.min(meanSum, Math.max(0, rawSum - half)), high: Math.max(rawSum + half, meanSum, 0) };
  }
  return { method: methodSentence(fit, windowDays, level), level, historyDays: fit.n, days, total };
}

/**
 * Forecasts daily spend from the day after the history ends through `lastDay` (inclusive), with a
 * prediction interval at `level`. The history is sparse: a day it does not list had no spend. Returns
 * null when fewer than 7 days of history exist (from the first listed day to the history's end).
 */
export function forecastSpend(history: readonly DailyCost[], lastDay: string, options: ForecastOptions = {}): SpendForecast | null {
  const level = options.level ?? DEFAULT_LEVEL;
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  checkLevel(level);
  checkInteger('windowDays', windowDays, MIN_TREND_DAYS);
  checkCosts(history);
  const last = dayNumber(lastDay);
  const span = seriesSpan(history);
  if (!span) return null;
  const historyEnd = options.historyEnd ?? span.last;
  const values = denseCosts(history, span.first, historyEnd);
  return forecastDense(values, dayNumber(span.first), last, level, windowDays);
}

/**
 * Replays the forecast on the past: from each origin (the first after `minTrainDays` days, then every
 * `step` days) that still has `horizonDays` of known truth after it, fit on the data up to the origin,
 * forecast the horizon, and check whether the true total fell inside the interval. A method whose
 * 80% interval covers far less than 80% of origins is overconfident on this series.
 */
export function backtestForecast(history: readonly DailyCost[], options: BacktestOptions): BacktestResult {
  const level = options.level ?? DEFAULT_LEVEL;
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const minTrainDays = options.minTrainDays ?? 28;
  const step = options.step ?? 7;
  const { horizonDays } = options;
  checkLevel(level);
  checkInteger('horizonDays', horizonDays, 1);
  checkInteger('windowDays', windowDays, MIN_TREND_DAYS);
  checkInteger('minTrainDays', minTrainDays, MIN_TREND_DAYS);
  checkInteger('step', step, 1);
  checkCosts(history);
  const result: BacktestResult = { origins: 0, horizonDays, level, covered: 0, coverage: null, meanAbsPctError: null };
  const span = seriesSpan(history);
  if (!span) return result;
  const values = denseCosts(history, span.first, options.historyEnd ?? span.last);
  const start = dayNumber(span.first);
  let pctErrorSum = 0;
  let pctErrorCount = 0;
  for (let train = minTrainDays; train + horizonDays <= values.length; train += step) {
    const forecast = forecastDense(values.slice(0, train), start, start + train - 1 + horizonDays, level, windowDays);
    if (!forecast) continue;
    const truth = values.slice(train, train + horizonDays).reduce((s, v) => s + v, 0);
    result.origins++;
    if (truth >= forecast.total.low && truth <= forecast.total.high) result.covered++;
    if (truth > 0) {
      pctErrorSum += Math.abs(forecast.total.mean - truth) / truth;
      pctErrorCount++;
    }
  }
  result.coverage = result.origins > 0 ? result.covered / result.origins : null;
  result.meanAbsPctError = pctErrorCount > 0 ? pctErrorSum / pctErrorCount : null;
  return result;
}
