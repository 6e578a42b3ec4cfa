import type { DailyCost, DetectedAnomaly } from './types';
import { dayFromNumber, dayNumber, denseCosts, seriesSpan, weekdayOfNumber } from './dailySeries';
import { formatMoney } from '../format/money';

/**
 * Daily cost anomalies by a robust, explainable rule: compare each day with the median of the days
 * before it, adjusted for the day of the week, and flag it when it is more than `sensitivity` robust
 * standard deviations above. Medians and the MAD rather than mean and standard deviation because the
 * baseline itself may hold a spike or an outage, and one bad day must not move the band much.
 *
 * Only increases are flagged, as AWS Cost Anomaly Detection does: an unexpected drop in spend is not
 * a cost risk, and drops are mostly the weekend, a holiday or a model being retired.
 */

export const DEFAULT_ANOMALY_WINDOW_DAYS = 28;
export const DEFAULT_MIN_HISTORY_DAYS = 14;
export const DEFAULT_SENSITIVITY = 3;
/** MAD × 1.4826 estimates the standard deviation of normally distributed data. */
const MAD_TO_SD = 1.4826;
/**
 * Floors on the spread. A perfectly flat baseline (a fixed-price endpoint billed the same every day)
 * has a MAD of 0, and without a floor any cent of rounding noise would be "infinitely" anomalous. 5% of
 * the centre means a day must be at least 15% (at sensitivity 3) above a flat baseline to be flagged;
 * the absolute floor covers a baseline of zero.
 */
const RELATIVE_SPREAD_FLOOR = 0.05;
const ABSOLUTE_SPREAD_FLOOR = 0.01;

export interface AnomalyOptions {
  /** First day to report (inclusive). Default: the series' first day. */
  from?: string;
  /** Last day to report (inclusive). Default: the history's end. */
  to?: string;
  /** The series runs through this day: days after the last entry up to it are zeros. Default: the last entry's day. */
  historyEnd?: string;
  /** Days before each day that form its baseline. Default 28. */
  windowDays?: number;
  /** Days with fewer days of series before them are not judged. Default 14. */
  minHistoryDays?: number;
  /** Robust z threshold: how many robust standard deviations above the centre a day must be. Default 3. */
  sensitivity?: number;
  /** Also required: actual − expected ≥ this (in the series' currency). Default 0. */
  minImpact?: number;
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const medianOf = (values: readonly number[]) => median([...values].sort((a, b) => a - b));

function checkOptions(windowDays: number, minHistoryDays: number, sensitivity: number, minImpact: number): void {
  if (!(Number.isInteger(windowDays) && windowDays >= 2)) throw new RangeError(`windowDays must be an integer ≥ 2, got ${windowDays}`);
  if (!(Number.isInteger(minHistoryDays) && minHistoryDays >= 1)) throw new RangeError(`minHistoryDays must be an integer ≥ 1, got ${minHistoryDays}`);
  if (!(Number.isFinite(sensitivity) && sensitivity > 0)) throw new RangeError(`sensitivity must be a positive number, got ${sensitivity}`);
  if (!(Number.isFinite(minImpact) && minImpact >= 0)) throw new RangeError(`minImpact must be a number ≥ 0, got ${minImpact}`);
}

interface Band {
  centre: number;
  spread: number;
}

/**
 * The expected cost of a day falling on `weekday`, from baseline observations.
 *
 * Centre: the baseline's median, plus the median deviation from it of the baseline days falling on the
 * same weekday. That is a one-step robust version of "level + weekday effect": a weekend that is always
 * higher gets its own centre, and one odd Saturday cannot move it. With fewer than 2 same-weekday
 * points the weekday effect would be a single raw day, so it is left out (effect 0).
 */
function centreOf(points: readonly { weekday: number; cost: number }[], weekday: number): number {
  const level = medianOf(points.map((p) => p.cost));
  const same = points.filter((p) => p.weekday === weekday).map((p) => p.cost - level);
  return level + (same.length >= 2 ? medianOf(same) : 0);
}

/**
 * Centre and spread for `day` from the baseline days (indices into `values`, day numbers `start + index`).
 *
 * Spread: 1.4826 × MAD of the baseline's leave-one-out residuals, each baseline day minus the centre
 * the rule computes for it from the other baseline days. Plain residuals (each day minus a centre fitted
 * with that day in it) are too small: with 4 points per weekday, the weekday median sits on top of its
 * own points, and the band came out so narrow that about 1.6% of clean noisy days were flagged instead
 * of the ~0.1% a 3-sigma rule promises (about 0.2% with leave-one-out). Leave-one-out residuals measure
 * what the band is for: how far a day the centre has not seen falls from it, including the centre's own
 * estimation error. The cost, 28 small medians per judged day, is negligible at these sizes.
 */
function band(values: readonly number[], baseline: readonly number[], start: number, day: number): Band {
  const points = baseline.map((j) => ({ weekday: weekdayOfNumber(start + j), cost: values[j]! }));
  const centre = centreOf(points, weekdayOfNumber(day));
  const residuals = points.map((p, k) => p.cost - centreOf(points.filter((_, m) => m !== k), p.weekday));
  const residualCentre = medianOf(residuals);
  const mad = medianOf(residuals.map((r) => Math.abs(r - residualCentre)));
  const spread = Math.max(MAD_TO_SD * mad, RELATIVE_SPREAD_FLOOR * Math.abs(centre), ABSOLUTE_SPREAD_FLOOR);
  return { centre, spread };
}

/**
 * The days of a daily cost series (sparse: a missing day had no spend) whose cost was anomalously
 * high, oldest first. See AnomalyOptions for the knobs and `anomalyMethod` for the rule in words.
 */
export function detectAnomalies(series: readonly DailyCost[], options: AnomalyOptions = {}): DetectedAnomaly[] {
  const windowDays = options.windowDays ?? DEFAULT_ANOMALY_WINDOW_DAYS;
  const minHistoryDays = options.minHistoryDays ?? DEFAULT_MIN_HISTORY_DAYS;
  const sensitivity = options.sensitivity ?? DEFAULT_SENSITIVITY;
  const minImpact = options.minImpact ?? 0;
  checkOptions(windowDays, minHistoryDays, sensitivity, minImpact);
  for (const { day, cost } of series) {
    if (!Number.isFinite(cost)) throw new RangeError(`the cost for ${day} is not a finite number`);
  }
  const span = seriesSpan(series);
  if (!span) return [];
  const start = dayNumber(span.first);
  const values = denseCosts(series, span.first, options.historyEnd ?? span.last);
  const from = options.from === undefined ? 0 : dayNumber(options.from) - start;
  const to = Math.min(values.length - 1, options.to === undefined ? Infinity : dayNumber(options.to) - start);
  const flagged = new Array<boolean>(values.length).fill(false);
  const found: DetectedAnomaly[] = [];
  // Every day is judged from the first with enough history, not just from `from`: a spike just before
  // the reported range must still be kept out of the baselines inside it, so a day's verdict does not
  // depend on which range was asked for.
  for (let i = minHistoryDays; i <= to; i++) {
    const window: number[] = [];
    for (let j = Math.max(0, i - windowDays); j < i; j++) window.push(j);
    // Days already flagged are left out of the baseline, so a spike does not widen the band for the days
    // after it (a two-day incident is found on both days). But when flagged days would be the majority of
    // the window, the series has moved to a new level: the whole window is used, so a lasting change is
    // reported for about half a window and then becomes the new normal instead of alarming forever.
    const kept = window.filter((j) => !flagged[j]);
    const baseline = kept.length * 2 >= window.length ? kept : window;
    const { centre, spread } = band(values, baseline, start, start + i);
    const actual = values[i]!;
    const high = centre + sensitivity * spread;
    if (actual <= high) continue;
    // Exclusion follows the statistical test alone, so minImpact only filters what is reported and never
    // changes the band of another day.
    flagged[i] = true;
    const impact = actual - centre;
    if (i < from || impact < minImpact) continue;
    found.push({
      day: dayFromNumber(start + i),
      actual,
      expected: centre,
      low: Math.max(0, centre - sensitivity * spread),
      high,
      impact,
      score: impact / spread,
    });
  }
  return found;
}

/** The number as a person would write it: 3, 2.5, 0.75. */
const plain = (n: number) => String(Number(n.toFixed(4)));

/**
 * One sentence describing the rule and its settings, for display next to the anomalies. With a
 * currency the minimum impact is written as money ("$50.00"); without, as a bare amount.
 */
export function anomalyMethod(options: Pick<AnomalyOptions, 'windowDays' | 'minHistoryDays' | 'sensitivity' | 'minImpact'> & { currency?: string } = {}): string {
  const windowDays = options.windowDays ?? DEFAULT_ANOMALY_WINDOW_DAYS;
  const minHistoryDays = options.minHistoryDays ?? DEFAULT_MIN_HISTORY_DAYS;
  const sensitivity = options.sensitivity ?? DEFAULT_SENSITIVITY;
  const minImpact = options.minImpact ?? 0;
  const impact =
    minImpact > 0 ? ` and by at least ${options.currency ? formatMoney(minImpact, options.currency) : plain(minImpact)}` : '';
  const sd = sensitivity === 1 ? 'robust standard deviation' : 'robust standard deviations';
  return (
    `A day is anomalous when its cost exceeds the median of the previous ${windowDays} days (adjusted for the day of the week) ` +
    `by more than ${plain(sensitivity)} ${sd} (1.4826 × MAD)${impact}; only increases are flagged, and only once ${minHistoryDays} days of history exist.`
  );
}
