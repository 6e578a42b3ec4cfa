// The one-page sunset summary: everything a reviewer or an auditor needs about one sunset (its plan,
// the saving it claims, why it was proposed, who depends on the version, who decided it) on a single
// A4 page, drawn with the audit pack's building blocks so the documents read alike. Long text is
// clamped with an ellipsis and long lists are cut with "and N more", so it never runs to a second
// page. Deterministic: the same view, dependents, generatedAt and fonts give the same bytes.
import type { SunsetDependents, SunsetView } from '../../../shared/lifecycle/lifecycleViews';
import { SUNSET_REASON_LABELS, type SunsetReasonCode } from '../../../shared/lifecycle/reasons';
import { openDocketPdf } from '../pack/pdf/document';
import { sparkBars } from '../pack/pdf/charts';
import { formatDay, formatMoney, formatSignedMoney, formatTime, groupHex, plural, shortKeyId, STATUS_COLORS, statusStyle } from '../pack/pdf/format';
import { lifecycleStateStyle, sunsetDecisionStyle, sunsetStateStyle } from '../pack/pdf/lifecycle';
import { COLOR, CONTENT_WIDTH, type Doc, fitText, type FontName, left, PAGE, pill, setFont, SIZE } from '../pack/pdf/layout';

export interface RenderSunsetSummaryOptions {
  /** Folder holding DejaVuSans.ttf, DejaVuSans-Bold.ttf and DejaVuSansMono.ttf (resources/fonts). */
  fontsDir: string;
  /** The export's clock (packTimestamp): printed in the footer and the PDF's dates. */
  generatedAt: string;
}

/** Where the fixed footer (plan hash, generation, signature note) starts; everything else stays above it. */
const FOOTER_TOP = PAGE.height - 92;
const BODY = 8.3;
const LABEL = 7.2;
const GAP = 14;
const LEFT_W = 284;
const RIGHT_W = CONTENT_WIDTH - LEFT_W - GAP;
const MAX_REASONS = 4;
const MAX_DECISIONS = 3;
const MAX_NAMES = 6;

function clock(iso: string): Date {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`renderSunsetSummary: generatedAt is not a date: ${JSON.stringify(iso)}`);
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** Fixed metadata: no library version, so upgrades alone do not change bytes; /ID derives from it. */
export function sunsetSummaryInfo(view: SunsetView, generatedAt: string): PDFKit.DocumentInfo {
  const when = clock(generatedAt);
  const subject = `${view.model}@${view.version}`;
  return {
    Title: `Sunset summary: ${subject}`,
    Author: 'Docket',
    Subject: `Sunset #${view.id} of ${subject} (${view.state}); plan-sha256:${view.planSha256}`,
    Keywords: `sunset summary, sunset:${view.id}, model:${view.model}, version:${view.version}, state:${view.state}, plan-sha256:${view.planSha256}`,
    Creator: 'Docket',
    Producer: 'Docket sunset summary renderer (pdfkit)',
    CreationDate: when,
    ModDate: when,
  };
}

/** Whitespace (newlines included) collapsed: a one-page summary has no room for paragraphs. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * `text` cut with an ellipsis (at a word where one is near) so it takes at most `maxLines` lines
 * of `width` in the current font.
 */
export function clampLines(doc: Doc, text: string, width: number, maxLines: number, lineGap = 1): string {
  const opts = { width, lineGap };
  const limit = doc.heightOfString(Array.from({ length: maxLines }, () => 'X').join('\n'), opts) + 0.5;
  if (doc.heightOfString(text, opts) <= limit) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.heightOfString(`${text.slice(0, mid).trimEnd()}…`, opts) <= limit) lo = mid;
    else hi = mid - 1;
  }
  const cut = text.slice(0, lo);
  const space = cut.lastIndexOf(' ');
  const atWord = space > lo * 0.75 ? cut.slice(0, space) : cut;
  return `${atWord.replace(/[\s,;:.–—-]+$/, '')}…`;
}

interface Ctx {
  doc: Doc;
}

/** Draws `text` at (x, y), clamped to `maxLines`; returns the y below it. */
function block(ctx: Ctx, text: string, x: number, y: number, width: number, options: { font?: FontName; size?: number; color?: string; maxLines?: number; lineGap?: number } = {}): number {
  const { doc } = ctx;
  const lineGap = options.lineGap ?? 1;
  setFont(doc, options.font ?? 'regular', options.size ?? BODY, options.color ?? COLOR.ink);
  const shown = options.maxLines ? clampLines(doc, text, width, options.maxLines, lineGap) : text;
  doc.text(shown, x, y, { width, lineGap });
  return y + doc.heightOfString(shown, { width, lineGap });
}

/** A small-caps label above a block. */
function label(ctx: Ctx, text: string, x: number, y: number, width: number): number {
  setFont(ctx.doc, 'bold', LABEL, COLOR.muted).text(text.toUpperCase(), x, y, { width, characterSpacing: 0.6, lineBreak: false });
  return y + LABEL * 1.5;
}

/** A section heading with a rule under it, across `width`. */
function sectionHeading(ctx: Ctx, text: string, x: number, y: number, width: number, aside?: string): number {
  const { doc } = ctx;
  setFont(doc, 'bold', SIZE.h3, COLOR.ink).text(text, x, y, { width, lineBreak: false });
  if (aside) setFont(doc, 'regular', LABEL, COLOR.muted).text(aside, x, y + 2.5, { width, align: 'right', lineBreak: false });
  const ry = y + SIZE.h3 * 1.3;
  doc.save().moveTo(x, ry).lineTo(x + width, ry).lineWidth(0.6).strokeColor(COLOR.rule).stroke().restore();
  return ry + 5;
}

export async function renderSunsetSummary(view: SunsetView, dependents: SunsetDependents, options: RenderSunsetSummaryOptions): Promise<Buffer> {
  // A small bottom margin: the footer sits low, and pdfkit must never break the page on its own.
  const { doc, done } = openDocketPdf({ fontsDir: options.fontsDir, info: sunsetSummaryInfo(view, options.generatedAt), margins: { top: 36, bottom: 16, left: PAGE.margin.left, right: PAGE.margin.right }, caller: 'renderSunsetSummary' });
  setFont(doc, 'regular', BODY);

  const ctx: Ctx = { doc };
  doc.outline.addItem(`Sunset summary: ${view.model}@${view.version}`);
  let y = drawHeader(ctx, view);
  y = drawTiles(ctx, view, y + 10);
  y = drawPlanAndSaving(ctx, view, y + 14);
  y = drawReasons(ctx, view, y + 10);
  y = drawDependents(ctx, dependents, y + 10);
  drawDecisions(ctx, view, y + 10);
  drawFooter(ctx, view, options.generatedAt);
  if (doc.bufferedPageRange().count !== 1) throw new Error('renderSunsetSummary: the summary ran over one page');
  doc.end();
  return done;
}

function drawHeader(ctx: Ctx, view: SunsetView): number {
  const { doc } = ctx;
  const x = left();
  doc.save().rect(0, 0, PAGE.width, 8).fill(COLOR.accent).restore();
  setFont(doc, 'bold', SIZE.small, COLOR.accent).text('DOCKET · SUNSET SUMMARY', x, 30, { width: CONTENT_WIDTH * 0.6, characterSpacing: 1.2, lineBreak: false });
  setFont(doc, 'regular', SIZE.small, COLOR.muted).text(`Sunset #${view.id}`, x + CONTENT_WIDTH * 0.6, 30, { width: CONTENT_WIDTH * 0.4, align: 'right', lineBreak: false });
  // The title on one line: smaller type for a long name, then an ellipsis.
  const title = `Sunset summary: ${view.model}@${view.version}`;
  let size: number = SIZE.h1 + 2;
  setFont(doc, 'bold', size, COLOR.ink);
  while (size > 11 && doc.widthOfString(title) > CONTENT_WIDTH) setFont(doc, 'bold', (size -= 0.5), COLOR.ink);
  doc.text(fitText(doc, title, CONTENT_WIDTH), x, 44, { width: CONTENT_WIDTH, lineBreak: false });
  let y = 44 + size * 1.3 + 6;

  const st = sunsetStateStyle(view.state);
  const lifeStyle = lifecycleStateStyle(view.lifecycle.state);
  y = label(ctx, 'Sunset', x, y, 120);
  const pillY = y;
  const w1 = pill(doc, `${st.symbol} ${st.text}`, x, pillY, st.color, SIZE.body);
  setFont(doc, 'bold', LABEL, COLOR.muted).text('LIFECYCLE', x + w1 + 14, pillY - LABEL * 1.5, { characterSpacing: 0.6, lineBreak: false });
  const w2 = pill(doc, `${lifeStyle.symbol} ${lifeStyle.text}`, x + w1 + 14, pillY, lifeStyle.color, SIZE.body);
  // Two short lines beside the pills: the review's dates, then the version's.
  const tx = x + w1 + w2 + 28;
  const tw = x + CONTENT_WIDTH - tx;
  const decided = view.closedAt ? ` · ${view.state} ${formatDay(view.closedAt)}` : ' · awaiting a decision';
  const life = view.lifecycle.state === 'active' ? 'the version is active (in service)' : `the version is ${view.lifecycle.state} since ${formatDay(view.lifecycle.since)}`;
  setFont(doc, 'regular', LABEL + 0.5, COLOR.muted);
  doc.text(fitText(doc, `proposed ${formatDay(view.openedAt)} by ${oneLine(view.openedBy)}${decided}`, tw), tx, pillY - 1, { width: tw, lineBreak: false });
  doc.text(fitText(doc, life, tw), tx, pillY + LABEL * 1.5, { width: tw, lineBreak: false });
  return pillY + SIZE.body * 1.7;
}

/** Four figures side by side: the saving and the plan's key dates. */
function drawTiles(ctx: Ctx, view: SunsetView, y: number): number {
  const { doc } = ctx;
  const gap = 8;
  const tileW = (CONTENT_WIDTH - gap * 3) / 4;
  const tileH = 50;
  const { plan, saving } = view;
  const tiles: { label: string; value: string; sub: string; color?: string }[] = [
    { label: 'NET SAVING / MONTH', value: formatMoney(saving.net, saving.currency), sub: `of ${formatMoney(saving.gross, saving.currency)} gross`, color: saving.net > 0 ? STATUS_COLORS.pass : COLOR.ink },
    { label: 'DRAIN BY', value: plan.drainDate, sub: 'traffic moved off' },
    { label: 'RETIRES', value: plan.retirementDate, sub: 'no longer served or paid for' },
    { label: 'REPLACEMENT', value: plan.replacement ? `${plan.replacement.model}@${plan.replacement.version}` : 'none', sub: plan.replacement ? 'takes over its traffic' : 'the use ends' },
  ];
  tiles.forEach((t, i) => {
    const x = left() + i * (tileW + gap);
    doc.save().roundedRect(x, y, tileW, tileH, 3).fill(COLOR.zebra).restore();
    const inner = tileW - 16;
    setFont(doc, 'bold', SIZE.tiny, COLOR.muted).text(t.label, x + 8, y + 7, { width: inner, lineBreak: false, characterSpacing: 0.4 });
    setFont(doc, 'bold', SIZE.h2, t.color ?? COLOR.ink);
    if (doc.widthOfString(t.value) > inner) setFont(doc, 'bold', SIZE.body, t.color ?? COLOR.ink);
    doc.text(fitText(doc, t.value, inner), x + 8, y + 18, { width: inner, lineBreak: false });
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(fitText(doc, t.sub, inner), x + 8, y + 36, { width: inner, lineBreak: false });
  });
  return y + tileH;
}

/** The plan (left) and the saving as the calculator states it (right). */
function drawPlanAndSaving(ctx: Ctx, view: SunsetView, top: number): number {
  const { doc } = ctx;
  const { plan, saving } = view;
  const x = left();

  // The plan.
  let y = sectionHeading(ctx, 'Plan', x, top, LEFT_W);
  const labelW = 80;
  const valueW = LEFT_W - labelW;
  const rows: { label: string; value: string; font?: FontName; maxLines: number }[] = [
    { label: 'Replacement', value: plan.replacement ? `${plan.replacement.model}@${plan.replacement.version}` : 'none: nothing takes over (the use ends)', maxLines: 2 },
    { label: 'Drain date', value: `${plan.drainDate} (traffic drained by this day)`, maxLines: 1 },
    { label: 'Retirement date', value: plan.retirementDate, font: 'bold', maxLines: 1 },
    { label: 'Owner', value: oneLine(plan.owner), font: 'bold', maxLines: 2 },
    { label: 'Data retention', value: oneLine(plan.dataRetention), maxLines: 4 },
    { label: 'Rollback', value: oneLine(plan.rollback), maxLines: 4 },
  ];
  if (plan.notes?.trim()) rows.push({ label: 'Notes', value: oneLine(plan.notes), maxLines: 2 });
  for (const r of rows) {
    setFont(doc, 'regular', LABEL + 0.3, COLOR.muted).text(r.label, x, y + 0.8, { width: labelW - 6, lineBreak: false });
    y = block(ctx, r.value, x + labelW, y, valueW, { font: r.font, maxLines: r.maxLines }) + 3;
  }
  const planBottom = y;

  // The saving.
  const rx = x + LEFT_W + GAP;
  y = sectionHeading(ctx, 'Saving per month', rx, top, RIGHT_W, saving.currency);
  const amountW = 58;
  const textW = RIGHT_W - amountW - 4;
  const line = (text: string, amount: string, style: { bold?: boolean; color?: string; maxLines?: number } = {}) => {
    const font: FontName = style.bold ? 'bold' : 'regular';
    setFont(doc, font, BODY, style.color ?? COLOR.ink).text(amount, rx + RIGHT_W - amountW, y, { width: amountW, align: 'right', lineBreak: false });
    y = block(ctx, text, rx, y, textW, { font, color: style.color, maxLines: style.maxLines ?? 1 }) + 2.5;
  };
  line('Gross: spend attributed', formatMoney(saving.gross, saving.currency));
  line('Less shared costs', formatSignedMoney(-saving.shared, saving.currency));
  line('Less commitments', formatSignedMoney(-saving.committed, saving.currency));
  // Each commitment as the calculator states it (its lines after gross and the shared costs), indented.
  const commitments = saving.lines.slice(saving.shared > 0 ? 2 : 1).filter((l) => !l.label.startsWith('Not below zero'));
  const shown = commitments.slice(0, 3);
  for (const l of shown) {
    setFont(doc, 'regular', LABEL, COLOR.muted).text(formatSignedMoney(l.amount, saving.currency), rx + RIGHT_W - amountW, y, { width: amountW, align: 'right', lineBreak: false });
    y = block(ctx, oneLine(l.label.replace(/^Less commitment still running: /, '')), rx + 8, y, textW - 8, { size: LABEL, color: COLOR.muted, maxLines: 2 }) + 1.5;
  }
  if (commitments.length > shown.length) y = block(ctx, `… and ${plural(commitments.length - shown.length, 'more commitment')}`, rx + 8, y, RIGHT_W - 8, { size: LABEL, color: COLOR.muted, maxLines: 1 }) + 1.5;
  y += 1;
  doc.save().moveTo(rx, y).lineTo(rx + RIGHT_W, y).lineWidth(0.8).strokeColor(COLOR.muted).stroke().restore();
  y += 3;
  line('Net saving', formatMoney(saving.net, saving.currency), { bold: true, color: saving.net > 0 ? STATUS_COLORS.pass : COLOR.ink });
  if (saving.gross - saving.shared - saving.committed < 0) y = block(ctx, 'Not below zero: retiring saves nothing while these costs run.', rx, y, RIGHT_W, { size: LABEL, color: COLOR.muted, maxLines: 2 }) + 2;
  y += 3;
  y = block(ctx, `Basis: ${oneLine(saving.basis)}.`, rx, y, RIGHT_W, { size: LABEL, color: COLOR.muted, maxLines: 4 }) + 4;

  // The next 12 months: commitments ending raise the saving.
  const months = saving.perMonth;
  // Drawn only when it changes (a commitment ends within the year); a flat year says so in words.
  if (months.length > 1 && months.some((m) => m.saving !== months[0]!.saving)) {
    const h = 22;
    sparkBars(doc, { x: rx, y, width: RIGHT_W, height: h }, months.map((m) => m.saving), -1);
    y += h + 2;
    const first = months[0]!.month;
    const last = months[months.length - 1]!.month;
    const values = months.map((m) => m.saving);
    const range = `${formatMoney(Math.min(...values), saving.currency)} to ${formatMoney(Math.max(...values), saving.currency)}`;
    y = block(ctx, `saving by month, ${first} to ${last}: ${range} as commitments end`, rx, y, RIGHT_W, { size: SIZE.tiny, color: COLOR.muted, maxLines: 2 });
  } else if (months.length > 0) {
    y = block(ctx, `The same each month for the next ${plural(months.length, 'month')}: no commitment ends.`, rx, y, RIGHT_W, { size: LABEL, color: COLOR.muted, maxLines: 2 });
  }
  return Math.max(planBottom, y);
}

function drawReasons(ctx: Ctx, view: SunsetView, top: number): number {
  const x = left();
  let y = sectionHeading(ctx, 'Why it is proposed', x, top, CONTENT_WIDTH, plural(view.reasons.length, 'reason'));
  if (view.reasons.length === 0) return block(ctx, 'No candidate reasons were recorded with the proposal.', x, y, CONTENT_WIDTH, { color: COLOR.muted, maxLines: 1 });
  const labelW = 164;
  for (const r of view.reasons.slice(0, MAX_REASONS)) {
    const name = SUNSET_REASON_LABELS[r.code as SunsetReasonCode] ?? r.code;
    const below = block(ctx, name, x, y, labelW - 8, { font: 'bold', maxLines: 2 });
    y = Math.max(below, block(ctx, oneLine(r.detail), x + labelW, y, CONTENT_WIDTH - labelW, { maxLines: 2 })) + 2.5;
  }
  if (view.reasons.length > MAX_REASONS) y = block(ctx, `… and ${plural(view.reasons.length - MAX_REASONS, 'more reason')} (docket sunset show ${view.id})`, x + labelW, y, CONTENT_WIDTH - labelW, { size: LABEL, color: COLOR.muted, maxLines: 1 }) + 2;
  return y;
}

/**
 * As many names as fit `maxLines` of `width` in the current font, then "and N more": the count is
 * never cut off, whatever the names' lengths.
 */
export function fitList(doc: Doc, list: string[], width: number, maxLines: number, suffix = ''): string {
  const opts = { width, lineGap: 1 };
  const limit = doc.heightOfString(Array.from({ length: maxLines }, () => 'X').join('\n'), opts) + 0.5;
  const text = (k: number) => `${list.slice(0, k).join(', ')}${k < list.length ? `${k > 0 ? ' and ' : ''}${list.length - k} more` : ''}${suffix}`;
  for (let k = Math.min(list.length, MAX_NAMES); k > 0; k--) if (doc.heightOfString(text(k), opts) <= limit) return text(k);
  // Not even one name fits whole: the first, clamped, then the count.
  const tail = ` and ${list.length - 1} more${suffix}`;
  return list.length === 1 ? clampLines(doc, text(1), width, maxLines) : `${clampLines(doc, `${list[0]}`, width - doc.widthOfString(tail), 1)}${tail}`;
}

function drawDependents(ctx: Ctx, dependents: SunsetDependents, top: number): number {
  const x = left();
  const count = dependents.deployments.length + dependents.downstream.length;
  let y = sectionHeading(ctx, 'Dependents', x, top, CONTENT_WIDTH, 'from the lineage graph');
  if (count === 0) return block(ctx, 'No deployments and nothing downstream of this version in the lineage graph.', x, y, CONTENT_WIDTH, { color: COLOR.muted, maxLines: 1 });
  const labelW = 164;
  const width = CONTENT_WIDTH - labelW;
  const more = dependents.truncated ? ' (the walk stopped at its cap: there are more)' : '';
  const row = (title: string, items: string[], suffix = '') => {
    setFont(ctx.doc, 'bold', BODY, COLOR.ink).text(`${title} (${items.length}${suffix ? '+' : ''})`, x, y, { width: labelW - 8, lineBreak: false });
    setFont(ctx.doc, 'regular', BODY);
    const text = items.length === 0 ? 'none' : fitList(ctx.doc, items, width, 2, suffix);
    y = block(ctx, text, x + labelW, y, width, { maxLines: 2, color: items.length === 0 ? COLOR.muted : COLOR.ink }) + 2.5;
  };
  row('Deployments', dependents.deployments.map((d) => d.label));
  row('Downstream', dependents.downstream.map((d) => `${d.label} (${d.kind.replace('_', ' ')})`), more);
  return y;
}

function drawDecisions(ctx: Ctx, view: SunsetView, top: number): number {
  const { doc } = ctx;
  const x = left();
  let y = sectionHeading(ctx, 'Decisions', x, top, CONTENT_WIDTH, 'signed DSSE envelopes (Ed25519)');
  if (view.decisions.length === 0) return block(ctx, '– No signed decision yet: the sunset is under review.', x, y, CONTENT_WIDTH, { color: COLOR.muted, maxLines: 1 });
  // Columns: decision, signer and role, key id, signed at, verified.
  const cols = [
    { title: 'Decision', w: 72 },
    { title: 'Signer', w: 128 },
    { title: 'Key id', w: 84 },
    { title: 'Signed', w: 100 },
    { title: 'Signature', w: CONTENT_WIDTH - 72 - 128 - 84 - 100 },
  ];
  const xs = cols.reduce<number[]>((acc, c, i) => (acc.push(i === 0 ? x : acc[i - 1]! + cols[i - 1]!.w), acc), []);
  cols.forEach((c, i) => setFont(doc, 'bold', LABEL, COLOR.muted).text(c.title.toUpperCase(), xs[i]!, y, { width: c.w - 6, characterSpacing: 0.5, lineBreak: false }));
  y += LABEL * 1.6;
  // Fit the rows to the room left above the footer: each takes its row and at least one line of
  // rationale; the rationale gets what is left, up to four lines each.
  const rowH = BODY * 1.25 + LABEL * 1.4 + 2;
  const lineH = BODY * 1.3;
  const moreH = LABEL * 1.6;
  const room = FOOTER_TOP - 10 - y;
  let count = Math.min(view.decisions.length, MAX_DECISIONS);
  while (count > 1 && count * (rowH + lineH + 5) + (count < view.decisions.length ? moreH : 0) > room) count--;
  const shown = view.decisions.slice(0, count);
  const spare = room - (count < view.decisions.length ? moreH : 0) - count * (rowH + 5);
  const lines = Math.max(1, Math.min(4, Math.floor(spare / count / lineH)));
  for (const d of shown) {
    const ds = sunsetDecisionStyle(d.kind);
    const v = statusStyle(d.verified ? 'pass' : 'fail');
    const rowY = y;
    pill(doc, `${ds.symbol} ${ds.text}`, xs[0]!, rowY, ds.color, SIZE.small);
    setFont(doc, 'bold', BODY, COLOR.ink).text(fitText(doc, d.signer, cols[1]!.w - 6), xs[1]!, rowY, { width: cols[1]!.w - 6, lineBreak: false });
    setFont(doc, 'regular', LABEL, COLOR.muted).text(fitText(doc, d.role, cols[1]!.w - 6), xs[1]!, rowY + BODY * 1.25, { width: cols[1]!.w - 6, lineBreak: false });
    setFont(doc, 'mono', BODY - 0.5, COLOR.ink).text(shortKeyId(d.keyId), xs[2]!, rowY, { width: cols[2]!.w - 6, lineBreak: false });
    setFont(doc, 'regular', BODY, COLOR.ink).text(formatTime(d.signedAt), xs[3]!, rowY, { width: cols[3]!.w - 6, lineBreak: false });
    setFont(doc, 'bold', BODY, v.color).text(`${v.symbol} ${d.verified ? 'verified' : 'DOES NOT VERIFY'}`, xs[4]!, rowY, { width: cols[4]!.w, lineBreak: false });
    setFont(doc, 'regular', LABEL, COLOR.muted).text(fitText(doc, d.verified ? 'by the workspace keyring' : d.verification, cols[4]!.w), xs[4]!, rowY + BODY * 1.25, { width: cols[4]!.w, lineBreak: false });
    y = rowY + BODY * 1.25 + LABEL * 1.4 + 2;
    setFont(doc, 'bold', LABEL, COLOR.muted).text('Rationale', xs[0]!, y + 0.8, { width: cols[0]!.w - 6, lineBreak: false });
    y = block(ctx, `“${oneLine(d.rationale)}”`, xs[1]!, y, CONTENT_WIDTH - cols[0]!.w, { maxLines: lines }) + 5;
    doc.save().moveTo(x, y - 2.5).lineTo(x + CONTENT_WIDTH, y - 2.5).lineWidth(0.4).strokeColor(COLOR.rule).stroke().restore();
  }
  if (view.decisions.length > shown.length) y = block(ctx, `… and ${plural(view.decisions.length - shown.length, 'more decision')}`, x, y, CONTENT_WIDTH, { size: LABEL, color: COLOR.muted, maxLines: 1 });
  return y;
}

/** The plan's hash, when and how the summary was made, and "page 1 of 1", at a fixed place. */
function drawFooter(ctx: Ctx, view: SunsetView, generatedAt: string): void {
  const { doc } = ctx;
  const x = left();
  let y = FOOTER_TOP;
  const boxH = 40;
  doc.save().roundedRect(x, y, CONTENT_WIDTH, boxH, 3).fill(COLOR.zebra).restore();
  doc.save().rect(x, y, 3, boxH).fill(COLOR.accent).restore();
  setFont(doc, 'bold', LABEL, COLOR.ink).text('Plan sha256 (RFC 8785 canonical JSON of the plan; what the decisions sign)', x + 12, y + 7, { width: CONTENT_WIDTH - 24, lineBreak: false });
  setFont(doc, 'mono', 9.5, COLOR.ink).text(groupHex(view.planSha256), x + 12, y + 20, { width: CONTENT_WIDTH - 24, lineBreak: false });
  y += boxH + 10;
  doc.save().moveTo(x, y).lineTo(x + CONTENT_WIDTH, y).lineWidth(0.4).strokeColor(COLOR.rule).stroke().restore();
  y += 5;
  setFont(doc, 'regular', SIZE.tiny, COLOR.muted);
  doc.text(fitText(doc, `generated ${formatTime(generatedAt)} by Docket · sunset #${view.id} · embedded PDF signature: workspace certificate`, CONTENT_WIDTH * 0.82), x, y, { width: CONTENT_WIDTH * 0.82, lineBreak: false });
  setFont(doc, 'regular', SIZE.small, COLOR.ink).text('page 1 of 1', x + CONTENT_WIDTH * 0.82, y - 1, { width: CONTENT_WIDTH * 0.18, align: 'right', lineBreak: false });
}
