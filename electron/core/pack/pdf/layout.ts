// Page geometry, type scale, colours and the few building blocks every section uses: headings
// that register a bookmark, wrapped paragraphs, key/value lists and tables that break across pages
// with their header repeated.

export type Doc = PDFKit.PDFDocument;

/** A4 in points, with generous margins (20 mm sides, room for the running header and footer). */
export const PAGE = {
  width: 595.28,
  height: 841.89,
  margin: { top: 70, bottom: 64, left: 56, right: 56 },
} as const;
export const CONTENT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right;

export const FONT = { regular: 'DejaVu', bold: 'DejaVu-Bold', mono: 'DejaVu-Mono' } as const;
export type FontName = keyof typeof FONT;

/** Type scale (points): one step per level, so the hierarchy reads at a glance. */
export const SIZE = { title: 26, h1: 17, h2: 12.5, h3: 10.5, body: 9.5, small: 8, tiny: 6.8 } as const;

export const COLOR = {
  ink: '#1f2328',
  muted: '#57606a',
  faint: '#8c959f',
  rule: '#d0d7de',
  zebra: '#f6f8fa',
  headerFill: '#eaeef2',
  accent: '#0b4f8a',
  accentSoft: '#dbe9f6',
} as const;

export interface Ctx {
  doc: Doc;
  /** Top-level bookmarks, keyed by section title. */
  outline: PDFKit.PDFOutline;
}

export function bottom(): number {
  return PAGE.height - PAGE.margin.bottom;
}

export function left(): number {
  return PAGE.margin.left;
}

export function setFont(doc: Doc, font: FontName, size: number, color: string = COLOR.ink): Doc {
  return doc.font(FONT[font]).fontSize(size).fillColor(color);
}

/** Starts a new page when fewer than `needed` points are left. Returns true when it did. */
export function ensureSpace(doc: Doc, needed: number): boolean {
  if (doc.y + needed > bottom()) {
    doc.addPage();
    return true;
  }
  return false;
}

export function newPage(doc: Doc): void {
  doc.addPage();
}

/** An outline destination at the current position (pdfkit's XYZ uses width - left and height - top). */
function destination(_doc: Doc, y: number): object {
  return { left: PAGE.width, top: Math.max(0, y - 8), zoom: 0 };
}

/** A bookmark under `parent` pointing at the current position on the current page. */
export function bookmark(doc: Doc, parent: PDFKit.PDFOutline, title: string, y: number = doc.y): PDFKit.PDFOutline {
  return parent.addItem(title, destination(doc, y) as { expanded?: boolean });
}

/** A section title on a fresh page, with its bookmark. Returns the bookmark for sub-items. */
export function sectionTitle(ctx: Ctx, title: string, lead?: string): PDFKit.PDFOutline {
  const { doc } = ctx;
  newPage(doc);
  const item = bookmark(doc, ctx.outline, title);
  setFont(doc, 'bold', SIZE.h1, COLOR.ink).text(title, left(), doc.y, { width: CONTENT_WIDTH });
  const y = doc.y + 3;
  doc.save().moveTo(left(), y).lineTo(left() + CONTENT_WIDTH, y).lineWidth(1.2).strokeColor(COLOR.accent).stroke().restore();
  doc.y = y + 8;
  if (lead) {
    setFont(doc, 'regular', SIZE.body, COLOR.muted).text(lead, left(), doc.y, { width: CONTENT_WIDTH, lineGap: 1.5 });
    doc.y += 6;
  }
  return item;
}

/** A sub-heading kept with at least `keep` points of what follows; optionally bookmarked. */
export function heading(ctx: Ctx, title: string, options: { parent?: PDFKit.PDFOutline; keep?: number; size?: number } = {}): void {
  const { doc } = ctx;
  const size = options.size ?? SIZE.h2;
  doc.y += size * 0.6;
  ensureSpace(doc, (options.keep ?? 60) + size * 1.6);
  if (options.parent) bookmark(doc, options.parent, title);
  setFont(doc, 'bold', size, COLOR.ink).text(title, left(), doc.y, { width: CONTENT_WIDTH });
  doc.y += size * 0.35;
}

export function paragraph(doc: Doc, text: string, options: { font?: FontName; size?: number; color?: string; indent?: number; gap?: number } = {}): void {
  const indent = options.indent ?? 0;
  setFont(doc, options.font ?? 'regular', options.size ?? SIZE.body, options.color ?? COLOR.ink);
  ensureSpace(doc, doc.currentLineHeight(true) * 2);
  doc.text(text, left() + indent, doc.y, { width: CONTENT_WIDTH - indent, lineGap: 1.5 });
  doc.y += options.gap ?? 4;
}

/** A muted one-liner under a chart or table: where the figures came from. */
export function note(doc: Doc, text: string): void {
  paragraph(doc, text, { size: SIZE.small, color: COLOR.muted, gap: 3 });
}

export interface Part {
  text: string;
  font?: FontName;
  size?: number;
  color?: string;
}
export type Cell = string | Part[];

export interface Column {
  header: string;
  /** Points, or a share of the remaining width when `flex` is set. */
  width?: number;
  flex?: number;
  align?: 'left' | 'right' | 'center';
  font?: FontName;
}

export interface TableOptions {
  size?: number;
  zebra?: boolean;
  /** Cell padding (points). */
  pad?: number;
  /** Extra row drawn as a sub-line under a row, spanning all columns (e.g. a rule's controls). */
  detail?: (rowIndex: number) => Part[] | null;
  x?: number;
  width?: number;
}

function cellParts(cell: Cell, column: Column, size: number): Part[] {
  if (typeof cell === 'string') return [{ text: cell, font: column.font ?? 'regular', size }];
  return cell.map((p) => ({ ...p, font: p.font ?? column.font ?? 'regular', size: p.size ?? size }));
}

function partsHeight(doc: Doc, parts: Part[], width: number, align: Column['align']): number {
  let h = 0;
  for (const p of parts) {
    setFont(doc, p.font ?? 'regular', p.size ?? SIZE.body);
    h += doc.heightOfString(p.text === '' ? ' ' : p.text, { width, align, lineGap: 1 });
  }
  return h;
}

function drawParts(doc: Doc, parts: Part[], x: number, y: number, width: number, align: Column['align']): void {
  let cy = y;
  for (const p of parts) {
    setFont(doc, p.font ?? 'regular', p.size ?? SIZE.body, p.color ?? COLOR.ink);
    const text = p.text === '' ? ' ' : p.text;
    doc.text(text, x, cy, { width, align, lineGap: 1 });
    cy += doc.heightOfString(text, { width, align, lineGap: 1 });
  }
}

/** The largest height a single row may take: a page's content area less the header row. */
const MAX_ROW = () => bottom() - PAGE.margin.top - 40;

/**
 * A table that breaks across pages, repeating its header row on each page. Cells wrap; rows never
 * split (a row taller than a page is clipped with an ellipsis, which real rows do not reach).
 */
export function table(doc: Doc, columns: Column[], rows: Cell[][], options: TableOptions = {}): void {
  const size = options.size ?? SIZE.small;
  const pad = options.pad ?? 3.5;
  const x0 = options.x ?? left();
  const totalWidth = options.width ?? CONTENT_WIDTH;
  const fixed = columns.reduce((s, c) => s + (c.flex ? 0 : (c.width ?? 0)), 0);
  const flexTotal = columns.reduce((s, c) => s + (c.flex ?? 0), 0);
  const widths = columns.map((c) => (c.flex ? ((totalWidth - fixed) * c.flex) / flexTotal : (c.width ?? 0)));
  const xs: number[] = [];
  widths.reduce((x, w) => (xs.push(x), x + w), x0);

  const headerParts = columns.map((c) => [{ text: c.header, font: 'bold' as FontName, size: size, color: COLOR.ink }]);
  const headerHeight = Math.max(...headerParts.map((p, i) => partsHeight(doc, p, (widths[i] ?? 0) - 2 * pad, columns[i]?.align))) + 2 * pad;

  const drawHeader = () => {
    const y = doc.y;
    doc.save().rect(x0, y, totalWidth, headerHeight).fill(COLOR.headerFill).restore();
    headerParts.forEach((p, i) => drawParts(doc, p, (xs[i] ?? 0) + pad, y + pad, (widths[i] ?? 0) - 2 * pad, columns[i]?.align));
    doc.save().moveTo(x0, y + headerHeight).lineTo(x0 + totalWidth, y + headerHeight).lineWidth(0.8).strokeColor(COLOR.muted).stroke().restore();
    doc.y = y + headerHeight;
  };

  ensureSpace(doc, headerHeight + 24);
  drawHeader();
  rows.forEach((row, r) => {
    const parts = row.map((cell, i) => cellParts(cell, columns[i] ?? { header: '' }, size));
    const detail = options.detail?.(r) ?? null;
    const detailHeight = detail ? partsHeight(doc, detail, totalWidth - 2 * pad - 12, 'left') + pad : 0;
    let height = Math.max(...parts.map((p, i) => partsHeight(doc, p, (widths[i] ?? 0) - 2 * pad, columns[i]?.align))) + 2 * pad + detailHeight;
    height = Math.min(height, MAX_ROW());
    if (doc.y + height > bottom()) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    if (options.zebra !== false && r % 2 === 1) doc.save().rect(x0, y, totalWidth, height).fill(COLOR.zebra).restore();
    parts.forEach((p, i) => drawParts(doc, p, (xs[i] ?? 0) + pad, y + pad, (widths[i] ?? 0) - 2 * pad, columns[i]?.align));
    if (detail) drawParts(doc, detail, x0 + pad + 12, y + height - detailHeight, totalWidth - 2 * pad - 12, 'left');
    doc.save().moveTo(x0, y + height).lineTo(x0 + totalWidth, y + height).lineWidth(0.4).strokeColor(COLOR.rule).stroke().restore();
    doc.y = y + height;
  });
  doc.x = left();
  doc.y += 8;
}

/** Label: value pairs in two aligned columns. */
export function keyValues(doc: Doc, pairs: [string, Cell][], options: { labelWidth?: number; size?: number } = {}): void {
  const size = options.size ?? SIZE.body;
  const labelWidth = options.labelWidth ?? 130;
  const valueWidth = CONTENT_WIDTH - labelWidth;
  for (const [label, value] of pairs) {
    const parts: Part[] = typeof value === 'string' ? [{ text: value, size }] : value.map((p) => ({ size, ...p }));
    const h = Math.max(partsHeight(doc, [{ text: label, size, font: 'bold' }], labelWidth - 8, 'left'), partsHeight(doc, parts, valueWidth, 'left'));
    if (doc.y + h > bottom()) doc.addPage();
    const y = doc.y;
    drawParts(doc, [{ text: label, size, font: 'regular', color: COLOR.muted }], left(), y, labelWidth - 8, 'left');
    drawParts(doc, parts, left() + labelWidth, y, valueWidth, 'left');
    doc.y = y + h + 2.5;
  }
  doc.x = left();
  doc.y += 4;
}

/** A filled status pill: symbol and word on colour. Returns its width. */
export function pill(doc: Doc, text: string, x: number, y: number, color: string, size: number = SIZE.small): number {
  setFont(doc, 'bold', size);
  const w = doc.widthOfString(text) + size * 1.2;
  const h = size * 1.7;
  doc.save().roundedRect(x, y, w, h, h / 2).fill(color).restore();
  setFont(doc, 'bold', size, '#ffffff').text(text, x, y + (h - size * 1.17) / 2, { width: w, align: 'center', lineBreak: false });
  return w;
}

/** Cuts `text` with an ellipsis so it fits `width` at the current font. */
export function fitText(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${text.slice(0, mid)}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
