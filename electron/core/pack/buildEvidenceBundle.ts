import { createHash } from 'node:crypto';
import { version as DOCKET_VERSION } from '../../../package.json';
import type { CardCompleteness } from '../../../shared/domain/modelCard';
import type { AuditEvidenceBundle, LifecycleEvidence, SpendEvidence } from '../../../shared/pack/evidenceBundle';
import type { DecisionRowForVerify } from './packTypes';
import { fairnessVersionView } from '../fairness/fairnessQueries';
import { listSunsets } from '../lifecycle/lifecycleQueries';
import { lifecycleOf } from '../lifecycle/sunsets';
import { lineageView } from '../lineage/lineageGraph';
import { showModel } from '../models/modelQueries';
import { loadDefaultControlCatalog } from '../policy/loadControlCatalog';
import { loadDefaultPolicy } from '../policy/loadPolicy';
import { activePolicy } from '../reviews/activePolicy';
import { reviewEvidence, versionRef } from '../reviews/reviewEvidence';
import { verifyStoredDecision } from '../reviews/reviewQueries';
import { canonicalJsonBytes } from '../signing/dsse';
import { getKey } from '../signing/keyring';
import { listSpendSources, spendDaily, spendProvenance, unitCosts } from '../spend/spendQueries';
import { verifyAuditChain } from '../store/auditLog';
import type { Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { packClock, packTimestamp } from './packClock';

/**
 * Assembles the evidence bundle of one model version from the store: the one JSON document the
 * PDF, the ML-BOM and the manifest are all drawn from. Only reads, through the query modules the
 * app uses; the few selects here are for this version's reviews, decisions and audit entries.
 * Deterministic: same store, same clock (or SOURCE_DATE_EPOCH), same bytes.
 */

export interface BuildEvidenceBundleOptions {
  resourcesDir: string;
  model: string;
  version: string;
  clock: Clock;
  /** Further keys to describe in `keys` (the exporting reviewer's, so a verifier finds its public key in the pack). */
  extraKeyIds?: readonly string[];
  /** Only for tests: the environment SOURCE_DATE_EPOCH is read from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Days of daily spend a pack carries: the 365 days ending on the model's last day with spend. */
export const SPEND_DAYS = 365;
/** Audit actions left out of a bundle: recording an export must not change the next export's evidence. */
export const EXCLUDED_AUDIT_ACTIONS = ['pack.exported', 'sunset.summary.exported'] as const;

export function buildEvidenceBundle(store: Store, options: BuildEvidenceBundleOptions): { bundle: AuditEvidenceBundle; sha256: string } {
  const { db } = store;
  const at = packClock(options.clock, options.env);
  const generatedAt = packTimestamp(at);
  const ref = versionRef(db, options.model, options.version); // NOT_FOUND names the versions there are
  const detail = showModel(db, ref.model, ref.version);

  const { pack } = activePolicy(store, options.resourcesDir);
  const reviewRows = db
    .prepare('SELECT id, state, trigger, opened_at, opened_by, due_at, closed_at FROM reviews WHERE model_version_id = ? ORDER BY id')
    .all(ref.id) as { id: number; state: string; trigger: string; opened_at: string; opened_by: string; due_at: string | null; closed_at: string | null }[];
  // The checklist as of the pack's clock, counting the approvals of the latest review.
  const latestReview = reviewRows.at(-1)?.id ?? null;
  const evidence = reviewEvidence(store, pack, ref, latestReview, at);
  const cited = new Set(evidence.checklist.rules.flatMap((r) => r.controls));
  const controls = loadDefaultControlCatalog(options.resourcesDir)
    .controls.filter((c) => cited.has(c.id))
    .map((c) => ({ id: c.id, title: c.title, euAiAct: c.citations.euAiAct, nistAiRmf: c.citations.nistAiRmf, iso42001: c.citations.iso42001 }))
    .sort((a, b) => a.id.localeCompare(b.id));

  const comments = db.prepare('SELECT id, author, at, body FROM review_comments WHERE review_id = ? ORDER BY at, id');
  const reviews = reviewRows.map((r) => ({
    id: r.id,
    state: r.state,
    trigger: r.trigger,
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    dueAt: r.due_at,
    closedAt: r.closed_at,
    comments: comments.all(r.id) as { id: number; author: string; at: string; body: string }[],
  }));

  const decisionRows = db
    .prepare('SELECT digest, kind, signer, role, key_id, signed_at, rationale, evidence_hash, envelope_json FROM decisions WHERE model_version_id = ? ORDER BY signed_at, id')
    .all(ref.id) as DecisionRowForVerify[];
  const decisions = decisionRows.map((d) => ({
    digest: d.digest,
    kind: d.kind,
    signer: d.signer,
    role: d.role,
    keyId: d.key_id,
    signedAt: d.signed_at,
    rationale: d.rationale,
    evidenceHash: d.evidence_hash,
    ...verifyStoredDecision(db, d),
    envelope: JSON.parse(d.envelope_json) as AuditEvidenceBundle['decisions'][number]['envelope'],
  }));

  const lifecycle = lifecycleEvidence(store, ref);
  const sunsetKeyIds = lifecycle.sunsets.flatMap((s) => s.decisions.map((d) => d.keyId));
  const keyIds = [...new Set([...decisionRows.map((d) => d.key_id), ...sunsetKeyIds, ...(options.extraKeyIds ?? [])])].sort();
  const keys = keyIds.flatMap((keyId) => {
    const key = getKey(db, keyId);
    return key ? [{ keyId, name: key.name, role: key.role, publicKeyPem: key.publicKeyPem, trusted: key.trusted, revokedAt: key.revokedAt }] : [];
  });

  const bundle: AuditEvidenceBundle = {
    schema: 'docket.audit-evidence/v1',
    generatedAt,
    generator: { name: 'Docket', version: DOCKET_VERSION },
    model: { name: detail.name, version: detail.version, versions: detail.versions, aliases: detail.aliases, tags: detail.tags, registry: detail.registry },
    card: detail.card && detail.source ? { canonical: detail.card, completeness: detail.completeness as CardCompleteness, source: detail.source } : null,
    lineage: lineageView(db, ref.model, ref.version),
    fairness: fairnessVersionView(db, ref.model, ref.version, loadDefaultPolicy(options.resourcesDir)),
    spend: spendEvidence(store, ref.model, generatedAt.slice(0, 10)),
    policy: { pack: { name: pack.name, version: pack.version }, controls, checklist: evidence.checklist, evidence: evidence.snapshot, evidenceHash: evidence.hash },
    reviews,
    decisions,
    keys,
    audit: auditEvidence(store, ref, reviews.map((r) => r.id)),
    lifecycle,
  };
  return { bundle, sha256: bundleSha256(bundle) };
}

/**
 * The version's lifecycle state and its sunsets, oldest first, each with its signed decisions. The
 * decisions' envelopes (sunset-decision payloads) stay here: decisions.json holds release decisions.
 */
function lifecycleEvidence(store: Store, ref: { id: number; model: string; version: string }): LifecycleEvidence {
  const life = lifecycleOf(store.db, ref.id);
  const sunsets = listSunsets(store.db, { model: ref.model, version: ref.version })
    .sort((a, b) => a.id - b.id)
    .map((s) => ({
      id: s.id,
      state: s.state,
      plan: s.plan,
      planSha256: s.planSha256,
      openedAt: s.openedAt,
      openedBy: s.openedBy,
      closedAt: s.closedAt,
      saving: { net: s.saving.net, currency: s.saving.currency, basis: s.saving.basis },
      decisions: s.decisions.map((d) => ({
        kind: d.kind,
        signer: d.signer,
        role: d.role,
        keyId: d.keyId,
        signedAt: d.signedAt,
        rationale: d.rationale,
        digest: d.digest,
        verified: d.verified,
        verification: d.verification,
        envelope: d.envelope as LifecycleEvidence['sunsets'][number]['decisions'][number]['envelope'],
      })),
    }));
  return { state: life.state, since: life.since, sunsetId: life.sunsetId, sunsets };
}

/** sha256 (hex) of the bundle's RFC 8785 canonical JSON: exactly the bytes of evidence.json. */
export function bundleSha256(bundle: AuditEvidenceBundle): string {
  return createHash('sha256').update(canonicalJsonBytes(bundle)).digest('hex');
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Spend is attributed per model (the ml:model tag), shared by its versions. The window is the 365
 * days ending on the model's last day with spend at or before the pack date, read from the first
 * source (FOCUS, then each Cost Explorer source) that has spend for the model: the sources describe
 * the same bill, so they are never added together.
 */
function spendEvidence(store: Store, model: string, asOfDay: string): SpendEvidence {
  const { db } = store;
  const empty: SpendEvidence = { attributedTo: model, daily: [], monthly: [], unitCosts: [], provenance: [] };
  for (const source of listSpendSources(db)) {
    if (!source.groupings.includes('model')) continue;
    const upToDate = spendDaily(db, { by: 'model', to: asOfDay, source: source.id }).filter((p) => p.key === model);
    const lastDay = upToDate.reduce<string | null>((max, p) => (max === null || p.day > max ? p.day : max), null);
    if (lastDay === null) continue;
    const from = addDays(lastDay, -(SPEND_DAYS - 1));
    const daily = upToDate
      .filter((p) => p.day >= from && p.day <= lastDay)
      .map((p) => ({ day: p.day, currency: p.currency, effectiveCost: p.effectiveCost, billedCost: p.billedCost }))
      .sort((a, b) => a.day.localeCompare(b.day) || a.currency.localeCompare(b.currency));
    const months = new Map<string, { month: string; currency: string; effectiveCost: number; billedCost: number }>();
    for (const p of daily) {
      const key = `${p.day.slice(0, 7)}|${p.currency}`;
      const m = months.get(key) ?? { month: p.day.slice(0, 7), currency: p.currency, effectiveCost: 0, billedCost: 0 };
      m.effectiveCost += p.effectiveCost;
      m.billedCost += p.billedCost;
      months.set(key, m);
    }
    const monthly = [...months.values()].sort((a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency));
    const units = unitCosts(db, { from, to: lastDay, source: source.id })
      .filter((u) => u.model === model)
      .map((u) => ({ currency: u.currency, effectiveCost: u.effectiveCost, requests: u.requests, costPer1kPredictions: u.costPer1kPredictions, tokens: u.tokens, costPerMillionTokens: u.costPerMillionTokens }))
      .sort((a, b) => a.currency.localeCompare(b.currency));
    const provenance = spendProvenance(db, { source: source.id, from, to: lastDay });
    return {
      attributedTo: model,
      daily,
      monthly,
      unitCosts: units,
      provenance: [{ source: provenance.source, name: provenance.name, lastSyncAt: provenance.lastSyncAt, estimatedDays: provenance.estimatedDays }],
    };
  }
  return empty;
}

/**
 * The audit entries about this version: those whose subject is one of its reviews ("review:<id>"),
 * the version itself ("<model>@<version>": card imports and updates, fairness evaluations) or its
 * row ("model_version:<id>": waivers imported outside a review). Pack exports are left out, entries
 * and head alike, so that re-exporting unchanged evidence gives the same pack byte for byte (each
 * export is still recorded in the log, as "pack.exported").
 */
function auditEvidence(store: Store, ref: { id: number; model: string; version: string }, reviewIds: number[]): AuditEvidenceBundle['audit'] {
  const { db } = store;
  const subjects = [...reviewIds.map((id) => `review:${id}`), `${ref.model}@${ref.version}`, `model_version:${ref.id}`];
  const excluded = EXCLUDED_AUDIT_ACTIONS.map(() => '?').join(', ');
  const entries = db
    .prepare(`SELECT seq, at, actor, action, subject, hash FROM audit_log WHERE subject IN (${subjects.map(() => '?').join(', ')}) AND action NOT IN (${excluded}) ORDER BY seq`)
    .all(...subjects, ...EXCLUDED_AUDIT_ACTIONS) as { seq: number; at: string; actor: string; action: string; subject: string; hash: string }[];
  const head = (db.prepare(`SELECT seq, hash FROM audit_log WHERE action NOT IN (${excluded}) ORDER BY seq DESC LIMIT 1`).get(...EXCLUDED_AUDIT_ACTIONS) as { seq: number; hash: string } | undefined) ?? null;
  return { entries, head, chainVerified: verifyAuditChain(db).ok };
}
