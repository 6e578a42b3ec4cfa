import { Fragment, useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import type { LineageEdge, LineageNode } from '../../../shared/domain/lineage';
import { DEFAULT_LAYOUT, layoutGraph, type GraphLayout } from './layout';
import { EDGE_KIND_LABELS, NODE_KINDS, NODE_KIND_GLYPHS, NODE_KIND_LABELS, nodeShapePath } from './kinds';

const W = DEFAULT_LAYOUT.nodeWidth;
const H = DEFAULT_LAYOUT.nodeHeight;
const MIN_K = 0.08;
const MAX_K = 2.5;
/** Below this zoom the initial view centres on the focus node (at FOCUS_K) instead of fitting everything. */
const READABLE_K = 0.55;
const FOCUS_K = 0.8;
const PAD = 24;
/**
 * A label longer than fits (about 21 characters; 19 in the pointed shapes; 25 for the smaller sublabel)
 * runs its full length and fades out before the node's edge (node-local x) rather than being cut to "…".
 */
const FITS = { label: 21, pointedLabel: 19, sublabel: 25 } as const;
const FADE_END = { box: W - 6, pointed: W - 10 } as const;
const FADE_WIDTH = 20;

interface View {
  k: number;
  tx: number;
  ty: number;
}

function clampK(k: number): number {
  return Math.min(MAX_K, Math.max(MIN_K, k));
}

export function fitView(layout: Pick<GraphLayout, 'width' | 'height'>, size: { w: number; h: number }): View {
  const gw = Math.max(1, layout.width);
  const gh = Math.max(1, layout.height);
  const k = clampK(Math.min((size.w - 2 * PAD) / gw, (size.h - 2 * PAD) / gh, 1.2));
  // Centred across, but top-aligned: a short graph in a tall box should be seen without scrolling.
  return { k, tx: (size.w - gw * k) / 2, ty: Math.min(PAD, (size.h - gh * k) / 2) };
}

function useSize(ref: RefObject<HTMLElement | null>): { w: number; h: number } {
  const [size, setSize] = useState({ w: 960, h: 560 });
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const update = () => {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) setSize((s) => (Math.abs(s.w - r.width) < 1 && Math.abs(s.h - r.height) < 1 ? s : { w: r.width, h: r.height }));
    };
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

export function LineageGraph({ nodes, edges, focus, selected, onSelect }: { nodes: LineageNode[]; edges: LineageEdge[]; focus: string; selected: string | null; onSelect: (id: string) => void }) {
  const markerId = `lg-arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const layout = useMemo(
    () =>
      layoutGraph(
        nodes.map((n) => n.id),
        edges,
      ),
    [nodes, edges],
  );
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  const wrapRef = useRef<HTMLDivElement>(null);
  const size = useSize(wrapRef);
  const [view, setView] = useState<View>({ k: 1, tx: 0, ty: 0 });
  const touched = useRef(false);
  const drag = useRef<{ x: number; y: number; tx: number; ty: number; id: number } | null>(null);
  const [hoverEdge, setHoverEdge] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);

  const centreOn = useCallback(
    (id: string, k: number) => {
      const p = layout.nodes.get(id);
      if (!p) return;
      setView({ k, tx: size.w / 2 - (p.x + W / 2) * k, ty: size.h / 2 - (p.y + H / 2) * k });
    },
    [layout, size],
  );

  // Initial view: everything if it stays readable, else the focus node at a readable zoom.
  useEffect(() => {
    if (touched.current) return;
    const fit = fitView(layout, size);
    if (fit.k >= READABLE_K || !layout.nodes.has(focus)) setView(fit);
    else centreOn(focus, FOCUS_K);
  }, [layout, size, focus, centreOn]);

  const zoomAt = useCallback((factor: number, cx: number, cy: number) => {
    touched.current = true;
    setView((v) => {
      const k = clampK(v.k * factor);
      const f = k / v.k;
      return { k, tx: cx - (cx - v.tx) * f, ty: cy - (cy - v.ty) * f };
    });
  }, []);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    if ((e.target as Element).closest?.('.lg-node')) return;
    drag.current = { x: e.clientX, y: e.clientY, tx: view.tx, ty: view.ty, id: e.pointerId };
    e.currentTarget.setPointerCapture?.(e.pointerId);
    setDragging(true);
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    touched.current = true;
    setView((v) => ({ ...v, tx: d.tx + e.clientX - d.x, ty: d.ty + e.clientY - d.y }));
  };
  const endDrag = (e: PointerEvent<SVGSVGElement>) => {
    if (drag.current?.id === e.pointerId) {
      drag.current = null;
      setDragging(false);
    }
  };

  // Keyboard: arrows pan, + and - zoom, 0 fits; Tab moves through nodes (each a button).
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.target as Element).closest?.('button')) return;
    const step = 60;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const mv = moves[e.key];
    if (mv) {
      touched.current = true;
      setView((v) => ({ ...v, tx: v.tx + mv[0], ty: v.ty + mv[1] }));
    } else if (e.key === '+' || e.key === '=') zoomAt(1.25, size.w / 2, size.h / 2);
    else if (e.key === '-') zoomAt(0.8, size.w / 2, size.h / 2);
    else if (e.key === '0') setView(fitView(layout, size));
    else return;
    e.preventDefault();
  };

  // A node reached with Tab is scrolled into view.
  const onNodeFocus = (id: string) => {
    const p = layout.nodes.get(id);
    if (!p) return;
    const x = p.x * view.k + view.tx;
    const y = p.y * view.k + view.ty;
    if (x < 0 || y < 0 || x + W * view.k > size.w || y + H * view.k > size.h) {
      touched.current = true;
      centreOn(id, Math.max(view.k, 0.5));
    }
  };

  const ordered = useMemo(() => [...layout.nodes.values()].sort((a, b) => a.layer - b.layer || a.order - b.order), [layout]);
  const hovered = hoverEdge === null ? undefined : layout.edges[hoverEdge];
  const hoveredKind = hovered ? edges[hovered.index]?.kind : undefined;

  return (
    <div className="lineage-graph-wrap">
      <div className="lineage-toolbar" role="toolbar" aria-label="Graph view">
        <button type="button" className="btn btn-secondary btn-icon" onClick={() => zoomAt(1.25, size.w / 2, size.h / 2)} aria-label="Zoom in" title="Zoom in (+)">
          +
        </button>
        <button type="button" className="btn btn-secondary btn-icon" onClick={() => zoomAt(0.8, size.w / 2, size.h / 2)} aria-label="Zoom out" title="Zoom out (−)">
          −
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => {
            touched.current = true;
            setView(fitView(layout, size));
          }}
          title="Fit the whole graph (0)"
          data-testid="lineage-fit"
        >
          Fit
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => {
            touched.current = true;
            centreOn(focus, Math.max(view.k, FOCUS_K));
          }}
        >
          Show this version
        </button>
        <span className="muted lineage-zoom num" aria-live="polite">
          {Math.round(view.k * 100)}%
        </span>
        <span className="muted lineage-hint">
          {nodes.length} node{nodes.length === 1 ? '' : 's'} · {edges.length} edge{edges.length === 1 ? '' : 's'}
        </span>
      </div>
      <div className={`lineage-canvas ${dragging ? 'dragging' : ''}`} ref={wrapRef} onKeyDown={onKeyDown}>
        <svg
          className="lineage-graph"
          data-testid="lineage-graph"
          role="group"
          aria-label={`Lineage graph: ${nodes.length} nodes, ${edges.length} edges`}
          width="100%"
          height="100%"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerCancel={endDrag}
        >
          <defs>
            <marker id={markerId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="lg-arrow" />
            </marker>
            {/* A long label fades out at the node's edge instead of being cut to "…": the text on screen stays
                the node's real name, so its accessible name can contain it word for word (WCAG 2.5.3). */}
            {(['box', 'pointed'] as const).map((shape) => (
              <Fragment key={shape}>
                <linearGradient id={`${markerId}-fade-${shape}-g`} gradientUnits="userSpaceOnUse" x1={FADE_END[shape] - FADE_WIDTH} y1={0} x2={FADE_END[shape]} y2={0}>
                  <stop offset="0" stopColor="#fff" />
                  <stop offset="1" stopColor="#000" />
                </linearGradient>
                <mask id={`${markerId}-fade-${shape}`} maskUnits="userSpaceOnUse" x={0} y={0} width={W} height={H}>
                  <rect x={0} y={0} width={W} height={H} fill={`url(#${markerId}-fade-${shape}-g)`} />
                </mask>
              </Fragment>
            ))}
          </defs>
          <rect className="lg-bg" x="0" y="0" width="100%" height="100%" />
          <g transform={`translate(${view.tx},${view.ty}) scale(${view.k})`}>
            <g className="lg-edges">
              {layout.edges.map((e, i) => {
                const kind = edges[e.index]?.kind ?? 'input';
                const from = byId.get(e.from)?.label ?? e.from;
                const to = byId.get(e.to)?.label ?? e.to;
                const active = selected !== null && (e.from === selected || e.to === selected);
                return (
                  <g key={i} className={`lg-edge edge-${kind} ${active ? 'active' : ''} ${hoverEdge === i ? 'hover' : ''} ${e.detour ? 'detour' : ''}`} onMouseEnter={() => setHoverEdge(i)} onMouseLeave={() => setHoverEdge((h) => (h === i ? null : h))}>
                    <title>{`${from} → ${to} (${kind})`}</title>
                    <path className="lg-edge-hit" d={e.path} />
                    <path className="lg-edge-line" d={e.path} markerEnd={`url(#${markerId})`} />
                  </g>
                );
              })}
            </g>
            <g className="lg-nodes">
              {ordered.map((p) => {
                const n = byId.get(p.id);
                if (!n) return null;
                const isFocus = n.id === focus;
                const isSelected = n.id === selected;
                const sublabel = isFocus ? 'this version' : (n.namespace ?? NODE_KIND_LABELS[n.kind]);
                const pointed = n.kind === 'model_version' || n.kind === 'deployment';
                const fade = `url(#${markerId}-fade-${pointed ? 'pointed' : 'box'})`;
                return (
                  <g
                    key={n.id}
                    className={`lg-node kind-${n.kind} ${isFocus ? 'focus' : ''} ${isSelected ? 'selected' : ''}`}
                    transform={`translate(${p.x},${p.y})`}
                    role="button"
                    tabIndex={0}
                    aria-label={`${n.label}, ${sublabel}${sublabel === NODE_KIND_LABELS[n.kind] ? '' : ` (${NODE_KIND_LABELS[n.kind].toLowerCase()})`}`}
                    aria-pressed={isSelected}
                    data-node-id={n.id}
                    data-kind={n.kind}
                    onClick={() => onSelect(n.id)}
                    onFocus={() => onNodeFocus(n.id)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        e.stopPropagation();
                        onSelect(n.id);
                      }
                    }}
                  >
                    <title>{`${NODE_KIND_LABELS[n.kind]}: ${n.label}${n.namespace ? `\n${n.namespace}` : ''}`}</title>
                    <path className="lg-shape" d={nodeShapePath(n.kind, W, H)} />
                    <text className="lg-glyph" x={n.kind === 'model_version' ? 18 : 12} y={H / 2 + 5} aria-hidden="true">
                      {NODE_KIND_GLYPHS[n.kind]}
                    </text>
                    <text className="lg-label" x={n.kind === 'model_version' ? 36 : 30} y={H / 2 - 3} mask={n.label.length > (pointed ? FITS.pointedLabel : FITS.label) ? fade : undefined}>
                      {n.label}
                    </text>
                    {/* Not drawn: keeps label and sublabel two words for anything reading the node's text. */}
                    {' '}
                    <text className="lg-sublabel" x={n.kind === 'model_version' ? 36 : 30} y={H / 2 + 12} mask={sublabel.length > FITS.sublabel ? fade : undefined}>
                      {sublabel}
                    </text>
                  </g>
                );
              })}
            </g>
            {hovered && (
              <g className="lg-edge-label" transform={`translate(${hovered.labelX},${hovered.labelY})`} pointerEvents="none">
                <rect x={-48} y={-11} width={96} height={20} rx={10} />
                <text textAnchor="middle" y={4}>
                  {hoveredKind ? EDGE_KIND_LABELS[hoveredKind] : ''}
                </text>
              </g>
            )}
          </g>
        </svg>
      </div>
      <div className="lineage-foot">
        <Legend />
        <p className="muted lineage-keys">Drag to pan · wheel or +/− to zoom · 0 fits · Tab to a node, Enter to open it</p>
      </div>
    </div>
  );
}

function Legend() {
  return (
    <ul className="lineage-legend" aria-label="Legend">
      {NODE_KINDS.map((k) => (
        <li key={k}>
          <svg width="34" height="20" viewBox="-1 -1 36 22" aria-hidden="true" className={`lg-node kind-${k}`}>
            <path className="lg-shape" d={nodeShapePath(k, 34, 20)} />
          </svg>
          <span aria-hidden="true" className="legend-glyph">
            {NODE_KIND_GLYPHS[k]}
          </span>
          {NODE_KIND_LABELS[k]}
        </li>
      ))}
      <li>
        <svg width="34" height="20" viewBox="-1 -1 36 22" aria-hidden="true" className="lg-node kind-model_version focus">
          <path className="lg-shape" d={nodeShapePath('model_version', 34, 20)} />
        </svg>
        This version (thick outline)
      </li>
      <li className="muted">Hover an edge for its kind</li>
    </ul>
  );
}
