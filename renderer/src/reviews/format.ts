import type { ChecklistResult, RuleResult, RuleStatus } from '../../../shared/policy/evidence';
import type { DecisionKind, ReviewAction, ReviewState } from '../../../shared/reviews/reviewState';
import type { Tone } from '../components/ui';

/** Words, tones and sentences for reviews: kept pure so they are tested without a DOM. */

export const STATE_LABEL: Record<ReviewState, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

export const STATE_TONE: Record<ReviewState, Tone> = {
  draft: 'neutral',
  in_review: 'info',
  changes_requested: 'warn',
  approved: 'ok',
  rejected: 'bad',
  withdrawn: 'neutral',
};

export const RULE_TONE: Record<RuleStatus, Tone> = { pass: 'ok', fail: 'bad', missing: 'warn', waived: 'info' };
export const RULE_LABEL: Record<RuleStatus, string> = { pass: 'Pass', fail: 'Fail', missing: 'Missing', waived: 'Waived' };

export const ACTION_LABEL: Record<ReviewAction, string> = {
  submit: 'Submit for review',
  resubmit: 'Resubmit',
  approve: 'Approve',
  'request-changes': 'Request changes',
  reject: 'Reject',
  withdraw: 'Withdraw',
  waive: 'Waive a rule',
};

export const DECISION_LABEL: Record<DecisionKind, string> = {
  approve: 'Approved',
  'request-changes': 'Requested changes',
  reject: 'Rejected',
  withdraw: 'Withdrew',
  waive: 'Waived a rule',
};

/** The order buttons appear in: the most common decision first, the destructive ones last. */
export const ACTION_ORDER: ReviewAction[] = ['submit', 'resubmit', 'approve', 'request-changes', 'waive', 'reject', 'withdraw'];

const DAY_MS = 86_400_000;

/** "2026-12-01" plus how it stands: "overdue by 3 days", "due in 2 days", "due today". */
export function dueText(dueAt: string | null, open: boolean, now: Date): { date: string; note: string | null; tone: Tone } {
  if (!dueAt) return { date: '—', note: 'no due date', tone: 'neutral' };
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return { date: dueAt, note: null, tone: 'neutral' };
  const date = new Date(due).toISOString().slice(0, 10);
  if (!open) return { date, note: null, tone: 'neutral' };
  const diff = due - now.getTime();
  if (diff < 0) {
    const days = Math.max(1, Math.ceil(-diff / DAY_MS));
    return { date, note: `overdue by ${days} day${days === 1 ? '' : 's'}`, tone: 'bad' };
  }
  const days = Math.floor(diff / DAY_MS);
  if (days === 0) return { date, note: 'due today', tone: 'warn' };
  return { date, note: `due in ${days} day${days === 1 ? '' : 's'}`, tone: days <= 3 ? 'warn' : 'neutral' };
}

export function approvalsText(approvals: number, needed: number | null): string {
  if (needed === null) return approvals === 0 ? 'none needed' : `${approvals} (none needed)`;
  return `${approvals} of ${needed}`;
}

export interface Verdict {
  tone: Tone;
  headline: string;
  detail: string | null;
  blockers: RuleResult[];
}

/**
 * The review page's first answer: can I approve this, and if not, what blocks it? Rules that fail or
 * lack evidence block; outstanding approvals do not (they are the work the review exists for).
 */
export function reviewVerdict(review: { state: ReviewState; approvals: number; approvalsNeeded: number | null; checklist: ChecklistResult }): Verdict {
  const rules = review.checklist.rules;
  const blockers = rules.filter((r) => r.kind !== 'approvals' && (r.status === 'fail' || r.status === 'missing'));
  const approvalsRule = rules.find((r) => r.kind === 'approvals');
  switch (review.state) {
    case 'approved':
      return { tone: 'ok', headline: 'Approved', detail: approvalsRule?.reason ?? 'This review is closed: the release was approved.', blockers: [] };
    case 'rejected':
      return { tone: 'bad', headline: 'Rejected', detail: 'This review is closed: the release was rejected.', blockers: [] };
    case 'withdrawn':
      return { tone: 'neutral', headline: 'Withdrawn', detail: 'This review was withdrawn and is closed.', blockers: [] };
    default:
      break;
  }
  if (blockers.length > 0) {
    const names = blockers.map((r) => r.title).join('; ');
    const lead = review.state === 'draft' ? 'Draft, and blocked' : 'Blocked';
    return { tone: 'bad', headline: `${lead} by ${blockers.length} rule${blockers.length === 1 ? '' : 's'}: ${names}`, detail: 'Approval is not possible until these pass or are waived. Request changes, or record a waiver.', blockers };
  }
  if (review.state === 'draft') {
    return { tone: 'info', headline: 'Draft: evidence passes, not yet submitted', detail: 'Submit it for review so reviewers can approve it.', blockers: [] };
  }
  if (review.checklist.awaitingApprovals) {
    const needed = review.approvalsNeeded;
    const more = needed === null ? null : Math.max(0, needed - review.approvals);
    const roles = approvalsRule ? /still needed: an approval from (?:each|one) of ([^;.(]+)/.exec(approvalsRule.reason)?.[1]?.trim() : undefined;
    const count = more === null || more === 0 ? 'awaiting approval' : `awaiting ${more} more approval${more === 1 ? '' : 's'}`;
    return { tone: 'ok', headline: `Ready to approve — ${count}${roles ? ` (${roles})` : ''}`, detail: approvalsRule?.reason ?? null, blockers: [] };
  }
  return { tone: 'ok', headline: 'Ready to approve — every rule passes', detail: review.checklist.result === 'pass' ? 'The checklist passes; an approval now closes the review.' : null, blockers: [] };
}

export function isOpenState(state: ReviewState): boolean {
  return state === 'draft' || state === 'in_review' || state === 'changes_requested';
}

/** A short, readable form of any JSON value for the diff: strings plain, others as compact JSON. */
export function showValue(value: unknown, max = 160): string {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `fairness.evaluations[12].measures.dpd` → `evaluations[12].measures.dpd` (the section is the group heading). */
export function pathInSection(section: string, path: string): string {
  if (path === section) return '(whole section)';
  return path.startsWith(`${section}.`) ? path.slice(section.length + 1) : path;
}

export const SECTION_TITLE: Record<string, string> = {
  tier: 'Risk tier',
  card: 'Model card',
  lineage: 'Lineage',
  fairness: 'Fairness',
  cost: 'Spend',
};

export function sectionTitle(section: string): string {
  return SECTION_TITLE[section] ?? section;
}

export function shortKeyId(keyId: string): string {
  return keyId.slice(0, 12);
}

export interface FlatLine {
  path: string;
  text: string;
  /** The untruncated value, for a tooltip. */
  full: string;
}

/**
 * A whole object added or removed in the diff, as readable "path: value" lines (nulls left out,
 * lists of plain values joined), so a new fairness evaluation reads as its file, hash and measures
 * rather than one long line of JSON.
 */
export function flattenForDiff(value: unknown, maxLines = 14, maxText = 48): { lines: FlatLine[]; more: number } {
  const all: FlatLine[] = [];
  const walk = (v: unknown, path: string) => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      if (v.every((x) => x === null || typeof x !== 'object')) {
        const full = v.length === 0 ? '(none)' : v.map(String).join(', ');
        all.push({ path, text: clip(full, maxText), full });
        return;
      }
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
      return;
    }
    if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, path ? `${path}.${k}` : k);
      return;
    }
    const full = typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toFixed(4))) : String(v);
    all.push({ path, text: clip(full, maxText), full });
  };
  walk(value, '');
  return { lines: all.slice(0, maxLines), more: Math.max(0, all.length - maxLines) };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function isStructured(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !(Array.isArray(value) && value.every((x) => x === null || typeof x !== 'object'));
}
