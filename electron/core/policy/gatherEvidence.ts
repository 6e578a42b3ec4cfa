import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Database } from 'better-sqlite3';
import type { LineageView } from '../../../shared/domain/lineage';
import { SECTION_KEYS } from '../../../shared/domain/sections';
import { sectionState } from '../../../shared/domain/completeness';
import type { FairnessPolicy } from '../../../shared/fairness/policy';
import type { ApprovalEvidence, CardEvidence, CostEvidence, EvidenceSnapshot, FairnessEvidence, LineageCheckEvidence, Waiver } from '../../../shared/policy/evidence';
import { LINEAGE_CHECKS, resolveTier, type LineageCheck, type PolicyPack, type RuleOfKind, type TagInput } from '../../../shared/policy/policyPack';
import { fairnessVersionView } from '../fairness/fairnessQueries';
import { lineageView } from '../lineage/lineageGraph';
import { showModel } from '../models/modelQueries';
import { spendBy, spendDaily, unitCosts } from '../spend/spendQueries';
import { SPEND_BY_MODEL_READS } from './keptReads';
import { cachedByRevision } from './revisionCache';
import { addDays } from '../../../shared/budgets/dailySeries';
import type { Store } from '../store/openStore';


export interface GatherOptions {
  /** The moment the evidence is judged at; part of the snapshot, so pass a fixed clock for reproducible hashes. */
  asOf: Date;
  /** Signed approvals so far (the reviews module supplies them). */
  approvals?: ApprovalEvidence[];
  /** Waivers recorded for this version (the reviews module supplies them). */
  waivers?: Waiver[];
}

/** Group limits when the tier has no fairness rule: the first fairness rule in the pack, else Docket's defaults. */
const FALLBACK_GROUP_LIMITS = { minGroupCount: 30, minGroupShare: 0.02 };

/** Days in the spend window: "monthly" spend is the 30 days ending on the model's last day with spend. */
const SPEND_WINDOW_DAYS = 30;

/**
 * Collects the evidence for one model version from the store, through the same query modules
 * the views use, so the checklist judges exactly what the reviewer can open and read.
 */
export function gatherEvidence(store: Store, modelName: string, version: string, pack: PolicyPack, options: GatherOptions): EvidenceSnapshot {
  const db = store.db;
  const detail = showModel(db, modelName, version);
  const model = { name: detail.name, version: detail.version };
  const tags: TagInput[] = [
    ...(detail.card?.tags ?? []).map((tag): TagInput => ({ key: tag, value: '', source: 'card' })),
    ...(detail.registry?.tags ?? []).map((t): TagInput => ({ key: t.key, value: t.value, source: 'registry' })),
  ];
  const tier = resolveTier(pack, tags);

  let card: CardEvidence | null = null;
  if (detail.card && detail.source) {
    const sections = Object.fromEntries(SECTION_KEYS.map((key) => [key, sectionState(detail.card!.sections[key])])) as CardEvidence['sections'];
    card = {
      format: detail.source.format,
      sourceFile: detail.source.file,
      sha256: detail.source.sha256,
      importedAt: detail.source.importedAt,
      syncRunId: detail.source.syncRunId,
      sections,
      completeness: detail.completeness.ratio,
    };
  }

  const asOf = options.asOf.toISOString();
  return {
    schema: 'docket.evidence/v1',
    asOf,
    model,
    tier,
    card,
    lineage: lineageEvidence(lineageView(db, model.name, model.version)),
    fairness: fairnessEvidence(store, model, groupLimitsFor(pack, tier.id)),
    cost: costEvidence(store, model.name, asOf.slice(0, 10)),
    approvals: [...(options.approvals ?? [])],
    waivers: [...(options.waivers ?? [])],
  };
}

export function groupLimitsFor(pack: PolicyPack, tierId: string): { minGroupCount: number; minGroupShare: number } {
  const isFairness = (r: { kind: string }): r is RuleOfKind<'fairness'> => r.kind === 'fairness';
  const rule = pack.riskTiers[tierId]?.rules.find(isFairness) ?? Object.values(pack.riskTiers).flatMap((t) => t.rules).find(isFairness);
  return rule ? { minGroupCount: rule.minGroupCount, minGroupShare: rule.minGroupShare } : FALLBACK_GROUP_LIMITS;
}

/**
 * The graph's own completeness decides each check; the node ids say which records show it.
 * Node ids follow lineageGraph: producers feed the version with 'produced' edges.
 */
function lineageEvidence(view: LineageView): Record<LineageCheck, LineageCheckEvidence> {
  const kindOf = new Map(view.nodes.map((n) => [n.id, n.kind]));
  const producers = view.edges.filter((e) => e.to === view.focus && e.kind === 'produced').map((e) => e.from);
  const consumers = view.edges.filter((e) => e.from === view.focus && kindOf.get(e.to) === 'run').map((e) => e.to);
  const datasetsInto = (targets: string[]) => view.edges.filter((e) => targets.includes(e.to) && kindOf.get(e.from) === 'dataset').map((e) => e.from);
  const evaluated = view.edges.filter((e) => e.kind === 'evaluated' && e.to === view.focus).map((e) => e.from);
  const nodes: Record<LineageCheck, string[]> = {
    trainingData: datasetsInto(producers),
    evaluationData: [...evaluated, ...datasetsInto(consumers)],
    producingRun: producers,
    codeLocation: producers,
  };
  return Object.fromEntries(
    LINEAGE_CHECKS.map((check) => {
      const ok = view.completeness[check];
      return [check, { ok, nodes: ok ? [...new Set(nodes[check])].sort() : [] }];
    }),
  ) as Record<LineageCheck, LineageCheckEvidence>;
}

function fairnessEvidence(store: Store, model: { name: string; version: string }, groupLimits: { minGroupCount: number; minGroupShare: number }): FairnessEvidence {
  // Only the group limits shape the disparities; thresholds are applied later, by the pack's rule.
  const policy: FairnessPolicy = { name: 'evidence', version: '1', fairness: { ...groupLimits, thresholds: [] } };
  const view = fairnessVersionView(store.db, model.name, model.version, policy);
  return {
    groupLimits,
    evaluations: view.evaluations.map((e) => ({
      id: e.id,
      format: e.format,
      sourceFile: e.sourceFile,
      sha256: e.sha256,
      dataset: e.dataset.name,
      evaluatedAt: e.evaluatedAt,
      importedAt: e.importedAt,
      sensitiveFeatures: [...e.sensitiveFeatures],
      includedGroups: [...e.report.includedGroups],
      excludedGroups: e.report.excludedGroups.map((g) => g.label),
      measures: e.report.measures,
    })),
  };
}

/** Rows grouped by a key, so each model's evidence reads its own rows, not every model's. */
export function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const by = new Map<string, T[]>();
  for (const row of rows) {
    const list = by.get(keyOf(row));
    if (list) list.push(row);
    else by.set(keyOf(row), [row]);
  }
  return by;
}

/**
 * The workspace's spend queries behind cost evidence, grouped by model and kept until the store
 * changes: judging every model (sunset candidates, every open review) would otherwise run each
 * all-model query once per model.
 */
export function dailySpendByModel(db: Database, asOfDay: string): Map<string, { day: string }[]> {
  return groupBy(spendDaily(db, { by: 'model', to: asOfDay }), (p) => p.key);
}
export interface WindowSpendByModel {
  spend: Map<string, ReturnType<typeof spendBy>>;
  units: Map<string, ReturnType<typeof unitCosts>>;
}
export function windowSpendByModel(db: Database, window: { from: string; to: string }): WindowSpendByModel {
  return { spend: groupBy(spendBy(db, { by: 'model', ...window }), (r) => r.key), units: groupBy(unitCosts(db, window), (u) => u.model) };
}

/** Where cost evidence reads its all-model figures: gatherEvidence keeps them per store revision, bulk judging per run. */
export interface SpendFigures {
  daily(): ReadonlyMap<string, readonly { day: string }[]>;
  inWindow(window: { from: string; to: string }): WindowSpendByModel;
}

function revisionSpendFigures(store: Store, asOfDay: string): SpendFigures {
  return {
    daily: () => cachedByRevision(store.db, `evidence.spendDaily\u0000${asOfDay}`, SPEND_BY_MODEL_READS, () => dailySpendByModel(store.db, asOfDay)),
    inWindow: (window) => cachedByRevision(store.db, `evidence.spendWindow\u0000${window.from}\u0000${window.to}`, SPEND_BY_MODEL_READS, () => windowSpendByModel(store.db, window)),
  };
}

function costEvidence(store: Store, modelName: string, asOfDay: string): CostEvidence {
  return costEvidenceFrom(revisionSpendFigures(store, asOfDay), modelName);
}

/** Spend is attributed per model (the ml:model tag), so every version of a model shares these figures. */
export function costEvidenceFrom(figures: SpendFigures, modelName: string): CostEvidence {
  const days = figures.daily().get(modelName) ?? [];
  const lastDay = days.reduce<string | null>((max, p) => (max === null || p.day > max ? p.day : max), null);
  if (lastDay === null) return { attributedTo: modelName, window: null, monthlySpend: [], unitCosts: [] };
  const window = { from: addDays(lastDay, -(SPEND_WINDOW_DAYS - 1)), to: lastDay };
  const inWindow = figures.inWindow(window);
  const monthlySpend = (inWindow.spend.get(modelName) ?? [])
    .map((r) => ({ currency: r.currency, effectiveCost: r.effectiveCost, billedCost: r.billedCost, source: 'focus' as const }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
  const units = (inWindow.units.get(modelName) ?? [])
    .map((u) => ({ currency: u.currency, costPer1kPredictions: u.costPer1kPredictions, requests: u.requests, effectiveCost: u.effectiveCost }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
  return { attributedTo: modelName, window, monthlySpend, unitCosts: units };
}

/** sha256 (hex) of the snapshot's RFC 8785 canonical JSON: what a signed decision commits to. */
export function evidenceHash(snapshot: EvidenceSnapshot): string {
  const text = canonicalize(snapshot);
  if (text === undefined) throw new TypeError('evidence snapshot cannot be canonicalized');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
