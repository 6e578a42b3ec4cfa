import type { DailyCost } from './types';

/**
 * Calendar arithmetic on 'YYYY-MM-DD' days, done on whole day numbers (days since 1970-01-01) with
 * Howard Hinnant's civil-calendar algorithms. No Date object is involved, so the answer cannot depend
 * on the machine's time zone or daylight-saving rules: a forecast made in Sydney and one made in
 * San Francisco see the same days.
 */

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export class DayFormatError extends RangeError {
  constructor(day: string) {
    super(`"${day}" is not a day (YYYY-MM-DD)`);
    this.name = 'DayFormatError';
  }
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Days since 1970-01-01 (UTC). Throws DayFormatError for anything that is not a real calendar day. */
export function dayNumber(day: string): number {
  const m = DAY_PATTERN.exec(day);
  if (!m) throw new DayFormatError(day);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const n = daysFromCivil(y, mo, d);
  // Round-tripping rejects 2026-02-30 and month 13, which the arithmetic would silently roll over.
  const [y2, mo2, d2] = civilFromDays(n);
  if (y2 !== y || mo2 !== mo || d2 !== d) throw new DayFormatError(day);
  return n;
}

/** The 'YYYY-MM-DD' for a day number (inverse of dayNumber). */
export function dayFromNumber(n: number): string {
  const [y, m, d] = civilFromDays(n);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

export function isDay(day: string): boolean {
  try {
    dayNumber(day);
    return true;
  } catch {
    return false;
  }
}

/** `day` moved by `n` days (n may be negative). */
export function addDays(day: string, n: number): string {
  return dayFromNumber(dayNumber(day) + n);
}

/** to − from in days: 0 for the same day, 1 for the next day, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay numbers them. */
export function dayOfWeek(day: string): number {
  return weekdayOfNumber(dayNumber(day));
}

/** Weekday of a day number; 1970-01-01 was a Thursday (4). */
export function weekdayOfNumber(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

/**
 * The costs of every day from `from` to `to` inclusive, in order: days the sparse series does not list
 * are 0 (no spend), entries outside the range are ignored, and repeated days are added together (a
 * caller that passes one row per source should still get the day's total). Empty when to < from.
 */
export function denseCosts(series: readonly DailyCost[], from: string, to: string): number[] {
  const start = dayNumber(from);
  const length = dayNumber(to) - start + 1;
  if (length <= 0) return [];
  const values = new Array<number>(length).fill(0);
  for (const { day, cost } of series) {
    const i = dayNumber(day) - start;
    if (i >= 0 && i < length) values[i] = values[i]! + cost;
  }
  return values;
}

/** The same as denseCosts, as DailyCost rows. */
export function fillDailySeries(series: readonly DailyCost[], from: string, to: string): DailyCost[] {
  const start = dayNumber(from);
  return denseCosts(series, from, to).map((cost, i) => ({ day: dayFromNumber(start + i), cost }));
}

/** The earliest and latest day a sparse series lists (null when it is empty). Input order does not matter. */
export function seriesSpan(series: readonly DailyCost[]): { first: string; last: string } | null {
  let first: number | null = null;
  let last: number | null = null;
  for (const { day } of series) {
    const n = dayNumber(day);
    if (first === null || n < first) first = n;
    if (last === null || n > last) last = n;
  }
  return first === null || last === null ? null : { first: dayFromNumber(first), last: dayFromNumber(last) };
}
