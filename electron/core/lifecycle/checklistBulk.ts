import type { Database } from 'better-sqlite3';
import type { ChecklistResult, CostEvidence, EvidenceSnapshot, LineageCheckEvidence } from '../../../shared/policy/evidence';
import { evaluatePolicy } from '../../../shared/policy/evaluatePolicy';
import { LINEAGE_CHECKS, resolveTier, type LineageCheck, type PolicyPack, type TagInput } from '../../../shared/policy/policyPack';
import { modelKey } from '../lineage/lineageKeys';
import { prepared } from '../policy/statementCache';
import { costEvidenceFrom, dailySpendByModel, groupLimitsFor, windowSpendByModel, type SpendFigures, type WindowSpendByModel } from '../policy/gatherEvidence';
import { reviewEvidence, versionRef } from '../reviews/reviewEvidence';
import type { Store } from '../store/openStore';
import type { CardFacts, VersionRow } from './candidateFacts';

/**
 * The release-review checklist of every serving version, without a dozen queries per version.
 *
 * Most versions in a large registry have no fairness evaluation, no lineage node, no MLflow run and
 * no signed decision. For those, the evidence snapshot gatherEvidence would build is fully determined
 * by facts read in bulk (card, registry tags, spend): the lineage view is the version's node alone
 * (every check absent), fairness has no evaluations, approvals and waivers are empty (so the content
 * hash that filters approvals is not needed). Such a snapshot is built here and judged by the same
 * evaluatePolicy. Any version with more evidence than that goes through reviewEvidence itself, so
 * whatever the lineage, fairness and signing code decide stays theirs.
 *
 * What is built here must stay equal to gatherEvidence's snapshot for such versions:
 * test/unit/lifecycle/candidateFacts.test.ts compares the two.
 */

export interface ServingChecklist {
  checklist: ChecklistResult;
  snapshot: EvidenceSnapshot;
}

/** The lineage evidence of a version whose graph is its own node alone: every check absent. */
function noLineage(): Record<LineageCheck, LineageCheckEvidence> {
  return Object.fromEntries(LINEAGE_CHECKS.map((check): [LineageCheck, LineageCheckEvidence] => [check, { ok: false, nodes: [] }])) as Record<LineageCheck, LineageCheckEvidence>;
}

/** Version ids and lineage keys that carry evidence the bulk path does not build. */
function versionsWithMoreEvidence(db: Database): { ids: Set<number>; lineageKeys: Set<string> } {
  const ids = new Set<number>();
  for (const r of prepared(db, 'SELECT DISTINCT model_version_id AS id FROM fairness_evaluations').all() as { id: number }[]) ids.add(r.id);
  for (const r of prepared(db, 'SELECT DISTINCT model_version_id AS id FROM decisions').all() as { id: number }[]) ids.add(r.id);
  // lineageView starts from the node keyed modelKey(name, version), whatever its kind.
  const lineageKeys = new Set((prepared(db, "SELECT key FROM lineage_nodes WHERE key LIKE 'model:%'").all() as { key: string }[]).map((r) => r.key));
  return { ids, lineageKeys };
}

/**
 * Returns a function judging one serving version under `pack` as of `now`. The spend queries behind
 * cost evidence run once, as gatherEvidence's cached ones do.
 */
export function servingChecklists(store: Store, pack: PolicyPack, now: Date): (model: string, version: VersionRow, card: CardFacts | undefined) => ServingChecklist {
  const db = store.db;
  const asOf = now.toISOString();
  const asOfDay = asOf.slice(0, 10);
  const more = versionsWithMoreEvidence(db);
  // gatherEvidence's all-model spend figures, read once for the run instead of checked against the
  // store's revision per model (two queries per model).
  let daily: ReadonlyMap<string, readonly { day: string }[]> | null = null;
  const windows = new Map<string, WindowSpendByModel>();
  const figures: SpendFigures = {
    daily: () => (daily ??= dailySpendByModel(db, asOfDay)),
    inWindow: (window) => {
      const key = `${window.from}\u0000${window.to}`;
      let found = windows.get(key);
      if (!found) windows.set(key, (found = windowSpendByModel(db, window)));
      return found;
    },
  };
  const costEvidence = (modelName: string): CostEvidence => costEvidenceFrom(figures, modelName);

  return (model, version, facts) => {
    if (more.ids.has(version.id) || more.lineageKeys.has(modelKey(model, version.version)) || version.registry?.run) {
      const evidence = reviewEvidence(store, pack, versionRef(db, model, version.version), null, now);
      return { checklist: evidence.checklist, snapshot: evidence.snapshot };
    }
    const tags: TagInput[] = [
      ...(facts?.card.tags ?? []).map((tag): TagInput => ({ key: tag, value: '', source: 'card' })),
      ...(version.registry?.tags ?? []).map((t): TagInput => ({ key: t.key, value: t.value, source: 'registry' })),
    ];
    const tier = resolveTier(pack, tags);
    const snapshot: EvidenceSnapshot = {
      schema: 'docket.evidence/v1',
      asOf,
      model: { name: model, version: version.version },
      tier,
      card: facts?.evidence ?? null,
      lineage: noLineage(),
      fairness: { groupLimits: groupLimitsFor(pack, tier.id), evaluations: [] },
      cost: costEvidence(model),
      approvals: [],
      waivers: [],
    };
    return { checklist: evaluatePolicy(pack, snapshot), snapshot };
  };
}
