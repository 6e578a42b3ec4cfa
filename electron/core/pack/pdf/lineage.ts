// The lineage diagram: a layered left-to-right drawing (datasets -> runs -> model version ->
// deployments), boxes with ellipsised labels, curved arrows, scaled to the page. Large graphs are
// cut to the neighbourhood of the focus node, and the drawing says how many nodes it left out.
import type { LineageEdge, LineageNode, LineageNodeKind, LineageView } from '../../../../shared/domain/lineage';
import { COLOR, CONTENT_WIDTH, type Doc, fitText, left, setFont, SIZE } from './layout';

export const MAX_DIAGRAM_NODES = 60;

export const KIND_STYLE: Record<LineageNodeKind, { label: string; fill: string; stroke: string }> = {
  dataset: { label: 'DATASET', fill: '#e8f1fb', stroke: '#4a7fb5' },
  job: { label: 'JOB', fill: '#f3ecfa', stroke: '#8057b0' },
  run: { label: 'RUN', fill: '#f3ecfa', stroke: '#8057b0' },
  model_version: { label: 'MODEL VERSION', fill: '#fff4e0', stroke: '#b7791f' },
  deployment: { label: 'DEPLOYMENT', fill: '#e6f4ea', stroke: '#2f8a4c' },
};

/** Rank used to break ties and to seed layers, following the reading order of the diagram. */
const KIND_RANK: Record<LineageNodeKind, number> = { dataset: 0, job: 1, run: 1, model_version: 2, deployment: 3 };

export interface DiagramSelection {
  nodes: LineageNode[];
  edges: LineageEdge[];
  omitted: number;
}

/** Every node when there are at most `max`; else the nearest `max` to the focus (breadth-first, ties by id). */
export function selectNeighbourhood(view: LineageView, max = MAX_DIAGRAM_NODES): DiagramSelection {
  const known = new Map(view.nodes.map((n) => [n.id, n]));
  const edges = view.edges.filter((e) => known.has(e.from) && known.has(e.to));
  if (view.nodes.length <= max) return { nodes: [...view.nodes], edges, omitted: 0 };
  const neighbours = new Map<string, string[]>();
  for (const e of edges) {
    neighbours.set(e.from, [...(neighbours.get(e.from) ?? []), e.to]);
    neighbours.set(e.to, [...(neighbours.get(e.to) ?? []), e.from]);
  }
  const start = known.has(view.focus) ? view.focus : [...known.keys()].sort()[0]!;
  const kept = new Set<string>([start]);
  let frontier = [start];
  while (frontier.length > 0 && kept.size < max) {
    const next: string[] = [];
    const candidates = [...new Set(frontier.flatMap((id) => neighbours.get(id) ?? []))]
      .filter((id) => !kept.has(id))
      .sort((a, b) => KIND_RANK[known.get(b)!.kind] - KIND_RANK[known.get(a)!.kind] || (a < b ? -1 : a > b ? 1 : 0));
    for (const id of candidates) {
      if (kept.size >= max) break;
      kept.add(id);
      next.push(id);
    }
    frontier = next;
  }
  const nodes = view.nodes.filter((n) => kept.has(n.id));
  return { nodes, edges: edges.filter((e) => kept.has(e.from) && kept.has(e.to)), omitted: view.nodes.length - nodes.length };
}

/** Layer = longest path from a source (cycles broken by visiting order), so edges run left to right. */
function assignLayers(nodes: LineageNode[], edges: LineageEdge[]): Map<string, number> {
  const incoming = new Map<string, string[]>();
  for (const e of edges) if (e.from !== e.to) incoming.set(e.to, [...(incoming.get(e.to) ?? []), e.from]);
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const preds = incoming.get(id) ?? [];
    const value = preds.length === 0 ? 0 : Math.max(...preds.map((p) => visit(p) + 1));
    visiting.delete(id);
    layer.set(id, value);
    return value;
  };
  for (const n of [...nodes].sort((a, b) => (a.id < b.id ? -1 : 1))) visit(n.id);
  // A source that is not a dataset (a deployment with no recorded input) sits by its successors.
  return layer;
}

interface Placed {
  node: LineageNode;
  x: number;
  y: number;
  w: number;
  h: number;
  layer: number;
}

/**
 * Draws the diagram from doc.y within `availableHeight`, scaling box height and type to fit.
 * Returns the height used.
 */
export function drawLineage(doc: Doc, view: LineageView, selection: DiagramSelection, availableHeight: number): number {
  const { nodes, edges } = selection;
  if (nodes.length === 0) return 0;
  const layers = assignLayers(nodes, edges);
  const layerCount = Math.max(...layers.values()) + 1;
  const columns: LineageNode[][] = Array.from({ length: layerCount }, () => []);
  for (const n of nodes) columns[layers.get(n.id) ?? 0]!.push(n);
  for (const col of columns) col.sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.label.localeCompare(b.label, 'en') || (a.id < b.id ? -1 : 1));

  // Barycentre sweeps (left to right, then right to left) to reduce crossings; deterministic.
  const neighbours = new Map<string, string[]>();
  for (const e of edges) {
    neighbours.set(e.from, [...(neighbours.get(e.from) ?? []), e.to]);
    neighbours.set(e.to, [...(neighbours.get(e.to) ?? []), e.from]);
  }
  const position = new Map<string, number>();
  const indexAll = () => columns.forEach((col) => col.forEach((n, i) => position.set(n.id, (i + 0.5) / col.length)));
  indexAll();
  const sweep = (order: number[]) => {
    for (const c of order) {
      const col = columns[c]!;
      const key = new Map(col.map((n) => {
        const ps = (neighbours.get(n.id) ?? []).filter((m) => layers.get(m) !== c).map((m) => position.get(m) ?? 0.5);
        return [n.id, ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : (position.get(n.id) ?? 0.5)];
      }));
      col.sort((a, b) => key.get(a.id)! - key.get(b.id)! || (a.id < b.id ? -1 : 1));
      col.forEach((n, i) => position.set(n.id, (i + 0.5) / col.length));
    }
  };
  const forward = columns.map((_, i) => i);
  for (let pass = 0; pass < 3; pass++) {
    sweep(forward.slice(1));
    sweep([...forward].reverse().slice(1));
  }

  // Geometry: columns share the width; rows shrink (down to a floor) to fit the height, then
  // a column too tall even so wraps into sub-columns.
  const gap = layerCount > 5 ? 15 : 30;
  const maxRows = Math.max(...columns.map((c) => c.length));
  let boxH = 34;
  let vGap = 10;
  const fit = (rows: number) => rows * (boxH + vGap) - vGap;
  if (fit(maxRows) > availableHeight) {
    const scale = availableHeight / fit(maxRows);
    boxH = Math.max(13, 34 * scale);
    vGap = Math.max(3, 10 * scale);
  }
  const rowsPerSub = Math.max(1, Math.floor((availableHeight + vGap) / (boxH + vGap)));
  const subs = columns.map((c) => Math.max(1, Math.ceil(c.length / rowsPerSub)));
  const subGap = 6;
  const totalSubs = subs.reduce((a, b) => a + b, 0);
  const boxW = (CONTENT_WIDTH - gap * (layerCount - 1) - subGap * (totalSubs - layerCount)) / totalSubs;
  const usedRows = Math.min(maxRows, rowsPerSub);
  const height = fit(usedRows);
  const top = doc.y;
  const placed = new Map<string, Placed>();
  let x = left();
  columns.forEach((col, c) => {
    const perSub = Math.ceil(col.length / (subs[c] ?? 1));
    for (let s = 0; s < (subs[c] ?? 1); s++) {
      const part = col.slice(s * perSub, (s + 1) * perSub);
      const colHeight = fit(part.length);
      const y0 = top + (height - colHeight) / 2;
      part.forEach((n, i) => placed.set(n.id, { node: n, x, y: y0 + i * (boxH + vGap), w: boxW, h: boxH, layer: c }));
      x += boxW + (s < (subs[c] ?? 1) - 1 ? subGap : gap);
    }
  });

  // Edges under boxes.
  for (const e of edges) {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (!a || !b || a === b) continue;
    drawEdge(doc, a, b, e.kind, gap);
  }
  const focus = view.focus;
  for (const p of placed.values()) drawBox(doc, p, p.node.id === focus);
  return height;
}

function drawEdge(doc: Doc, a: Placed, b: Placed, kind: LineageEdge['kind'], gap: number): void {
  const color = kind === 'evaluated' ? '#b7791f' : kind === 'parent' ? COLOR.faint : '#6e7781';
  doc.save().lineWidth(0.7).strokeColor(color).fillColor(color);
  if (kind === 'evaluated') doc.dash(2.5, { space: 2 });
  if (kind === 'parent') doc.dash(1, { space: 1.5 });
  let tipX: number;
  let tipY: number;
  let dir: 1 | -1;
  if (b.x > a.x + a.w / 2) {
    const x1 = a.x + a.w;
    const y1 = a.y + a.h / 2;
    tipX = b.x - 0.5;
    tipY = b.y + b.h / 2;
    const dx = Math.max(10, (tipX - x1) * 0.5);
    doc.moveTo(x1, y1).bezierCurveTo(x1 + dx, y1, tipX - dx, tipY, tipX - 3, tipY).stroke();
    dir = 1;
  } else {
    // Same or earlier column: loop out to the right and come back into the right edge.
    const x1 = a.x + a.w;
    const y1 = a.y + a.h / 2;
    tipX = b.x + b.w + 0.5;
    tipY = b.y + b.h / 2;
    const bulge = Math.min(gap * 0.8, 18);
    doc.moveTo(x1, y1).bezierCurveTo(x1 + bulge, y1, tipX + bulge, tipY, tipX + 3, tipY).stroke();
    dir = -1;
  }
  doc.undash();
  doc.moveTo(tipX, tipY).lineTo(tipX - dir * 4.5, tipY - 2.3).lineTo(tipX - dir * 4.5, tipY + 2.3).closePath().fill();
  doc.restore();
}

/** Up to two lines: the first breaks after a separator if it can, the second keeps the end ("…2025.parquet"). */
export function wrapLabel(doc: Doc, text: string, width: number): string[] {
  if (doc.widthOfString(text) <= width) return [text];
  let cut = 0;
  while (cut < text.length && doc.widthOfString(text.slice(0, cut + 1)) <= width) cut++;
  const sep = Math.max(...['/', '_', '-', ' ', '.', ':', '|'].map((c) => text.lastIndexOf(c, cut - 1)));
  const first = sep > cut * 0.5 ? text.slice(0, sep + 1) : text.slice(0, cut);
  const rest = text.slice(first.length).trimStart();
  if (doc.widthOfString(rest) <= width) return [first.trimEnd(), rest];
  let keep = rest.length;
  while (keep > 0 && doc.widthOfString(`…${rest.slice(rest.length - keep)}`) > width) keep--;
  return [first.trimEnd(), `…${rest.slice(rest.length - keep)}`];
}

function drawBox(doc: Doc, p: Placed, isFocus: boolean): void {
  const style = KIND_STYLE[p.node.kind];
  doc.save().roundedRect(p.x, p.y, p.w, p.h, 3).lineWidth(isFocus ? 1.8 : 0.7).fillAndStroke(isFocus ? '#ffe3a8' : style.fill, isFocus ? COLOR.ink : style.stroke).restore();
  const pad = 3.5;
  const width = p.w - 2 * pad;
  const labelSize = Math.max(5.2, Math.min(7, p.h * 0.2));
  setFont(doc, isFocus ? 'bold' : 'regular', labelSize, COLOR.ink);
  if (p.h >= 30) {
    setFont(doc, 'regular', 5, style.stroke);
    doc.text(fitText(doc, isFocus ? 'THIS VERSION' : style.label, width), p.x + pad, p.y + 3, { lineBreak: false });
    setFont(doc, isFocus ? 'bold' : 'regular', labelSize, COLOR.ink);
    const lines = wrapLabel(doc, p.node.label, width);
    lines.forEach((line, i) => doc.text(line, p.x + pad, p.y + 10.5 + i * labelSize * 1.2, { lineBreak: false }));
  } else {
    doc.text(fitText(doc, p.node.label, width), p.x + pad, p.y + (p.h - labelSize * 1.15) / 2, { lineBreak: false });
  }
}

/** A legend row for the node kinds and edge styles present in the drawing. */
export function drawLineageLegend(doc: Doc, selection: DiagramSelection): void {
  const kinds = [...new Set(selection.nodes.map((n) => n.kind))].sort((a, b) => KIND_RANK[a] - KIND_RANK[b]);
  const edgeKinds = new Set(selection.edges.map((e) => e.kind));
  let x = left();
  const y0 = doc.y;
  const y = y0;
  setFont(doc, 'regular', SIZE.tiny, COLOR.muted);
  for (const kind of kinds) {
    const style = KIND_STYLE[kind];
    doc.save().roundedRect(x, y, 10, 7, 1.5).lineWidth(0.6).fillAndStroke(style.fill, style.stroke).restore();
    const label = kind === 'run' && kinds.includes('job') ? 'job / run' : kind === 'job' ? '' : style.label.toLowerCase();
    if (!label) continue;
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(label, x + 13, y, { lineBreak: false });
    x += 13 + doc.widthOfString(label) + 12;
  }
  doc.save().roundedRect(x, y, 10, 7, 1.5).lineWidth(1.4).fillAndStroke('#ffe3a8', COLOR.ink).restore();
  setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text('this version', x + 13, y, { lineBreak: false });
  x += 13 + doc.widthOfString('this version') + 16;
  const edgeLegend: [string, string, number | null][] = [['→ input / produced / deployed', '#6e7781', null]];
  if (edgeKinds.has('evaluated')) edgeLegend.push(['evaluated on', '#b7791f', 2.5]);
  if (edgeKinds.has('parent')) edgeLegend.push(['parent', COLOR.faint, 1]);
  let ey = y0;
  for (const [label, color, dash] of edgeLegend) {
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted);
    if (x + 17 + doc.widthOfString(label) > left() + CONTENT_WIDTH) {
      x = left();
      ey += 11;
    }
    doc.save().moveTo(x, ey + 3.5).lineTo(x + 14, ey + 3.5).lineWidth(0.8).strokeColor(color);
    if (dash) doc.dash(dash, { space: 2 });
    doc.stroke().restore();
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(label.replace('→ ', ''), x + 17, ey, { lineBreak: false });
    x += 17 + doc.widthOfString(label) + 12;
  }
  doc.x = left();
  doc.y = ey + 14;
}
