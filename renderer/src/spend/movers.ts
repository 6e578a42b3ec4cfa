import type { SpendSummary } from '../../../shared/ipc/contract';

export type SpendDaily = SpendSummary['daily'][number];

export interface Mover {
  key: string;
  currency: string;
  /** Effective cost over the 7 days before the last 7. */
  previous: number;
  /** Effective cost over the last 7 days. */
  current: number;
  delta: number;
  /** delta / previous; null when the group had no spend the week before (new spend). */
  pct: number | null;
}

/** 'YYYY-MM-DD' plus n days, in UTC. */
export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  return new Date(t + n * 86_400_000).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, inclusive (0 when either is missing or the range is reversed). */
export function daySpan(from: string | null | undefined, to: string | null | undefined): number {
  if (!from || !to) return 0;
  const d = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return Number.isFinite(d) && d > 0 ? d : 0;
}

/**
 * Week over week: the 7 days ending at `lastDay` against the 7 days before, per group and currency,
 * on effective cost. Groups with no spend in either week are left out. Biggest absolute change first.
 */
export function weekOverWeek(daily: readonly SpendDaily[], lastDay: string): Mover[] {
  const currentFrom = addDays(lastDay, -6);
  const previousFrom = addDays(lastDay, -13);
  const previousTo = addDays(lastDay, -7);
  const byGroup = new Map<string, Mover>();
  for (const p of daily) {
    const inCurrent = p.day >= currentFrom && p.day <= lastDay;
    const inPrevious = p.day >= previousFrom && p.day <= previousTo;
    if (!inCurrent && !inPrevious) continue;
    const id = `${p.currency}\u0000${p.key}`;
    let m = byGroup.get(id);
    if (!m) {
      m = { key: p.key, currency: p.currency, previous: 0, current: 0, delta: 0, pct: null };
      byGroup.set(id, m);
    }
    if (inCurrent) m.current += p.effectiveCost;
    else m.previous += p.effectiveCost;
  }
  const out: Mover[] = [];
  for (const m of byGroup.values()) {
    if (m.current === 0 && m.previous === 0) continue;
    const delta = m.current - m.previous;
    out.push({ ...m, delta, pct: m.previous > 0 ? delta / m.previous : null });
  }
  return out.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.currency.localeCompare(b.currency) || a.key.localeCompare(b.key));
}
