import type { SunsetCandidate } from './lifecycleViews';
import { SUNSET_REASON_CODES, SUNSET_REASON_LABELS, type SunsetReasonCode } from './reasons';

/**
 * The sunset candidates list as the Lifecycle view shows it: ranked by saving, filtered by reason,
 * team and provider, with each filter's choices counted. The engine pages the list with these (a large
 * registry has tens of thousands of candidates), and the window uses the same definitions.
 */

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
  const compare = collator.compare;
  return [...list].sort((a, b) => b.monthlySaving - a.monthlySaving || compare(a.model, b.model) || compare(a.version, b.version));
}

/** localeCompare's order, without building a collator per comparison (20,000 candidates are sorted per request). */
const collator = new Intl.Collator();

export interface CandidateFilterOption {
  value: string;
  label: string;
  count: number;
}
export interface CandidateFilterOptions {
  reasons: CandidateFilterOption[];
  teams: CandidateFilterOption[];
  providers: CandidateFilterOption[];
}

/** What each filter can choose, with how many candidates each choice keeps (of the whole list). */
export function filterOptions(list: readonly SunsetCandidate[]): CandidateFilterOptions {
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

/** The last day of spend and of usage data any candidate was judged on: the list's horizon. */
export function candidatesHorizon(list: readonly SunsetCandidate[]): SunsetCandidate['dataThrough'] {
  const latest = (pick: (c: SunsetCandidate) => string | null) => list.reduce<string | null>((max, c) => {
    const day = pick(c);
    return day !== null && (max === null || day > max) ? day : max;
  }, null);
  return { spend: latest((c) => c.dataThrough.spend), usage: latest((c) => c.dataThrough.usage) };
}

/** Savings of a list per currency, largest first. */
export function savingsOf(list: readonly SunsetCandidate[]): { currency: string; monthly: number }[] {
  const m = new Map<string, number>();
  for (const c of list) m.set(c.currency, (m.get(c.currency) ?? 0) + c.monthlySaving);
  return [...m].map(([currency, monthly]) => ({ currency, monthly })).sort((a, b) => b.monthly - a.monthly);
}
