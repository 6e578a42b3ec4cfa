import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, countCrossings, layoutGraph } from '../../renderer/src/lineage/layout';

function noOverlapsWithinLayers(layout: ReturnType<typeof layoutGraph>) {
  for (const layer of layout.layers) {
    const ys = layer.map((id) => layout.nodes.get(id)!.y).sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(DEFAULT_LAYOUT.nodeHeight);
    const xs = new Set(layer.map((id) => layout.nodes.get(id)!.x));
    expect(xs.size).toBeLessThanOrEqual(1);
  }
}

describe('layoutGraph', () => {
  it('puts each node in the layer of its longest path from a source', () => {
    const edges = [
      { from: 'ds', to: 'run' },
      { from: 'run', to: 'model' },
      { from: 'ds', to: 'model' }, // a shortcut does not pull model back to layer 1
      { from: 'model', to: 'deploy' },
      { from: 'eval', to: 'model' },
    ];
    const l = layoutGraph(['model', 'deploy', 'ds', 'run', 'eval'], edges);
    const layer = (id: string) => l.nodes.get(id)!.layer;
    expect(layer('ds')).toBe(0);
    expect(layer('eval')).toBe(0);
    expect(layer('run')).toBe(1);
    expect(layer('model')).toBe(2);
    expect(layer('deploy')).toBe(3);
    expect(l.layers.map((x) => x.length)).toEqual([2, 1, 1, 1]);
    expect(l.backEdges).toEqual([]);
    // Columns go left to right, every edge path runs forwards.
    expect(l.nodes.get('run')!.x).toBeGreaterThan(l.nodes.get('ds')!.x);
    expect(l.edges.every((e) => !e.detour)).toBe(true);
    expect(l.edges.every((e) => e.path.startsWith('M'))).toBe(true);
    noOverlapsWithinLayers(l);
  });

  it('reduces crossings with barycenter ordering', () => {
    // Two chains given in a crossing order: a1→b2, a2→b1.
    const ids = ['a1', 'a2', 'b1', 'b2', 'c1', 'c2'];
    const edges = [
      { from: 'a1', to: 'b2' },
      { from: 'a2', to: 'b1' },
      { from: 'b2', to: 'c1' },
      { from: 'b1', to: 'c2' },
    ];
    const l = layoutGraph(ids, edges);
    expect(countCrossings(l, edges)).toBe(0);
    noOverlapsWithinLayers(l);
  });

  it('survives cycles, self loops, duplicates and unknown ends', () => {
    const edges = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'a' },
      { from: 'c', to: 'c' },
      { from: 'a', to: 'b' },
      { from: 'a', to: 'ghost' },
    ];
    const l = layoutGraph(['a', 'b', 'c'], edges);
    expect(l.nodes.size).toBe(3);
    expect(l.backEdges.length).toBeGreaterThanOrEqual(1);
    const layers = ['a', 'b', 'c'].map((id) => l.nodes.get(id)!.layer);
    expect(new Set(layers).size).toBe(3);
    expect(l.edges.some((e) => e.detour)).toBe(true);
    expect(l.edges.find((e) => e.to === 'ghost')).toBeUndefined();
    for (const e of l.edges) expect(e.path).not.toContain('NaN');
    noOverlapsWithinLayers(l);
  });

  it('handles an empty graph and a lone node', () => {
    expect(layoutGraph([], []).nodes.size).toBe(0);
    const one = layoutGraph(['m'], []);
    expect(one.nodes.get('m')).toMatchObject({ layer: 0, order: 0, x: 0, y: 0 });
    expect(one.width).toBe(DEFAULT_LAYOUT.nodeWidth);
  });

  it('lays out 200 nodes with cycles quickly and without overlaps', () => {
    const ids: string[] = [];
    const edges: { from: string; to: string }[] = [];
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 200; i++) ids.push(`n${i}`);
    for (let i = 1; i < 200; i++) {
      edges.push({ from: `n${Math.floor(rand() * i)}`, to: `n${i}` });
      if (rand() < 0.5) edges.push({ from: `n${Math.floor(rand() * i)}`, to: `n${i}` });
    }
    for (let i = 0; i < 10; i++) edges.push({ from: `n${150 + i}`, to: `n${i}` }); // cycles
    const t0 = performance.now();
    const l = layoutGraph(ids, edges);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);
    expect(l.nodes.size).toBe(200);
    expect(l.layers.flat().length).toBe(200);
    noOverlapsWithinLayers(l);
    // Every non-back edge goes forward a layer or more.
    const back = new Set(l.backEdges);
    edges.forEach((e, i) => {
      if (back.has(i) || e.from === e.to) return;
      expect(l.nodes.get(e.to)!.layer).toBeGreaterThan(l.nodes.get(e.from)!.layer);
    });
    expect(Number.isFinite(l.width) && Number.isFinite(l.height)).toBe(true);
  });
});
