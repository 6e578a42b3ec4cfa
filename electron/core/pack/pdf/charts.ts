// Vector charts drawn with pdfkit paths: labelled axes with units, a legend where there is more
// than one mark, threshold lines. Each chart takes its box and draws inside it; the caller
// reserves the space (so a chart never splits across pages).
import { COLOR, type Doc, fitText, setFont, SIZE } from './layout';
import { STATUS_COLORS, statusStyle, type StatusKind } from './format';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Round axis ticks from 0 to at least `max`: steps of 1, 2, 2.5 or 5 times a power of ten. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * pow >= raw) ?? 10) * pow;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks.length < 2) ticks.push(step);
  return ticks;
}

export function hline(doc: Doc, x1: number, x2: number, y: number, color: string, width = 0.4, dash?: number): void {
  doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color);
  if (dash) doc.dash(dash, { space: dash });
  doc.stroke().restore();
}

export function vline(doc: Doc, x: number, y1: number, y2: number, color: string, width = 0.4, dash?: number): void {
  doc.save().moveTo(x, y1).lineTo(x, y2).lineWidth(width).strokeColor(color);
  if (dash) doc.dash(dash, { space: dash });
  doc.stroke().restore();
}

export interface AxisFrame {
  plot: Box;
  ticks: number[];
  yOf: (v: number) => number;
}

/** Y axis with gridlines and tick labels, the unit written along the axis. */
export function yAxis(doc: Doc, box: Box, max: number, format: (v: number) => string, unit: string, bottomPad: number): AxisFrame {
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? 1;
  setFont(doc, 'regular', SIZE.tiny, COLOR.muted);
  const labelWidth = Math.max(...ticks.map((t) => doc.widthOfString(format(t)))) + 4;
  const plot: Box = { x: box.x + labelWidth + 12, y: box.y + 6, width: box.width - labelWidth - 12, height: box.height - 6 - bottomPad };
  const yOf = (v: number) => plot.y + plot.height - (v / top) * plot.height;
  for (const t of ticks) {
    const y = yOf(t);
    hline(doc, plot.x, plot.x + plot.width, y, t === 0 ? COLOR.muted : COLOR.rule, t === 0 ? 0.7 : 0.35);
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(format(t), box.x + 10, y - 3, { width: labelWidth, align: 'right', lineBreak: false });
  }
  // The unit, rotated along the axis.
  doc.save();
  doc.rotate(-90, { origin: [box.x + 3, plot.y + plot.height / 2] });
  setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(unit, box.x + 3 - plot.height / 2, plot.y + plot.height / 2 - 3, { width: plot.height, align: 'center', lineBreak: false });
  doc.restore();
  return { plot, ticks, yOf };
}

export interface BarChartSpec {
  box: Box;
  labels: string[];
  values: number[];
  format: (v: number) => string;
  unit: string;
  /** Bars drawn hatched-light, e.g. months that include Estimated days. */
  marked?: boolean[];
  markedLabel?: string;
  valueLabels?: boolean;
}

/** Vertical bars (one per label), axis in the unit, optional value labels above bars. */
export function barChart(doc: Doc, spec: BarChartSpec): void {
  const max = Math.max(0, ...spec.values);
  const frame = yAxis(doc, spec.box, max, spec.format, spec.unit, 16);
  const { plot } = frame;
  const n = Math.max(1, spec.values.length);
  const slot = plot.width / n;
  const barW = Math.min(28, slot * 0.7);
  const labelEvery = Math.max(1, Math.ceil(n / Math.floor(plot.width / 34)));
  spec.values.forEach((v, i) => {
    const cx = plot.x + slot * i + slot / 2;
    const y = frame.yOf(Math.max(0, v));
    const h = plot.y + plot.height - y;
    const marked = spec.marked?.[i] ?? false;
    doc.save().rect(cx - barW / 2, y, barW, h).fill(marked ? '#9dbbd9' : COLOR.accent).restore();
    if (marked) doc.save().rect(cx - barW / 2, y, barW, h).lineWidth(0.6).dash(1.5, { space: 1.5 }).strokeColor(COLOR.accent).stroke().restore();
    if (spec.valueLabels) {
      setFont(doc, 'regular', SIZE.tiny - 0.8, COLOR.ink);
      const text = spec.format(v);
      doc.text(text, cx - slot / 2, y - 8, { width: slot, align: 'center', lineBreak: false });
    }
    if (i % labelEvery === 0) setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(spec.labels[i] ?? '', cx - slot, plot.y + plot.height + 4, { width: slot * 2, align: 'center', lineBreak: false });
  });
  if (spec.marked?.some(Boolean) && spec.markedLabel) legend(doc, spec.box.x + spec.box.width, spec.box.y - 2, [{ color: '#9dbbd9', label: spec.markedLabel, dashed: true }]);
}

export interface LineChartSpec {
  box: Box;
  /** x labels (days) and values; null is a gap. */
  labels: string[];
  values: (number | null)[];
  format: (v: number) => string;
  unit: string;
  estimated?: boolean[];
  estimatedLabel?: string;
}

/** A daily line with point markers on Estimated days, first/last/ticks labelled on the x axis. */
export function lineChart(doc: Doc, spec: LineChartSpec): void {
  const values = spec.values.map((v) => v ?? 0);
  const frame = yAxis(doc, spec.box, Math.max(0, ...values), spec.format, spec.unit, 16);
  const { plot } = frame;
  const n = spec.values.length;
  const xOf = (i: number) => plot.x + (n <= 1 ? plot.width / 2 : (i / (n - 1)) * plot.width);
  // Area, then the line over it.
  doc.save();
  let started = false;
  spec.values.forEach((v, i) => {
    if (v === null) return;
    if (!started) {
      doc.moveTo(xOf(i), frame.yOf(0));
      started = true;
    }
    doc.lineTo(xOf(i), frame.yOf(v));
  });
  if (started) {
    const lastIndex = spec.values.map((v) => v !== null).lastIndexOf(true);
    doc.lineTo(xOf(lastIndex), frame.yOf(0)).closePath().fillOpacity(0.12).fill(COLOR.accent);
  }
  doc.restore();
  doc.save();
  let pen = false;
  spec.values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    if (!pen) doc.moveTo(xOf(i), frame.yOf(v));
    else doc.lineTo(xOf(i), frame.yOf(v));
    pen = true;
  });
  doc.lineWidth(1.1).strokeColor(COLOR.accent).stroke().restore();
  spec.values.forEach((v, i) => {
    if (v !== null && spec.estimated?.[i]) doc.save().circle(xOf(i), frame.yOf(v), 1.8).fillAndStroke('#ffffff', STATUS_COLORS.missing).restore();
  });
  const step = Math.max(1, Math.ceil(n / 7));
  for (let i = 0; i < n; i += step) {
    vline(doc, xOf(i), plot.y + plot.height, plot.y + plot.height + 2.5, COLOR.muted, 0.5);
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(spec.labels[i] ?? '', xOf(i) - 30, plot.y + plot.height + 4, { width: 60, align: 'center', lineBreak: false });
  }
  if (spec.estimated?.some(Boolean) && spec.estimatedLabel) legend(doc, spec.box.x + spec.box.width, spec.box.y - 2, [{ color: STATUS_COLORS.missing, label: spec.estimatedLabel, dot: true }]);
}

interface LegendItem {
  color: string;
  label: string;
  dashed?: boolean;
  dot?: boolean;
  line?: boolean;
}

/** A one-line legend, right-aligned at `right`. */
export function legend(doc: Doc, right: number, y: number, items: LegendItem[]): void {
  setFont(doc, 'regular', SIZE.tiny, COLOR.muted);
  const widths = items.map((it) => doc.widthOfString(it.label) + 16);
  let x = right - widths.reduce((a, b) => a + b, 0);
  items.forEach((it, i) => {
    if (it.dot) doc.save().circle(x + 4, y + 3, 2).fillAndStroke('#ffffff', it.color).restore();
    else if (it.line) doc.save().moveTo(x, y + 3).lineTo(x + 9, y + 3).lineWidth(1.2).dash(2, { space: 1.5 }).strokeColor(it.color).stroke().restore();
    else {
      doc.save().rect(x, y - 0.5, 8, 7).fill(it.color).restore();
      if (it.dashed) doc.save().rect(x, y - 0.5, 8, 7).lineWidth(0.5).dash(1.5, { space: 1.5 }).strokeColor(COLOR.accent).stroke().restore();
    }
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(it.label, x + 11, y, { lineBreak: false });
    x += widths[i] ?? 0;
  });
}

export interface DisparityRow {
  label: string;
  value: number | null;
  bound: number | null;
  comparison: string | null;
  status: StatusKind;
  /** Shown instead of a bar when the value is null. */
  reason?: string | null;
}

/**
 * One horizontal bar per disparity measure on a shared 0..max scale, the policy threshold drawn
 * as a dashed line across the bar's lane and the verdict written (text + symbol) at the right.
 */
export function disparityChart(doc: Doc, box: Box, rows: DisparityRow[], format: (v: number) => string): void {
  const labelWidth = 168;
  const verdictWidth = 92;
  const plot = { x: box.x + labelWidth, width: box.width - labelWidth - verdictWidth - 8 };
  const lane = (box.height - 18) / Math.max(1, rows.length);
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0), ...rows.map((r) => r.bound ?? 0));
  const ticks = niceTicks(max, 5);
  const top = ticks[ticks.length - 1] ?? 1;
  const xOf = (v: number) => plot.x + (Math.max(0, v) / top) * plot.width;
  const plotBottom = box.y + lane * rows.length;
  for (const t of ticks) {
    vline(doc, xOf(t), box.y, plotBottom, t === 0 ? COLOR.muted : COLOR.rule, t === 0 ? 0.7 : 0.35);
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(format(t), xOf(t) - 20, plotBottom + 3, { width: 40, align: 'center', lineBreak: false });
  }
  rows.forEach((r, i) => {
    const y = box.y + lane * i;
    const barH = Math.min(11, lane * 0.5);
    const barY = y + (lane - barH) / 2;
    const style = statusStyle(r.status);
    setFont(doc, 'regular', SIZE.small - 0.5, COLOR.ink);
    doc.text(fitText(doc, r.label, labelWidth - 8), box.x, barY + barH / 2 - 4, { width: labelWidth - 8, lineBreak: false });
    if (r.value !== null) {
      doc.save().rect(plot.x, barY, Math.max(0.8, xOf(r.value) - plot.x), barH).fill(style.color).restore();
      const text = format(r.value);
      setFont(doc, 'bold', SIZE.tiny, COLOR.ink);
      const tw = doc.widthOfString(text);
      const tx = xOf(r.value) + 3 + tw > plot.x + plot.width ? xOf(r.value) - tw - 3 : xOf(r.value) + 3;
      doc.fillColor(tx < xOf(r.value) ? '#ffffff' : COLOR.ink).text(text, tx, barY + barH / 2 - 3.4, { lineBreak: false });
    } else {
      setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(fitText(doc, `not computed${r.reason ? `: ${r.reason}` : ''}`, plot.width - 6), plot.x + 4, barY + barH / 2 - 3.4, { lineBreak: false });
    }
    if (r.bound !== null) {
      const bx = xOf(r.bound);
      vline(doc, bx, y + 2, y + lane - 2, COLOR.ink, 1.1, 2);
      setFont(doc, 'regular', SIZE.tiny - 0.6, COLOR.ink).text(`${r.comparison ?? ''} ${format(r.bound)}`, bx + 2, y + 1, { lineBreak: false });
    }
    setFont(doc, 'bold', SIZE.small - 0.5, style.color).text(`${style.symbol} ${style.text}`, box.x + box.width - verdictWidth, barY + barH / 2 - 4, { width: verdictWidth, align: 'right', lineBreak: false });
  });
  legend(doc, box.x + box.width, plotBottom + 3, [{ color: COLOR.ink, label: 'policy threshold', line: true }]);
}

/** A tiny bar sparkline for the summary (no axes; the caller writes the figures beside it). */
export function sparkBars(doc: Doc, box: Box, values: number[], highlight: number = values.length - 1): void {
  const max = Math.max(0, ...values);
  if (max <= 0) return;
  const slot = box.width / Math.max(1, values.length);
  values.forEach((v, i) => {
    const h = (Math.max(0, v) / max) * box.height;
    const last = i === highlight;
    doc.save().rect(box.x + slot * i + slot * 0.15, box.y + box.height - h, slot * 0.7, h).fill(last ? COLOR.accent : '#9dbbd9').restore();
  });
  hline(doc, box.x, box.x + box.width, box.y + box.height, COLOR.muted, 0.5);
}
