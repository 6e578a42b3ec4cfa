import { DocketError } from '../../../shared/ipc/result';
import type { Database } from 'better-sqlite3';
import { DecisionStatementSchema } from '../../../shared/reviews/decision';
import { diffEvidence, type JsonValue } from '../../../shared/reviews/evidenceDiff';
import { allowedActions, isOpen, type DecisionKind, type ReviewState } from '../../../shared/reviews/reviewState';
import type { DecisionView, ReviewComment, ReviewDetail, ReviewSummary, ReviewTrigger, WriteBackView } from '../../../shared/reviews/reviewViews';
import { DECISION_PAYLOAD_TYPE } from '../../../shared/signing/envelope';
import { verifyDsse } from '../signing/dsse';
import { keyringResolver, keyStatusAt } from '../signing/keyring';
import type { Store } from '../store/openStore';
import { activePolicy } from './activePolicy';
import { loadSnapshot, reviewEvidence, type VersionRef } from './reviewEvidence';
import { loadReviewRow } from './reviews';

/** Reads for the Reviews inbox and the review page. Nothing here writes. */

const DUE_SOON_MS = 3 * 86_400_000;

export type ReviewFilter = 'open' | 'mine' | 'due-soon' | 'overdue' | 'closed' | 'all';

interface SummaryRow {
  id: number;
  model: string;
  version: string;
  state: ReviewState;
  trigger: ReviewTrigger;
  opened_at: string;
  opened_by: string;
  due_at: string | null;
  updated_at: string;
  checklist_result: 'pass' | 'fail' | null;
  evidence_result: 'pass' | 'fail' | null;
  approvals: number;
  approvals_needed: number | null;
  assignees: string | null;
}

const SUMMARY_SQL = `
  SELECT r.id, m.name AS model, mv.version, r.state, r.trigger, r.opened_at, r.opened_by, r.due_at, r.updated_at,
         r.checklist_result, r.evidence_result, r.approvals, r.approvals_needed,
         (SELECT json_group_array(assignee) FROM review_assignees a WHERE a.review_id = r.id) AS assignees
    FROM reviews r JOIN model_versions mv ON mv.id = r.model_version_id JOIN models m ON m.id = mv.model_id`;

function toSummary(row: SummaryRow, now: number): ReviewSummary {
  const open = row.state === 'draft' || row.state === 'in_review' || row.state === 'changes_requested';
  const due = row.due_at ? Date.parse(row.due_at) : null;
  return {
    id: row.id,
    model: row.model,
    version: row.version,
    state: row.state,
    trigger: row.trigger,
    openedAt: row.opened_at,
    openedBy: row.opened_by,
    dueAt: row.due_at,
    assignees: row.assignees ? (JSON.parse(row.assignees) as string[]).sort() : [],
    overdue: open && due !== null && due < now,
    dueSoon: open && due !== null && due >= now && due - now <= DUE_SOON_MS,
    checklistResult: row.checklist_result,
    evidenceResult: row.evidence_result,
    approvals: row.approvals,
    approvalsNeeded: row.approvals_needed,
    updatedAt: row.updated_at,
  };
}

/** The inbox: open reviews first, the most urgent due date first. "mine" means assigned to `actor`. */
export function listReviews(db: Database, filter: ReviewFilter, actor: string, now: Date): ReviewSummary[] {
  const rows = db.prepare(`${SUMMARY_SQL} ORDER BY r.due_at IS NULL, r.due_at, r.id`).all() as SummaryRow[];
  const all = rows.map((r) => toSummary(r, now.getTime()));
  const open = (r: ReviewSummary) => r.state === 'draft' || r.state === 'in_review' || r.state === 'changes_requested';
  switch (filter) {
    case 'open':
      return all.filter(open);
    case 'mine':
      return all.filter((r) => open(r) && r.assignees.includes(actor));
    case 'due-soon':
      return all.filter((r) => r.dueSoon);
    case 'overdue':
      return all.filter((r) => r.overdue);
    case 'closed':
      return all.filter((r) => !open(r)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    case 'all':
      return all;
  }
}

/** A row of the decisions table as the queries read it (with its snapshot's content hash joined in). */
export interface StoredDecisionRow {
  id: number;
  digest: string;
  kind: DecisionKind;
  key_id: string;
  signer: string;
  role: string;
  signed_at: string;
  rationale: string;
  evidence_hash: string;
  rule_id: string | null;
  expires_at: string | null;
  envelope_json: string;
  origin: 'local' | 'imported';
  content_hash: string | null;
}

/** Checks a stored decision afresh: the envelope verifies, says what the row says, and its key was trusted when it signed. */
export function verifyStoredDecision(db: Database, row: Pick<StoredDecisionRow, 'envelope_json' | 'digest' | 'key_id' | 'signed_at' | 'kind' | 'evidence_hash'>): { verified: boolean; verification: string } {
  const result = verifyDsse(JSON.parse(row.envelope_json), keyringResolver(db), { expectedPayloadType: DECISION_PAYLOAD_TYPE, singleSignature: true });
  if (!result.ok) return { verified: false, verification: result.message };
  const statement = DecisionStatementSchema.safeParse(result.payload);
  if (!statement.success) return { verified: false, verification: 'the signed payload is not a Docket decision' };
  const s = statement.data;
  if (s.decision !== row.kind || s.signer.keyId !== row.key_id || s.signedAt !== row.signed_at || s.evidence.sha256 !== row.evidence_hash) {
    return { verified: false, verification: 'the stored record does not match what was signed' };
  }
  const status = keyStatusAt(db, row.key_id, row.signed_at);
  if (status.status !== 'trusted') return { verified: false, verification: status.reason };
  return { verified: true, verification: `signature valid; key ${row.key_id.slice(0, 16)} was trusted when it signed` };
}

export function reviewDetail(store: Store, resourcesDir: string, id: number, now: Date): ReviewDetail {
  const { db } = store;
  const row = db.prepare(`${SUMMARY_SQL} WHERE r.id = ?`).get(id) as SummaryRow | undefined;
  if (!row) throw new DocketError('NOT_FOUND', `no review #${id}`);
  const summary = toSummary(row, now.getTime());
  const review = loadReviewRow(db, id);
  const ref: VersionRef = { id: review.model_version_id, model: review.model, version: review.version };
  const { pack } = activePolicy(store, resourcesDir);
  const evidence = reviewEvidence(store, pack, ref, id, now);
  const decisionRows = db
    .prepare(
      `SELECT d.id, d.digest, d.kind, d.key_id, d.signer, d.role, d.signed_at, d.rationale, d.evidence_hash, d.rule_id, d.expires_at, d.envelope_json, d.origin, s.content_hash
         FROM decisions d LEFT JOIN evidence_snapshots s ON s.hash = d.evidence_hash
        WHERE d.review_id = ? OR (d.kind = 'waive' AND d.model_version_id = ?) ORDER BY d.signed_at, d.id`,
    )
    .all(id, ref.id) as StoredDecisionRow[];
  const decisions: DecisionView[] = decisionRows.map((d) => ({
    id: d.id,
    digest: d.digest,
    kind: d.kind,
    signer: d.signer,
    role: d.role,
    keyId: d.key_id,
    signedAt: d.signed_at,
    rationale: d.rationale,
    evidenceHash: d.evidence_hash,
    origin: d.origin,
    ...verifyStoredDecision(db, d),
    waiver: d.rule_id && d.expires_at ? { ruleId: d.rule_id, expiresAt: d.expires_at } : null,
    current: d.content_hash === evidence.contentHash,
  }));
  const comments = db.prepare('SELECT id, author, at, body FROM review_comments WHERE review_id = ? ORDER BY at, id').all(id) as ReviewComment[];
  const writeBackRow = db.prepare('SELECT write_back_json FROM reviews WHERE id = ?').get(id) as { write_back_json: string | null };
  return {
    ...summary,
    checklist: evidence.checklist,
    evidenceHash: evidence.hash,
    diff: diffSinceBaseline(db, ref, decisionRows, evidence.snapshot, !isOpen(review.state)),
    decisions,
    comments,
    allowedActions: [...allowedActions(review.state)],
    authors: evidence.authors,
    writeBack: writeBackRow.write_back_json ? (JSON.parse(writeBackRow.write_back_json) as WriteBackView) : null,
  };
}

/**
 * "What changed since": the last decision in this review when there is one (typically changes
 * requested), else the last approval of an earlier version of the same model.
 */
function diffSinceBaseline(db: Database, ref: VersionRef, decisions: StoredDecisionRow[], current: object, closed: boolean): (ReturnType<typeof diffEvidence> & { baseline: string }) | null {
  // A closed review's last decision closed it, on the evidence as it stands: compare with the one before.
  const signed = decisions.filter((d) => d.kind !== 'waive');
  const closing = closed && signed.length > 0 ? 1 : 0;
  const last = signed[signed.length - 1 - closing];
  let baselineHash: string | null = null;
  let label = '';
  if (last) {
    baselineHash = last.evidence_hash;
    label = `since ${last.signer} chose "${last.kind}" on ${last.signed_at.slice(0, 10)}`;
  } else {
    const approved = db
      .prepare(
        `SELECT d.evidence_hash, d.signed_at, mv.version FROM decisions d JOIN model_versions mv ON mv.id = d.model_version_id
          WHERE d.kind = 'approve' AND mv.model_id = (SELECT model_id FROM model_versions WHERE id = ?) AND d.model_version_id != ?
          ORDER BY d.signed_at DESC LIMIT 1`,
      )
      .get(ref.id, ref.id) as { evidence_hash: string; signed_at: string; version: string } | undefined;
    if (approved) {
      baselineHash = approved.evidence_hash;
      label = `since version ${approved.version} was approved on ${approved.signed_at.slice(0, 10)}`;
    }
  }
  if (!baselineHash) return null;
  const before = loadSnapshot(db, baselineHash);
  if (!before) return null;
  // Approvals and the moment of the look are not evidence; the model identity differs across versions by design.
  const diff = diffEvidence(before as unknown as JsonValue, current as unknown as JsonValue, ['asOf', 'approvals', 'waivers', 'model', 'schema']);
  return { ...diff, baseline: label };
}
