import type { ChecklistResult } from '../policy/evidence';
import type { EvidenceDiff } from './evidenceDiff';
import type { DecisionKind, ReviewAction, ReviewState } from './reviewState';

/** What the engine answers about reviews: plain types (outputs are produced, not parsed). */

export type ReviewTrigger = 'manual' | 'new-version' | 'alias-move' | 'imported';

export interface ReviewSummary {
  id: number;
  model: string;
  version: string;
  state: ReviewState;
  trigger: ReviewTrigger;
  openedAt: string;
  openedBy: string;
  dueAt: string | null;
  assignees: string[];
  /** Overdue: open and past its due date; dueSoon: open and due within three days. */
  overdue: boolean;
  dueSoon: boolean;
  /** The checklist's verdict at the last look (null until first evaluated). */
  checklistResult: 'pass' | 'fail' | null;
  /** The verdict on the evidence alone: 'pass' with checklistResult 'fail' means only approvals are missing. */
  evidenceResult: 'pass' | 'fail' | null;
  approvals: number;
  approvalsNeeded: number | null;
  updatedAt: string;
}

export interface DecisionView {
  id: number;
  digest: string;
  kind: DecisionKind;
  signer: string;
  role: string;
  keyId: string;
  signedAt: string;
  rationale: string;
  evidenceHash: string;
  origin: 'local' | 'imported';
  /** Verified now against the keyring: the signature holds and the key was trusted when it signed. */
  verified: boolean;
  verification: string;
  waiver: { ruleId: string; expiresAt: string } | null;
  /** Whether this approval still counts: it was given on the evidence as it stands. */
  current: boolean;
}

export interface ReviewComment {
  id: number;
  author: string;
  at: string;
  body: string;
}

export interface WriteBackView {
  ok: boolean;
  url: string;
  at: string;
  error: string | null;
}

export interface ReviewDetail extends ReviewSummary {
  checklist: ChecklistResult;
  /** sha256 of the evidence snapshot as it stands now: what a decision made now would sign. */
  evidenceHash: string;
  /** What changed since the baseline (the last decision in this review, or the last approved version). */
  diff: (EvidenceDiff & { baseline: string }) | null;
  decisions: DecisionView[];
  comments: ReviewComment[];
  allowedActions: ReviewAction[];
  authors: string[];
  writeBack: WriteBackView | null;
}

/** What a decision would sign, shown in the dialog before the passphrase is asked for. */
export interface DecisionPreview {
  statement: unknown;
  payloadType: string;
  evidenceHash: string;
  blockers: string[];
}
