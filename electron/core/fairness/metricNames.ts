import { FAIRNESS_METRICS, type FairnessMetric } from '../../../shared/domain/fairness';

/**
 * The one table of metric names the fairness parsers accept (MetricFrame JSON, by-group CSV): Fairlearn's
 * names and the scikit-learn / shorthand aliases people write. "count" is not a metric but a group's
 * sample size; MetricFrame exports often carry it as a metric column.
 */
export type MetricName = FairnessMetric | 'count';

export const METRIC_ALIASES: Readonly<Record<FairnessMetric, readonly string[]>> = {
  selection_rate: [],
  true_positive_rate: ['recall', 'recall_score', 'tpr'],
  false_positive_rate: ['fpr'],
  precision: ['precision_score'],
  accuracy: ['accuracy_score'],
};

const BY_NAME = new Map<string, MetricName>([['count', 'count']]);
for (const metric of FAIRNESS_METRICS) {
  BY_NAME.set(metric, metric);
  for (const alias of METRIC_ALIASES[metric]) BY_NAME.set(alias, metric);
}

/** The metric a name stands for (case and surrounding spaces ignored), or null when unknown. */
export function resolveMetricName(name: string): MetricName | null {
  return BY_NAME.get(name.trim().toLowerCase()) ?? null;
}

/** "selection_rate, true_positive_rate (recall, recall_score, tpr), ..., count" */
export const KNOWN_METRIC_NAMES = [
  ...FAIRNESS_METRICS.map((m) => (METRIC_ALIASES[m].length > 0 ? `${m} (${METRIC_ALIASES[m].join(', ')})` : m)),
  'count',
].join(', ');

export function unknownMetricReason(name: string): string {
  return `unknown metric "${name}"; known metrics: ${KNOWN_METRIC_NAMES}`;
}

/** Every FairnessMetric is a rate: a proportion in [0, 1]. */
export function isRate(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 1;
}

/** Display label of a group, as shared/domain/fairness.ts specifies. */
export { groupLabel } from '../../../shared/fairness/metrics';
