import type { Database } from 'better-sqlite3';
import { DocketError } from '../../../shared/ipc/result';
import { DECISION_STATEMENT_TYPE, type DecisionStatement } from '../../../shared/reviews/decision';
import { allowedActions, isOpen, nextState, type DecisionKind, type ReviewMove, type ReviewState } from '../../../shared/reviews/reviewState';
import type { ReviewTrigger } from '../../../shared/reviews/reviewViews';
import type { PolicyPack } from '../../../shared/policy/policyPack';
import { DECISION_PAYLOAD_TYPE } from '../../../shared/signing/envelope';
import { envelopeDigest, signDsse } from '../signing/dsse';
import { getKey, keyStatusAt } from '../signing/keyring';
import type { ReviewerKeyPair } from '../signing/keys';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { OPEN_REVIEW_VERDICT_READS } from '../policy/keptReads';
import { cachedByRevision } from '../policy/revisionCache';
import { withModelMemo } from '../models/modelQueries';
import { activePolicy } from './activePolicy';
import { isAuthor, reviewEvidence, storeSnapshot, versionRef, type ReviewEvidence, type VersionRef } from './reviewEvidence';
import { writeBackOutcome } from './reviewWriteBack';


/**
 * Release reviews: opening them, moving them along, and recording signed decisions. Every change is
 * one transaction with its audit entry. A decision is refused, not recorded, when its key is not
 * trusted, when an author approves their own model, or when the evidence does not pass the policy.
 */

export interface ReviewDeps {
  store: Store;
  resourcesDir: string;
  actor: string;
  clock: Clock;
}

const DEFAULT_DUE_DAYS = 7;

export interface OpenReviewInput {
  model: string;
  version: string;
  trigger?: ReviewTrigger;
  /** ISO date or time; default a week from now. */
  dueAt?: string;
  assignees?: string[];
  /** Opened as a draft (e.g. by a sync): nobody has asked for review yet. */
  draft?: boolean;
}

interface ReviewRow {
  id: number;
  model_version_id: number;
  state: ReviewState;
  model: string;
  version: string;
}

export function loadReviewRow(db: Database, id: number): ReviewRow {
  const row = db
    .prepare(
      `SELECT r.id, r.model_version_id, r.state, m.name AS model, mv.version
         FROM reviews r JOIN model_versions mv ON mv.id = r.model_version_id JOIN models m ON m.id = mv.model_id WHERE r.id = ?`,
    )
    .get(id) as ReviewRow | undefined;
  if (!row) throw new DocketError('NOT_FOUND', `no review #${id}`);
  return row;
}

export function openReviewFor(db: Database, versionId: number): number | null {
  const row = db.prepare("SELECT id FROM reviews WHERE model_version_id = ? AND state IN ('draft', 'in_review', 'changes_requested')").get(versionId) as { id: number } | undefined;
  return row?.id ?? null;
}

export function openReview(deps: ReviewDeps, input: OpenReviewInput): number {
  const { db } = deps.store;
  const now = deps.clock();
  const at = now.toISOString();
  const ref = versionRef(db, input.model, input.version);
  const { pack } = activePolicy(deps.store, deps.resourcesDir);
  const evidence = reviewEvidence(deps.store, pack, ref, null, now);
  const dueAt = input.dueAt ? normaliseDue(input.dueAt) : new Date(now.getTime() + DEFAULT_DUE_DAYS * 86_400_000).toISOString();
  return db.transaction(() => {
    const existing = openReviewFor(db, ref.id);
    if (existing !== null) throw new DocketError('REJECTED', `${ref.model}@${ref.version} already has an open review (#${existing})`);
    const state: ReviewState = input.draft ? 'draft' : 'in_review';
    const id = Number(
      db
        .prepare('INSERT INTO reviews (model_version_id, state, trigger, opened_at, opened_by, due_at, updated_at, checklist_result, evidence_result, approvals_needed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(ref.id, state, input.trigger ?? 'manual', at, deps.actor, dueAt, at, evidence.checklist.result, evidence.checklist.evidenceResult, approvalsNeeded(pack, evidence))
        .lastInsertRowid,
    );
    for (const assignee of new Set(input.assignees ?? [])) db.prepare('INSERT INTO review_assignees (review_id, assignee) VALUES (?, ?)').run(id, assignee);
    storeSnapshot(db, ref, evidence, at);
    appendAudit(
      db,
      { actor: deps.actor, action: 'review.opened', subject: `review:${id}`, detail: { model: ref.model, version: ref.version, state, trigger: input.trigger ?? 'manual', dueAt, assignees: input.assignees ?? [], evidenceHash: evidence.hash, checklist: evidence.checklist.result } },
      at,
    );
    return id;
  }).immediate();
}

/** A due date as given (a day means the end of that day, UTC) to an ISO time. */
export function normaliseDue(due: string): string {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(due) ? `${due}T23:59:59Z` : due);
  if (Number.isNaN(ms)) throw new DocketError('INVALID_INPUT', `due date "${due}" is not a date (YYYY-MM-DD)`);
  return new Date(ms).toISOString();
}

/** How many distinct approvers the version's tier needs (null when its tier has no approvals rule). */
function approvalsNeeded(pack: PolicyPack, evidence: ReviewEvidence): number | null {
  const rule = pack.riskTiers[evidence.snapshot.tier.id]?.rules.find((r) => r.kind === 'approvals');
  if (!rule) return null;
  const allOf = rule.requiredRoles?.mode === 'all-of' ? rule.requiredRoles.roles.length : 0;
  return Math.max(rule.minApprovers, allOf);
}

/** Unsigned moves: submitting a draft, resubmitting after changes. */
export function moveReview(deps: ReviewDeps, id: number, move: ReviewMove): ReviewState {
  const { db } = deps.store;
  const at = isoNow(deps.clock);
  return db.transaction(() => {
    const review = loadReviewRow(db, id);
    const state = transition(review.state, move);
    db.prepare('UPDATE reviews SET state = ?, updated_at = ? WHERE id = ?').run(state, at, id);
    appendAudit(db, { actor: deps.actor, action: `review.${move === 'submit' ? 'submitted' : 'resubmitted'}`, subject: `review:${id}`, detail: { from: review.state, to: state } }, at);
    return state;
  }).immediate();
}

function transition(state: ReviewState, action: Parameters<typeof nextState>[1], satisfied = false): ReviewState {
  try {
    return nextState(state, action, satisfied);
  } catch (error) {
    throw new DocketError('REJECTED', (error as Error).message);
  }
}

export function commentOnReview(deps: ReviewDeps, id: number, body: string): number {
  const { db } = deps.store;
  const text = body.trim();
  if (text === '') throw new DocketError('INVALID_INPUT', 'a comment needs some text');
  const at = isoNow(deps.clock);
  return db.transaction(() => {
    loadReviewRow(db, id);
    const commentId = Number(db.prepare('INSERT INTO review_comments (review_id, author, at, body) VALUES (?, ?, ?, ?)').run(id, deps.actor, at, text).lastInsertRowid);
    db.prepare('UPDATE reviews SET updated_at = ? WHERE id = ?').run(at, id);
    appendAudit(db, { actor: deps.actor, action: 'review.commented', subject: `review:${id}`, detail: { commentId, length: text.length } }, at);
    return commentId;
  }).immediate();
}

export function assignReview(deps: ReviewDeps, id: number, assignees: string[], dueAt?: string): void {
  const { db } = deps.store;
  const at = isoNow(deps.clock);
  db.transaction(() => {
    const review = loadReviewRow(db, id);
    if (!isOpen(review.state)) throw new DocketError('REJECTED', `review #${id} is closed (${review.state})`);
    db.prepare('DELETE FROM review_assignees WHERE review_id = ?').run(id);
    for (const a of new Set(assignees.map((x) => x.trim()).filter((x) => x !== ''))) db.prepare('INSERT INTO review_assignees (review_id, assignee) VALUES (?, ?)').run(id, a);
    const due = dueAt ? normaliseDue(dueAt) : undefined;
    if (due) db.prepare('UPDATE reviews SET due_at = ? WHERE id = ?').run(due, id);
    db.prepare('UPDATE reviews SET updated_at = ? WHERE id = ?').run(at, id);
    appendAudit(db, { actor: deps.actor, action: 'review.assigned', subject: `review:${id}`, detail: { assignees, dueAt: due ?? null } }, at);
  }).immediate();
}

export interface DecideInput {
  reviewId: number;
  kind: DecisionKind;
  rationale: string;
  /** An unlocked key from the keyring: its name and role there are what the decision records. */
  key: ReviewerKeyPair;
  /** Waivers only. */
  waiver?: { ruleId: string; expiresAt: string };
}

export interface DecisionOutcome {
  decisionId: number;
  digest: string;
  state: ReviewState;
  evidenceHash: string;
  statement: DecisionStatement;
  /** Set after an approval or rejection when the version's MLflow source writes back. */
  writeBack: { ok: boolean; url: string; error: string | null } | null;
}

/** Builds the statement a decision would sign, after every check that could refuse it. */
export function prepareDecision(deps: ReviewDeps, input: Omit<DecideInput, 'key'> & { keyId: string }, now: Date): { statement: DecisionStatement; evidence: ReviewEvidence; ref: VersionRef; review: ReviewRow; nextState: ReviewState } {
  const { db } = deps.store;
  const at = now.toISOString();
  const review = loadReviewRow(db, input.reviewId);
  if (!allowedActions(review.state).includes(input.kind)) transition(review.state, input.kind); // throws, naming the state
  const rationale = input.rationale.trim();
  if (rationale === '') throw new DocketError('INVALID_INPUT', 'a decision needs a rationale: say why, for whoever reads this later');
  const key = getKey(db, input.keyId);
  if (!key) throw new DocketError('REJECTED', `key ${input.keyId.slice(0, 16)} is not in this workspace's keyring: add it with "docket keys import" and trust it`);
  const status = keyStatusAt(db, key.keyId, at);
  if (status.status !== 'trusted') throw new DocketError('REJECTED', `key ${key.keyId.slice(0, 16)} (${key.name}) cannot sign: ${status.reason}`);
  const ref: VersionRef = { id: review.model_version_id, model: review.model, version: review.version };
  const { pack } = activePolicy(deps.store, deps.resourcesDir);
  const evidence = reviewEvidence(deps.store, pack, ref, review.id, now);
  let state = review.state;
  if (input.kind === 'approve') {
    const approvalsRule = pack.riskTiers[evidence.snapshot.tier.id]?.rules.find((r) => r.kind === 'approvals');
    if (isAuthor(evidence.authors, key.name) && (approvalsRule === undefined || approvalsRule.authorMayNotApprove)) {
      throw new DocketError('REJECTED', `${key.name} is an author of ${ref.model}@${ref.version} (${evidence.authors.join(', ')}): the policy does not let authors approve their own model`);
    }
    if (evidence.snapshot.approvals.some((a) => a.signerKeyId === key.keyId || a.signerName?.toLowerCase() === key.name.toLowerCase())) {
      throw new DocketError('REJECTED', `${key.name} has already approved this evidence; a second approval must come from someone else`);
    }
    const blockers = evidence.checklist.rules.filter((r) => r.kind !== 'approvals' && (r.status === 'fail' || r.status === 'missing'));
    if (blockers.length > 0) {
      throw new DocketError('REJECTED', `cannot approve while ${blockers.length} rule(s) do not pass: ${blockers.map((r) => `${r.id} (${r.status}: ${r.reason})`).join('; ')}. Request changes, or record a waiver for a rule first.`);
    }
    const after = reviewEvidence(deps.store, pack, ref, review.id, now, { signerKeyId: key.keyId, signerName: key.name, role: key.role, signerIsAuthor: false, signedAt: at });
    state = transition(review.state, 'approve', after.checklist.result === 'pass');
  } else if (input.kind === 'waive') {
    if (!input.waiver) throw new DocketError('INVALID_INPUT', 'a waiver names the rule it waives and when it expires');
    const rule = evidence.checklist.rules.find((r) => r.id === input.waiver!.ruleId);
    if (!rule) throw new DocketError('INVALID_INPUT', `rule "${input.waiver.ruleId}" is not in the checklist (rules: ${evidence.checklist.rules.map((r) => r.id).join(', ')})`);
    if (rule.kind === 'approvals') throw new DocketError('REJECTED', 'approvals cannot be waived');
    const expires = Date.parse(input.waiver.expiresAt);
    if (Number.isNaN(expires) || expires <= now.getTime()) throw new DocketError('INVALID_INPUT', `a waiver must expire in the future (got "${input.waiver.expiresAt}")`);
  } else {
    state = transition(review.state, input.kind);
  }
  const statement: DecisionStatement = {
    _type: DECISION_STATEMENT_TYPE,
    decision: input.kind,
    subject: { model: ref.model, version: ref.version },
    rationale,
    evidence: { sha256: evidence.hash },
    checklist: {
      policy: evidence.checklist.policy,
      tier: evidence.checklist.tier.id,
      result: evidence.checklist.result,
      evidenceResult: evidence.checklist.evidenceResult,
      rules: evidence.checklist.rules.map((r) => ({ id: r.id, status: r.status })),
    },
    signer: { keyId: key.keyId, name: key.name, role: key.role },
    signedAt: at,
    ...(input.kind === 'waive' && input.waiver ? { waiver: { ruleId: input.waiver.ruleId, expiresAt: new Date(Date.parse(input.waiver.expiresAt)).toISOString() } } : {}),
    auditHead: auditHead(db),
  };
  return { statement, evidence, ref, review, nextState: state };
}

function auditHead(db: Database): { seq: number; hash: string } {
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  return head ?? { seq: 0, hash: '0'.repeat(64) };
}

/** Signs and records a decision; then, for an approval or rejection, writes the outcome back to MLflow if the source asks for it. */
export async function decide(deps: ReviewDeps, input: DecideInput, options: { mlflowToken?: string } = {}): Promise<DecisionOutcome> {
  const { db } = deps.store;
  const now = deps.clock();
  const at = now.toISOString();
  const recorded = db.transaction(() => {
    const { statement, evidence, ref, review, nextState: state } = prepareDecision(deps, { ...input, keyId: input.key.keyId }, now);
    const envelope = signDsse(statement, DECISION_PAYLOAD_TYPE, input.key.privateKey, input.key.keyId);
    const digest = envelopeDigest(envelope);
    storeSnapshot(db, ref, evidence, at);
    const decisionId = recordDecision(db, { reviewId: review.id, versionId: ref.id, statement, envelopeJson: JSON.stringify(envelope), digest, origin: 'local', at });
    updateReviewAfterDecision(deps, review.id, state, at);
    appendAudit(
      db,
      {
        actor: deps.actor,
        action: `decision.${input.kind}`,
        subject: `review:${review.id}`,
        detail: { model: ref.model, version: ref.version, decisionId, digest, keyId: statement.signer.keyId, signer: statement.signer.name, role: statement.signer.role, evidenceHash: evidence.hash, checklist: statement.checklist.result, from: review.state, to: state, ...(statement.waiver ? { waiver: statement.waiver } : {}) },
      },
      at,
    );
    return { decisionId, digest, state, evidenceHash: evidence.hash, statement, ref, closedNow: state !== review.state && (state === 'approved' || state === 'rejected') };
  }).immediate();
  let writeBack: DecisionOutcome['writeBack'] = null;
  if (recorded.closedNow) writeBack = await writeBackOutcome(deps, recorded.ref, input.reviewId, recorded.state, recorded.digest, options.mlflowToken);
  const { ref: _ref, closedNow: _closed, ...rest } = recorded;
  return { ...rest, writeBack };
}

export function recordDecision(
  db: Database,
  d: { reviewId: number | null; versionId: number; statement: DecisionStatement; envelopeJson: string; digest: string; origin: 'local' | 'imported'; at: string },
): number {
  const s = d.statement;
  return Number(
    db
      .prepare(
        `INSERT INTO decisions (digest, review_id, model_version_id, kind, key_id, signer, role, signed_at, evidence_hash, rationale, rule_id, expires_at, envelope_json, origin, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(d.digest, d.reviewId, d.versionId, s.decision, s.signer.keyId, s.signer.name, s.signer.role, s.signedAt, s.evidence.sha256, s.rationale, s.waiver?.ruleId ?? null, s.waiver?.expiresAt ?? null, d.envelopeJson, d.origin, d.at).lastInsertRowid,
  );
}

/** Sets the new state and refreshes the inbox's cached verdict and approval count. */
export function updateReviewAfterDecision(deps: ReviewDeps, reviewId: number, state: ReviewState, at: string): void {
  const { db } = deps.store;
  db.prepare('UPDATE reviews SET state = ?, updated_at = ?, closed_at = CASE WHEN ? THEN ? ELSE NULL END WHERE id = ?').run(state, at, isOpen(state) ? 0 : 1, at, reviewId);
  refreshReviewVerdict(deps, reviewId);
}

/**
 * Re-judges a review's evidence now and caches the verdict the inbox shows (evidence may have changed
 * since: a new evaluation, a re-imported card). Not audited: it records no decision, only a reading.
 */
export function refreshReviewVerdict(deps: ReviewDeps, reviewId: number): void {
  storeReviewVerdict(deps.store.db, judgeReview(deps, reviewId));
}

interface ReviewVerdict {
  id: number;
  checklist: string;
  evidence: string;
  approvals: number;
  needed: number | null;
}

/** The verdict the inbox shows for one review, judged from its evidence now (reads only). */
function judgeReview(deps: ReviewDeps, reviewId: number): ReviewVerdict {
  const review = loadReviewRow(deps.store.db, reviewId);
  const { pack } = activePolicy(deps.store, deps.resourcesDir);
  const ref: VersionRef = { id: review.model_version_id, model: review.model, version: review.version };
  const evidence = reviewEvidence(deps.store, pack, ref, reviewId, deps.clock());
  return { id: reviewId, checklist: evidence.checklist.result, evidence: evidence.checklist.evidenceResult, approvals: evidence.snapshot.approvals.length, needed: approvalsNeeded(pack, evidence) };
}

function storeReviewVerdict(db: Database, verdict: ReviewVerdict): void {
  // Written only when the verdict moved: an unchanged row must not count as a change of the store (revisionCache).
  db.prepare(
    `UPDATE reviews SET checklist_result = @checklist, evidence_result = @evidence, approvals = @approvals, approvals_needed = @needed
      WHERE id = @id AND (checklist_result IS NOT @checklist OR evidence_result IS NOT @evidence OR approvals IS NOT @approvals OR approvals_needed IS NOT @needed)`,
  ).run(verdict);
}

/** Refreshes every open review's cached verdict (the inbox calls this before listing). */
export function refreshOpenReviews(deps: ReviewDeps): void {
  const { db } = deps.store;
  // Judging every open review is policy evaluation per review: done again only when the store, the
  // policy or the hour changed (evidence ages with the clock; an hour is the staleness allowed).
  const { pack } = activePolicy(deps.store, deps.resourcesDir);
  const key = `refreshOpenReviews\u0000${deps.clock().toISOString().slice(0, 13)}\u0000${JSON.stringify(pack)}`;
  cachedByRevision(db, key, OPEN_REVIEW_VERDICT_READS, () => {
    const ids = db.prepare("SELECT id FROM reviews WHERE state IN ('draft', 'in_review', 'changes_requested')").all() as { id: number }[];
    if (ids.length === 0) return true;
    // Judged before the write transaction, not inside it: the all-model figures the evidence reads
    // (spend per model per day, over every line item) are kept per store revision only outside a
    // transaction, so judging inside one recomputed them for every review (200 reviews: 4 s).
    const verdicts = withModelMemo(db, () => ids.map(({ id }) => judgeReview(deps, id)));
    db.transaction(() => {
      for (const verdict of verdicts) storeReviewVerdict(db, verdict);
    }).immediate();
    return true;
  });
}
