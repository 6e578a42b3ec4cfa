import type { SpendSummary } from '../../../shared/ipc/contract';
import { addDays, daySpan } from './movers';

export const TOP_GROUPS = 8;
export const OTHER = 'other';

export interface SpendSeries {
  key: string;
  /** Effective cost per day, aligned with `days`. */
  effective: number[];
  billed: number[];
  /** Groups folded into "other" (empty otherwise). */
  members: string[];
}

export interface SpendChartData {
  currency: string;
  days: string[];
  series: SpendSeries[];
  /** Other currencies present in the range, not charted. */
  otherCurrencies: string[];
}

/** The currency with the largest effective cost in the range (currencies are never added together). */
export function mainCurrency(rows: SpendSummary['rows']): { currency: string | null; others: string[] } {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.currency, (totals.get(r.currency) ?? 0) + Math.abs(r.effectiveCost));
  const sorted = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { currency: sorted[0]?.[0] ?? null, others: sorted.slice(1).map(([c]) => c) };
}

/** Daily effective cost per group for one currency: the top 8 groups by effective cost, the rest as "other". */
export function spendChartData(summary: SpendSummary, from: string | null, to: string | null): SpendChartData | null {
  const { currency, others } = mainCurrency(summary.rows);
  if (currency === null) return null;
  const points = summary.daily.filter((p) => p.currency === currency);
  const seen = points.map((p) => p.day).sort();
  const first = from ?? seen[0];
  const last = to ?? seen[seen.length - 1];
  if (!first || !last) return null;
  const n = Math.min(daySpan(first, last), 3660);
  const days = Array.from({ length: n }, (_, i) => addDays(first, i));
  const index = new Map(days.map((d, i) => [d, i]));

  const totals = new Map<string, number>();
  for (const r of summary.rows) if (r.currency === currency) totals.set(r.key, (totals.get(r.key) ?? 0) + r.effectiveCost);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  const overflow = ranked.length > TOP_GROUPS + 1;
  const top = overflow ? ranked.slice(0, TOP_GROUPS) : ranked;
  const topSet = new Set(top);

  const series = new Map<string, SpendSeries>();
  const make = (key: string): SpendSeries => ({ key, effective: new Array<number>(n).fill(0), billed: new Array<number>(n).fill(0), members: [] });
  for (const k of top) series.set(k, make(k));
  const other = make(OTHER);
  if (overflow) other.members = ranked.slice(TOP_GROUPS);
  for (const p of points) {
    const i = index.get(p.day);
    if (i === undefined) continue;
    const target = (topSet.has(p.key) ? series.get(p.key) : undefined) ?? other;
    target.effective[i] = (target.effective[i] ?? 0) + p.effectiveCost;
    target.billed[i] = (target.billed[i] ?? 0) + p.billedCost;
  }
  const list = [...series.values()];
  if (overflow || other.effective.some((v) => v !== 0)) list.push(other);
  return { currency, days, series: list, otherCurrencies: others };
}
