import { DISPARITY_LABELS, FAIRNESS_METRICS, FAIRNESS_METRIC_LABELS, type FairnessVersionView } from '../../shared/domain/fairness';
import { formatTable } from './output';

const fixed = (value: number | null | undefined, digits = 3) => (value === null || value === undefined ? '—' : value.toFixed(digits));
const STATUS_TEXT = { pass: 'PASS', fail: 'FAIL', 'not-evaluable': 'NOT EVALUABLE', none: 'NO EVALUATION' } as const;

/** The fairness of one model version as a person reads it in a terminal. */
export function formatFairness(view: FairnessVersionView): string {
  const lines = [`${view.model} @ ${view.version}: fairness ${STATUS_TEXT[view.status]} under ${view.policy.name} ${view.policy.version}`];
  if (view.evaluations.length === 0) lines.push('No fairness evaluation. Import one: docket import fairness <file> --model <name>@<version>');
  for (const e of view.evaluations) {
    lines.push('', `Sensitive features: ${e.sensitiveFeatures.join(' × ')}   dataset: ${e.dataset.name ?? '—'}   file: ${e.sourceFile}`);
    lines.push(
      formatTable(
        ['GROUP', 'COUNT', ...FAIRNESS_METRICS.map((m) => FAIRNESS_METRIC_LABELS[m].toUpperCase())],
        e.groups.map((g) => [g.label + (e.report.excludedGroups.some((x) => x.label === g.label) ? ' (excluded)' : ''), g.count ?? '—', ...FAIRNESS_METRICS.map((m) => fixed(g.metrics[m]))]),
      ),
    );
    for (const x of e.report.excludedGroups) lines.push(`Excluded from disparities: ${x.label}: ${x.reason}`);
    for (const v of e.verdicts) {
      lines.push(`${STATUS_TEXT[v.status].padEnd(13)} ${DISPARITY_LABELS[v.measure]} = ${fixed(v.value)} (${v.comparison} ${v.bound})${v.reason ? `: ${v.reason}` : ''}`);
      lines.push(`              basis: ${v.basis}`);
    }
  }
  if (view.comparison) {
    const worse = view.comparison.changes.filter((c) => c.worsened);
    lines.push('', `Compared with ${view.comparison.previousVersion}: ${worse.length === 0 ? 'no gap grew' : worse.map((c) => `${DISPARITY_LABELS[c.measure]} ${fixed(c.previous)} → ${fixed(c.current)}`).join('; ')}`);
  }
  return lines.join('\n');
}
