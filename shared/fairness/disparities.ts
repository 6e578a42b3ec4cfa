import type {
  DisparityMeasure,
  DisparityReport,
  DisparityValue,
  ExcludedGroup,
  FairnessGroup,
  FairnessMetric,
} from '../domain/fairness';
import { formatAgainst } from './metrics';

/**
 * Disparities over groups, computed the way Fairlearn computes them from a MetricFrame:
 * max − min (difference) and min / max (ratio) of the per-group rates, so Docket's numbers
 * match what a data scientist sees in Fairlearn to the last bit.
 */

export interface DisparityOptions {
  /** Groups with fewer samples are excluded (their rates are too noisy to judge). */
  minGroupCount: number;
  /** Groups under this share of all samples (0..1) are excluded, as NYC LL144 audits may do. */
  minGroupShare: number;
}

interface Extreme {
  label: string;
  value: number;
}

type Extremes = { ok: true; low: Extreme; high: Extreme } | { ok: false; reason: string };

function metricValue(group: FairnessGroup, metric: FairnessMetric): number | null {
  const v = group.metrics[metric];
  // A non-finite rate from a source file counts as missing: it cannot be ranked.
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function groupsPhrase(labels: string[]): string {
  return labels.length === 1 ? `group ${labels[0]}` : `groups ${labels.join(', ')}`;
}

function notEvaluable(reason: string): DisparityValue {
  return { value: null, reason, between: null };
}

/**
 * Lowest and highest value of a metric over groups. `groups` is sorted by label, and ties keep
 * the first, so `between` does not depend on the order the source file listed the groups in.
 */
function extremes(groups: FairnessGroup[], metric: FairnessMetric): Extremes {
  const missing = groups.filter((g) => metricValue(g, metric) === null).map((g) => g.label);
  if (missing.length > 0) return { ok: false, reason: `${metric} missing for ${groupsPhrase(missing)}` };
  let low: Extreme | null = null;
  let high: Extreme | null = null;
  for (const g of groups) {
    const value = metricValue(g, metric) as number;
    if (low === null || value < low.value) low = { label: g.label, value };
    if (high === null || value > high.value) high = { label: g.label, value };
  }
  if (low === null || high === null) return { ok: false, reason: 'no groups to compare' };
  return { ok: true, low, high };
}

function formatShare(share: number, minimum: number): [string, string] {
  const [s, m] = formatAgainst(share * 100, minimum * 100);
  return [`${s}%`, `${m}%`];
}

/** Splits groups into included and excluded; every exclusion carries the numbers that decided it. */
function partition(groups: FairnessGroup[], options: DisparityOptions): { included: FairnessGroup[]; excluded: ExcludedGroup[] } {
  // Shares need every count: with one unknown the total (and so every share) is unknown.
  const total = groups.every((g) => g.count !== null) ? groups.reduce((sum, g) => sum + (g.count as number), 0) : null;
  const included: FairnessGroup[] = [];
  const excluded: ExcludedGroup[] = [];
  for (const g of groups) {
    const share = total !== null && total > 0 && g.count !== null ? g.count / total : null;
    const reasons: string[] = [];
    if (g.count !== null && g.count < options.minGroupCount) {
      reasons.push(`n = ${g.count} < minimum ${options.minGroupCount}`);
    }
    if (share !== null && share < options.minGroupShare) {
      const [s, m] = formatShare(share, options.minGroupShare);
      reasons.push(`${s} of samples < minimum ${m}`);
    }
    // A group whose size the source does not state is kept: excluding needs evidence of smallness.
    if (reasons.length > 0) excluded.push({ label: g.label, count: g.count, share, reason: reasons.join('; ') });
    else included.push(g);
  }
  return { included, excluded };
}

function byLabel(a: FairnessGroup, b: FairnessGroup): number {
  return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
}

const ALL_NOT_EVALUABLE = (reason: string): Record<DisparityMeasure, DisparityValue> => ({
  demographic_parity_difference: notEvaluable(reason),
  demographic_parity_ratio: notEvaluable(reason),
  equalized_odds_difference: notEvaluable(reason),
  equalized_odds_difference_mean: notEvaluable(reason),
  disparate_impact_ratio: notEvaluable(reason),
});

const ZERO_MAX_REASON = (high: Extreme): string =>
  `the highest selection rate is 0 (group ${high.label}): no group was selected, so a ratio is undefined`;

function equalizedOdds(groups: FairnessGroup[]): { worst: DisparityValue; mean: DisparityValue } {
  const tpr = extremes(groups, 'true_positive_rate');
  const fpr = extremes(groups, 'false_positive_rate');
  if (!tpr.ok || !fpr.ok) {
    const reason = [tpr, fpr].flatMap((e) => (e.ok ? [] : [e.reason])).join('; ');
    return { worst: notEvaluable(reason), mean: notEvaluable(reason) };
  }
  const tprGap = tpr.high.value - tpr.low.value;
  const fprGap = fpr.high.value - fpr.low.value;
  // The wider gap names the groups; on a tie, the true positive rate (Fairlearn lists it first).
  const wider = tprGap >= fprGap ? tpr : fpr;
  const between: [string, string] = [wider.low.label, wider.high.label];
  return {
    worst: { value: Math.max(tprGap, fprGap), reason: null, between },
    // Fairlearn's agg='mean' is np.mean([tpr_gap, fpr_gap]): the same sum-then-halve order.
    mean: { value: (tprGap + fprGap) / 2, reason: null, between },
  };
}

/**
 * The disparity report of one evaluation. Small groups are excluded first (and listed, never
 * dropped silently); every measure is computed over the remaining groups or says why it cannot be.
 */
export function computeDisparities(groups: FairnessGroup[], options: DisparityOptions): DisparityReport {
  const { included, excluded } = partition(groups, options);
  const sorted = [...included].sort(byLabel);
  const impactRatios: Record<string, number | null> = {};
  for (const g of included) impactRatios[g.label] = null;

  if (included.length < 2) {
    const reason = `fewer than two groups to compare: ${included.length} included, ${excluded.length} excluded as too small`;
    return { includedGroups: included.map((g) => g.label), excludedGroups: excluded, impactRatios, measures: ALL_NOT_EVALUABLE(reason) };
  }

  let dpDifference: DisparityValue;
  let dpRatio: DisparityValue;
  let diRatio: DisparityValue;
  const sel = extremes(sorted, 'selection_rate');
  if (!sel.ok) {
    dpDifference = notEvaluable(sel.reason);
    dpRatio = notEvaluable(sel.reason);
    diRatio = notEvaluable(sel.reason);
  } else {
    const between: [string, string] = [sel.low.label, sel.high.label];
    dpDifference = { value: sel.high.value - sel.low.value, reason: null, between };
    if (sel.high.value === 0) {
      dpRatio = notEvaluable(ZERO_MAX_REASON(sel.high));
      diRatio = notEvaluable(ZERO_MAX_REASON(sel.high));
    } else {
      dpRatio = { value: sel.low.value / sel.high.value, reason: null, between };
      // Impact ratio per group (NYC LL144): its selection rate over the highest group's.
      // Division by one positive number is monotone, so the lowest equals the DP ratio exactly.
      let lowest = Infinity;
      for (const g of sorted) {
        const ratio = (metricValue(g, 'selection_rate') as number) / sel.high.value;
        impactRatios[g.label] = ratio;
        lowest = Math.min(lowest, ratio);
      }
      diRatio = { value: lowest, reason: null, between };
    }
  }
  const eo = equalizedOdds(sorted);

  return {
    includedGroups: included.map((g) => g.label),
    excludedGroups: excluded,
    impactRatios,
    measures: {
      demographic_parity_difference: dpDifference,
      demographic_parity_ratio: dpRatio,
      equalized_odds_difference: eo.worst,
      equalized_odds_difference_mean: eo.mean,
      disparate_impact_ratio: diRatio,
    },
  };
}
