import type { LineageEdgeKind, LineageNodeKind } from '../../../shared/domain/lineage';

export const NODE_KINDS: readonly LineageNodeKind[] = ['dataset', 'job', 'run', 'model_version', 'deployment'];

export const NODE_KIND_LABELS: Record<LineageNodeKind, string> = {
  dataset: 'Dataset',
  job: 'Job',
  run: 'Run',
  model_version: 'Model version',
  deployment: 'Deployment',
};

/** A glyph per kind, so the kind reads without colour. */
export const NODE_KIND_GLYPHS: Record<LineageNodeKind, string> = {
  dataset: '▦',
  job: '⚙',
  run: '▶',
  model_version: '◆',
  deployment: '⇪',
};

export const EDGE_KIND_LABELS: Record<LineageEdgeKind, string> = {
  input: 'input of',
  output: 'output of',
  produced: 'produced',
  evaluated: 'evaluated',
  deployed: 'deployed as',
  parent: 'parent of',
};

/**
 * The outline of a node of each kind, in a w×h box at the origin:
 * dataset a cylinder, job a rectangle, run a rounded rectangle, model version a hexagon-ish tag,
 * deployment an arrow-ended box.
 */
export function nodeShapePath(kind: LineageNodeKind, w: number, h: number): string {
  switch (kind) {
    case 'dataset': {
      const ry = 6;
      return `M0,${ry} A${w / 2},${ry} 0 0 1 ${w},${ry} L${w},${h - ry} A${w / 2},${ry} 0 0 1 0,${h - ry} Z M0,${ry} A${w / 2},${ry} 0 0 0 ${w},${ry}`;
    }
    case 'job':
      return `M0,0 H${w} V${h} H0 Z`;
    case 'run': {
      const r = 12;
      return `M${r},0 H${w - r} A${r},${r} 0 0 1 ${w},${r} V${h - r} A${r},${r} 0 0 1 ${w - r},${h} H${r} A${r},${r} 0 0 1 0,${h - r} V${r} A${r},${r} 0 0 1 ${r},0 Z`;
    }
    case 'model_version': {
      const c = 12;
      return `M${c},0 H${w - c} L${w},${h / 2} L${w - c},${h} H${c} L0,${h / 2} Z`;
    }
    case 'deployment': {
      const c = 14;
      return `M0,0 H${w - c} L${w},${h / 2} L${w - c},${h} H0 Z`;
    }
  }
}
