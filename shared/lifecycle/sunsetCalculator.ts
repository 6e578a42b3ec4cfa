import { addDays, dayNumber, daysBetween } from '../budgets/dailySeries';

/**
 * What retiring a model saves each month. Pure arithmetic on figures the caller supplies, so the
 * same function serves the candidate list (attributed spend alone) and a sunset plan (where the user
 * adds shared costs and commitments), and a test can check it by hand.
 *
 *   gross     = the spend attributed to the model per month
 *   shared    = the part of that spend that is shared infrastructure: retiring the model moves it
 *               onto other models rather than ending it, so it is not saved
 *   committed = commitments (reservations, savings plans, contracts) still payable after retirement,
 *               counted only while they run
 *   net       = max(0, gross − shared − committed)   (retiring something never costs more than keeping it)
 */

export interface SunsetCommitment {
  label: string;
  /** Paid per month while the commitment runs. */
  monthly: number;
  /** The last day it is paid for, 'YYYY-MM-DD' (inclusive). */
  until: string;
}

export interface SunsetSavingInput {
  /** Effective spend attributed to the model (or version), per month. */
  attributedMonthly: number;
  /** Shared infrastructure inside that spend that would be reallocated to other models, per month. */
  sharedMonthly?: number;
  commitments?: readonly SunsetCommitment[];
  /** 'YYYY-MM-DD' (an ISO timestamp is read as its day): the day the saving is judged from. */
  asOf: string;
  currency: string;
}

export interface SunsetSavingLine {
  label: string;
  /** Signed: the spend is positive, what is not saved is negative. The lines add up to `net`. */
  amount: number;
}

/** Amounts are in the input's currency (a saving never mixes currencies). */
export interface SunsetSaving {
  gross: number;
  shared: number;
  /** Commitments still running on `asOf`, per month. */
  committed: number;
  /** The monthly saving as of `asOf`; never below 0. */
  net: number;
  /**
   * The 12 calendar months after asOf's month ('YYYY-MM'). A commitment counts in full in the months
   * it runs through, pro rata by days in the month it ends (ending on the 15th of a 30-day month
   * counts 15/30 of its monthly amount), and not at all after.
   */
  perMonth: { month: string; saving: number }[];
  lines: SunsetSavingLine[];
}

const MONTHS_AHEAD = 12;

/** Amounts are money: rounded to cents once, at the end, so the lines and the totals agree. */
const cents = (amount: number): number => Math.round(amount * 100) / 100 + 0;

function checkAmount(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number of 0 or more (got ${value})`);
}

/** First day of the month `offset` months after the month of `day`, and that month's length in days. */
function monthAfter(day: string, offset: number): { first: string; days: number; label: string } {
  const year = Number(day.slice(0, 4));
  const month0 = Number(day.slice(5, 7)) - 1 + offset;
  const y = year + Math.floor(month0 / 12);
  const m = (month0 % 12) + 1;
  const label = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
  const first = `${label}-01`;
  const nextY = m === 12 ? y + 1 : y;
  const nextM = m === 12 ? 1 : m + 1;
  const next = `${String(nextY).padStart(4, '0')}-${String(nextM).padStart(2, '0')}-01`;
  return { first, days: dayNumber(next) - dayNumber(first), label };
}

/** How many days of a month starting on `first` (of `days` days) a commitment paid until `until` covers. */
function coveredDays(first: string, days: number, until: string): number {
  return Math.min(days, Math.max(0, daysBetween(first, until) + 1));
}

export function sunsetSaving(input: SunsetSavingInput): SunsetSaving {
  const asOf = input.asOf.slice(0, 10);
  dayNumber(asOf); // throws DayFormatError for anything that is not a real day
  checkAmount('attributedMonthly', input.attributedMonthly);
  const sharedMonthly = input.sharedMonthly ?? 0;
  checkAmount('sharedMonthly', sharedMonthly);
  const commitments = input.commitments ?? [];
  for (const c of commitments) {
    checkAmount(`commitment "${c.label}" monthly`, c.monthly);
    dayNumber(c.until);
  }

  const gross = input.attributedMonthly;
  // A commitment paid up to and including asOf is still running on asOf.
  const running = commitments.filter((c) => c.until >= asOf);
  const committed = running.reduce((sum, c) => sum + c.monthly, 0);
  const unfloored = gross - sharedMonthly - committed;
  const net = Math.max(0, unfloored);

  const lines: SunsetSavingLine[] = [{ label: 'Spend attributed to the model, per month', amount: cents(gross) }];
  if (sharedMonthly > 0) lines.push({ label: 'Less shared costs reallocated to other models, not saved', amount: cents(-sharedMonthly) });
  for (const c of commitments) {
    if (c.until >= asOf) lines.push({ label: `Less commitment still running: ${c.label} (paid until ${c.until})`, amount: cents(-c.monthly) });
    else lines.push({ label: `Commitment ended ${c.until}, no longer reduces the saving: ${c.label}`, amount: 0 });
  }
  // The lines add up to net; when the costs left exceed the spend, one line says the saving stops at zero.
  const shown = lines.reduce((sum, l) => sum + l.amount, 0);
  if (unfloored < 0) lines.push({ label: 'Not below zero: retiring saves nothing while these costs run', amount: cents(cents(net) - shown) });

  const perMonth = Array.from({ length: MONTHS_AHEAD }, (_, i) => {
    const { first, days, label } = monthAfter(asOf, i + 1);
    const owed = commitments.reduce((sum, c) => sum + (c.monthly * coveredDays(first, days, c.until)) / days, 0);
    return { month: label, saving: cents(Math.max(0, gross - sharedMonthly - owed)) };
  });

  return { gross: cents(gross), shared: cents(sharedMonthly), committed: cents(committed), net: cents(net), perMonth, lines };
}

/** The last day of the 12 months `perMonth` covers, for captions ("to 2027-11-30"). */
export function savingHorizon(asOf: string): string {
  const { first } = monthAfter(asOf.slice(0, 10), MONTHS_AHEAD + 1);
  return addDays(first, -1);
}
