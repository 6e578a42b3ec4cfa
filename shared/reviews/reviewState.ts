/**
 * The life of a release review, as pure rules: which actions each state allows, and when the
 * approvals gathered so far satisfy the policy. The engine applies these inside its transactions;
 * the renderer uses them to offer only the buttons that can work.
 */

export const REVIEW_STATES = ['draft', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** Signed decisions. A waiver is a decision too: it needs a key, a reason and an expiry. */
export const DECISION_KINDS = ['approve', 'reject', 'request-changes', 'withdraw', 'waive'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Unsigned moves of a review (opening it up for review, sending it back after changes). */
export type ReviewMove = 'submit' | 'resubmit';
export type ReviewAction = DecisionKind | ReviewMove;

/** A review in one of these states still waits for someone; the others are closed for good. */
export const OPEN_STATES: readonly ReviewState[] = ['draft', 'in_review', 'changes_requested'];

const ALLOWED: Record<ReviewState, readonly ReviewAction[]> = {
  draft: ['submit', 'withdraw', 'waive'],
  in_review: ['approve', 'reject', 'request-changes', 'withdraw', 'waive'],
  // Changes requested: the author fixes the evidence; a reviewer may then approve straight away
  // (the checklist is evaluated afresh) or the author resubmits it.
  changes_requested: ['approve', 'reject', 'request-changes', 'resubmit', 'withdraw', 'waive'],
  approved: [],
  rejected: [],
  withdrawn: [],
};

export function allowedActions(state: ReviewState): readonly ReviewAction[] {
  return ALLOWED[state];
}

export function isOpen(state: ReviewState): boolean {
  return OPEN_STATES.includes(state);
}

/** The state a review moves to after an action (approve: see tallyApprovals, it may stay in review). */
export function nextState(state: ReviewState, action: ReviewAction, approvalsSatisfied = false): ReviewState {
  if (!ALLOWED[state].includes(action)) throw new Error(`a review that is ${label(state)} cannot be ${actionLabel(action)}`);
  switch (action) {
    case 'submit':
    case 'resubmit':
      return 'in_review';
    case 'approve':
      return approvalsSatisfied ? 'approved' : 'in_review';
    case 'reject':
      return 'rejected';
    case 'request-changes':
      return 'changes_requested';
    case 'withdraw':
      return 'withdrawn';
    case 'waive':
      return state;
  }
}

export interface ApprovalRequirement {
  /** Distinct approvers needed (people, told apart by key id and by name). */
  minApprovers: number;
  /** Roles whose approval counts toward the rule. */
  roles: readonly string[];
  /** any-of: each approver must hold one of the roles; all-of: every role must be covered by someone. */
  mode: 'any-of' | 'all-of';
}

export interface Approval {
  keyId: string;
  signer: string;
  role: string | null;
}

export interface ApprovalTally {
  satisfied: boolean;
  /** Distinct approvers whose approval counts. */
  counted: number;
  needed: number;
  /** all-of: roles no approver has covered yet. */
  missingRoles: string[];
  /** In words, for the checklist and the inbox: "1 of 2 approvals; still needs risk-officer". */
  summary: string;
}

export function tallyApprovals(requirement: ApprovalRequirement, approvals: readonly Approval[]): ApprovalTally {
  const roles = new Set(requirement.roles);
  const seenKeys = new Set<string>();
  const seenNames = new Set<string>();
  const counting: Approval[] = [];
  for (const approval of approvals) {
    // One person, one approval: a second key of the same signer does not make a second approver.
    const name = approval.signer.trim().toLowerCase();
    if (seenKeys.has(approval.keyId) || seenNames.has(name)) continue;
    if (roles.size > 0 && (approval.role === null || !roles.has(approval.role))) continue;
    seenKeys.add(approval.keyId);
    seenNames.add(name);
    counting.push(approval);
  }
  const covered = new Set(counting.map((a) => a.role));
  const missingRoles = requirement.mode === 'all-of' ? requirement.roles.filter((r) => !covered.has(r)) : [];
  const needed = Math.max(requirement.minApprovers, requirement.mode === 'all-of' ? requirement.roles.length : 0);
  const satisfied = counting.length >= needed && missingRoles.length === 0;
  const parts = [`${counting.length} of ${needed} approval${needed === 1 ? '' : 's'}`];
  if (missingRoles.length > 0) parts.push(`still needs ${missingRoles.join(' and ')}`);
  else if (!satisfied && roles.size > 0) parts.push(`from ${[...roles].join(' or ')}`);
  return { satisfied, counted: counting.length, needed, missingRoles, summary: parts.join('; ') };
}

export function label(state: ReviewState): string {
  return { draft: 'a draft', in_review: 'in review', changes_requested: 'waiting for changes', approved: 'approved', rejected: 'rejected', withdrawn: 'withdrawn' }[state];
}

function actionLabel(action: ReviewAction): string {
  return { submit: 'submitted', resubmit: 'resubmitted', approve: 'approved', reject: 'rejected', 'request-changes': 'sent back for changes', withdraw: 'withdrawn', waive: 'given a waiver' }[action];
}
