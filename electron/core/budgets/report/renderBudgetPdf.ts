// The FinOps budget report as a PDF, drawn with the audit pack's building blocks (page geometry,
// fonts, headings, tables, axes) so both documents read alike. Page 1 answers "will we overrun?"
// for every budget at once; then each budget has a section (one bookmark each) with its figures,
// thresholds, one cumulative-spend chart, its months and its anomalies.
// Deterministic: the same report (its generatedAt is the clock) and fonts give the same bytes.
import type { AlertState, BudgetReport, BudgetReportBudget } from '../../../../shared/budgets/types';
import { openDocketPdf } from '../../pack/pdf/document';
import { type Box, hline, vline, yAxis } from '../../pack/pdf/charts';
import { formatDay, formatMoney, formatMoneyShort, formatPercent, formatSignedMoney, formatTime, plural, STATUS_COLORS, statusStyle } from '../../pack/pdf/format';
import { bookmark, type Cell, COLOR, CONTENT_WIDTH, type Ctx, type Doc, ensureSpace, fitText, heading, keyValues, left, note, PAGE, paragraph, pill, sectionTitle, setFont, SIZE, table } from '../../pack/pdf/layout';

export interface RenderBudgetPdfOptions {
  /** Folder holding DejaVuSans.ttf, DejaVuSans-Bold.ttf and DejaVuSansMono.ttf (resources/fonts). */
  fontsDir: string;
}

const BAND_COLOR = '#9dbbd9';
const BUDGET_COLOR = STATUS_COLORS.fail;

/** A state as symbol, word and colour (never colour alone). Future months have no state yet. */
export function budgetStateStyle(state: AlertState | null): { symbol: string; text: string; color: string } {
  if (state === 'ALARM') return { symbol: '⚠', text: 'ALARM', color: STATUS_COLORS.fail };
  if (state === 'OK') return statusStyle('ok');
  return { symbol: '–', text: 'not yet', color: STATUS_COLORS.neutral };
}

export function budgetStateLabel(state: AlertState | null): string {
  const s = budgetStateStyle(state);
  return `${s.symbol} ${s.text}`;
}

/** The forecast's range as the report writes it: "$14,100.00 – $16,850.00". */
export function forecastRangeText(low: number | null, high: number | null, currency: string): string | null {
  return low === null || high === null ? null : `${formatMoney(low, currency)} – ${formatMoney(high, currency)}`;
}

/**
 * The line under a period-end figure: its interval, or why there is none. An ended period's figure
 * is the actual total, so it says so rather than showing an interval of one value.
 */
function forecastSubline(b: BudgetReportBudget): string {
  if (b.forecast === null) return 'no forecast';
  if (b.periodEnded) return 'period ended: actual total';
  const range = forecastRangeText(b.forecastLow, b.forecastHigh, b.currency);
  return range ? `interval ${range}` : 'no interval';
}

function reportClock(iso: string): Date {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`renderBudgetPdf: report.generatedAt is not a date: ${JSON.stringify(iso)}`);
  // PDF dates carry whole seconds; truncate so the info dictionary (and so /ID) ignores milliseconds.
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** Fixed metadata: no library version, so upgrades alone do not change bytes; /ID derives from it. */
export function budgetPdfInfo(report: BudgetReport): PDFKit.DocumentInfo {
  const when = reportClock(report.generatedAt);
  return {
    Title: 'Docket budget report',
    Author: 'Docket',
    Subject: `FinOps budget report as of ${report.asOf}: ${plural(report.budgets.length, 'budget')}`,
    Keywords: `budget report, as-of:${report.asOf}, schema:${report.schema}`,
    Creator: 'Docket',
    Producer: 'Docket budget report renderer (pdfkit)',
    CreationDate: when,
    ModDate: when,
  };
}

export async function renderBudgetPdf(report: BudgetReport, options: RenderBudgetPdfOptions): Promise<Buffer> {
  const { doc, done } = openDocketPdf({ fontsDir: options.fontsDir, info: budgetPdfInfo(report), caller: 'renderBudgetPdf' });
  setFont(doc, 'regular', SIZE.body);

  const ctx: Ctx = { doc, outline: doc.outline };
  drawSummaryPage(ctx, report);
  for (const budget of report.budgets) drawBudgetSection(ctx, report, budget);
  runningHeadAndFoot(doc, report);
  doc.end();
  return done;
}

function drawSummaryPage(ctx: Ctx, report: BudgetReport): void {
  const { doc } = ctx;
  const x = left();
  bookmark(doc, ctx.outline, 'Summary', 0);
  doc.save().rect(0, 0, PAGE.width, 8).fill(COLOR.accent).restore();
  doc.y = 84;
  setFont(doc, 'bold', SIZE.small, COLOR.accent).text('DOCKET · FINOPS BUDGET REPORT', x, doc.y, { width: CONTENT_WIDTH, characterSpacing: 1.2 });
  doc.y += 8;
  setFont(doc, 'bold', SIZE.title, COLOR.ink).text('Budget report', x, doc.y, { width: CONTENT_WIDTH });
  const alarms = report.budgets.filter((b) => b.state === 'ALARM').length;
  setFont(doc, 'regular', SIZE.h2, COLOR.muted).text(`as of ${report.asOf} · ${plural(report.budgets.length, 'budget')}, ${alarms} in ALARM`, x, doc.y + 2, { width: CONTENT_WIDTH });
  doc.y += 16;
  keyValues(doc, [
    ['As of', report.asOf],
    ['Spend source', report.source],
    ['Generated', formatTime(report.generatedAt)],
  ], { labelWidth: 96 });

  heading(ctx, 'Budgets at a glance', { keep: 80 });
  if (report.budgets.length === 0) {
    paragraph(doc, '– No budgets are defined.', { color: COLOR.muted });
    return;
  }
  table(
    doc,
    [
      { header: 'Budget', flex: 1 },
      { header: 'Amount', width: 72, align: 'right' },
      { header: 'Actual to date', width: 78, align: 'right' },
      { header: 'Forecast, period end', width: 100, align: 'right' },
      { header: 'State', width: 64 },
    ],
    report.budgets.map((b): Cell[] => {
      const state = budgetStateStyle(b.state);
      return [
        [
          { text: b.name, font: 'bold' },
          { text: `${b.scopeLabel} · ${b.periodLabel}`, color: COLOR.muted, size: SIZE.tiny },
        ],
        [{ text: formatMoney(b.amount, b.currency), font: 'bold' }],
        [
          { text: formatMoney(b.actual, b.currency) },
          { text: `${formatPercent(b.amount > 0 ? b.actual / b.amount : 0)} of budget`, color: COLOR.muted, size: SIZE.tiny },
        ],
        b.forecast === null
          ? [{ text: '—' }, { text: 'no forecast', color: COLOR.muted, size: SIZE.tiny }]
          : [
              { text: formatMoney(b.forecast, b.currency), font: 'bold', color: b.forecast > b.amount ? STATUS_COLORS.fail : COLOR.ink },
              { text: b.periodEnded ? 'period ended' : (forecastRangeText(b.forecastLow, b.forecastHigh, b.currency) ?? ''), color: COLOR.muted, size: SIZE.tiny },
            ],
        [
          { text: `${state.symbol} ${state.text}`, font: 'bold', color: state.color },
          ...(b.stateChangedAt ? [{ text: `since ${formatDay(b.stateChangedAt)}`, color: COLOR.muted, size: SIZE.tiny }] : []),
        ],
      ];
    }),
    { size: SIZE.small + 0.5, pad: 4.5 },
  );
  note(doc, `Source: ${report.source}. Figures as of ${report.asOf}; actual is spend in each budget’s period so far. Forecast is the expected period-end total, with its prediction interval beneath (method on each budget’s page).`);
  note(doc, '✓ OK: no alert threshold is crossed. ⚠ ALARM: at least one threshold (actual or forecasted) is crossed. Amounts are in each budget’s own currency and are never summed across currencies.');
}

function drawBudgetSection(ctx: Ctx, report: BudgetReport, b: BudgetReportBudget): void {
  const { doc } = ctx;
  // A custom period's label already is its dates; a recurring one's ("November 2026") is not.
  const dates = b.periodLabel.includes(b.periodStart) ? '' : `, ${b.periodStart} to ${b.periodEnd}`;
  const item = sectionTitle(ctx, b.name, `${b.scopeLabel} · ${b.periodLabel}${dates} · ${b.currency}, ${b.metric} cost · spend data through ${b.dataThrough ?? '— (no spend yet)'}`);

  const state = budgetStateStyle(b.state);
  const pillY = doc.y;
  const w = pill(doc, `${state.symbol} ${state.text}`, left(), pillY, state.color, SIZE.body);
  const since = b.stateChangedAt ? `since ${formatTime(b.stateChangedAt)}` : 'no change of state recorded';
  setFont(doc, 'regular', SIZE.body, COLOR.muted).text(since, left() + w + 10, pillY + 3, { width: CONTENT_WIDTH - w - 10 });
  doc.y = pillY + 26;

  drawKeyFigures(doc, b);

  const pairs: [string, Cell][] = [
    ['Forecast method', b.forecastMethod ?? 'No forecast could be made for this period.'],
    ['Alerts use', b.alertForecast],
  ];
  if (!b.awsForecast) pairs.push(['AWS forecast', [{ text: 'not available (no Cost Explorer forecast for this scope and period)', color: COLOR.muted }]]);
  keyValues(doc, pairs, { labelWidth: 104, size: SIZE.small + 0.5 });
  if (b.awsForecast) {
    const aws = b.awsForecast;
    table(
      doc,
      [
        { header: 'Forecast of the period-end total', flex: 1 },
        { header: 'Mean', width: 84, align: 'right' },
        { header: 'Low', width: 84, align: 'right' },
        { header: 'High', width: 84, align: 'right' },
      ],
      [
        [`Docket${b.alertForecast.startsWith('Docket') ? ' (drives the alerts)' : ''}`, [{ text: b.forecast === null ? '—' : formatMoney(b.forecast, b.currency), font: 'bold' }], b.forecastLow === null ? '—' : formatMoney(b.forecastLow, b.currency), b.forecastHigh === null ? '—' : formatMoney(b.forecastHigh, b.currency)],
        [`AWS Cost Explorer, fetched ${formatTime(aws.fetchedAt)}${b.alertForecast.startsWith('AWS') ? ' (drives the alerts)' : ''}`, [{ text: formatMoney(aws.mean, b.currency), font: 'bold' }], aws.low === null ? '—' : formatMoney(aws.low, b.currency), aws.high === null ? '—' : formatMoney(aws.high, b.currency)],
      ],
      { zebra: false },
    );
  }

  heading(ctx, 'Thresholds', { parent: item, keep: 40 + 18 * b.thresholds.length });
  if (b.thresholds.length === 0) paragraph(doc, '– No alert thresholds are set.', { color: COLOR.muted });
  else
    table(
      doc,
      [
        { header: 'Threshold', flex: 1 },
        { header: 'State', width: 80 },
        { header: 'Changed', width: 120 },
      ],
      b.thresholds.map((t): Cell[] => {
        const s = budgetStateStyle(t.state);
        return [t.label, [{ text: `${s.symbol} ${s.text}`, font: 'bold', color: s.color }], t.changedAt ? formatTime(t.changedAt) : [{ text: 'never', color: COLOR.muted }]];
      }),
    );

  heading(ctx, 'Cumulative spend', { parent: item, keep: CHART_HEIGHT + 50 });
  drawCumulativeChart(doc, b);

  heading(ctx, 'Months', { parent: item, keep: 70 });
  table(
    doc,
    [
      { header: 'Month', flex: 1 },
      { header: 'Planned', width: 84, align: 'right' },
      { header: 'Actual', width: 84, align: 'right' },
      { header: 'Forecast', width: 84, align: 'right' },
      { header: 'Variance', width: 84, align: 'right' },
      { header: 'State', width: 64 },
    ],
    b.months.map((m): Cell[] => {
      const s = budgetStateStyle(m.state);
      return [
        [{ text: m.month, font: 'bold' }, { text: m.status, color: COLOR.muted, size: SIZE.tiny }],
        [{ text: formatMoney(m.planned, b.currency) }, { text: m.plannedSource === 'planned' ? 'planned' : 'pro-rata', color: COLOR.muted, size: SIZE.tiny }],
        formatMoney(m.actual, b.currency),
        m.forecast === null ? [{ text: '—', color: COLOR.muted }] : formatMoney(m.forecast, b.currency),
        [{ text: formatSignedMoney(m.variance, b.currency), color: m.variance > 0 ? STATUS_COLORS.fail : COLOR.ink }],
        [{ text: `${s.symbol} ${s.text}`, font: 'bold', color: s.color }],
      ];
    }),
  );
  note(doc, 'Planned: the user’s plan for the month, or the budget spread over the period’s days (pro-rata). Forecast: actual for closed months, actual plus forecast for the current month, forecast for later months. Variance: (forecast, else actual) minus planned; positive is over plan.');

  heading(ctx, 'Anomalies', { parent: item, keep: 50 });
  if (b.anomalies.length === 0) paragraph(doc, 'No anomalies in this period.', { color: COLOR.muted });
  else {
    table(
      doc,
      [
        { header: 'Day', width: 64 },
        { header: 'Model', flex: 1 },
        { header: 'Actual', width: 72, align: 'right' },
        { header: 'Expected', width: 72, align: 'right' },
        { header: 'Impact', width: 72, align: 'right' },
        { header: 'Verdict', width: 70 },
      ],
      b.anomalies.map((a): Cell[] => [a.day, a.model, formatMoney(a.actual, b.currency), formatMoney(a.expected, b.currency), [{ text: formatSignedMoney(a.impact, b.currency), font: 'bold' }], a.verdict ?? [{ text: 'not reviewed', color: COLOR.muted }]]),
      { detail: (i) => [{ text: `Driver: ${b.anomalies[i]?.driver ?? 'no breakdown explains it'}`, size: SIZE.tiny + 0.4, color: COLOR.muted }] },
    );
    note(doc, `Impact: actual minus the expected cost for the day. ${report.source ? `Source: ${report.source}.` : ''}`);
  }
}

/** Four figures side by side, right-aligned in their tiles so digits line up. */
function drawKeyFigures(doc: Doc, b: BudgetReportBudget): void {
  const gap = 8;
  const tileW = (CONTENT_WIDTH - gap * 3) / 4;
  const tileH = 62;
  ensureSpace(doc, tileH + 10);
  const y = doc.y;
  const over = b.forecast === null ? null : b.forecast - b.amount;
  const tiles: { label: string; value: string; sub: string; color?: string }[] = [
    { label: 'BUDGET', value: formatMoney(b.amount, b.currency), sub: b.periodLabel },
    { label: 'ACTUAL TO DATE', value: formatMoney(b.actual, b.currency), sub: `${formatPercent(b.amount > 0 ? b.actual / b.amount : 0)} of budget` },
    // An ended period's figure is no forecast: the labels say what the budget page says.
    { label: b.periodEnded ? 'PERIOD-END TOTAL' : 'FORECAST, PERIOD END', value: b.forecast === null ? '—' : formatMoney(b.forecast, b.currency), sub: forecastSubline(b), color: over !== null && over > 0 ? STATUS_COLORS.fail : COLOR.ink },
    { label: b.periodEnded ? 'ACTUAL VS BUDGET' : 'FORECAST VS BUDGET', value: over === null ? '—' : formatSignedMoney(over, b.currency), sub: over === null ? 'no forecast' : over > 0 ? 'over budget' : 'under budget', color: over === null ? COLOR.muted : over > 0 ? STATUS_COLORS.fail : STATUS_COLORS.pass },
  ];
  tiles.forEach((t, i) => {
    const x = left() + i * (tileW + gap);
    doc.save().roundedRect(x, y, tileW, tileH, 3).fill(COLOR.zebra).restore();
    const inner = tileW - 16;
    setFont(doc, 'bold', SIZE.tiny, COLOR.muted).text(fitText(doc, t.label, inner - 4), x + 8, y + 7, { width: inner, align: 'right', lineBreak: false });
    setFont(doc, 'bold', SIZE.h2, t.color ?? COLOR.ink);
    doc.text(fitText(doc, t.value, inner), x + 8, y + 19, { width: inner, align: 'right', lineBreak: false });
    // The note under the figure may take two lines (a long period label, an interval), never more.
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(t.sub, x + 8, y + 37, { width: inner, align: 'right', lineGap: 0.5, height: SIZE.tiny * 2.6, ellipsis: true });
  });
  doc.y = y + tileH + 10;
}

const CHART_HEIGHT = 190;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "19 Nov". */
function shortDay(day: string): string {
  return `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1] ?? day.slice(5, 7)}`;
}

/**
 * Cumulative spend over the period: actual (solid), then the forecast mean (dashed) inside its
 * shaded interval, the budget as a labelled horizontal line, and where the data ends.
 */
function drawCumulativeChart(doc: Doc, b: BudgetReportBudget): void {
  const points = b.cumulative;
  if (points.length === 0) {
    paragraph(doc, '– No daily figures for this period.', { color: COLOR.muted });
    return;
  }
  const hasForecast = points.some((p) => p.forecast !== null);
  const legendItems: LegendMark[] = [{ kind: 'line', color: COLOR.accent, label: 'actual' }];
  if (hasForecast) legendItems.push({ kind: 'dashed', color: COLOR.accent, label: 'forecast mean' }, { kind: 'band', color: BAND_COLOR, label: 'forecast interval' });
  legendItems.push({ kind: 'line', color: BUDGET_COLOR, label: 'budget' });
  setFont(doc, 'regular', SIZE.small, COLOR.muted).text(`${b.metric === 'billed' ? 'Billed' : 'Effective'} cost accumulated from ${shortDay(b.periodStart)} to ${shortDay(b.periodEnd)}, ${b.currency}`, left(), doc.y, { width: CONTENT_WIDTH });
  doc.y += 4;
  legendRow(doc, left() + CONTENT_WIDTH, doc.y, legendItems);
  doc.y += 12;

  const box: Box = { x: left(), y: doc.y, width: CONTENT_WIDTH, height: CHART_HEIGHT };
  const values = points.flatMap((p) => [p.actual, p.forecast, p.high].filter((v): v is number => v !== null));
  const frame = yAxis(doc, box, Math.max(b.amount, ...values) * 1.04, (v) => formatMoneyShort(v, b.currency), `cumulative cost (${b.currency})`, 18);
  const { plot } = frame;
  const n = points.length;
  const xOf = (i: number) => plot.x + (n <= 1 ? plot.width / 2 : (i / (n - 1)) * plot.width);
  const lastActual = points.map((p) => p.actual !== null).lastIndexOf(true);

  // The interval band: along the highs, back along the lows; joined to the last actual point.
  const band = points.map((p, i) => ({ i, low: p.low, high: p.high })).filter((p): p is { i: number; low: number; high: number } => p.low !== null && p.high !== null);
  if (band.length > 0) {
    const joinActual = lastActual >= 0 && lastActual < band[0]!.i ? points[lastActual]!.actual : null;
    doc.save();
    if (joinActual !== null) doc.moveTo(xOf(lastActual), frame.yOf(joinActual));
    band.forEach((p, k) => (k === 0 && joinActual === null ? doc.moveTo(xOf(p.i), frame.yOf(p.high)) : doc.lineTo(xOf(p.i), frame.yOf(p.high))));
    for (let k = band.length - 1; k >= 0; k--) doc.lineTo(xOf(band[k]!.i), frame.yOf(band[k]!.low));
    doc.closePath().fillOpacity(0.45).fill(BAND_COLOR).restore();
  }

  // Actual: a light area under a solid line.
  const actual = points.map((p, i) => ({ i, v: p.actual })).filter((p): p is { i: number; v: number } => p.v !== null);
  if (actual.length > 0) {
    doc.save().moveTo(xOf(actual[0]!.i), frame.yOf(0));
    for (const p of actual) doc.lineTo(xOf(p.i), frame.yOf(p.v));
    doc.lineTo(xOf(actual[actual.length - 1]!.i), frame.yOf(0)).closePath().fillOpacity(0.1).fill(COLOR.accent).restore();
    doc.save();
    actual.forEach((p, k) => (k === 0 ? doc.moveTo(xOf(p.i), frame.yOf(p.v)) : doc.lineTo(xOf(p.i), frame.yOf(p.v))));
    doc.lineWidth(1.6).strokeColor(COLOR.accent).stroke().restore();
  }

  // Forecast mean, dashed, starting from the last actual point.
  const mean = points.map((p, i) => ({ i, v: p.forecast })).filter((p): p is { i: number; v: number } => p.v !== null);
  if (mean.length > 0) {
    doc.save();
    const start = lastActual >= 0 && lastActual < mean[0]!.i ? { i: lastActual, v: points[lastActual]!.actual ?? 0 } : null;
    [...(start ? [start] : []), ...mean].forEach((p, k) => (k === 0 ? doc.moveTo(xOf(p.i), frame.yOf(p.v)) : doc.lineTo(xOf(p.i), frame.yOf(p.v))));
    doc.lineWidth(1.4).dash(4, { space: 2.5 }).strokeColor(COLOR.accent).stroke().restore();
  }

  // Where the data ends.
  if (lastActual >= 0 && lastActual < n - 1) {
    const x = xOf(lastActual);
    vline(doc, x, plot.y, plot.y + plot.height, COLOR.faint, 0.6, 2);
    const label = `data through ${shortDay(points[lastActual]!.day)}`;
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted);
    const lw = doc.widthOfString(label);
    const lx = x - lw - 3 < plot.x ? x + 3 : x - lw - 3;
    doc.text(label, lx, plot.y + 2, { lineBreak: false });
  }

  // The budget line, labelled with the amount at its left end, where cumulative spend is still low
  // (above the line; below it when the line runs along the top of the plot).
  const by = frame.yOf(b.amount);
  hline(doc, plot.x, plot.x + plot.width, by, BUDGET_COLOR, 1.1);
  const bly = by - 11 < plot.y ? by + 3 : by - 10;
  const budgetLabel = `budget ${formatMoney(b.amount, b.currency)}`;
  setFont(doc, 'bold', SIZE.tiny + 0.4, BUDGET_COLOR);
  // A white backing so the data-through marker never runs through the figure.
  doc.save().rect(plot.x + 2, bly - 1, doc.widthOfString(budgetLabel) + 4, 9).fill('#ffffff').restore();
  setFont(doc, 'bold', SIZE.tiny + 0.4, BUDGET_COLOR).text(budgetLabel, plot.x + 4, bly, { lineBreak: false });

  // x axis: about seven day labels, always the first and the last.
  const step = Math.max(1, Math.ceil((n - 1) / 6));
  const ticks = new Set<number>();
  for (let i = 0; i < n; i += step) ticks.add(i);
  if (n > 1) {
    const last = [...ticks].pop() ?? 0;
    if ((n - 1 - last) * (plot.width / (n - 1)) < 40) ticks.delete(last);
    ticks.add(n - 1);
  }
  for (const i of ticks) {
    vline(doc, xOf(i), plot.y + plot.height, plot.y + plot.height + 2.5, COLOR.muted, 0.5);
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(shortDay(points[i]!.day), xOf(i) - 25, plot.y + plot.height + 4, { width: 50, align: 'center', lineBreak: false });
  }
  doc.y = box.y + box.height + 6;
  doc.x = left();
  const interval = forecastRangeText(b.forecastLow, b.forecastHigh, b.currency);
  note(
    doc,
    b.forecast === null
      ? `Actual spend to ${b.dataThrough ?? '—'}. No forecast could be made, so none is drawn; the budget is ${formatMoney(b.amount, b.currency)}.`
      : b.periodEnded
        ? `Actual spend through the period’s last day, ${b.periodEnd}: ${formatMoney(b.actual, b.currency)} against a budget of ${formatMoney(b.amount, b.currency)}. The period has ended, so nothing is forecast.`
        : `Actual spend to ${b.dataThrough ?? '—'}, then Docket’s forecast: ${formatMoney(b.forecast, b.currency)}${interval ? ` (interval ${interval})` : ''} against a budget of ${formatMoney(b.amount, b.currency)}.`,
  );
}

interface LegendMark {
  kind: 'line' | 'dashed' | 'band';
  color: string;
  label: string;
}

/** A one-line legend right-aligned at `right`, with line, dashed-line and band swatches matching the chart. */
function legendRow(doc: Doc, right: number, y: number, items: LegendMark[]): void {
  setFont(doc, 'regular', SIZE.tiny, COLOR.muted);
  const widths = items.map((it) => doc.widthOfString(it.label) + 26);
  let x = right - widths.reduce((a, c) => a + c, 0);
  items.forEach((it, i) => {
    if (it.kind === 'band') doc.save().rect(x, y - 0.5, 14, 7).fillOpacity(0.45).fill(it.color).restore();
    else {
      doc.save().moveTo(x, y + 3).lineTo(x + 14, y + 3).lineWidth(1.5).strokeColor(it.color);
      if (it.kind === 'dashed') doc.dash(3, { space: 2 });
      doc.stroke().restore();
    }
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(it.label, x + 17, y, { lineBreak: false });
    x += widths[i] ?? 0;
  });
}

/** "Docket budget report" at the top of every page but the first, "page N of M" at the foot of every page. */
function runningHeadAndFoot(doc: Doc, report: BudgetReport): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let i = range.start; i < range.start + total; i++) {
    doc.switchToPage(i);
    // Writing inside the margins must not trigger pdfkit's automatic page break.
    const saved = { ...doc.page.margins };
    doc.page.margins = { top: 0, bottom: 0, left: saved.left, right: saved.right };
    const x = left();
    if (i > range.start) {
      setFont(doc, 'bold', SIZE.small, COLOR.ink).text('Docket budget report', x, 32, { width: CONTENT_WIDTH * 0.5, lineBreak: false });
      setFont(doc, 'regular', SIZE.small, COLOR.muted).text(`as of ${report.asOf}`, x + CONTENT_WIDTH * 0.5, 32, { width: CONTENT_WIDTH * 0.5, align: 'right', lineBreak: false });
      doc.save().moveTo(x, 46).lineTo(x + CONTENT_WIDTH, 46).lineWidth(0.4).strokeColor(COLOR.rule).stroke().restore();
    }
    const footY = PAGE.height - 40;
    doc.save().moveTo(x, footY - 6).lineTo(x + CONTENT_WIDTH, footY - 6).lineWidth(0.4).strokeColor(COLOR.rule).stroke().restore();
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted);
    doc.text(fitText(doc, `generated ${formatTime(report.generatedAt)} · ${report.source}`, CONTENT_WIDTH * 0.7), x, footY, { width: CONTENT_WIDTH * 0.7, lineBreak: false });
    setFont(doc, 'regular', SIZE.small, COLOR.ink).text(`page ${i - range.start + 1} of ${total}`, x + CONTENT_WIDTH * 0.72, footY - 1, { width: CONTENT_WIDTH * 0.28, align: 'right', lineBreak: false });
    doc.page.margins = saved;
  }
}
