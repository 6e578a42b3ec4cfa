import { formatMoney } from '../../../shared/format/money';
import type { SunsetCandidate } from '../../../shared/lifecycle/lifecycleViews';
import { SUNSET_REASON_LABELS } from '../../../shared/lifecycle/reasons';
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

/** "judged on spend through 2026-03-31 and usage through 2026-03-31". */
export function horizonText({ spend, usage }: SunsetCandidate['dataThrough']): string {
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
