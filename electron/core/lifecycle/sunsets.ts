import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { DocketError } from '../../../shared/ipc/result';
import {
  SUNSET_PAYLOAD_TYPE,
  SUNSET_STATEMENT_TYPE,
  SunsetPlanSchema,
  SunsetStatementSchema,
  sunsetNextState,
  type LifecycleState,
  type SunsetDecisionKind,
  type SunsetPlan,
  type SunsetState,
  type SunsetStatement,
} from '../../../shared/lifecycle/sunsetPlan';
import { canonicalJsonBytes, envelopeDigest, signDsse, verifyDsse } from '../signing/dsse';
import { getKey, keyringResolver, keyStatusAt } from '../signing/keyring';
import type { ReviewerKeyPair } from '../signing/keys';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { versionRef, type VersionRef } from '../reviews/reviewEvidence';
import { savingFrom, sunsetSavingFor, type SunsetSavingView } from './sunsetSaving';

/**
 * Sunset reviews: a proposal to retire a version with its plan, decided by a signed statement
 * (approve, reject, withdraw) over the plan's hash and the saving it claims. An approval deprecates
 * the version at once; it is retired when the plan's retirement date passes. Every step is one
 * transaction with its audit entry, and nothing retires a version without an approved sunset.
 */

export interface SunsetDeps {
  store: Store;
  actor: string;
  clock: Clock;
}

interface SunsetRow {
  id: number;
  model_version_id: number;
  state: SunsetState;
  plan_json: string;
  plan_sha256: string;
  saving_json: string;
  reasons_json: string;
  opened_at: string;
  opened_by: string;
  closed_at: string | null;
  model: string;
  version: string;
}

const SUNSET_SQL = `SELECT s.*, m.name AS model, mv.version FROM sunset_reviews s JOIN model_versions mv ON mv.id = s.model_version_id JOIN models m ON m.id = mv.model_id`;

export function loadSunset(db: Database, id: number): SunsetRow {
  const row = db.prepare(`${SUNSET_SQL} WHERE s.id = ?`).get(id) as SunsetRow | undefined;
  if (!row) throw new DocketError('NOT_FOUND', `no sunset review #${id}`);
  return row;
}

export const planSha256 = (plan: SunsetPlan): string => createHash('sha256').update(canonicalJsonBytes(plan)).digest('hex');

/** A version's lifecycle state: active unless an approved sunset moved it on. */
export function lifecycleOf(db: Database, versionId: number): { state: LifecycleState; since: string | null; sunsetId: number | null } {
  const row = db.prepare('SELECT state, since, sunset_id AS sunsetId FROM lifecycle_states WHERE model_version_id = ?').get(versionId) as { state: LifecycleState; since: string; sunsetId: number } | undefined;
  return row ?? { state: 'active', since: null, sunsetId: null };
}

function parsePlan(input: unknown): SunsetPlan {
  const parsed = SunsetPlanSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: ['plan', ...i.path.map(String)].join('.'), message: i.message }));
    throw new DocketError('INVALID_INPUT', `sunset plan refused: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}

export interface ProposeSunsetInput {
  model: string;
  version: string;
  plan: unknown;
  /** The candidate reasons that prompted it, kept with the proposal. */
  reasons?: { code: string; detail: string }[];
}

export function proposeSunset(deps: SunsetDeps, input: ProposeSunsetInput): { id: number; saving: SunsetSavingView; planSha256: string } {
  const { db } = deps.store;
  const plan = parsePlan(input.plan);
  const ref = versionRef(db, input.model, input.version);
  if (plan.replacement) {
    const replacement = versionRef(db, plan.replacement.model, plan.replacement.version);
    if (replacement.id === ref.id) throw new DocketError('INVALID_INPUT', 'a version cannot replace itself', [{ path: 'plan.replacement', message: 'choose another version' }]);
    if (lifecycleOf(db, replacement.id).state !== 'active') throw new DocketError('REJECTED', `${replacement.model}@${replacement.version} is itself being retired`, [{ path: 'plan.replacement', message: 'the replacement must be active' }]);
  }
  const at = isoNow(deps.clock);
  const saving = sunsetSavingFor(db, ref, plan, savingFrom(plan.retirementDate, new Date(at)));
  const sha = planSha256(plan);
  const id = db
    .transaction(() => {
      const life = lifecycleOf(db, ref.id);
      if (life.state !== 'active') throw new DocketError('REJECTED', `${ref.model}@${ref.version} is already ${life.state}`);
      const open = db.prepare("SELECT id FROM sunset_reviews WHERE model_version_id = ? AND state = 'proposed'").get(ref.id) as { id: number } | undefined;
      if (open) throw new DocketError('REJECTED', `${ref.model}@${ref.version} already has a sunset under review (#${open.id})`);
      const newId = Number(
        db
          .prepare("INSERT INTO sunset_reviews (model_version_id, state, plan_json, plan_sha256, saving_json, reasons_json, opened_at, opened_by) VALUES (?, 'proposed', ?, ?, ?, ?, ?, ?)")
          .run(ref.id, JSON.stringify(plan), sha, JSON.stringify(saving), JSON.stringify(input.reasons ?? []), at, deps.actor).lastInsertRowid,
      );
      appendAudit(db, { actor: deps.actor, action: 'sunset.proposed', subject: `${ref.model}@${ref.version}`, detail: { sunsetId: newId, planSha256: sha, retirementDate: plan.retirementDate, replacement: plan.replacement, monthlySaving: saving.net, currency: saving.currency } }, at);
      return newId;
    })
    .immediate();
  return { id, saving, planSha256: sha };
}

export interface DecideSunsetInput {
  sunsetId: number;
  kind: SunsetDecisionKind;
  rationale: string;
  key: ReviewerKeyPair;
}

export interface SunsetDecisionOutcome {
  decisionId: number;
  digest: string;
  state: SunsetState;
  lifecycle: LifecycleState;
}

function auditHead(db: Database): { seq: number; hash: string } {
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  return head ?? { seq: 0, hash: '0'.repeat(64) };
}

/** Signs and records a sunset decision; an approval deprecates the version (retired when its date comes). */
export function decideSunset(deps: SunsetDeps, input: DecideSunsetInput): SunsetDecisionOutcome {
  const { db } = deps.store;
  const rationale = input.rationale.trim();
  if (!rationale) throw new DocketError('INVALID_INPUT', 'a sunset decision needs a rationale', [{ path: 'rationale', message: 'say why' }]);
  const record = db.transaction((): SunsetDecisionOutcome => {
    const at = isoNow(deps.clock);
    const sunset = loadSunset(db, input.sunsetId);
    const next = sunsetNextState(sunset.state, input.kind);
    if (next === null) throw new DocketError('REJECTED', `sunset #${sunset.id} is already ${sunset.state}: no further decisions`);
    const key = getKey(db, input.key.keyId);
    if (!key) throw new DocketError('REJECTED', `key ${input.key.keyId.slice(0, 16)} is not in this workspace's keyring`);
    const status = keyStatusAt(db, key.keyId, at);
    if (status.status !== 'trusted') throw new DocketError('REJECTED', `cannot sign with ${key.name}'s key: ${status.reason}`);
    const plan = SunsetPlanSchema.parse(JSON.parse(sunset.plan_json));
    const saving = JSON.parse(sunset.saving_json) as SunsetSavingView;
    const statement: SunsetStatement = {
      _type: SUNSET_STATEMENT_TYPE,
      decision: input.kind,
      subject: { model: sunset.model, version: sunset.version },
      plan: { sha256: sunset.plan_sha256, replacement: plan.replacement, drainDate: plan.drainDate, retirementDate: plan.retirementDate, owner: plan.owner },
      saving: { monthly: saving.net, currency: saving.currency },
      rationale,
      signer: { keyId: key.keyId, name: key.name, role: key.role },
      signedAt: at,
      auditHead: auditHead(db),
    };
    const envelope = signDsse(statement, SUNSET_PAYLOAD_TYPE, input.key.privateKey, key.keyId);
    const digest = envelopeDigest(envelope);
    const decisionId = Number(
      db
        .prepare(
          `INSERT INTO sunset_decisions (digest, sunset_id, model_version_id, kind, key_id, signer, role, signed_at, plan_sha256, rationale, envelope_json, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(digest, sunset.id, sunset.model_version_id, input.kind, key.keyId, key.name, key.role, at, sunset.plan_sha256, rationale, JSON.stringify(envelope), at).lastInsertRowid,
    );
    db.prepare('UPDATE sunset_reviews SET state = ?, closed_at = ? WHERE id = ?').run(next, at, sunset.id);
    const subject = `${sunset.model}@${sunset.version}`;
    appendAudit(db, { actor: deps.actor, action: `sunset.decision.${input.kind}`, subject, detail: { sunsetId: sunset.id, decisionId, digest, keyId: key.keyId, signer: key.name, role: key.role, planSha256: sunset.plan_sha256, from: sunset.state, to: next } }, at);
    let lifecycle: LifecycleState = lifecycleOf(db, sunset.model_version_id).state;
    if (next === 'approved') {
      db.prepare("INSERT INTO lifecycle_states (model_version_id, state, since, sunset_id) VALUES (?, 'deprecated', ?, ?)").run(sunset.model_version_id, at, sunset.id);
      appendAudit(db, { actor: deps.actor, action: 'lifecycle.deprecated', subject, detail: { sunsetId: sunset.id, from: 'active', to: 'deprecated', retirementDate: plan.retirementDate } }, at);
      lifecycle = 'deprecated';
    }
    return { decisionId, digest, state: next, lifecycle };
  });
  // The decision and the retirement it makes due (a plan whose date has passed) are one transaction:
  // a crash between them must not leave an approved sunset whose version was never retired.
  return db
    .transaction((): SunsetDecisionOutcome => {
      const outcome = record.immediate();
      const moved = refreshLifecycle(deps);
      const mine = moved.find((m) => m.sunsetId === input.sunsetId);
      return mine ? { ...outcome, lifecycle: mine.to } : outcome;
    })
    .immediate();
}

/** Retires every deprecated version whose approved plan's retirement date has come. Audited. */
export function refreshLifecycle(deps: SunsetDeps): { model: string; version: string; sunsetId: number; to: LifecycleState }[] {
  const { db } = deps.store;
  const at = isoNow(deps.clock);
  const today = at.slice(0, 10);
  const due = db
    .prepare(
      `SELECT l.model_version_id AS versionId, l.sunset_id AS sunsetId, m.name AS model, mv.version, json_extract(s.plan_json, '$.retirementDate') AS retirementDate
         FROM lifecycle_states l JOIN sunset_reviews s ON s.id = l.sunset_id JOIN model_versions mv ON mv.id = l.model_version_id JOIN models m ON m.id = mv.model_id
        WHERE l.state = 'deprecated' AND s.state = 'approved' AND json_extract(s.plan_json, '$.retirementDate') <= ?`,
    )
    .all(today) as { versionId: number; sunsetId: number; model: string; version: string; retirementDate: string }[];
  if (due.length === 0) return [];
  db.transaction(() => {
    for (const d of due) {
      db.prepare("UPDATE lifecycle_states SET state = 'retired', since = ? WHERE model_version_id = ?").run(`${d.retirementDate}T00:00:00.000Z`, d.versionId);
      appendAudit(db, { actor: deps.actor, action: 'lifecycle.retired', subject: `${d.model}@${d.version}`, detail: { sunsetId: d.sunsetId, from: 'deprecated', to: 'retired', retirementDate: d.retirementDate } }, at);
    }
  }).immediate();
  return due.map((d) => ({ model: d.model, version: d.version, sunsetId: d.sunsetId, to: 'retired' as const }));
}

/**
 * Retires a version now, ahead of its plan's date: only with an approved sunset. This is the guard
 * the state machine rests on, and why there is no other way to write 'retired'.
 */
export function retireNow(deps: SunsetDeps, model: string, version: string): void {
  const { db } = deps.store;
  const ref = versionRef(db, model, version);
  db.transaction(() => {
    const life = lifecycleOf(db, ref.id);
    const approved = db.prepare("SELECT id FROM sunset_reviews WHERE model_version_id = ? AND state = 'approved' ORDER BY id DESC LIMIT 1").get(ref.id) as { id: number } | undefined;
    if (!approved || life.state === 'active') throw new DocketError('REJECTED', `${ref.model}@${ref.version} has no approved sunset: a version is retired only by an approved, signed sunset decision`);
    if (life.state === 'retired') return;
    const at = isoNow(deps.clock);
    db.prepare("UPDATE lifecycle_states SET state = 'retired', since = ? WHERE model_version_id = ?").run(at, ref.id);
    appendAudit(db, { actor: deps.actor, action: 'lifecycle.retired', subject: `${ref.model}@${ref.version}`, detail: { sunsetId: approved.id, from: 'deprecated', to: 'retired', early: true } }, at);
  }).immediate();
}

/** Checks a stored sunset decision's signature and that its statement matches the row. */
export function verifySunsetDecision(db: Database, row: { envelope_json: string; digest: string; key_id: string; kind: string; plan_sha256: string }): { verified: boolean; verification: string } {
  let envelope: unknown;
  try {
    envelope = JSON.parse(row.envelope_json);
  } catch {
    return { verified: false, verification: 'the stored envelope is not JSON' };
  }
  const result = verifyDsse(envelope, keyringResolver(db), { expectedPayloadType: SUNSET_PAYLOAD_TYPE, singleSignature: true });
  if (!result.ok) return { verified: false, verification: result.message };
  const statement = SunsetStatementSchema.safeParse(result.payload);
  if (!statement.success) return { verified: false, verification: 'the signed payload is not a Docket sunset decision' };
  if (result.keyId !== row.key_id || statement.data.decision !== row.kind || statement.data.plan.sha256 !== row.plan_sha256) return { verified: false, verification: 'the record differs from what was signed' };
  if (envelopeDigest(envelope as Parameters<typeof envelopeDigest>[0]) !== row.digest) return { verified: false, verification: 'the digest differs from the envelope' };
  return { verified: true, verification: `signed by ${statement.data.signer.name} (${statement.data.signer.role}) at ${statement.data.signedAt}` };
}

export type { VersionRef };
