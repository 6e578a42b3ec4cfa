import { z } from 'zod';
import {
  DISPARITY_MEASURES,
  type Comparison,
  type DisparityChange,
  type DisparityReport,
  type FairnessPolicySummary,
  type FairnessStatus,
  type FairnessVerdict,
} from '../domain/fairness';
import { formatAgainst } from './metrics';

/**
 * A fairness policy: which groups are big enough to judge, and the thresholds each disparity
 * must meet. Every threshold states its basis, because a bound like 0.8 is a choice with a
 * legal or organisational origin, and a reviewer must be able to see which.
 */

const COMPARISONS = ['>=', '>', '<=', '<'] as const satisfies readonly Comparison[];

export const FairnessThresholdSchema = z.strictObject({
  measure: z.enum(DISPARITY_MEASURES),
  comparison: z.enum(COMPARISONS),
  bound: z.number(), // zod 4 numbers are finite already
  // A blank basis is as good as none: the point is that someone wrote down why.
  basis: z.string().regex(/\S/, 'basis must state why the threshold exists'),
});

/** Strict objects throughout: a misspelt key in a policy file must fail loudly, not be ignored. */
export const FairnessPolicySchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().min(1),
  fairness: z.strictObject({
    minGroupCount: z.number().int().min(0),
    minGroupShare: z.number().min(0).max(1),
    thresholds: z.array(FairnessThresholdSchema).min(1),
  }),
});

export type FairnessPolicy = z.infer<typeof FairnessPolicySchema>;
export type FairnessThreshold = z.infer<typeof FairnessThresholdSchema>;

export function policySummary(p: FairnessPolicy): FairnessPolicySummary {
  return {
    name: p.name,
    version: p.version,
    minGroupCount: p.fairness.minGroupCount,
    minGroupShare: p.fairness.minGroupShare,
    thresholds: p.fairness.thresholds.map(({ measure, comparison, bound, basis }) => ({ measure, comparison, bound, basis })),
  };
}

/**
 * Values within this distance of a bound count as equal to it. Rates are ratios of counts, so
 * 0.8 may arrive as 0.7999999999999999; that is the four-fifths line, not a failure of it.
 */
const EQUAL_TOLERANCE = 1e-12;

function satisfies(value: number, comparison: Comparison, bound: number): boolean {
  const equal = Math.abs(value - bound) <= EQUAL_TOLERANCE;
  switch (comparison) {
    case '>=':
      return equal || value > bound;
    case '>':
      return !equal && value > bound;
    case '<=':
      return equal || value < bound;
    case '<':
      return !equal && value < bound;
  }
}

function failurePhrase(value: number, comparison: Comparison, bound: number): string {
  const [v, b] = formatAgainst(value, bound);
  const equal = Math.abs(value - bound) <= EQUAL_TOLERANCE;
  switch (comparison) {
    case '>=':
      return `${v} is below the bound ${b}`;
    case '>':
      return equal ? `${v} equals the bound ${b}, which it must exceed` : `${v} is below the bound ${b}`;
    case '<=':
      return `${v} is above the bound ${b}`;
    case '<':
      return equal ? `${v} equals the bound ${b}, which it must stay under` : `${v} is above the bound ${b}`;
  }
}

/** One verdict per threshold, in the policy's order. */
export function evaluateThresholds(report: DisparityReport, policy: FairnessPolicy): FairnessVerdict[] {
  return policy.fairness.thresholds.map(({ measure, comparison, bound, basis }) => {
    const d = report.measures[measure];
    const base = { measure, comparison, bound, basis, value: d.value };
    if (d.value === null) {
      return { ...base, status: 'not-evaluable' as const, reason: d.reason ?? `${measure} could not be computed` };
    }
    if (satisfies(d.value, comparison, bound)) return { ...base, status: 'pass' as const, reason: null };
    const groups = d.between ? ` (lowest: group ${d.between[0]} vs highest: group ${d.between[1]})` : '';
    return { ...base, status: 'fail' as const, reason: `${failurePhrase(d.value, comparison, bound)}${groups}` };
  });
}

/** Severity order: a failure outranks an unknown, an unknown outranks a pass (it may hide a failure). */
const SEVERITY: Record<FairnessStatus, number> = { none: 0, pass: 1, 'not-evaluable': 2, fail: 3 };

export function worstStatus(statuses: FairnessStatus[]): FairnessStatus {
  let worst: FairnessStatus = 'none';
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

export function statusOf(verdicts: FairnessVerdict[]): FairnessStatus {
  return worstStatus(verdicts.map((v) => v.status));
}

/** Changes smaller than this are floating-point noise, not a movement of the gap. */
const CHANGE_TOLERANCE = 1e-12;

/**
 * How each disparity moved between two evaluations. A difference that grows or a ratio that
 * falls is a worsening; both directions mean the groups drifted further apart.
 */
export function compareDisparities(previous: DisparityReport, current: DisparityReport, sensitiveFeatures: string[]): DisparityChange[] {
  return DISPARITY_MEASURES.map((measure) => {
    const before = previous.measures[measure].value;
    const after = current.measures[measure].value;
    const delta = before !== null && after !== null ? after - before : null;
    const isRatio = measure.endsWith('_ratio');
    const worsened = delta !== null && (isRatio ? delta < -CHANGE_TOLERANCE : delta > CHANGE_TOLERANCE);
    return { measure, sensitiveFeatures: [...sensitiveFeatures], previous: before, current: after, delta, worsened };
  });
}
