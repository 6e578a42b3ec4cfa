import type { ConfusionCounts, FairnessGroup, FairnessMetric } from '../domain/fairness';

/**
 * By-group metrics from confusion counts, defined as Fairlearn / scikit-learn define them
 * (positive label 1). Pure: the parsers in electron/core and the tests both call it.
 */

/** Separator of an intersectional group's values in its display label, e.g. "female × over-40". */
export const GROUP_LABEL_SEPARATOR = ' × ';

export function groupLabel(values: readonly string[]): string {
  return values.join(GROUP_LABEL_SEPARATOR);
}

/** A group's values and its confusion counts, before metrics are derived. */
export interface GroupConfusion {
  values: string[];
  confusion: ConfusionCounts;
}

function assertCount(name: string, value: number): void {
  // Counts come from untrusted files via the parsers; a negative or fractional count would
  // silently produce rates outside [0, 1], so refuse it here rather than report nonsense.
  if (!Number.isFinite(value) || value < 0 || !Number.isInteger(value)) {
    throw new RangeError(`confusion count ${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * Rates from confusion counts. A metric whose denominator is 0 is left out: it is not
 * evaluable for that group, and NaN would poison every max/min taken over groups later.
 */
export function metricsFromConfusion(c: ConfusionCounts): Partial<Record<FairnessMetric, number>> {
  assertCount('tp', c.tp);
  assertCount('fp', c.fp);
  assertCount('tn', c.tn);
  assertCount('fn', c.fn);
  const n = c.tp + c.fp + c.tn + c.fn;
  const out: Partial<Record<FairnessMetric, number>> = {};
  if (n > 0) out.selection_rate = (c.tp + c.fp) / n;
  if (c.tp + c.fn > 0) out.true_positive_rate = c.tp / (c.tp + c.fn);
  if (c.fp + c.tn > 0) out.false_positive_rate = c.fp / (c.fp + c.tn);
  if (c.tp + c.fp > 0) out.precision = c.tp / (c.tp + c.fp);
  if (n > 0) out.accuracy = (c.tp + c.tn) / n;
  return out;
}

function compareValues(a: readonly string[], b: readonly string[]): number {
  // Code-unit order, not locale order: the result must not depend on the machine's locale.
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function binaryLabel(kind: string, value: number | undefined, index: number): 0 | 1 {
  if (value === 0 || value === 1) return value;
  throw new RangeError(`${kind}[${index}] must be 0 or 1, got ${String(value)}`);
}

/**
 * Confusion counts per group from per-sample labels, as Fairlearn's MetricFrame groups them:
 * one group per observed combination of sensitive values. `sensitive[i]` holds sample i's value
 * for each sensitive feature. Groups come back sorted by their values, as pandas' groupby sorts,
 * so the order does not depend on the order of the samples.
 */
export function confusionByGroup(
  yTrue: readonly number[],
  yPred: readonly number[],
  sensitive: readonly (readonly string[])[],
): Map<string, GroupConfusion> {
  if (yTrue.length !== yPred.length || yTrue.length !== sensitive.length) {
    throw new RangeError(`y_true (${yTrue.length}), y_pred (${yPred.length}) and sensitive features (${sensitive.length}) must have the same length`);
  }
  const width = sensitive[0]?.length ?? 0;
  const byLabel = new Map<string, GroupConfusion>();
  for (let i = 0; i < yTrue.length; i++) {
    const t = binaryLabel('y_true', yTrue[i], i);
    const p = binaryLabel('y_pred', yPred[i], i);
    const values = sensitive[i] as readonly string[];
    if (values.length === 0 || values.length !== width) {
      throw new RangeError(`sample ${i} has ${values.length} sensitive values, expected ${width || 'at least 1'}`);
    }
    const label = groupLabel(values);
    let entry = byLabel.get(label);
    if (!entry) {
      entry = { values: [...values], confusion: { tp: 0, fp: 0, tn: 0, fn: 0 } };
      byLabel.set(label, entry);
    }
    const c = entry.confusion;
    if (t === 1 && p === 1) c.tp++;
    else if (t === 0 && p === 1) c.fp++;
    else if (t === 0 && p === 0) c.tn++;
    else c.fn++;
  }
  return new Map([...byLabel].sort(([, a], [, b]) => compareValues(a.values, b.values)));
}

/** FairnessGroups from confusion counts: count = n, metrics derived, the counts kept as evidence. */
export function groupsFromConfusion(
  groups: ReadonlyMap<string, GroupConfusion> | readonly GroupConfusion[],
): FairnessGroup[] {
  const list = Array.isArray(groups) ? groups : [...(groups as ReadonlyMap<string, GroupConfusion>).values()];
  return list.map(({ values, confusion }) => ({
    values: [...values],
    label: groupLabel(values),
    count: confusion.tp + confusion.fp + confusion.tn + confusion.fn,
    metrics: metricsFromConfusion(confusion),
    confusion: { ...confusion },
  }));
}

/**
 * A number for a human-readable reason: four decimals, trailing zeros trimmed, so 0.72 reads
 * "0.72" and 2/3 reads "0.6667". Tiny values keep three significant digits instead of reading "0".
 */
export function formatNumber(x: number, decimals = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  if (Math.abs(x) < 10 ** -decimals) return String(Number(x.toPrecision(3)));
  return String(Number(x.toFixed(decimals)));
}

/**
 * `value` and `bound` formatted so they never read the same when they differ:
 * "0.8 is below the bound 0.8" would be confusing, so add digits until they differ.
 */
export function formatAgainst(value: number, bound: number): [string, string] {
  let decimals = 4;
  let v = formatNumber(value, decimals);
  let b = formatNumber(bound, decimals);
  while (value !== bound && v === b && decimals < 17) {
    decimals++;
    v = formatNumber(value, decimals);
    b = formatNumber(bound, decimals);
  }
  return [v, b];
}
