import type { AliasPlacementView } from '../../../shared/domain/lineage';

/**
 * Geometry of the alias & stage timeline, as a pure function of the placements:
 * one lane per alias or stage name; per placement a solid bar for the time it was observed
 * (firstSeenAt → lastSeenAt), then either a dashed window (lastSeenAt → endedAt: it changed
 * somewhere between two syncs) or, while still held, an open extension to "now".
 */

export interface TimelineOptions {
  /** Width of the plotting area (excluding the lane labels). */
  width: number;
  /** Now, in epoch ms: where open bars end. */
  now: number;
  laneHeight?: number;
  /** Minimum pixels between axis ticks. */
  minTickSpacing?: number;
}

export interface TimelineLane {
  key: string;
  kind: 'alias' | 'stage';
  name: string;
  label: string;
  index: number;
  y: number;
}

export interface TimelineBar {
  lane: string;
  version: string;
  placement: AliasPlacementView;
  /** Solid part: observed held. */
  x1: number;
  x2: number;
  /** Dashed window lastSeenAt → endedAt, when the placement ended. */
  dashX2: number | null;
  /** Still held at the last sync: the bar continues, open, to now. */
  open: boolean;
  openX2: number | null;
  /** Where the version label goes, and whether it fits inside the bar. */
  labelX: number;
  labelInside: boolean;
}

export interface TimelineTick {
  x: number;
  t: number;
  label: string;
}

export interface TimelineGeometry {
  lanes: TimelineLane[];
  bars: TimelineBar[];
  ticks: TimelineTick[];
  start: number;
  end: number;
  width: number;
  height: number;
  /** False when now lies far beyond the last observation: open bars then run to the right edge. */
  nowInRange: boolean;
  /** Maps a time (epoch ms) to x. */
  x: (t: number) => number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STEPS = [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY];
const STAGE_ORDER = ['Production', 'Staging', 'Archived', 'None'];

export function laneKey(p: Pick<AliasPlacementView, 'kind' | 'name'>): string {
  return `${p.kind}:${p.name}`;
}

export function laneLabel(p: Pick<AliasPlacementView, 'kind' | 'name'>): string {
  return p.kind === 'alias' ? `@${p.name}` : `stage ${p.name}`;
}

function ms(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

function tickLabel(t: number, step: number): string {
  const iso = new Date(t).toISOString();
  if (step >= 30 * DAY) return iso.slice(0, 7);
  if (step >= DAY) return iso.slice(0, 10);
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** UTC-aligned ticks: whole hours, days, weeks (from the epoch) or months. */
export function timeTicks(start: number, end: number, width: number, minSpacing = 110): { step: number; ticks: number[] } {
  const span = Math.max(1, end - start);
  const maxTicks = Math.max(2, Math.floor(width / minSpacing));
  const step = STEPS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / (365 * DAY)) * 365 * DAY;
  const ticks: number[] = [];
  if (step >= 30 * DAY) {
    const months = Math.round(step / (30 * DAY));
    const d = new Date(start);
    let y = d.getUTCFullYear();
    let m = d.getUTCMonth();
    m = Math.ceil(m / months) * months;
    for (let t = Date.UTC(y, m, 1); t <= end && ticks.length < 200; ) {
      if (t >= start) ticks.push(t);
      m += months;
      y += Math.floor(m / 12);
      m %= 12;
      t = Date.UTC(y, m, 1);
    }
  } else {
    for (let t = Math.ceil(start / step) * step; t <= end && ticks.length < 200; t += step) ticks.push(t);
  }
  return { step, ticks };
}

export function timelineGeometry(placements: readonly AliasPlacementView[], options: TimelineOptions): TimelineGeometry {
  const laneHeight = options.laneHeight ?? 36;
  const width = Math.max(100, options.width);
  const laneMap = new Map<string, { kind: 'alias' | 'stage'; name: string }>();
  for (const p of placements) laneMap.set(laneKey(p), { kind: p.kind, name: p.name });
  const lanes: TimelineLane[] = [...laneMap.entries()]
    .sort(([, a], [, b]) => {
      if (a.kind !== b.kind) return a.kind === 'alias' ? -1 : 1;
      if (a.kind === 'stage') {
        const ia = STAGE_ORDER.indexOf(a.name);
        const ib = STAGE_ORDER.indexOf(b.name);
        if (ia !== ib) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
      }
      return a.name.localeCompare(b.name);
    })
    .map(([key, l], index) => ({ key, kind: l.kind, name: l.name, label: laneLabel(l), index, y: index * laneHeight }));

  const times: number[] = [];
  for (const p of placements) {
    times.push(ms(p.firstSeenAt), ms(p.lastSeenAt));
    if (p.endedAt) times.push(ms(p.endedAt));
  }
  let start = times.length ? Math.min(...times) : options.now - 7 * DAY;
  const last = times.length ? Math.max(...times) : options.now;
  // Include now when it is near; if the last sync was long ago, do not squash the history to a sliver.
  const nowInRange = options.now >= start && options.now - last <= Math.max(DAY, 0.25 * (last - start));
  let end = nowInRange ? Math.max(last, options.now) : last;
  if (end - start < HOUR) {
    start -= HOUR / 2;
    end += HOUR / 2;
  }
  const pad = (end - start) * 0.03;
  start -= pad;
  end += pad;
  const x = (t: number) => ((t - start) / (end - start)) * width;

  const bars: TimelineBar[] = placements.map((p) => {
    const x1 = x(ms(p.firstSeenAt));
    const x2 = Math.max(x1 + 2, x(ms(p.lastSeenAt)));
    const dashX2 = p.endedAt ? Math.max(x2, x(ms(p.endedAt))) : null;
    const open = p.endedAt === null;
    const openX2 = open ? Math.max(x2, nowInRange ? x(options.now) : width) : null;
    const label = `v${p.version}`;
    const labelInside = x2 - x1 >= label.length * 7.5 + 12;
    return { lane: laneKey(p), version: p.version, placement: p, x1, x2, dashX2, open, openX2, labelX: labelInside ? x1 + 6 : x1, labelInside };
  });

  const { step, ticks } = timeTicks(start, end, width, options.minTickSpacing);
  return {
    lanes,
    bars,
    ticks: ticks.map((t) => ({ t, x: x(t), label: tickLabel(t, step) })),
    start,
    end,
    width,
    height: lanes.length * laneHeight,
    nowInRange,
    x,
  };
}
