import { z } from 'zod';
import { DocketError } from '../../../shared/ipc/result';
import { DecisionStatementSchema, type DecisionStatement } from '../../../shared/reviews/decision';
import { DECISION_PAYLOAD_TYPE, dsseEnvelopeSchema, type DsseEnvelope } from '../../../shared/signing/envelope';
import { KEY_ID_PATTERN } from '../../../shared/signing/keyId';
import { envelopeDigest, verifyDsse } from '../signing/dsse';
import { addKey, getKey, keyringResolver, keyStatusAt } from '../signing/keyring';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { openReviewFor, recordDecision, updateReviewAfterDecision, type ReviewDeps } from './reviews';
import { contentHashOf, storeSnapshot, versionRef } from './reviewEvidence';
import { evidenceHash } from '../policy/gatherEvidence';
import type { EvidenceSnapshot } from '../../../shared/policy/evidence';
import { activePolicy } from './activePolicy';
import { reviewEvidence } from './reviewEvidence';
import { nextState, type ReviewState } from '../../../shared/reviews/reviewState';

/**
 * Decisions travel between reviewers as bundles: the signed envelopes plus the public keys that
 * signed them. A bundle proves nothing by itself: on import every envelope is verified, and it counts
 * only if its key is in this workspace's keyring and trusted for the time it signed. Keys arriving in
 * a bundle are added untrusted, so trusting them stays a deliberate act.
 */

export const BUNDLE_FORMAT = 'docket-decisions/1';
const MAX_BUNDLE_DECISIONS = 10_000;

const BundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  exportedAt: z.iso.datetime(),
  keys: z
    .array(z.strictObject({ keyId: z.string().regex(KEY_ID_PATTERN), name: z.string().min(1).max(128), role: z.string().min(1).max(64), publicKeyPem: z.string().max(16 * 1024) }))
    .max(1000),
  decisions: z.array(dsseEnvelopeSchema).max(MAX_BUNDLE_DECISIONS),
  /** The evidence snapshots the decisions signed (checked against their hashes on import). */
  evidence: z.array(z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), snapshot: z.unknown() })).max(MAX_BUNDLE_DECISIONS).default([]),
});
export type DecisionBundle = z.infer<typeof BundleSchema>;

export function exportDecisions(store: Store, clock: Clock, filter: { model?: string; version?: string } = {}): DecisionBundle {
  const rows = store.db
    .prepare(
      `SELECT d.envelope_json, d.key_id, d.evidence_hash, (SELECT snapshot_json FROM evidence_snapshots s WHERE s.hash = d.evidence_hash) AS snapshot_json FROM decisions d JOIN model_versions mv ON mv.id = d.model_version_id JOIN models m ON m.id = mv.model_id
        WHERE (@model IS NULL OR m.name = @model) AND (@version IS NULL OR mv.version = @version) ORDER BY d.signed_at, d.id`,
    )
    .all({ model: filter.model ?? null, version: filter.version ?? null }) as { envelope_json: string; key_id: string; evidence_hash: string; snapshot_json: string | null }[];
  const keys = [...new Set(rows.map((r) => r.key_id))].map((keyId) => {
    const key = getKey(store.db, keyId)!;
    return { keyId, name: key.name, role: key.role, publicKeyPem: key.publicKeyPem };
  });
  const evidence = new Map<string, unknown>();
  for (const r of rows) if (r.snapshot_json) evidence.set(r.evidence_hash, JSON.parse(r.snapshot_json));
  return {
    format: BUNDLE_FORMAT,
    exportedAt: isoNow(clock),
    keys,
    decisions: rows.map((r) => JSON.parse(r.envelope_json) as DsseEnvelope),
    evidence: [...evidence].map(([sha256, snapshot]) => ({ sha256, snapshot })),
  };
}

export interface BundleCheck {
  index: number;
  digest: string | null;
  keyId: string | null;
  subject: string | null;
  decision: string | null;
  ok: boolean;
  /** What was found: "valid, signed by …" or exactly why it does not count. */
  detail: string;
}

/** Parses a bundle's text; errors name the JSON path. */
export function parseBundle(text: string, file: string): DecisionBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DocketError('INVALID_INPUT', `${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = BundleSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DocketError('INVALID_INPUT', `${file}: $.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** Verifies each envelope against the keyring (as it stands: nothing is added). */
export function verifyBundle(store: Store, bundle: DecisionBundle): BundleCheck[] {
  return bundle.decisions.map((envelope, index) => checkEnvelope(store, envelope, index).check);
}

function checkEnvelope(store: Store, envelope: DsseEnvelope, index: number): { check: BundleCheck; statement: DecisionStatement | null } {
  const digest = envelopeDigest(envelope);
  const keyId = envelope.signatures[0]?.keyid ?? null;
  const base = { index, digest, keyId, subject: null, decision: null };
  const result = verifyDsse(envelope, keyringResolver(store.db), { expectedPayloadType: DECISION_PAYLOAD_TYPE, singleSignature: true });
  if (!result.ok) {
    const hint = result.reason === 'unknown-key' ? ` (import the signer's key and trust it: docket keys trust ${keyId?.slice(0, 16) ?? ''})` : '';
    return { check: { ...base, ok: false, detail: `${result.message}${hint}` }, statement: null };
  }
  const parsed = DecisionStatementSchema.safeParse(result.payload);
  if (!parsed.success) return { check: { ...base, ok: false, detail: `signature valid, but the payload is not a Docket decision (${parsed.error.issues[0]?.message})` }, statement: null };
  const s = parsed.data;
  const described = { ...base, subject: `${s.subject.model}@${s.subject.version}`, decision: s.decision };
  if (s.signer.keyId !== result.keyId) return { check: { ...described, ok: false, detail: 'the statement names a different signer key than the one that signed it' }, statement: null };
  const status = keyStatusAt(store.db, result.keyId, s.signedAt);
  if (status.status !== 'trusted') return { check: { ...described, ok: false, detail: `${status.reason}${status.status === 'untrusted' ? ` (trust it with: docket keys trust ${result.keyId.slice(0, 16)})` : ''}` }, statement: s };
  return { check: { ...described, ok: true, detail: `valid: ${s.decision} by ${s.signer.name} (${s.signer.role}), key ${result.keyId.slice(0, 16)}, ${s.signedAt}` }, statement: s };
}

export interface BundleImportResult {
  imported: number;
  unchanged: number;
  keysAdded: string[];
  refused: BundleCheck[];
}

/**
 * Imports a bundle in one transaction: unknown keys are added untrusted; decisions that verify and
 * whose key is trusted are recorded and applied to the version's open review (one is opened when
 * none is); everything else is refused and listed. Re-importing is a no-op (decisions are keyed by digest).
 */
export function importDecisionBundle(deps: ReviewDeps, bundle: DecisionBundle, file: string): BundleImportResult {
  const { db } = deps.store;
  const at = isoNow(deps.clock);
  return db.transaction(() => {
    const keysAdded: string[] = [];
    for (const [index, key] of bundle.keys.entries()) {
      let added: boolean;
      try {
        ({ added } = addKey(db, { keyId: key.keyId, name: key.name, role: key.role, publicKeyPem: key.publicKeyPem, origin: 'imported' }, { actor: deps.actor, at }));
      } catch (error) {
        // Name the file and the key, as parseBundle does for its own problems.
        if (error instanceof DocketError) throw new DocketError(error.code, `${file}: $.keys[${index}]: ${error.message}`, [{ path: `keys.${index}`, message: error.message }]);
        throw error;
      }
      if (added) keysAdded.push(key.keyId);
    }
    let imported = 0;
    let unchanged = 0;
    const refused: BundleCheck[] = [];
    const ordered = bundle.decisions.map((envelope, index) => ({ envelope, index })).sort((a, b) => signedAt(a.envelope).localeCompare(signedAt(b.envelope)));
    for (const { envelope, index } of ordered) {
      const { check, statement } = checkEnvelope(deps.store, envelope, index);
      if (!check.ok || !statement) {
        refused.push(check);
        continue;
      }
      if (db.prepare('SELECT 1 FROM decisions WHERE digest = ?').get(check.digest)) {
        unchanged++;
        continue;
      }
      let ref;
      try {
        ref = versionRef(db, statement.subject.model, statement.subject.version);
      } catch {
        refused.push({ ...check, ok: false, detail: `${check.subject} is not in this workspace: sync or import it first` });
        continue;
      }
      let reviewId = openReviewFor(db, ref.id);
      if (reviewId === null && statement.decision !== 'waive') {
        reviewId = Number(
          db.prepare("INSERT INTO reviews (model_version_id, state, trigger, opened_at, opened_by, updated_at) VALUES (?, 'in_review', 'imported', ?, ?, ?)").run(ref.id, at, deps.actor, at).lastInsertRowid,
        );
        appendAudit(db, { actor: deps.actor, action: 'review.opened', subject: `review:${reviewId}`, detail: { model: ref.model, version: ref.version, trigger: 'imported', file } }, at);
      }
      const snapshot = bundle.evidence.find((e) => e.sha256 === statement.evidence.sha256)?.snapshot as EvidenceSnapshot | undefined;
      // Kept only when it is what was signed: then an imported approval can count on this evidence.
      if (snapshot && evidenceHash(snapshot) === statement.evidence.sha256) storeSnapshot(db, ref, { hash: statement.evidence.sha256, contentHash: contentHashOf(snapshot), snapshot }, at);
      const decisionId = recordDecision(db, { reviewId, versionId: ref.id, statement, envelopeJson: JSON.stringify(envelope), digest: check.digest!, origin: 'imported', at });
      if (reviewId !== null) {
        const current = (db.prepare('SELECT state FROM reviews WHERE id = ?').get(reviewId) as { state: ReviewState }).state;
        updateReviewAfterDecision(deps, reviewId, stateAfterImport(deps, reviewId, current, statement), at);
      }
      appendAudit(db, { actor: deps.actor, action: 'decision.imported', subject: reviewId === null ? `model_version:${ref.id}` : `review:${reviewId}`, detail: { decisionId, digest: check.digest, kind: statement.decision, keyId: statement.signer.keyId, signer: statement.signer.name, file } }, at);
      imported++;
    }
    appendAudit(db, { actor: deps.actor, action: 'decisions.bundle-imported', subject: `file:${file}`, detail: { imported, unchanged, refused: refused.length, keysAdded } }, at);
    return { imported, unchanged, keysAdded, refused };
  }).immediate();
}

function signedAt(envelope: DsseEnvelope): string {
  try {
    return (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { signedAt?: string }).signedAt ?? '';
  } catch {
    return '';
  }
}

/** An imported approval completes a review when the checklist, approvals included, now passes. */
function stateAfterImport(deps: ReviewDeps, reviewId: number, current: ReviewState, statement: DecisionStatement): ReviewState {
  if (statement.decision === 'waive') return current;
  try {
    if (statement.decision !== 'approve') return nextState(current, statement.decision);
    const review = deps.store.db.prepare('SELECT model_version_id FROM reviews WHERE id = ?').get(reviewId) as { model_version_id: number };
    const ref = { id: review.model_version_id, model: statement.subject.model, version: statement.subject.version };
    const evidence = reviewEvidence(deps.store, activePolicy(deps.store, deps.resourcesDir).pack, ref, reviewId, deps.clock());
    return nextState(current, 'approve', evidence.checklist.result === 'pass');
  } catch {
    // A decision that no longer fits the review's state (e.g. an approval for a review closed here) is kept, and changes nothing.
    return current;
  }
}
