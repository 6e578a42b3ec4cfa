// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { DocketApi } from '../../shared/ipc/bridge';
import type { ModelVersionDetail } from '../../shared/ipc/contract';
import type { IpcResult } from '../../shared/ipc/result';
import { FairnessTab } from '../../renderer/src/fairness/FairnessTab';
import { ModelDetail } from '../../renderer/src/models/ModelDetail';
import { buildMetricChartSpec, chartMetrics, toChartConfig } from '../../renderer/src/fairness/chartSpec';
import { formatDelta, formatThreshold, formatWithInterval } from '../../renderer/src/fairness/format';
import { POLICY, evaluation, fairnessView } from './fairnessFixture';

type Handler = (input: unknown) => IpcResult<unknown> | Promise<IpcResult<unknown>>;
let handlers: Record<string, Handler>;
const calls: { channel: string; input: unknown }[] = [];

beforeEach(() => {
  calls.length = 0;
  handlers = {};
  const api = {
    invoke: async (channel: string, input: unknown) => {
      calls.push({ channel, input });
      const h = handlers[channel];
      return h ? h(input) : { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `no ${channel}` } };
    },
    on: () => () => undefined,
  };
  (window as unknown as { docket: DocketApi }).docket = api as unknown as DocketApi;
  // jsdom has no canvas: getContext answers null, as it would without a 2D context.
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
});
afterEach(() => cleanup());

describe('FairnessTab', () => {
  it('shows the failing verdict with its basis and reason, flagged data-status="fail"', async () => {
    handlers['fairness/show'] = () => ({ ok: true, value: fairnessView() });
    render(<FairnessTab name="credit-scorer" version="2.0.0" />);
    const tab = await screen.findByTestId('fairness-tab');
    expect((await screen.findByTestId('fairness-status')).textContent).toContain('Fails policy');
    expect(within(tab).getByTestId('fairness-policy').textContent).toContain('default-fairness');

    const summary = screen.getByTestId('disparity-summary');
    const failing = summary.querySelectorAll('tr[data-status="fail"]');
    expect(failing).toHaveLength(2);
    const dir = summary.querySelector('tr[data-measure="disparate_impact_ratio"]')!;
    expect(dir.getAttribute('data-status')).toBe('fail');
    expect(dir.textContent).toContain('Disparate impact ratio (lowest impact ratio)');
    expect(dir.textContent).toContain('0.683');
    expect(dir.textContent).toContain('≥ 0.80');
    expect(dir.textContent).toContain('Four-fifths rule (EEOC Uniform Guidelines, 29 CFR 1607.4(D))');
    expect(dir.textContent).toContain('female is selected at 68% of the rate of male');
    expect(summary.querySelector('tr[data-measure="demographic_parity_difference"]')!.getAttribute('data-status')).toBe('pass');

    expect(calls[0]).toEqual({ channel: 'fairness/show', input: { name: 'credit-scorer', version: '2.0.0' } });
  });

  it('lists excluded groups and keeps them in the by-group table, marked', async () => {
    handlers['fairness/show'] = () => ({ ok: true, value: fairnessView() });
    render(<FairnessTab name="credit-scorer" version="2.0.0" />);
    const excluded = await screen.findByTestId('excluded-groups');
    expect(excluded.textContent).toContain('other');
    expect(excluded.textContent).toContain('fewer than 30 samples');
    expect(excluded.textContent).toContain('excluded from disparities');
    const table = screen.getByTestId('by-group-table');
    const other = table.querySelector('tr[data-group="other"]')!;
    expect(other.getAttribute('data-excluded')).toBe('true');
    expect(table.querySelector('tr[data-group="female"]')!.textContent).toContain('0.712 [0.68–0.74]');
    expect(table.querySelector('tr[data-group="female"]')!.textContent).toContain('0.683');
  });

  it('renders a figure, caption and text summary per metric even without a canvas context', async () => {
    handlers['fairness/show'] = () => ({ ok: true, value: fairnessView() });
    render(<FairnessTab name="credit-scorer" version="2.0.0" />);
    await screen.findByTestId('fairness-tab');
    const charts = await screen.findAllByTestId('fairness-chart');
    expect(charts.map((c) => c.getAttribute('data-metric'))).toEqual(['selection_rate', 'true_positive_rate', 'false_positive_rate', 'precision', 'accuracy']);
    const selection = charts[0]!;
    expect(selection.querySelector('figcaption')!.textContent).toContain('Selection rate by group');
    expect(selection.querySelector('figcaption')!.textContent).toContain('80% of highest (four-fifths rule) at 0.480');
    const label = selection.querySelector('canvas')!.getAttribute('aria-label')!;
    expect(label).toContain('female 0.410');
    expect(label).toContain('other 0.250 (excluded, too small)');
  });

  it('shows the worsened measures against the previous version', async () => {
    handlers['fairness/show'] = () => ({ ok: true, value: fairnessView() });
    render(<FairnessTab name="credit-scorer" version="2.0.0" />);
    const comparison = await screen.findByTestId('fairness-comparison');
    expect(comparison.textContent).toContain('1.4.0');
    const rows = within(comparison).getAllByTestId('comparison-row');
    const eod = rows.find((r) => r.getAttribute('data-measure') === 'equalized_odds_difference')!;
    expect(eod.getAttribute('data-worsened')).toBe('true');
    expect(eod.textContent).toContain('+0.042');
    expect(eod.textContent).toContain('gap grew');
    const dpd = rows.find((r) => r.getAttribute('data-measure') === 'demographic_parity_difference')!;
    expect(dpd.getAttribute('data-worsened')).toBe('false');
    expect(dpd.textContent).toContain('-0.020');
    expect(dpd.textContent).not.toContain('gap grew');
    expect(within(comparison).getAllByTestId('gap-grew')).toHaveLength(2);
  });

  it('says so when no earlier version has an evaluation', async () => {
    handlers['fairness/show'] = () => ({ ok: true, value: fairnessView({ comparison: null }) });
    render(<FairnessTab name="credit-scorer" version="2.0.0" />);
    expect((await screen.findByTestId('fairness-comparison')).textContent).toContain('No earlier version with a fairness evaluation');
  });

  it('teaches formats and the CLI when there is no evaluation', async () => {
    handlers['fairness/show'] = () => ({ ok: true, value: fairnessView({ evaluations: [], status: 'none', comparison: null }) });
    render(<FairnessTab name="credit-scorer" version="2.0.0" />);
    const empty = await screen.findByTestId('fairness-empty');
    expect(screen.getByTestId('fairness-status').textContent).toContain('No fairness evaluation yet');
    expect(empty.textContent).toContain('Fairlearn MetricFrame JSON');
    expect(empty.textContent).toContain('group,metric,value,count');
    expect(empty.textContent).toContain('group,tp,fp,tn,fn');
    expect(empty.textContent).toContain('docket import fairness <file> --model <name>@<version>');
    expect(screen.queryByTestId('disparity-summary')).toBeNull();
    expect(screen.queryByTestId('fairness-chart')).toBeNull();
  });

  it('imports for this version and shows rejected files', async () => {
    let shows = 0;
    handlers['fairness/show'] = () => {
      shows += 1;
      return { ok: true, value: fairnessView({ evaluations: [], status: 'none', comparison: null }) };
    };
    handlers['dialog/pickFairnessPaths'] = () => ({ ok: true, value: { paths: ['/evals/bad.csv'] } });
    handlers['fairness/import'] = () => ({
      ok: true,
      value: { imported: 0, unchanged: 0, syncRunId: null, rejected: [{ file: '/evals/bad.csv', location: 'line 3', reason: 'count is not a number' }] },
    });
    render(<FairnessTab name="credit-scorer" version="2.0.0" />);
    const button = await screen.findByTestId('fairness-import-button');
    await act(async () => fireEvent.click(button));
    const errors = await screen.findByTestId('import-errors');
    expect(errors.textContent).toContain('count is not a number');
    expect(calls.find((c) => c.channel === 'fairness/import')?.input).toEqual({ paths: ['/evals/bad.csv'], model: 'credit-scorer', version: '2.0.0' });
    await waitFor(() => expect(shows).toBe(2));
  });
});

function detail(): ModelVersionDetail {
  return {
    name: 'credit-scorer',
    version: '2.0.0',
    versions: [
      { version: '2.0.0', importedAt: '2026-01-12T00:00:00Z' },
      { version: '1.4.0', importedAt: '2025-10-01T00:00:00Z' },
    ],
    tags: [],
    aliases: [],
    card: { format: 'huggingface', modelName: 'credit-scorer', version: '2.0.0', summary: null, license: 'MIT', owners: [], tags: [], datasets: [], sections: {}, metrics: [] },
    completeness: { present: [], empty: [], missing: [], ratio: 0 },
    source: { file: '/cards/README.md', format: 'huggingface', sha256: 'ab'.repeat(32), importedAt: '2026-01-12T00:00:00Z', syncRunId: 1 },
  } as unknown as ModelVersionDetail;
}

describe('ModelDetail tabs', () => {
  it('is an accessible tablist kept in the URL; arrow keys switch tabs', async () => {
    handlers['models/show'] = () => ({ ok: true, value: detail() });
    handlers['fairness/show'] = () => ({ ok: true, value: fairnessView() });
    window.location.hash = '#/models/credit-scorer@2.0.0';
    const { rerender } = render(<ModelDetail name="credit-scorer" version="2.0.0" tab="card" />);
    const tablist = await screen.findByRole('tablist');
    const tabs = within(tablist).getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['Card', 'Fairness', 'Lineage', 'History']);
    expect(tabs[0]!.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(tabs[0]!.id);
    expect(screen.queryByTestId('fairness-tab')).toBeNull();

    fireEvent.keyDown(tabs[0]!, { key: 'ArrowRight' });
    expect(window.location.hash).toBe('#/models/credit-scorer@2.0.0/fairness');
    rerender(<ModelDetail name="credit-scorer" version="2.0.0" tab="fairness" />);
    expect(screen.getByTestId('tab-fairness').getAttribute('aria-selected')).toBe('true');
    expect(await screen.findByTestId('fairness-tab')).toBeTruthy();
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(screen.getByTestId('tab-fairness').id);

    fireEvent.change(screen.getByTestId('version-select'), { target: { value: '1.4.0' } });
    expect(window.location.hash).toBe('#/models/credit-scorer@1.4.0/fairness');
    fireEvent.keyDown(screen.getByTestId('tab-fairness'), { key: 'ArrowLeft' });
    expect(window.location.hash).toBe('#/models/credit-scorer@2.0.0');
  });
});

describe('chart construction', () => {
  it('draws the four-fifths line at 0.8 × the highest included selection rate and flags excluded groups', () => {
    const spec = buildMetricChartSpec(evaluation(), 'selection_rate', POLICY);
    expect(spec.yTitle).toBe('Selection rate');
    expect(spec.xTitle).toBe('Group (sex)');
    // 'other' (0.25) is excluded; the highest included is male at 0.6.
    expect(spec.thresholds[0]!.value).toBeCloseTo(0.8 * 0.6, 10);
    expect(spec.thresholds[0]!.label).toBe('80% of highest (four-fifths rule)');
    expect(spec.thresholds[1]!.value).toBeCloseTo(0.6 - 0.2, 10);
    expect(spec.bars.map((b) => [b.label, b.excluded, b.beyond])).toEqual([
      ['female', false, true],
      ['male', false, false],
      ['other', true, false],
    ]);
  });

  it('uses the four-fifths rule when the policy has no ratio bound, and the equalized odds bound on TPR/FPR', () => {
    const noRatio = { ...POLICY, thresholds: POLICY.thresholds.filter((t) => t.measure === 'equalized_odds_difference') };
    const spec = buildMetricChartSpec(evaluation(), 'selection_rate', noRatio);
    expect(spec.thresholds).toHaveLength(1);
    expect(spec.thresholds[0]!.value).toBeCloseTo(0.48, 10);
    const tpr = buildMetricChartSpec(evaluation(), 'true_positive_rate', POLICY);
    expect(tpr.thresholds).toHaveLength(1);
    expect(tpr.thresholds[0]!.value).toBeCloseTo(0.86 - 0.1, 10);
    expect(buildMetricChartSpec(evaluation(), 'precision', POLICY).thresholds).toEqual([]);
  });

  it('builds a 0–1 bar chart config with excluded groups labelled and greyed', () => {
    const spec = buildMetricChartSpec(evaluation(), 'selection_rate', POLICY);
    const colors = { bar: 'blue', beyond: 'red', excluded: 'grey', excludedBorder: 'darkgrey', threshold: 'black', text: 'black', grid: 'silver' };
    const config = toChartConfig(spec, colors);
    expect(config.data.labels).toEqual([['female'], ['male'], ['other', '(excluded)']]);
    expect(config.data.datasets[0]!.data).toEqual([0.41, 0.6, 0.25]);
    expect(config.data.datasets[0]!.backgroundColor).toEqual(['red', 'blue', 'grey']);
    const y = config.options!.scales!.y!;
    expect([y.min, y.max]).toEqual([0, 1]);
    expect((y as { title: { text: string } }).title.text).toBe('Selection rate');
    expect(chartMetrics({ groups: [{ values: ['a'], label: 'a', count: 1, metrics: { accuracy: 0.5 } }] })).toEqual(['accuracy']);
  });

  it('formats thresholds, intervals and deltas', () => {
    expect(formatThreshold('>=', 0.8)).toBe('≥ 0.80');
    expect(formatThreshold('<=', 0.025)).toBe('≤ 0.025');
    expect(formatWithInterval(0.712, { lower: 0.68, upper: 0.74 })).toBe('0.712 [0.68–0.74]');
    expect(formatDelta(0.0421)).toBe('+0.042');
    expect(formatDelta(-0.0131)).toBe('-0.013');
    expect(formatDelta(0)).toBe('0.000');
    expect(formatDelta(null)).toBe('—');
  });
});
