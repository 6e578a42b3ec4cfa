/**
 * The life of a release review, as pure rules: which actions each state allows and where each
 * leads. (Whether the approvals gathered satisfy the policy is the checklist's approvals rule, in
 * shared/policy.) The engine applies these inside its transactions; the renderer uses them to offer
 * only the buttons that can work.
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

export function label(state: ReviewState): string {
  return { draft: 'a draft', in_review: 'in review', changes_requested: 'waiting for changes', approved: 'approved', rejected: 'rejected', withdrawn: 'withdrawn' }[state];
}

function actionLabel(action: ReviewAction): string {
  return { submit: 'submitted', resubmit: 'resubmitted', approve: 'approved', reject: 'rejected', 'request-changes': 'sent back for changes', withdraw: 'withdrawn', waive: 'given a waiver' }[action];
}
