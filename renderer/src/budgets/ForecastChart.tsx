import { useEffect, useMemo, useRef } from 'react';
import { CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration, type Plugin } from 'chart.js';
import type { BudgetStatusView } from '../../../shared/budgets/budgetViews';
import { formatMoney } from '../../../shared/format/money';
import { canvasContext, cssVar, useColorSchemeTick } from '../components/chartSupport';
import { cumulativeSeries, levelLabel } from './format';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Filler, Tooltip, Legend);

/** '#2956c8' with an alpha, for a band that shows on light and dark surfaces alike. */
function withAlpha(colour: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour.trim());
  if (!m) return colour;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}

/** "Jan 14": the axis title carries the year. */
function shortDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

interface RuleLine {
  value: number;
  label: string;
  colour: string;
  dash: number[];
  width: number;
}

/** Horizontal lines across the plot (the budget and its thresholds), each labelled at its right end. */
function ruleLines(lines: RuleLine[]): Plugin<'line'> {
  return {
    id: 'budgetRules',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const y = scales.y;
      if (!y) return;
      ctx.save();
      ctx.font = '600 11px system-ui, sans-serif';
      ctx.textAlign = 'left';
      // Labels sit at the left end (a cumulative line is lowest there); a label that would overlap
      // the one above it goes under its own line instead.
      const placed: number[] = [];
      const sorted = [...lines].sort((a, b) => b.value - a.value);
      for (const line of sorted) {
        const py = y.getPixelForValue(line.value);
        if (py < chartArea.top - 1 || py > chartArea.bottom + 1) continue;
        ctx.strokeStyle = line.colour;
        ctx.lineWidth = line.width;
        ctx.setLineDash(line.dash);
        ctx.beginPath();
        ctx.moveTo(chartArea.left, py);
        ctx.lineTo(chartArea.right, py);
        ctx.stroke();
        ctx.setLineDash([]);
        const above = placed.every((p) => Math.abs(p - (py - 9)) >= 15) && py - 16 >= chartArea.top - 2;
        const centre = above ? py - 9 : py + 9;
        placed.push(centre);
        const text = line.label;
        const w = ctx.measureText(text).width;
        // Left end unless a plotted line runs through the label there; then the right end.
        const hits = (x0: number, x1: number) =>
          chart.data.datasets.some((_, di) => {
            const meta = chart.getDatasetMeta(di);
            return meta.data.some((pt, i) => {
              const raw = chart.data.datasets[di]!.data[i];
              return raw !== null && raw !== undefined && pt.x >= x0 && pt.x <= x1 && Math.abs(pt.y - centre) <= 9;
            });
          });
        const leftX = chartArea.left + 4;
        const rightX = chartArea.right - w - 12;
        const x = hits(leftX, leftX + w + 8) && !hits(rightX, rightX + w + 8) ? rightX : leftX;
        ctx.fillStyle = cssVar('--surface', '#ffffff');
        ctx.globalAlpha = 0.88;
        ctx.fillRect(x, centre - 7, w + 8, 14);
        ctx.globalAlpha = 1;
        ctx.fillStyle = line.colour;
        ctx.textBaseline = 'middle';
        ctx.fillText(text, x + 4, centre);
      }
      ctx.restore();
    },
  };
}

/**
 * Cumulative spend over the budget's period: the actual line, the forecast mean (dashed) with its
 * prediction interval shaded between the low and high lines, the budget as a labelled line and the
 * thresholds as fainter ones. Without a 2D context (jsdom) only the caption and summary render.
 */
export function ForecastChart({ status }: { status: BudgetStatusView }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scheme = useColorSchemeTick();
  const series = useMemo(() => cumulativeSeries(status), [status]);
  const { currency, amount, forecast } = status;
  const hasBand = series.some((p) => p.low !== null && p.high !== null && p.high > p.low);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ctx = canvasContext(canvas);
    if (!ctx) return;
    const text = cssVar('--text-muted', '#5c6573');
    const grid = cssVar('--border', '#dde1e7');
    const accent = cssVar('--accent', '#2956c8');
    const bad = cssVar('--bad', '#b3261e');
    const warn = cssVar('--warn', '#8a5a00');
    const bandFill = withAlpha(accent, 0.2);
    const labels = series.map((p) => p.day);
    const firstYear = status.periodStart.slice(0, 4);
    const lastYear = status.periodEnd.slice(0, 4);
    const years = firstYear === lastYear ? firstYear : `${firstYear}–${lastYear}`;
    const top = Math.max(amount, ...series.map((p) => Math.max(p.actual ?? 0, p.high ?? 0, p.forecast ?? 0)), ...status.thresholds.map((t) => t.trigger));
    const rules: RuleLine[] = [
      { value: amount, label: `Budget ${formatMoney(amount, currency)}`, colour: bad, dash: [], width: 2 },
      ...status.thresholds
        .filter((t) => Math.abs(t.trigger - amount) > amount * 0.005)
        .map((t) => ({ value: t.trigger, label: `${t.threshold.basis === 'actual' ? 'Actual' : 'Forecast'} threshold ${formatMoney(t.trigger, currency)}`, colour: warn, dash: [2, 3], width: 1 })),
    ];
    const config: ChartConfiguration<'line', (number | null)[], string> = {
      type: 'line',
      data: {
        labels,
        datasets: [
          { label: 'Actual (cumulative)', data: series.map((p) => p.actual), borderColor: accent, backgroundColor: accent, borderWidth: 2.5, pointStyle: 'line', pointRadius: 0, pointHitRadius: 6, spanGaps: false, order: 0 },
          { label: 'Forecast mean (dashed)', data: series.map((p) => p.forecast), borderColor: accent, backgroundColor: accent, borderDash: [6, 4], borderWidth: 2, pointStyle: 'line', pointRadius: 0, pointHitRadius: 6, spanGaps: false, order: 1 },
          // The band: the low line is invisible, the high line fills down to it.
          { label: 'Interval low', data: series.map((p) => p.low), borderColor: 'transparent', backgroundColor: 'transparent', pointRadius: 0, pointHitRadius: 0, fill: false, order: 3 },
          {
            label: forecast ? `${levelLabel(forecast.level)}` : 'Interval',
            data: series.map((p) => p.high),
            borderColor: 'transparent',
            backgroundColor: bandFill,
            pointStyle: 'rect',
            pointRadius: 0,
            pointHitRadius: 0,
            fill: '-1',
            order: 2,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: {
            ticks: { color: text, autoSkip: true, autoSkipPadding: 16, maxRotation: 0, maxTicksLimit: 10, callback: (value) => shortDay(labels[Number(value)] ?? '') },
            grid: { display: false },
            title: { display: true, text: `Day (UTC), ${years}`, color: text },
          },
          y: {
            beginAtZero: true,
            suggestedMax: top * 1.08,
            ticks: { color: text, callback: (v) => formatMoney(Number(v), currency) },
            grid: { color: grid },
            title: { display: true, text: `Cumulative ${status.definition.metric} cost (${currency})`, color: text },
          },
        },
        plugins: {
          legend: {
            position: 'bottom',
            labels: { color: text, usePointStyle: true, boxWidth: 28, boxHeight: 10, filter: (item) => item.text !== 'Interval low' && (hasBand || item.datasetIndex !== 3) && (hasBand || item.datasetIndex !== 1) },
          },
          tooltip: {
            filter: (item) => item.datasetIndex !== 2 && item.raw !== null,
            callbacks: {
              label: (item) => {
                const p = series[item.dataIndex];
                if (!p) return '';
                if (item.datasetIndex === 0) return `Actual so far: ${formatMoney(p.actual ?? 0, currency)}`;
                if (item.datasetIndex === 1) return `Forecast: ${formatMoney(p.forecast ?? 0, currency)}`;
                if (item.datasetIndex === 3 && p.low !== null && p.high !== null) return `Interval: ${formatMoney(p.low, currency)}–${formatMoney(p.high, currency)}`;
                return '';
              },
              footer: () => [`${status.definition.source === 'focus' ? 'FOCUS files' : status.definition.source}; data through ${status.dataThrough ?? 'none'}`],
            },
          },
        },
      },
      plugins: [ruleLines(rules)],
    };
    const chart = new Chart(ctx, config);
    return () => chart.destroy();
  }, [series, status, scheme, amount, currency, forecast, hasBand]);

  const summary = useMemo(() => {
    const last = series[series.length - 1];
    const actualLast = [...series].reverse().find((p) => p.actual !== null)?.actual ?? 0;
    const f = forecast && hasBand && last?.forecast != null ? ` Forecast for ${status.periodEnd}: ${formatMoney(last.forecast, currency)} (${levelLabel(forecast.level)} ${formatMoney(last.low ?? 0, currency)} to ${formatMoney(last.high ?? 0, currency)}).` : '';
    return `Line chart of cumulative spend from ${status.periodStart} to ${status.periodEnd}: ${formatMoney(actualLast, currency)} spent through ${status.dataThrough ?? 'no data'} against a budget of ${formatMoney(amount, currency)}.${f}`;
  }, [series, forecast, hasBand, status, currency, amount]);

  return (
    <figure className="chart-figure budget-chart" data-testid="budget-chart">
      <figcaption className="chart-caption">
        <span className="chart-title">Cumulative spend against the budget ({currency})</span>
        <span className="chart-note">
          Solid: actual. {hasBand && forecast ? `Dashed: forecast mean; shaded: the ${levelLabel(forecast.level)}. ` : ''}Red line: the budget; dotted: thresholds.
        </span>
      </figcaption>
      <div className="chart-box budget-chart-box">
        <canvas ref={canvasRef} role="img" aria-label={summary} data-testid="budget-chart-canvas" />
      </div>
    </figure>
  );
}
