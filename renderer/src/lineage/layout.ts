/**
 * A layered left-to-right layout for the lineage graph, as a pure function:
 * 1. cycles are broken by ignoring the back edges a depth-first search finds (lineage should be a DAG,
 *    but imported events can say anything);
 * 2. each node's layer is its longest path from a source;
 * 3. nodes within a layer are ordered by a few barycenter sweeps to reduce crossings;
 * 4. layers become columns, orders become rows, centred vertically.
 * Edges keep their direction; back edges and same-layer edges get a detour curve.
 */

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** Horizontal space between columns. */
  layerGap: number;
  /** Vertical space between rows. */
  rowGap: number;
  /** Barycenter sweeps (down + up count as one). */
  sweeps: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = { nodeWidth: 188, nodeHeight: 46, layerGap: 84, rowGap: 18, sweeps: 4 };

export interface PlacedNode {
  id: string;
  layer: number;
  order: number;
  /** Top-left corner. */
  x: number;
  y: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** Index into the input edges. */
  index: number;
  /** SVG path data. */
  path: string;
  /** Where a label for the edge goes. */
  labelX: number;
  labelY: number;
  /** True when the edge points backwards (part of a cycle) or stays within a layer. */
  detour: boolean;
}

export interface GraphLayout {
  nodes: Map<string, PlacedNode>;
  edges: PlacedEdge[];
  layers: string[][];
  width: number;
  height: number;
  /** Edges ignored to break cycles, as indices into the input edges. */
  backEdges: number[];
}

/** Depth-first search from every node (in input order); edges to a node on the stack are back edges. */
function findBackEdges(ids: string[], out: Map<string, { to: string; index: number }[]>): Set<number> {
  const state = new Map<string, 0 | 1 | 2>(); // 0 unseen, 1 on stack, 2 done
  const back = new Set<number>();
  for (const root of ids) {
    if (state.get(root)) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const succ = out.get(top.id) ?? [];
      if (top.next < succ.length) {
        const e = succ[top.next++]!;
        const s = state.get(e.to) ?? 0;
        if (s === 1) back.add(e.index);
        else if (s === 0) {
          state.set(e.to, 1);
          stack.push({ id: e.to, next: 0 });
        }
      } else {
        state.set(top.id, 2);
        stack.pop();
      }
    }
  }
  return back;
}

export function layoutGraph(nodeIds: readonly string[], edges: readonly { from: string; to: string; kind?: string }[], options: Partial<LayoutOptions> = {}): GraphLayout {
  const opt = { ...DEFAULT_LAYOUT, ...options };
  const ids = [...new Set(nodeIds)];
  const known = new Set(ids);
  const inputIndex = new Map(ids.map((id, i) => [id, i]));

  // Valid edges only (both ends known), no self loops for layering; duplicates collapse.
  const out = new Map<string, { to: string; index: number }[]>();
  const seen = new Set<string>();
  edges.forEach((e, index) => {
    if (!known.has(e.from) || !known.has(e.to) || e.from === e.to) return;
    const key = `${e.from}\u0000${e.to}`;
    if (seen.has(key)) return;
    seen.add(key);
    const list = out.get(e.from) ?? [];
    list.push({ to: e.to, index });
    out.set(e.from, list);
  });

  // Start the DFS from sources so that, in a DAG-with-a-cycle, the "natural" direction survives.
  const hasIncoming = new Set<string>();
  for (const list of out.values()) for (const e of list) hasIncoming.add(e.to);
  const dfsOrder = [...ids.filter((id) => !hasIncoming.has(id)), ...ids.filter((id) => hasIncoming.has(id))];
  const back = findBackEdges(dfsOrder, out);

  // Longest path layering on the DAG (Kahn's order).
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const [from, list] of out) {
    for (const e of list) {
      if (back.has(e.index)) continue;
      (succ.get(from) ?? succ.set(from, []).get(from)!).push(e.to);
      (pred.get(e.to) ?? pred.set(e.to, []).get(e.to)!).push(from);
      indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);
    }
  }
  const layerOf = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => indeg.get(id) === 0);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    const l = layerOf.get(id)!;
    for (const t of succ.get(id) ?? []) {
      if (layerOf.get(t)! < l + 1) layerOf.set(t, l + 1);
      const d = indeg.get(t)! - 1;
      indeg.set(t, d);
      if (d === 0) queue.push(t);
    }
  }

  const layerCount = ids.length === 0 ? 0 : Math.max(...layerOf.values()) + 1;
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (const id of ids) layers[layerOf.get(id)!]!.push(id);

  // Barycenter sweeps: order each layer by the mean position of its neighbours in the previous layer.
  const pos = new Map<string, number>();
  const setPositions = (layer: string[]) => layer.forEach((id, i) => pos.set(id, i));
  layers.forEach(setPositions);
  const reorder = (layer: string[], neighbours: (id: string) => string[]) => {
    const keyed = layer.map((id) => {
      const ns = neighbours(id).filter((n) => pos.has(n));
      const bc = ns.length === 0 ? pos.get(id)! : ns.reduce((sum, n) => sum + pos.get(n)!, 0) / ns.length;
      return { id, bc, tie: pos.get(id)! };
    });
    keyed.sort((a, b) => a.bc - b.bc || a.tie - b.tie || inputIndex.get(a.id)! - inputIndex.get(b.id)!);
    keyed.forEach((k, i) => {
      layer[i] = k.id;
    });
    setPositions(layer);
  };
  for (let s = 0; s < opt.sweeps; s++) {
    for (let l = 1; l < layers.length; l++) reorder(layers[l]!, (id) => pred.get(id) ?? []);
    for (let l = layers.length - 2; l >= 0; l--) reorder(layers[l]!, (id) => succ.get(id) ?? []);
  }

  // Coordinates.
  const rowStep = opt.nodeHeight + opt.rowGap;
  const colStep = opt.nodeWidth + opt.layerGap;
  const tallest = layers.reduce((m, l) => Math.max(m, l.length), 0);
  const height = tallest === 0 ? 0 : tallest * rowStep - opt.rowGap;
  const width = layerCount === 0 ? 0 : layerCount * colStep - opt.layerGap;
  const nodes = new Map<string, PlacedNode>();
  layers.forEach((layer, l) => {
    const offset = (height - (layer.length * rowStep - opt.rowGap)) / 2;
    layer.forEach((id, order) => nodes.set(id, { id, layer: l, order, x: l * colStep, y: offset + order * rowStep }));
  });

  // Edge paths: right side of the source to the left side of the target, as a cubic curve.
  const placed: PlacedEdge[] = [];
  const drawn = new Set<string>();
  edges.forEach((e, index) => {
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    if (!a || !b) return;
    const key = `${e.from}\u0000${e.to}\u0000${e.kind ?? ''}`;
    if (drawn.has(key)) return;
    drawn.add(key);
    const h = opt.nodeHeight / 2;
    if (b.layer > a.layer) {
      const x1 = a.x + opt.nodeWidth;
      const y1 = a.y + h;
      const x2 = b.x;
      const y2 = b.y + h;
      const dx = Math.max(40, (x2 - x1) / 2);
      placed.push({ from: e.from, to: e.to, index, path: `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`, labelX: (x1 + x2) / 2, labelY: (y1 + y2) / 2, detour: false });
    } else {
      // Backwards or within a layer: leave from the bottom, loop under, arrive at the bottom.
      const x1 = a.x + opt.nodeWidth / 2 + (a === b ? 20 : 0);
      const y1 = a.y + opt.nodeHeight;
      const x2 = b.x + opt.nodeWidth / 2 - (a === b ? 20 : 0);
      const y2 = b.y + opt.nodeHeight;
      const dip = Math.max(y1, y2) + opt.rowGap + 14;
      placed.push({ from: e.from, to: e.to, index, path: `M${x1},${y1} C${x1},${dip} ${x2},${dip} ${x2},${y2}`, labelX: (x1 + x2) / 2, labelY: dip - 4, detour: true });
    }
  });

  return { nodes, edges: placed, layers, width, height: height + (placed.some((p) => p.detour) ? opt.rowGap + 20 : 0), backEdges: [...back].sort((x, y) => x - y) };
}

/** Counts crossings between consecutive layers (for tests and diagnostics). */
export function countCrossings(layout: GraphLayout, edges: readonly { from: string; to: string }[]): number {
  const segs: { la: number; pa: number; pb: number }[] = [];
  for (const e of edges) {
    const a = layout.nodes.get(e.from);
    const b = layout.nodes.get(e.to);
    if (a && b && b.layer === a.layer + 1) segs.push({ la: a.layer, pa: a.order, pb: b.order });
  }
  let crossings = 0;
  for (let i = 0; i < segs.length; i++) {
    for (let j = i + 1; j < segs.length; j++) {
      const s = segs[i]!;
      const t = segs[j]!;
      if (s.la === t.la && (s.pa - t.pa) * (s.pb - t.pb) < 0) crossings++;
    }
  }
  return crossings;
}
