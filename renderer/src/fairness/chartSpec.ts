import type { ChartConfiguration } from 'chart.js';
import {
  FAIRNESS_METRICS,
  FAIRNESS_METRIC_LABELS,
  type FairnessEvaluationView,
  type FairnessMetric,
  type FairnessPolicySummary,
} from '../../../shared/domain/fairness';
import { featureList, fmt3, fmtBound } from './format';

/**
 * What one bar chart shows, built without chart.js or the DOM so it can be tested:
 * one bar per group, excluded groups flagged, and the policy's threshold lines that apply to the metric.
 */
export interface ThresholdLine {
  value: number;
  /** Full description, for the caption and the text summary. */
  label: string;
  /** What the chart writes next to the line. */
  short: string;
}

export interface BarSpec {
  label: string;
  value: number | null;
  count: number | null;
  /** Left out of the disparities (too small): drawn greyed and hatched. */
  excluded: boolean;
  /** An included group on the wrong side of a threshold line. */
  beyond: boolean;
}

export interface MetricChartSpec {
  metric: FairnessMetric;
  title: string;
  yTitle: string;
  xTitle: string;
  bars: BarSpec[];
  thresholds: ThresholdLine[];
  /** Text equivalent of the chart, for the canvas's aria-label. */
  summary: string;
}

/** The metrics at least one group reports, in Docket's order. */
export function chartMetrics(evaluation: Pick<FairnessEvaluationView, 'groups'>): FairnessMetric[] {
  return FAIRNESS_METRICS.filter((m) => evaluation.groups.some((g) => typeof g.metrics[m] === 'number'));
}

function ratioBound(policy: FairnessPolicySummary | undefined): number | null {
  const t =
    policy?.thresholds.find((x) => x.measure === 'disparate_impact_ratio' && (x.comparison === '>=' || x.comparison === '>')) ??
    policy?.thresholds.find((x) => x.measure === 'demographic_parity_ratio' && (x.comparison === '>=' || x.comparison === '>'));
  return t ? t.bound : null;
}

function differenceBound(policy: FairnessPolicySummary | undefined, measure: 'demographic_parity_difference' | 'equalized_odds_difference'): number | null {
  const t = policy?.thresholds.find((x) => x.measure === measure && (x.comparison === '<=' || x.comparison === '<'));
  return t ? t.bound : null;
}

/** The four-fifths rule: a group's selection rate should be at least 80% of the highest group's. */
export const FOUR_FIFTHS = 0.8;

export function buildMetricChartSpec(evaluation: FairnessEvaluationView, metric: FairnessMetric, policy?: FairnessPolicySummary): MetricChartSpec {
  const excludedLabels = new Set(evaluation.report.excludedGroups.map((g) => g.label));
  const bars: BarSpec[] = evaluation.groups.map((g) => {
    const v = g.metrics[metric];
    return { label: g.label, value: typeof v === 'number' ? v : null, count: g.count, excluded: excludedLabels.has(g.label), beyond: false };
  });
  const included = bars.filter((b) => !b.excluded && b.value !== null).map((b) => b.value as number);
  const highest = included.length > 0 ? Math.max(...included) : null;
  const metricLabel = FAIRNESS_METRIC_LABELS[metric];

  const thresholds: ThresholdLine[] = [];
  if (highest !== null) {
    if (metric === 'selection_rate') {
      // The policy's ratio bound if it has one; otherwise the four-fifths rule as the usual reference.
      const ratio = ratioBound(policy) ?? FOUR_FIFTHS;
      const pct = `${Math.round(ratio * 1000) / 10}%`;
      thresholds.push({
        value: ratio * highest,
        label: ratio === FOUR_FIFTHS ? '80% of highest (four-fifths rule)' : `${pct} of highest (policy ratio)`,
        short: `${pct} of highest`,
      });
      const diff = differenceBound(policy, 'demographic_parity_difference');
      if (diff !== null) thresholds.push({ value: highest - diff, label: `Highest − ${fmtBound(diff)} (demographic parity difference)`, short: `highest − ${fmtBound(diff)}` });
    } else if (metric === 'true_positive_rate' || metric === 'false_positive_rate') {
      const diff = differenceBound(policy, 'equalized_odds_difference');
      if (diff !== null) thresholds.push({ value: highest - diff, label: `Highest − ${fmtBound(diff)} (equalized odds difference)`, short: `highest − ${fmtBound(diff)}` });
    }
  }
  const usable = thresholds.filter((t) => t.value >= 0);
  for (const bar of bars) {
    if (!bar.excluded && bar.value !== null) bar.beyond = usable.some((t) => (bar.value as number) < t.value - 1e-12);
  }

  const features = featureList(evaluation.sensitiveFeatures);
  const parts = bars.map((b) => `${b.label} ${fmt3(b.value)}${b.excluded ? ' (excluded, too small)' : ''}${b.beyond ? ' (below the line)' : ''}`);
  const lines = usable.map((t) => `${t.label} at ${fmt3(t.value)}`);
  const summary = `${metricLabel} by group (${features}): ${parts.join('; ')}.${lines.length ? ` Threshold lines: ${lines.join('; ')}.` : ''}`;

  return {
    metric,
    title: `${metricLabel} by group`,
    yTitle: metricLabel,
    xTitle: `Group (${features})`,
    bars,
    thresholds: usable,
    summary,
  };
}

export interface ChartColors {
  bar: string;
  beyond: string;
  excluded: string | CanvasPattern;
  excludedBorder: string;
  threshold: string;
  text: string;
  grid: string;
}

/** The chart.js configuration for a spec (pure: the threshold lines are drawn by a plugin the component adds). */
export function toChartConfig(spec: MetricChartSpec, colors: ChartColors): ChartConfiguration<'bar', (number | null)[], string[]> {
  const fill = spec.bars.map((b) => (b.excluded ? colors.excluded : b.beyond ? colors.beyond : colors.bar));
  const border = spec.bars.map((b) => (b.excluded ? colors.excludedBorder : b.beyond ? colors.beyond : colors.bar));
  const legend: { text: string; color: string | CanvasPattern; stroke: string }[] = [{ text: 'Group', color: colors.bar, stroke: colors.bar }];
  if (spec.bars.some((b) => b.beyond)) legend.push({ text: 'Below a threshold line', color: colors.beyond, stroke: colors.beyond });
  if (spec.bars.some((b) => b.excluded)) legend.push({ text: 'Excluded (too small)', color: colors.excluded, stroke: colors.excludedBorder });
  return {
    type: 'bar',
    data: {
      labels: spec.bars.map((b) => (b.excluded ? [b.label, '(excluded)'] : [b.label])),
      datasets: [
        {
          label: spec.yTitle,
          data: spec.bars.map((b) => b.value),
          backgroundColor: fill as string[],
          borderColor: border,
          borderWidth: 1,
          maxBarThickness: 64,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { top: 8, right: 8 } },
      scales: {
        y: {
          min: 0,
          max: 1,
          title: { display: true, text: spec.yTitle, color: colors.text },
          ticks: { color: colors.text, stepSize: 0.2 },
          grid: { color: colors.grid },
        },
        x: {
          title: { display: true, text: spec.xTitle, color: colors.text },
          ticks: { color: colors.text, autoSkip: false },
          grid: { display: false },
        },
      },
      plugins: {
        legend: {
          display: legend.length > 1,
          position: 'bottom',
          labels: {
            color: colors.text,
            boxWidth: 14,
            generateLabels: () =>
              legend.map((l) => ({ text: l.text, fillStyle: l.color, strokeStyle: l.stroke, lineWidth: 1, fontColor: colors.text, hidden: false, datasetIndex: 0 })),
          },
          onClick: () => undefined,
        },
        tooltip: {
          callbacks: {
            title: (items) => spec.bars[items[0]?.dataIndex ?? 0]?.label ?? '',
            label: (item) => {
              const bar = spec.bars[item.dataIndex];
              if (!bar) return '';
              const n = bar.count === null ? '' : ` (n = ${bar.count.toLocaleString('en-US')})`;
              return `${spec.yTitle}: ${fmt3(bar.value)}${n}${bar.excluded ? ' · excluded from disparities' : ''}`;
            },
          },
        },
      },
    },
  };
}
