import type { CeDailyCost } from '../../../shared/domain/spend';

/**
 * Which days a Cost Explorer sync must (re)read. Every request costs $0.01, so final days are not
 * read again; a day is not final when it is not stored yet, when it was stored with Estimated=true,
 * or when it is one of the last `restateDays` days before today (AWS restates those).
 */

const DAY_MS = 86_400_000;

function toMs(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(ms)) throw new Error(`not a YYYY-MM-DD date: ${JSON.stringify(day)}`);
  return ms;
}

function toDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return toDay(toMs(day) + n * DAY_MS);
}

/**
 * The smallest window [from, to) inside [from, to) that covers every day not yet final, or null when
 * every day is final. `to` is exclusive, as Cost Explorer wants it; days from `today` on are not
 * asked for (Cost Explorer has nothing final for them), so `to` is capped at `today`.
 */
export function daysToFetch(
  stored: readonly { day: string; estimated: boolean }[],
  from: string,
  to: string,
  today: string,
  restateDays = 3,
): { from: string; to: string } | null {
  const start = toMs(from);
  const end = Math.min(toMs(to), toMs(today) + DAY_MS); // today itself is read (it is estimated) but nothing after
  const restateFrom = toMs(today) - Math.max(0, restateDays) * DAY_MS;
  const final = new Set<string>();
  const estimated = new Set<string>();
  for (const row of stored) (row.estimated ? estimated : final).add(row.day);
  let first: number | null = null;
  let last: number | null = null;
  for (let ms = start; ms < end; ms += DAY_MS) {
    const day = toDay(ms);
    const needed = !final.has(day) || estimated.has(day) || ms >= restateFrom;
    if (!needed) continue;
    first ??= ms;
    last = ms;
  }
  if (first === null || last === null) return null;
  return { from: toDay(first), to: toDay(last + DAY_MS) };
}

export interface Restatement {
  day: string;
  tagValue: string | null;
  group2: string | null;
  /** Unblended cost before the restatement (0 when the group is new). */
  before: number;
  /** Unblended cost after it (0 when the group disappeared). */
  after: number;
}

/**
 * Groups whose unblended cost changed between two reads of the same days (AWS restatements).
 * Only days read both times are compared: a day outside either read is neither restated nor dropped.
 * Amounts are compared to the hundredth of a cent, the noise of Cost Explorer's decimal strings.
 */
export function diffRestatements(previous: readonly CeDailyCost[], next: readonly CeDailyCost[], epsilon = 1e-4): Restatement[] {
  const key = (row: Pick<CeDailyCost, 'day' | 'tagValue' | 'group2' | 'currency'>) => JSON.stringify([row.day, row.tagValue, row.group2, row.currency]);
  const sum = (rows: readonly CeDailyCost[]) => {
    const map = new Map<string, { row: CeDailyCost; amount: number }>();
    for (const row of rows) {
      const k = key(row);
      const entry = map.get(k);
      if (entry) entry.amount += row.unblendedCost;
      else map.set(k, { row, amount: row.unblendedCost });
    }
    return map;
  };
  const before = sum(previous);
  const after = sum(next);
  const daysInNext = new Set(next.map((row) => row.day));
  const daysInPrevious = new Set(previous.map((row) => row.day));
  const changes: Restatement[] = [];
  for (const [k, { row, amount }] of after) {
    if (!daysInPrevious.has(row.day)) continue;
    const old = before.get(k)?.amount ?? 0;
    if (Math.abs(old - amount) > epsilon) changes.push({ day: row.day, tagValue: row.tagValue, group2: row.group2, before: old, after: amount });
  }
  for (const [k, { row, amount }] of before) {
    if (!after.has(k) && daysInNext.has(row.day) && Math.abs(amount) > epsilon) {
      changes.push({ day: row.day, tagValue: row.tagValue, group2: row.group2, before: amount, after: 0 });
    }
  }
  return changes.sort((a, b) => a.day.localeCompare(b.day) || String(a.tagValue).localeCompare(String(b.tagValue)) || String(a.group2).localeCompare(String(b.group2)));
}
