import type { Database } from 'better-sqlite3';
import type { ChecklistResult, CostEvidence, EvidenceSnapshot, LineageCheckEvidence } from '../../../shared/policy/evidence';
import { evaluatePolicy } from '../../../shared/policy/evaluatePolicy';
import { LINEAGE_CHECKS, resolveTier, type LineageCheck, type PolicyPack, type RuleOfKind, type TagInput } from '../../../shared/policy/policyPack';
import { modelKey } from '../lineage/lineageKeys';
import { prepared } from '../policy/statementCache';
import { groupBy } from '../policy/gatherEvidence';
import { addDays } from '../../../shared/budgets/dailySeries';
import { reviewEvidence, versionRef } from '../reviews/reviewEvidence';
import { spendBy, spendDaily, unitCosts } from '../spend/spendQueries';
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

/** Group limits when the tier has no fairness rule: as gatherEvidence (first fairness rule in the pack, else Docket's defaults). */
const FALLBACK_GROUP_LIMITS = { minGroupCount: 30, minGroupShare: 0.02 };
const SPEND_WINDOW_DAYS = 30;

/** The lineage evidence of a version whose graph is its own node alone: every check absent. */
function noLineage(): Record<LineageCheck, LineageCheckEvidence> {
  return Object.fromEntries(LINEAGE_CHECKS.map((check): [LineageCheck, LineageCheckEvidence] => [check, { ok: false, nodes: [] }])) as Record<LineageCheck, LineageCheckEvidence>;
}

function groupLimitsFor(pack: PolicyPack, tierId: string): { minGroupCount: number; minGroupShare: number } {
  const isFairness = (r: { kind: string }): r is RuleOfKind<'fairness'> => r.kind === 'fairness';
  const rule = pack.riskTiers[tierId]?.rules.find(isFairness) ?? Object.values(pack.riskTiers).flatMap((t) => t.rules).find(isFairness);
  return rule ? { minGroupCount: rule.minGroupCount, minGroupShare: rule.minGroupShare } : FALLBACK_GROUP_LIMITS;
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
  let daily: Map<string, { day: string }[]> | null = null;
  const windows = new Map<string, { spend: Map<string, ReturnType<typeof spendBy>>; units: Map<string, ReturnType<typeof unitCosts>> }>();

  /** gatherEvidence's costEvidence, on the same queries. */
  const costEvidence = (modelName: string): CostEvidence => {
    daily ??= groupBy(spendDaily(db, { by: 'model', to: asOfDay }), (p) => p.key);
    const days = daily.get(modelName) ?? [];
    const lastDay = days.reduce<string | null>((max, p) => (max === null || p.day > max ? p.day : max), null);
    if (lastDay === null) return { attributedTo: modelName, window: null, monthlySpend: [], unitCosts: [] };
    const window = { from: addDays(lastDay, -(SPEND_WINDOW_DAYS - 1)), to: lastDay };
    const key = `${window.from}\u0000${window.to}`;
    let inWindow = windows.get(key);
    if (!inWindow) {
      inWindow = { spend: groupBy(spendBy(db, { by: 'model', ...window }), (r) => r.key), units: groupBy(unitCosts(db, window), (u) => u.model) };
      windows.set(key, inWindow);
    }
    const monthlySpend = (inWindow.spend.get(modelName) ?? [])
      .map((r) => ({ currency: r.currency, effectiveCost: r.effectiveCost, billedCost: r.billedCost, source: 'focus' as const }))
      .sort((a, b) => a.currency.localeCompare(b.currency));
    const units = (inWindow.units.get(modelName) ?? [])
      .map((u) => ({ currency: u.currency, costPer1kPredictions: u.costPer1kPredictions, requests: u.requests, effectiveCost: u.effectiveCost }))
      .sort((a, b) => a.currency.localeCompare(b.currency));
    return { attributedTo: modelName, window, monthlySpend, unitCosts: units };
  };

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
