import { formatMoney } from '../../../shared/format/money';
import type { SunsetCandidate } from '../../../shared/lifecycle/lifecycleViews';
import { SUNSET_REASON_CODES, SUNSET_REASON_LABELS, type SunsetReasonCode } from '../../../shared/lifecycle/reasons';
import type { LifecycleState, SunsetDecisionKind, SunsetState } from '../../../shared/lifecycle/sunsetPlan';
import type { Tone } from '../components/ui';

/** Words, tones, routes and filters for the Lifecycle screens: pure, so they are tested without a DOM. */

export const LIFECYCLE_HREF = '#/lifecycle';
export const sunsetHref = (id: number): string => `#/lifecycle/sunsets/${id}`;
export function newSunsetHref(model: string, version: string): string {
  return `#/lifecycle/new?${new URLSearchParams({ model, version }).toString()}`;
}

export const SUNSET_STATE_LABEL: Record<SunsetState, string> = { proposed: 'Proposed', approved: 'Approved', rejected: 'Rejected', withdrawn: 'Withdrawn' };
export const SUNSET_STATE_TONE: Record<SunsetState, Tone> = { proposed: 'info', approved: 'ok', rejected: 'bad', withdrawn: 'neutral' };

export const LIFECYCLE_LABEL: Record<LifecycleState, string> = { active: 'Active', deprecated: 'Deprecated', retired: 'Retired' };
export const LIFECYCLE_TONE: Record<LifecycleState, Tone> = { active: 'ok', deprecated: 'warn', retired: 'neutral' };

export const DECISION_ACTION_LABEL: Record<SunsetDecisionKind, string> = { approve: 'Approve', reject: 'Reject', withdraw: 'Withdraw' };
export const DECISION_DONE_LABEL: Record<SunsetDecisionKind, string> = { approve: 'Approved', reject: 'Rejected', withdraw: 'Withdrew' };

export function reasonLabel(code: string): string {
  return (SUNSET_REASON_LABELS as Record<string, string>)[code] ?? code;
}

/** Cost per 1,000 predictions: four decimals, since these are often fractions of a cent. */
export function formatPer1k(amount: number | null, currency: string): string {
  if (amount === null) return '—';
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 4, maximumFractionDigits: 4 }).format(amount);
  } catch {
    return `${amount.toFixed(4)} ${currency}`;
  }
}

/** "$1,050.14 / month" per currency, joined: amounts in different currencies are never added. */
export function perMonthText(savings: readonly { currency: string; monthly: number }[]): string {
  if (savings.length === 0) return formatMoney(0, 'USD');
  return savings.map((s) => `${formatMoney(s.monthly, s.currency)} / month`).join(' + ');
}

export interface CandidateFilter {
  reason: SunsetReasonCode | '';
  team: string;
  provider: string;
}
export const NO_FILTER: CandidateFilter = { reason: '', team: '', provider: '' };
/** The team filter's value for candidates without a team tag. */
export const NO_TEAM = '\u0000none';

export function filterCandidates(list: readonly SunsetCandidate[], f: CandidateFilter): SunsetCandidate[] {
  return list.filter(
    (c) =>
      (f.reason === '' || c.reasons.some((r) => r.code === f.reason)) &&
      (f.team === '' || (f.team === NO_TEAM ? c.team === null : c.team === f.team)) &&
      (f.provider === '' || c.providers.includes(f.provider)),
  );
}

/** Ranked by monthly saving (largest first), then by name, so the order is stable. */
export function rankCandidates(list: readonly SunsetCandidate[]): SunsetCandidate[] {
  return [...list].sort((a, b) => b.monthlySaving - a.monthlySaving || a.model.localeCompare(b.model) || a.version.localeCompare(b.version));
}

/** What each filter can choose, with how many candidates each choice keeps (of the whole list). */
export function filterOptions(list: readonly SunsetCandidate[]) {
  const count = <K>(keys: K[]) => {
    const m = new Map<K, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const reasons = count(list.flatMap((c) => [...new Set(c.reasons.map((r) => r.code))]));
  const teams = count(list.map((c) => c.team ?? NO_TEAM));
  const providers = count(list.flatMap((c) => c.providers));
  return {
    reasons: SUNSET_REASON_CODES.filter((code) => reasons.has(code)).map((code) => ({ value: code, label: SUNSET_REASON_LABELS[code], count: reasons.get(code)! })),
    teams: [...teams].sort(([a], [b]) => (a === NO_TEAM ? 1 : b === NO_TEAM ? -1 : a.localeCompare(b))).map(([value, n]) => ({ value, label: value === NO_TEAM ? 'No team tag' : value, count: n })),
    providers: [...providers].sort(([a], [b]) => a.localeCompare(b)).map(([value, n]) => ({ value, label: value, count: n })),
  };
}

/** Savings of a list per currency, largest first. */
export function savingsOf(list: readonly SunsetCandidate[]): { currency: string; monthly: number }[] {
  const m = new Map<string, number>();
  for (const c of list) m.set(c.currency, (m.get(c.currency) ?? 0) + c.monthlySaving);
  return [...m].map(([currency, monthly]) => ({ currency, monthly })).sort((a, b) => b.monthly - a.monthly);
}

/** "judged on spend through 2026-03-31 and usage through 2026-03-31". */
export function horizonText(candidates: readonly SunsetCandidate[]): string {
  const latest = (pick: (c: SunsetCandidate) => string | null) =>
    candidates
      .map(pick)
      .filter((d): d is string => d !== null)
      .sort()
      .pop() ?? null;
  const spend = latest((c) => c.dataThrough.spend);
  const usage = latest((c) => c.dataThrough.usage);
  const parts = [spend ? `spend through ${spend}` : 'no spend data', usage ? `usage through ${usage}` : 'no usage data'];
  return `judged on ${parts.join(' and ')}`;
}

/** Twelve months of saving, added up. */
export function yearTotal(perMonth: readonly { saving: number }[]): number {
  return Math.round(perMonth.reduce((s, m) => s + m.saving, 0) * 100) / 100;
}

/** "2026-12 to 2027-11". */
export function monthsSpan(perMonth: readonly { month: string }[]): string {
  if (perMonth.length === 0) return '';
  return `${perMonth[0]!.month} to ${perMonth[perMonth.length - 1]!.month}`;
}
