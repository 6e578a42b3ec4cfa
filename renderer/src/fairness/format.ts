import type { Comparison, FairnessFormat, FairnessStatus, MetricInterval } from '../../../shared/domain/fairness';
import type { Tone } from '../components/ui';
import { formatCount as groupedCount } from '../../../shared/format/count';

/** How a fairness status reads everywhere: a long label (detail page), a short one (models list), tone and icon. */
export const FAIRNESS_STATUS: Record<FairnessStatus, { label: string; short: string; tone: Tone; icon: string }> = {
  fail: { label: 'Fails policy', short: 'fail', tone: 'bad', icon: '✗' },
  pass: { label: 'Passes policy', short: 'pass', tone: 'ok', icon: '✓' },
  'not-evaluable': { label: 'Not evaluable', short: 'not evaluable', tone: 'warn', icon: '?' },
  none: { label: 'No fairness evaluation yet', short: 'none', tone: 'neutral', icon: '—' },
};

export const VERDICT_LABEL: Record<Exclude<FairnessStatus, 'none'>, string> = {
  pass: 'Pass',
  fail: 'Fail',
  'not-evaluable': 'Not evaluable',
};

export const FORMAT_LABELS: Record<FairnessFormat, string> = {
  'fairlearn-metricframe': 'Fairlearn MetricFrame JSON',
  'by-group-csv': 'By-group CSV',
  'confusion-csv': 'Confusion-matrix CSV',
};

const COMPARISON_SYMBOL: Record<Comparison, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };

/** A metric or disparity value: always three decimals; "—" when there is none. */
export function fmt3(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(3);
}

/** A bound or interval end: two decimals, a third only when it carries information (0.80, 0.025). */
export function fmtBound(value: number): string {
  const s = value.toFixed(3);
  return s.endsWith('0') ? value.toFixed(2) : s;
}

/** "≥ 0.80" */
export function formatThreshold(comparison: Comparison, bound: number): string {
  return `${COMPARISON_SYMBOL[comparison]} ${fmtBound(bound)}`;
}

/** "0.712 [0.68–0.74]" */
export function formatWithInterval(value: number | undefined, interval: MetricInterval | undefined): string {
  if (value === undefined) return '—';
  return interval ? `${fmt3(value)} [${fmtBound(interval.lower)}–${fmtBound(interval.upper)}]` : fmt3(value);
}

/** "+0.042", "-0.013", "0.000"; "—" when not comparable. */
export function formatDelta(delta: number | null): string {
  if (delta === null || !Number.isFinite(delta)) return '—';
  const s = delta.toFixed(3);
  if (Number(s) === 0) return '0.000';
  return delta > 0 ? `+${s}` : s;
}

/** "12.5%"; "—" when unknown. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  const pct = share * 100;
  return `${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`;
}

export function formatCount(count: number | null | undefined): string {
  return count === null || count === undefined ? '—' : groupedCount(count);
}

/** "sex × age_band" */
export function featureList(features: readonly string[]): string {
  return features.length === 0 ? 'unnamed feature' : features.join(' × ');
}
