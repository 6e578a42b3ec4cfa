import { useEffect, useMemo, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import type { SpendChartData } from './chartData';
import { formatMoney } from './format';
import { canvasContext, cssVar, useColorSchemeTick } from '../components/chartSupport';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const SERIES_FALLBACK: readonly string[] = ['#2956c8', '#1b7a3e', '#b35c00', '#7b3fb8', '#0f7c86', '#b3261e', '#6b7a1a', '#b8327a', '#8a929e'];



/** A stacked bar chart of daily effective cost per group; without a 2D context (jsdom) only the caption and summary render. */
export function SpendChart({
  data,
  source,
  groupLabel,
  estimatedDays = [],
  tooltipFooter,
}: {
  data: SpendChartData;
  /** One line naming the source and when it was pulled. */
  source: string;
  groupLabel: string;
  /** Days AWS still flags Estimated: their ticks carry "≈". */
  estimatedDays?: readonly string[];
  /** The provenance lines of one day's figures (source, sync time, Estimated or final). */
  tooltipFooter?: (day: string) => string[];
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scheme = useColorSchemeTick();

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ctx = canvasContext(canvas);
    if (!ctx) return;
    const text = cssVar('--text-muted', '#5c6573');
    const grid = cssVar('--border', '#dde1e7');
    const surface = cssVar('--surface', '#ffffff');
    const { currency } = data;
    const estimated = new Set(estimatedDays);
    const config: ChartConfiguration<'bar', number[], string> = {
      type: 'bar',
      data: {
        labels: data.days,
        datasets: data.series.map((s, i) => {
          const colour = s.key === 'other' ? cssVar('--series-other', '#8a929e') : cssVar(`--series-${i + 1}`, SERIES_FALLBACK[i % 8] ?? '#2956c8');
          return { label: s.key, data: s.effective, backgroundColor: colour, borderColor: surface, borderWidth: { top: 1 }, stack: 'spend', barPercentage: 0.9, categoryPercentage: 0.9 };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'nearest', intersect: true },
        scales: {
          x: {
            stacked: true,
            ticks: {
              color: text,
              autoSkip: true,
              maxRotation: 0,
              maxTicksLimit: 12,
              callback: (value) => {
                const day = data.days[Number(value)] ?? '';
                return estimated.has(day) ? `≈ ${day}` : day;
              },
            },
            grid: { display: false },
            title: { display: true, text: estimated.size > 0 ? 'Day (UTC; ≈ Estimated)' : 'Day (UTC)', color: text },
          },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { color: text, callback: (v) => formatMoney(Number(v), currency) },
            grid: { color: grid },
            title: { display: true, text: `Effective cost (${currency})`, color: text },
          },
        },
        plugins: {
          legend: { position: 'bottom', labels: { color: text, boxWidth: 12, boxHeight: 12 } },
          tooltip: {
            callbacks: {
              title: (items) => {
                const item = items[0];
                if (!item) return '';
                const day = data.days[item.dataIndex] ?? '';
                return `${item.dataset.label ?? ''} · ${day}${estimated.has(day) ? ' · Estimated' : ''}`;
              },
              label: (item) => {
                const s = data.series[item.datasetIndex];
                if (!s) return '';
                const mark = estimated.has(data.days[item.dataIndex] ?? '') ? '≈ ' : '';
                return [`Effective: ${mark}${formatMoney(s.effective[item.dataIndex] ?? 0, currency)}`, `Billed: ${mark}${formatMoney(s.billed[item.dataIndex] ?? 0, currency)}`];
              },
              afterBody: (items) => {
                const s = items[0] ? data.series[items[0].datasetIndex] : undefined;
                return s && s.members.length > 0 ? [`Other: ${s.members.length} smaller groups`] : [];
              },
              footer: (items) => {
                const day = items[0] ? data.days[items[0].dataIndex] : undefined;
                return day && tooltipFooter ? tooltipFooter(day) : [source];
              },
            },
          },
        },
      },
    };
    const chart = new Chart(ctx, config);
    return () => chart.destroy();
  }, [data, source, scheme, estimatedDays, tooltipFooter]);

  const summary = useMemo(() => {
    const total = data.series.reduce((n, s) => n + s.effective.reduce((a, b) => a + b, 0), 0);
    const first = data.days[0] ?? '';
    const last = data.days[data.days.length - 1] ?? '';
    return `Stacked bar chart of daily effective cost in ${data.currency} by ${groupLabel}, ${first} to ${last}: ${formatMoney(total, data.currency)} across ${data.series.length} series (${data.series.map((s) => s.key).join(', ')}).`;
  }, [data, groupLabel]);

  return (
    <figure className="chart-figure spend-chart" data-testid="spend-chart" data-currency={data.currency}>
      <figcaption className="chart-caption">
        <span className="chart-title">
          Daily effective cost by {groupLabel} ({data.currency})
        </span>
        <span className="chart-note">
          Top 8 groups, the rest as “other”. {source}
          {estimatedDays.length > 0 && ` · ≈ ${estimatedDays.length} Estimated day${estimatedDays.length === 1 ? '' : 's'}.`}
          {data.otherCurrencies.length > 0 && (
            <strong data-testid="spend-chart-currency-note">
              {' '}
              Charting {data.currency}, the largest currency; {data.otherCurrencies.join(', ')} {data.otherCurrencies.length === 1 ? 'is' : 'are'} in the totals and table, not charted.
            </strong>
          )}
        </span>
      </figcaption>
      <div className="chart-box spend-chart-box">
        <canvas ref={canvasRef} role="img" aria-label={summary} />
      </div>
    </figure>
  );
}

export default SpendChart;
