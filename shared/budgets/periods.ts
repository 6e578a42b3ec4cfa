import type { BudgetDefinition, BudgetPeriod } from './budgetSchema';

/**
 * The calendar windows a budget is judged over. Recurring budgets (monthly, quarterly, annual) have
 * a current period containing the as-of day, as AWS Budgets resets each period; a custom budget has
 * one fixed window. All UTC calendar days, inclusive at both ends.
 */

export interface PeriodWindow {
  kind: BudgetPeriod['kind'];
  start: string;
  end: string;
  /** e.g. "November 2026", "2026 Q4", "2026", "2026-10-01 to 2026-12-31". */
  label: string;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const ymd = (y: number, m: number, d: number): string => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
/** Days in month m (1-12) of year y. */
const monthDays = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function periodAt(period: BudgetPeriod, day: string): PeriodWindow {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  switch (period.kind) {
    case 'monthly':
      return { kind: 'monthly', start: ymd(y, m, 1), end: ymd(y, m, monthDays(y, m)), label: `${MONTH_NAMES[m - 1]} ${y}` };
    case 'quarterly': {
      const q = Math.floor((m - 1) / 3);
      const first = q * 3 + 1;
      return { kind: 'quarterly', start: ymd(y, first, 1), end: ymd(y, first + 2, monthDays(y, first + 2)), label: `${y} Q${q + 1}` };
    }
    case 'annual':
      return { kind: 'annual', start: ymd(y, 1, 1), end: ymd(y, 12, 31), label: String(y) };
    case 'custom':
      return { kind: 'custom', start: period.from, end: period.to, label: `${period.from} to ${period.to}` };
  }
}

/**
 * Whether the spend data reaches the period's last day: the period-end figure is then the actual
 * total, not a forecast, and has no interval. The status, the Budgets view and the report all ask
 * this one question, so they never disagree on it.
 */
export function periodEndedInData(dataThrough: string | null, periodEnd: string): boolean {
  return dataThrough !== null && dataThrough >= periodEnd;
}

/** "Monthly (November 2026)", "Custom (2026-10-01 to 2026-12-31)". */
export function periodDescription(window: PeriodWindow): string {
  const kind = window.kind[0]!.toUpperCase() + window.kind.slice(1);
  return `${kind} (${window.label})`;
}

export interface MonthSlice {
  /** 'YYYY-MM'. */
  month: string;
  /** The part of the month inside the window. */
  from: string;
  to: string;
  days: number;
}

/** The calendar months a window touches, each clipped to the window. */
export function monthsOf(start: string, end: string): MonthSlice[] {
  const out: MonthSlice[] = [];
  let y = Number(start.slice(0, 4));
  let m = Number(start.slice(5, 7));
  for (;;) {
    const first = ymd(y, m, 1);
    const last = ymd(y, m, monthDays(y, m));
    if (first > end) break;
    const from = first < start ? start : first;
    const to = last > end ? end : last;
    out.push({ month: `${pad(y, 4)}-${pad(m)}`, from, to, days: Number(to.slice(8, 10)) - Number(from.slice(8, 10)) + 1 });
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/**
 * The amount a window is budgeted at. For a monthly budget a planned amount for that month replaces
 * the standing amount (AWS's "planned budget amounts"); other periods keep their total.
 */
export function amountFor(budget: BudgetDefinition, window: PeriodWindow): number {
  if (window.kind === 'monthly') {
    const planned = budget.planned.find((p) => p.month === window.start.slice(0, 7));
    if (planned) return planned.amount;
  }
  return budget.amount;
}

export interface PlannedMonth {
  month: string;
  planned: number;
  plannedSource: 'planned' | 'pro-rata';
}

/**
 * The plan per month of a window: the user's planned amount where given, else the window's amount
 * spread over its days (what is left after the planned months, so the months add up to the budget).
 */
export function plannedMonths(budget: BudgetDefinition, window: PeriodWindow): PlannedMonth[] {
  const months = monthsOf(window.start, window.end);
  const amount = amountFor(budget, window);
  const given = new Map(budget.planned.map((p) => [p.month, p.amount]));
  const plannedTotal = months.reduce((sum, s) => sum + (given.get(s.month) ?? 0), 0);
  const openDays = months.filter((s) => !given.has(s.month)).reduce((sum, s) => sum + s.days, 0);
  const rest = Math.max(0, amount - plannedTotal);
  return months.map((s) => {
    const planned = given.get(s.month);
    if (planned !== undefined && window.kind !== 'monthly') return { month: s.month, planned, plannedSource: 'planned' };
    if (window.kind === 'monthly') return { month: s.month, planned: amount, plannedSource: planned !== undefined ? 'planned' : 'pro-rata' };
    return { month: s.month, planned: openDays > 0 ? (rest * s.days) / openDays : 0, plannedSource: 'pro-rata' };
  });
}
