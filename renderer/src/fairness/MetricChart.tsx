import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type Plugin } from 'chart.js';
import { toChartConfig, type ChartColors, type MetricChartSpec, type ThresholdLine } from './chartSpec';
import { fmt3 } from './format';
import { canvasContext, cssVar, useColorSchemeTick } from '../components/chartSupport';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);


/** A diagonal hatch for excluded groups, so they read as different without colour. */
function hatch(stroke: string, background: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const ctx = tile.getContext('2d');
  if (!ctx) return background;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, 8, 8);
  ctx.strokeStyle = stroke;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(0, 8);
  ctx.lineTo(8, 0);
  ctx.moveTo(-2, 2);
  ctx.lineTo(2, -2);
  ctx.moveTo(6, 10);
  ctx.lineTo(10, 6);
  ctx.stroke();
  return ctx.createPattern(tile, 'repeat') ?? background;
}

/** Colours come from the design tokens, so the chart follows light and dark mode. */
function readColors(): ChartColors {
  const neutral = cssVar('--neutral', '#5c6573');
  return {
    bar: cssVar('--accent', '#2956c8'),
    beyond: cssVar('--bad', '#b3261e'),
    excluded: hatch(neutral, cssVar('--neutral-soft', '#eceff3')),
    excludedBorder: neutral,
    threshold: cssVar('--text', '#1a1f29'),
    text: cssVar('--text-muted', '#5c6573'),
    grid: cssVar('--border', '#dde1e7'),
  };
}

/** Draws each threshold as a dashed horizontal line with its label, after the bars. */
function thresholdPlugin(lines: readonly ThresholdLine[], color: string, background: string): Plugin<'bar'> {
  return {
    id: 'docketThresholds',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const y = scales.y;
      if (!y) return;
      lines.forEach((line, i) => {
        const py = y.getPixelForValue(line.value);
        if (py < chartArea.top || py > chartArea.bottom) return;
        ctx.save();
        ctx.strokeStyle = color;
        ctx.lineWidth = 1.5;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(chartArea.left, py);
        ctx.lineTo(chartArea.right, py);
        ctx.stroke();
        ctx.setLineDash([]);
        const text = `${line.short}: ${fmt3(line.value)}`;
        ctx.font = '600 12px system-ui, sans-serif';
        ctx.textAlign = 'right';
        // First label above its line, the next below, so two close lines stay readable.
        const above = i % 2 === 0;
        ctx.textBaseline = above ? 'bottom' : 'top';
        const tx = chartArea.right - 4;
        const ty = above ? py - 3 : py + 3;
        const w = ctx.measureText(text).width;
        ctx.fillStyle = background;
        ctx.globalAlpha = 0.85;
        ctx.fillRect(tx - w - 3, above ? ty - 15 : ty, w + 6, 15);
        ctx.globalAlpha = 1;
        ctx.fillStyle = color;
        ctx.fillText(text, tx, ty);
        ctx.restore();
      });
    },
  };
}


/** One bar chart in a figure; the canvas carries a text summary, and without a 2D context only the figure renders. */
export function MetricChart({ spec }: { spec: MetricChartSpec }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scheme = useColorSchemeTick();

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ctx = canvasContext(canvas);
    if (!ctx) return; // jsdom, or a canvas-less environment: caption and summary still render.
    const colors = readColors();
    const config = toChartConfig(spec, colors);
    config.plugins = [thresholdPlugin(spec.thresholds, colors.threshold, cssVar('--surface', '#ffffff'))];
    const chart = new Chart(ctx, config);
    return () => chart.destroy();
  }, [spec, scheme]);

  const lines = spec.thresholds.map((t) => `${t.label} at ${fmt3(t.value)}`).join('; ');
  return (
    <figure className="chart-figure" data-testid="fairness-chart" data-metric={spec.metric}>
      <figcaption className="chart-caption">
        <span className="chart-title">{spec.title}</span>
        {lines && <span className="chart-note">Dashed line: {lines}</span>}
      </figcaption>
      <div className="chart-box">
        <canvas ref={canvasRef} role="img" aria-label={spec.summary} />
      </div>
    </figure>
  );
}
