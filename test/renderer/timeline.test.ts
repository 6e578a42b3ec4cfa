import { describe, expect, it } from 'vitest';
import type { AliasPlacementView } from '../../shared/domain/lineage';
import { laneLabel, timeTicks, timelineGeometry } from '../../renderer/src/history/timeline';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (days: number) => new Date(T0 + days * DAY).toISOString();

const placements: AliasPlacementView[] = [
  { kind: 'alias', name: 'champion', version: '2', firstSeenAt: iso(0), lastSeenAt: iso(4), endedAt: iso(5) },
  { kind: 'alias', name: 'champion', version: '3', firstSeenAt: iso(5), lastSeenAt: iso(9), endedAt: null },
  { kind: 'stage', name: 'Production', version: '2', firstSeenAt: iso(1), lastSeenAt: iso(9), endedAt: null },
  { kind: 'alias', name: 'challenger', version: '3', firstSeenAt: iso(2), lastSeenAt: iso(3), endedAt: iso(6) },
];

describe('timelineGeometry', () => {
  const now = T0 + 10 * DAY;
  const geo = timelineGeometry(placements, { width: 1000, now, laneHeight: 40 });

  it('has one lane per alias or stage, aliases first', () => {
    expect(geo.lanes.map((l) => l.label)).toEqual(['@challenger', '@champion', 'stage Production']);
    expect(geo.lanes.map((l) => l.y)).toEqual([0, 40, 80]);
    expect(geo.height).toBe(120);
    expect(laneLabel({ kind: 'stage', name: 'Staging' })).toBe('stage Staging');
  });

  it('maps times to x monotonically inside the width, with a little padding', () => {
    expect(geo.x(T0)).toBeGreaterThan(0);
    expect(geo.x(now)).toBeLessThan(1000);
    expect(geo.x(T0 + DAY)).toBeGreaterThan(geo.x(T0));
  });

  it('draws solid bars first→last seen, a dashed window last seen→ended, and open bars to now', () => {
    const [v2, v3, prod, chall] = geo.bars;
    expect(v2!.x1).toBeCloseTo(geo.x(T0));
    expect(v2!.x2).toBeCloseTo(geo.x(T0 + 4 * DAY));
    expect(v2!.dashX2).toBeCloseTo(geo.x(T0 + 5 * DAY));
    expect(v2!.open).toBe(false);
    expect(v2!.openX2).toBeNull();
    expect(v3!.open).toBe(true);
    expect(v3!.dashX2).toBeNull();
    expect(v3!.openX2).toBeCloseTo(geo.x(now));
    expect(prod!.lane).toBe('stage:Production');
    expect(chall!.dashX2! - chall!.x2).toBeCloseTo(geo.x(T0 + 6 * DAY) - geo.x(T0 + 3 * DAY));
    // The next holder starts where the window ends, not before the previous was last seen.
    expect(v3!.x1).toBeGreaterThanOrEqual(v2!.x2);
    for (const b of geo.bars) expect(b.labelInside).toBe(b.x2 - b.x1 >= 27);
  });

  it('ticks are dated, UTC-aligned and spaced', () => {
    expect(geo.ticks.length).toBeGreaterThan(2);
    expect(geo.ticks[0]!.label).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const t of geo.ticks) expect(t.t % DAY).toBe(0);
    for (let i = 1; i < geo.ticks.length; i++) expect(geo.ticks[i]!.x - geo.ticks[i - 1]!.x).toBeGreaterThanOrEqual(100);
  });

  it('hour ticks for short spans and month ticks for long ones', () => {
    const short = timeTicks(T0, T0 + 6 * 3_600_000, 800);
    expect(short.step).toBeLessThan(DAY);
    const long = timeTicks(T0, T0 + 900 * DAY, 800);
    expect(long.step).toBeGreaterThanOrEqual(30 * DAY);
    for (const t of long.ticks) expect(new Date(t).getUTCDate()).toBe(1);
  });

  it('does not squash the history when the last sync was long ago: open bars run to the edge', () => {
    const far = timelineGeometry(placements, { width: 1000, now: T0 + 300 * DAY });
    expect(far.nowInRange).toBe(false);
    expect(far.x(T0 + 9 * DAY)).toBeLessThan(1000);
    const open = far.bars.find((b) => b.open)!;
    expect(open.openX2).toBe(1000);
    expect(geo.nowInRange).toBe(true);
  });

  it('handles no placements and a single instant', () => {
    expect(timelineGeometry([], { width: 500, now }).bars).toEqual([]);
    const one = timelineGeometry([{ kind: 'alias', name: 'a', version: '1', firstSeenAt: iso(1), lastSeenAt: iso(1), endedAt: null }], { width: 500, now: T0 + DAY });
    expect(one.bars[0]!.x2).toBeGreaterThan(one.bars[0]!.x1);
    expect(Number.isFinite(one.x(T0))).toBe(true);
  });
});
