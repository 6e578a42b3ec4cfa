import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { PolicyPack } from '../../../shared/policy/policyPack';
import type { ApprovalEvidence, ChecklistResult, EvidenceSnapshot, Waiver } from '../../../shared/policy/evidence';
import { evaluatePolicy } from '../../../shared/policy/evaluatePolicy';
import { evidenceHash, gatherEvidence } from '../policy/gatherEvidence';
import { showModel } from '../models/modelQueries';
import type { Store } from '../store/openStore';
import { prepared } from '../policy/statementCache';

/**
 * The evidence a review is judged on right now, and what it means under the policy: the snapshot,
 * its hash (what a decision signs), its content hash (what "the evidence changed" compares) and the
 * checklist. Approvals count only when given on the evidence as it stands.
 */

export interface ReviewEvidence {
  snapshot: EvidenceSnapshot;
  hash: string;
  contentHash: string;
  checklist: ChecklistResult;
  authors: string[];
}

export interface VersionRef {
  id: number;
  model: string;
  version: string;
}

export function versionRef(db: Database, model: string, version: string): VersionRef {
  const detail = showModel(db, model, version); // throws NOT_FOUND naming the versions there are
  const row = prepared(db, 'SELECT mv.id FROM model_versions mv JOIN models m ON m.id = mv.model_id WHERE m.name = ? AND mv.version = ?').get(detail.name, detail.version) as { id: number };
  return { id: row.id, model: detail.name, version: detail.version };
}

/**
 * Who wrote the version: the card's owners (names and contacts) and the MLflow user who registered
 * it. Segregation of duties compares these with the signing key's name.
 */
export function versionAuthors(db: Database, ref: VersionRef): string[] {
  const detail = showModel(db, ref.model, ref.version);
  const names = [...(detail.card?.owners ?? []).flatMap((o) => [o.name, o.contact ?? '']), detail.registry?.userId ?? ''];
  return [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))];
}

export function isAuthor(authors: readonly string[], signerName: string): boolean {
  const who = normaliseName(signerName);
  return authors.some((a) => normaliseName(a) === who);
}

function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Where evidence was read from rather than what it says: differs between two workspaces holding the same files. */
const PROVENANCE_KEYS = new Set(['importedAt', 'syncRunId', 'sourceFile']);

function withoutProvenance(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutProvenance);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !PROVENANCE_KEYS.has(key)).map(([key, v]) => [key, withoutProvenance(v)]));
}

/**
 * The evidence's substance: the snapshot minus the moment of the look, approvals, waivers, and where
 * each item was read from (local row ids, file paths, import times). Two looks at the same evidence,
 * here or on a colleague's machine that imported the same files, share it.
 */
export function contentHashOf(snapshot: EvidenceSnapshot): string {
  const { asOf: _asOf, approvals: _approvals, waivers: _waivers, ...content } = snapshot;
  const substance = withoutProvenance({ ...content, fairness: { ...content.fairness, evaluations: content.fairness.evaluations.map(({ id: _id, ...e }) => e) } });
  return createHash('sha256').update(canonicalize(substance) ?? '', 'utf8').digest('hex');
}

interface SignedRow {
  kind: string;
  key_id: string;
  signer: string;
  role: string;
  signed_at: string;
  rationale: string;
  rule_id: string | null;
  expires_at: string | null;
  content_hash: string | null;
}

/** Approvals given in this review on evidence with this content, and every waiver on the version. */
function signedInputs(db: Database, ref: VersionRef, reviewId: number | null, contentHash: string, authors: readonly string[]): { approvals: ApprovalEvidence[]; waivers: Waiver[] } {
  const rows = prepared(db, 
      `SELECT d.kind, d.key_id, d.signer, d.role, d.signed_at, d.rationale, d.rule_id, d.expires_at, s.content_hash
         FROM decisions d LEFT JOIN evidence_snapshots s ON s.hash = d.evidence_hash
        WHERE d.model_version_id = ? AND (d.kind = 'waive' OR (d.kind = 'approve' AND d.review_id IS ?))
        ORDER BY d.signed_at, d.id`,
    )
    .all(ref.id, reviewId) as SignedRow[];
  const approvals = rows
    .filter((r) => r.kind === 'approve' && r.content_hash === contentHash)
    .map((r) => ({ signerKeyId: r.key_id, signerName: r.signer, role: r.role, signerIsAuthor: isAuthor(authors, r.signer), signedAt: r.signed_at }));
  const waivers = rows
    .filter((r) => r.kind === 'waive' && r.rule_id !== null && r.expires_at !== null)
    .map((r) => ({ ruleId: r.rule_id!, reason: r.rationale, expiresAt: r.expires_at!, decidedBy: r.signer, decidedAt: r.signed_at }));
  return { approvals, waivers };
}

/**
 * Gathers and judges the evidence for a version as of `asOf`. With `extraApproval`, judges it as if
 * that approval were already recorded (to learn whether it completes the review).
 */
export function reviewEvidence(store: Store, pack: PolicyPack, ref: VersionRef, reviewId: number | null, asOf: Date, extraApproval?: ApprovalEvidence): ReviewEvidence {
  const base = gatherEvidence(store, ref.model, ref.version, pack, { asOf });
  const contentHash = contentHashOf(base);
  const authors = versionAuthors(store.db, ref);
  const { approvals, waivers } = signedInputs(store.db, ref, reviewId, contentHash, authors);
  const snapshot: EvidenceSnapshot = { ...base, approvals: extraApproval ? [...approvals, extraApproval] : approvals, waivers };
  return { snapshot, hash: evidenceHash(snapshot), contentHash, checklist: evaluatePolicy(pack, snapshot), authors };
}

/** Keeps the snapshot a decision signed (idempotent: the same evidence has the same hash). */
export function storeSnapshot(db: Database, ref: VersionRef, evidence: Pick<ReviewEvidence, 'hash' | 'contentHash' | 'snapshot'>, at: string): void {
  prepared(db, 'INSERT OR IGNORE INTO evidence_snapshots (hash, content_hash, model_version_id, snapshot_json, taken_at) VALUES (?, ?, ?, ?, ?)').run(
    evidence.hash,
    evidence.contentHash,
    ref.id,
    JSON.stringify(evidence.snapshot),
    at,
  );
}

export function loadSnapshot(db: Database, hash: string): EvidenceSnapshot | null {
  const row = prepared(db, 'SELECT snapshot_json FROM evidence_snapshots WHERE hash = ?').get(hash) as { snapshot_json: string } | undefined;
  return row ? (JSON.parse(row.snapshot_json) as EvidenceSnapshot) : null;
}
