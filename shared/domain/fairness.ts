/**
 * Fairness evaluations: the types every part of Docket shares (parsers, compute, store, UI).
 * Pure types and constants, no zod, so the renderer can import them cheaply.
 * Definitions follow Fairlearn: by-group metrics first, disparities derived from them.
 */

/** By-group metrics Docket understands, named as Fairlearn names them. */
export const FAIRNESS_METRICS = ['selection_rate', 'true_positive_rate', 'false_positive_rate', 'precision', 'accuracy'] as const;
export type FairnessMetric = (typeof FAIRNESS_METRICS)[number];

export const FAIRNESS_METRIC_LABELS: Record<FairnessMetric, string> = {
  selection_rate: 'Selection rate',
  true_positive_rate: 'True positive rate',
  false_positive_rate: 'False positive rate',
  precision: 'Precision',
  accuracy: 'Accuracy',
};

/** Disparity measures derived from the by-group metrics. */
export const DISPARITY_MEASURES = [
  'demographic_parity_difference', // max - min selection rate (Fairlearn)
  'demographic_parity_ratio', // min / max selection rate (Fairlearn)
  'equalized_odds_difference', // max(TPR gap, FPR gap), Fairlearn agg='worst_case'
  'equalized_odds_difference_mean', // mean(TPR gap, FPR gap), Fairlearn agg='mean'
  'disparate_impact_ratio', // lowest impact ratio: a group's selection rate / the highest group's (NYC LL144 style)
] as const;
export type DisparityMeasure = (typeof DISPARITY_MEASURES)[number];

export const DISPARITY_LABELS: Record<DisparityMeasure, string> = {
  demographic_parity_difference: 'Demographic parity difference',
  demographic_parity_ratio: 'Demographic parity ratio',
  equalized_odds_difference: 'Equalized odds difference (worst case)',
  equalized_odds_difference_mean: 'Equalized odds difference (mean)',
  disparate_impact_ratio: 'Disparate impact ratio (lowest impact ratio)',
};

export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface MetricInterval {
  lower: number;
  upper: number;
}

/** One group: a combination of values, one per sensitive feature (intersections have several). */
export interface FairnessGroup {
  /** Values in the order of `sensitiveFeatures`, e.g. ["female", "over-40"]. */
  values: string[];
  /** Display label, values joined with " × ". */
  label: string;
  /** Sample size; null only when the source file does not give one. */
  count: number | null;
  metrics: Partial<Record<FairnessMetric, number>>;
  /** Bootstrap (or other) intervals per metric, when the source gives them. */
  intervals?: Partial<Record<FairnessMetric, MetricInterval>>;
  /** Present when the source gave confusion counts (Docket computed `metrics` from them). */
  confusion?: ConfusionCounts;
}

export const FAIRNESS_FORMATS = ['fairlearn-metricframe', 'by-group-csv', 'confusion-csv'] as const;
export type FairnessFormat = (typeof FAIRNESS_FORMATS)[number];

/** What a parser returns: one evaluation of one model version on one dataset. */
export interface FairnessEvaluationInput {
  format: FairnessFormat;
  /** The model version the file names itself, if it does (MetricFrame JSON may). */
  model: { name: string; version: string | null } | null;
  dataset: { name: string | null; digest: string | null };
  producer: string | null;
  /** ISO 8601 time of the evaluation, if the file states it. */
  evaluatedAt: string | null;
  /** Names of the sensitive features, e.g. ["sex"] or ["sex", "age_band"]. */
  sensitiveFeatures: string[];
  controlFeatures: string[];
  overall: Partial<Record<FairnessMetric, number>>;
  groups: FairnessGroup[];
}

export type Comparison = '>=' | '>' | '<=' | '<';

/** A group left out of the disparities because it is too small, with the numbers that decided it. */
export interface ExcludedGroup {
  label: string;
  count: number | null;
  share: number | null;
  reason: string;
}

export interface DisparityValue {
  /** null when it cannot be computed (a metric missing, a zero denominator, fewer than two groups). */
  value: number | null;
  reason: string | null;
  /** Groups at the extremes that produce the value, e.g. lowest and highest selection rate. */
  between: [string, string] | null;
}

export interface DisparityReport {
  includedGroups: string[];
  excludedGroups: ExcludedGroup[];
  /** Per included group: selection rate / highest selection rate. */
  impactRatios: Record<string, number | null>;
  measures: Record<DisparityMeasure, DisparityValue>;
}

export type VerdictStatus = 'pass' | 'fail' | 'not-evaluable';

export interface FairnessVerdict {
  measure: DisparityMeasure;
  comparison: Comparison;
  bound: number;
  value: number | null;
  status: VerdictStatus;
  /** The stated legal or organisational basis of the threshold. */
  basis: string;
  /** Why it failed or could not be evaluated; null on pass. */
  reason: string | null;
}

/** The overall status of an evaluation or a model version: the worst of its verdicts. */
export type FairnessStatus = VerdictStatus | 'none';

/** One stored evaluation with what Docket derived from it under the current policy. */
export interface FairnessEvaluationView {
  id: number;
  format: FairnessFormat;
  dataset: { name: string | null; digest: string | null };
  producer: string | null;
  evaluatedAt: string | null;
  importedAt: string;
  sourceFile: string;
  sha256: string;
  sensitiveFeatures: string[];
  controlFeatures: string[];
  overall: Partial<Record<FairnessMetric, number>>;
  groups: FairnessGroup[];
  /** Total of group counts, when every group has one. */
  totalCount: number | null;
  report: DisparityReport;
  verdicts: FairnessVerdict[];
  status: FairnessStatus;
}

/** How a disparity moved from the previous version's evaluation to this one. */
export interface DisparityChange {
  measure: DisparityMeasure;
  sensitiveFeatures: string[];
  previous: number | null;
  current: number | null;
  /** current - previous; null when either is missing. */
  delta: number | null;
  /** True when the gap got worse: a difference grew or a ratio fell. */
  worsened: boolean;
}

export interface FairnessPolicySummary {
  name: string;
  version: string;
  minGroupCount: number;
  minGroupShare: number;
  thresholds: { measure: DisparityMeasure; comparison: Comparison; bound: number; basis: string }[];
}

/** Everything the fairness tab shows for one model version. */
export interface FairnessVersionView {
  model: string;
  version: string;
  policy: FairnessPolicySummary;
  evaluations: FairnessEvaluationView[];
  status: FairnessStatus;
  /** The latest earlier version that has an evaluation, and how the gaps changed; null if none. */
  comparison: { previousVersion: string; changes: DisparityChange[] } | null;
}
