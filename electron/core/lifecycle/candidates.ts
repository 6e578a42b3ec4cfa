import type { SunsetCandidate } from '../../../shared/lifecycle/lifecycleViews';
import type { Database } from 'better-sqlite3';
import { addDays } from '../../../shared/budgets/dailySeries';
import { formatCount } from '../../../shared/format/count';
import { formatMoney } from '../../../shared/format/money';
import { DAYS_PER_MONTH, DEFAULT_LIFECYCLE_THRESHOLDS, PRODUCTION_ALIASES, PRODUCTION_STAGE, type LifecycleThresholds } from '../../../shared/lifecycle/lifecyclePolicy';
import type { SunsetReason } from '../../../shared/lifecycle/reasons';
import { sunsetSaving } from '../../../shared/lifecycle/sunsetCalculator';
import { dateEvaluations } from '../../../shared/policy/fairnessCheck';
import type { PolicyPack, RuleOfKind } from '../../../shared/policy/policyPack';
import { withModelMemo } from '../models/modelQueries';
import { compareVersions } from '../models/versionOrder';
import { activePolicy } from '../reviews/activePolicy';
import type { Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { sunsetDependents } from './dependents';
import { CANDIDATE_READS, JUDGEMENT_INPUT_READS, JUDGEMENT_READS } from '../policy/keptReads';
import { cachedByRevision } from '../policy/revisionCache';
import { prepared } from '../policy/statementCache';
import { currentStage, loadCards, loadRegistryFacts, type CardFacts, type ModelPart, type ModelVersions, type RegistryFacts, type VersionRow } from './candidateFacts';
import { servingChecklists, type ServingChecklist } from './checklistBulk';


/**
 * Sunset candidates: models (and superseded versions) that may no longer be worth what they cost or
 * what they risk, each with the reasons that make it one and the numbers behind each reason. Read
 * only: it proposes, a signed sunset decision disposes (NIST AI RMF GOVERN 1.7, MANAGE 2.4).
 *
 * Thresholds come from the active policy pack's `lifecycle:` section, else the defaults.
 *
 * Two horizons, never "today", for figures from imported data: imported spend and usage stop at their
 * export date, so judging them against today would call every model idle. Traffic is judged over the
 * days ending on the last day of usage data; monthly spend over the 30 days ending on the last day of
 * spend data. Only registry facts (versions, evaluations) are judged against the clock.
 */

export type { SunsetCandidate };

export interface CandidateOptions {
  resourcesDir: string;
  clock: Clock;
}

/** Days of spend data a monthly figure is averaged over (as the policy's cost evidence does). */
const SPEND_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
/** Stages that mean the version is no longer in any use. 'None' is MLflow's "never staged". */
const INACTIVE_STAGES = new Set(['Archived', 'None']);

interface SpendRow {
  tag: string;
  team: string;
  provider: string;
  currency: string;
  cost: number;
}

/** Money for totals: "$1,234.50". */
const money = formatMoney;

/** Unit costs need more digits than totals: $0.0023 per 1,000 predictions must not read "$0.00". */
function unitMoney(amount: number, currency: string): string {
  if (Math.abs(amount) >= 1) return formatMoney(amount, currency);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(amount);
  } catch {
    return `${amount.toFixed(4)} ${currency}`;
  }
}

/**
 * localeCompare's order (the default locale's collator) from one collator: localeCompare builds one
 * per call, and sorting 20,000 candidates, most of them saving 0, compares names hundreds of thousands of times.
 */
const compareNames = new Intl.Collator().compare;
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

function daysSince(iso: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS);
}

export function lifecycleThresholds(pack: PolicyPack): LifecycleThresholds {
  return pack.lifecycle ?? DEFAULT_LIFECYCLE_THRESHOLDS;
}

/**
 * Judging every model is policy evaluation per model: the answer is kept until the store, the active
 * policy or the hour changes (evidence and versions age with the clock; an hour is the staleness
 * allowed, and the candidates' own figures are per day). A copy is returned: callers may sort it.
 */
export function sunsetCandidates(store: Store, options: CandidateOptions): SunsetCandidate[] {
  const { key, pack, now } = candidatesKey(store, options);
  const db = store.db;
  const inputs: JudgementInputsCache = (inputsKey, load) => cachedByRevision(db, `judgementInputs\u0000${inputsKey}`, JUDGEMENT_INPUT_READS, load);
  const judgement = () => cachedByRevision(db, judgementKey(key), JUDGEMENT_READS, () => judgeEveryModel(store, pack, now, undefined, inputs));
  return [...cachedByRevision(db, key, CANDIDATE_READS, () => setAsideDecided(db, judgement()))];
}

/** What the judgement of every model (approved sunsets not yet set aside) is kept under. */
export function judgementKey(candidatesKey: string): string {
  return `${candidatesKey}\u0000judgement`;
}

/**
 * The candidates whose version no approved sunset has moved on yet (a lifecycle state other than
 * 'active'). Kept apart from the judgement because a sunset decision writes one version's state:
 * the judgement of 20,000 models (over a second) stays kept, and only this filter runs again.
 */
function setAsideDecided(db: Database, judged: readonly SunsetCandidate[]): readonly SunsetCandidate[] {
  // A version is its model's name and label (UNIQUE (model_id, version)).
  const decided = new Set(
    prepared(db, "SELECT m.name || char(0) || v.version FROM lifecycle_states s JOIN model_versions v ON v.id = s.model_version_id JOIN models m ON m.id = v.model_id WHERE s.state != 'active'")
      .pluck(true)
      .all() as string[],
  );
  return decided.size === 0 ? judged : judged.filter((c) => !decided.has(`${c.model}\u0000${c.version}`));
}

/** What sunsetCandidates keeps its answer under: the active policy and the hour. */
export function candidatesKey(store: Store, options: CandidateOptions): { key: string; pack: PolicyPack; now: Date } {
  const pack = activePolicy(store, options.resourcesDir).pack;
  const now = options.clock();
  return { key: `sunsetCandidates\u0000${now.toISOString().slice(0, 13)}\u0000${JSON.stringify(pack)}`, pack, now };
}

/**
 * The judgement itself, uncached, approved sunsets not set aside: also what the judge workers run
 * (see candidateJudge), each on a `part` of the models; the parts' candidates, sorted together by
 * compareCandidates, are the whole's.
 */
export function judgeEveryModel(store: Store, pack: PolicyPack, now: Date, part?: ModelPart, inputsCache: JudgementInputsCache = readAfresh): SunsetCandidate[] {
  return withModelMemo(store.db, () => computeSunsetCandidates(store, pack, now, part, inputsCache));
}

/** The candidates' order: the largest saving first, then by model name and version. */
export function compareCandidates(a: SunsetCandidate, b: SunsetCandidate): number {
  return b.monthlySaving - a.monthlySaving || compareNames(a.model, b.model) || compareVersions(a.version, b.version);
}

/**
 * What the judgement reads in bulk: the registry, the serving versions' cards, the spend and the
 * traffic. Most of its time (about three quarters at 20,000 models) goes into reading these, and
 * they do not change with a review's decision or evidence: kept (see JudgementInputsCache), a
 * judgement after a release decision only judges again.
 */
export interface JudgementInputs {
  dataThrough: { spend: string | null; usage: string | null };
  spendWindow: { from: string; to: string } | null;
  monthSpend: SpendIndex;
  allSpend: SpendIndex;
  traffic: TrafficWindow | null;
  idle: TrafficWindow | null;
  peers: PeerUnitCosts | null;
  facts: RegistryFacts;
  judged: { model: { id: number; name: string }; versions: ModelVersions; production: (VersionRow & { by: string }) | null; serving: VersionRow }[];
  cards: Map<number, CardFacts>;
}

/**
 * Where judgeEveryModel finds the inputs of an earlier judgement: `key` names the share of the models
 * and the thresholds the traffic windows use; `load` reads them afresh. Only the caller knows whether
 * the tables they come from (JUDGEMENT_INPUT_READS) have changed since.
 */
export type JudgementInputsCache = (key: string, load: () => JudgementInputs) => JudgementInputs;

const readAfresh: JudgementInputsCache = (_key, load) => load();

function loadJudgementInputs(db: Database, t: LifecycleThresholds, part?: ModelPart): JudgementInputs {
  const spendLast = (prepared(db, 'SELECT max(day) AS day FROM spend_daily').get() as { day: string | null }).day;
  const usageLast = (prepared(db, 'SELECT max(day) AS day FROM usage_daily').get() as { day: string | null }).day;
  const dataThrough = { spend: spendLast, usage: usageLast };

  const models = prepared(db, 'SELECT id, name FROM models ORDER BY name').all() as { id: number; name: string }[];
  const modelNames = new Set(models.map((m) => m.name));
  // Spend and usage may be tagged per version ("<model>@<version>"); traffic and unit cost are the model's.
  const baseOf = (tag: string): string => {
    const at = tag.lastIndexOf('@');
    return at > 0 && !modelNames.has(tag) && modelNames.has(tag.slice(0, at)) ? tag.slice(0, at) : tag;
  };

  const spendWindow = spendLast ? { from: addDays(spendLast, -(SPEND_WINDOW_DAYS - 1)), to: spendLast } : null;
  // Grouped once, by tag and by model; each group keeps the query's row order (sums add in that order).
  const monthSpend = new SpendIndex(spendWindow ? spendRows(db, spendWindow.from, spendWindow.to) : [], baseOf);
  const allSpend = new SpendIndex(spendRows(db, '0000-00-00', '9999-99-99'), baseOf);
  const traffic = usageLast ? trafficWindow(db, usageLast, t.trafficWindowDays, baseOf) : null;
  const idle = usageLast ? trafficWindow(db, usageLast, t.noTrafficDays, baseOf) : null;

  const facts = loadRegistryFacts(db, part);
  const aliasesOf = (id: number) => facts.aliases.get(id) ?? [];
  const stageOf = (v: VersionRow) => currentStage(facts, v);

  // First pass: which version serves each model, so the serving versions' cards load in one query.
  const judged: JudgementInputs['judged'] = [];
  // Every model's name counts above (tags name models); only this part's models are judged.
  for (const model of part ? models.filter((m) => m.id % part.of === part.index) : models) {
    const versions = facts.versionsByModel.get(model.id);
    if (!versions) continue;
    // Without a version holding an alias or a stage there is no production version.
    const production = versions.sorted ? productionVersion(versions.sorted, aliasesOf, stageOf) : null;
    const serving = production ? versions.sorted!.find((v) => v.version === production.version)! : versions.latest;
    judged.push({ model, versions, production, serving });
  }
  const cards = loadCards(db, judged.map((j) => j.serving.id));
  const peers = traffic ? new PeerUnitCosts(traffic) : null;
  return { dataThrough, spendWindow, monthSpend, allSpend, traffic, idle, peers, facts, judged, cards };
}

function computeSunsetCandidates(store: Store, pack: PolicyPack, now: Date, part: ModelPart | undefined, inputsCache: JudgementInputsCache): SunsetCandidate[] {
  const db = store.db;
  const t = lifecycleThresholds(pack);
  const today = now.toISOString().slice(0, 10);
  const inputsKey = `${part ? `${part.index}/${part.of}` : 'all'}\u0000${t.trafficWindowDays}\u0000${t.noTrafficDays}`;
  const { dataThrough, spendWindow, monthSpend, allSpend, traffic, idle, peers, facts, judged, cards } = inputsCache(inputsKey, () => loadJudgementInputs(db, t, part));
  const aliasesOf = (id: number) => facts.aliases.get(id) ?? [];
  const stageOf = (v: VersionRow) => currentStage(facts, v);
  const checklistOf = servingChecklists(store, pack, now);

  // sunsetSaving is pure and most models share a figure (no spend at all): one answer per figure.
  const savings = new Map<string, number>();
  const netSaving = (attributedMonthly: number, currency: string): number => {
    const key = `${currency}\u0000${attributedMonthly}`;
    let net = savings.get(key);
    if (net === undefined) savings.set(key, (net = sunsetSaving({ attributedMonthly, asOf: today, currency }).net));
    return net;
  };

  const candidates: SunsetCandidate[] = [];
  for (const { model, versions, production, serving: servingRow } of judged) {
    const serving = servingRow.version;
    const card = cards.get(servingRow.id);

    // The model-level figures: spend tagged with the model, or with its serving version.
    const spend = monthly(monthSpend.taggedAny([model.name, `${model.name}@${serving}`]));
    const ownRows = allSpend.ofModel(model.name);
    const recent = monthSpend.ofModel(model.name);
    const providers = [...new Set((recent.length > 0 ? recent : ownRows).map((r) => r.provider))].sort();
    // The card's "team:" tag is what the owners declared; the spend's team tag is a fallback (resources
    // are often tagged by whoever runs the infrastructure, not whoever owns the model).
    const team = cardTeam(card) ?? mainTeam(recent.length > 0 ? recent : ownRows);
    const unit = traffic?.unitCost(model.name, spend.currency) ?? null;

    const reasons: SunsetReason[] = [];
    if (traffic && peers) {
      const low = lowTrafficForCost(model.name, spend.currency, traffic, peers, t);
      if (low) reasons.push(low);
    }
    if (idle) {
      const none = noTraffic(model.name, idle, t);
      if (none) reasons.push(none);
    }
    const stale = staleReason(facts.evaluationDates.get(model.id) ?? [], versions.newest, t, now);
    if (stale) reasons.push(stale);
    reasons.push(...checklistReasons(checklistOf(model.name, servingRow, card), pack, serving, now));
    const owner = noOwner(card, servingRow, serving);
    if (owner) reasons.push(owner);

    if (reasons.length > 0) {
      candidates.push({
        model: model.name,
        version: serving,
        team,
        providers,
        reasons,
        monthlySaving: netSaving(spend.monthly, spend.currency),
        currency: spend.currency,
        monthlySpend: round(spend.monthly, 2),
        costPer1k: unit?.costPer1k ?? null,
        dataThrough,
      });
    }

    // Older versions still holding something while a newer one serves production: candidates of their own.
    if (production) {
      for (const old of versions.sorted!.filter((v) => compareVersions(v.version, production.version) < 0)) {
        const reason = superseded(db, model, old, production, aliasesOf(old.id), stageOf(old), monthSpend, spendWindow);
        if (!reason) continue;
        candidates.push({
          model: model.name,
          version: old.version,
          team,
          providers: [...new Set(monthSpend.tagged(`${model.name}@${old.version}`).map((r) => r.provider))].sort(),
          reasons: [reason.reason],
          monthlySaving: netSaving(reason.monthly, reason.currency),
          currency: reason.currency,
          monthlySpend: round(reason.monthly, 2),
          costPer1k: null,
          dataThrough,
        });
      }
    }
  }
  return candidates.sort(compareCandidates);
}

/** The version serving a model: the production alias holder, else the Production stage, else the latest (by version order). */
export function servingVersion(db: Database, model: string): string | null {
  const row = prepared(db, 'SELECT id FROM models WHERE name = ?').get(model) as { id: number } | undefined;
  if (!row) return null;
  const versions = versionRows(db, row.id);
  return productionVersion(versions, (id) => openAliases(db, id), (v) => storedStage(db, v))?.version ?? versions[versions.length - 1]?.version ?? null;
}

// ---------------------------------------------------------------------------------------------
// Store reads

function versionRows(db: Database, modelId: number): VersionRow[] {
  const rows = prepared(db, 'SELECT id, version, created_at, registry_json FROM model_versions WHERE model_id = ?').all(modelId) as {
    id: number;
    version: string;
    created_at: string;
    registry_json: string | null;
  }[];
  return rows
    .map((r) => ({ id: r.id, version: r.version, createdAt: r.created_at, registry: r.registry_json ? (JSON.parse(r.registry_json) as VersionRow['registry']) : null }))
    .sort((a, b) => compareVersions(a.version, b.version));
}

function spendRows(db: Database, from: string, to: string): SpendRow[] {
  return prepared(db, 
      `SELECT tag_model AS tag, tag_team AS team, provider, currency, SUM(effective_cost) AS cost
         FROM spend_daily WHERE day >= ? AND day <= ? AND tag_model != ''
        GROUP BY tag_model, tag_team, provider, currency`,
    )
    .all(from, to) as SpendRow[];
}

/**
 * Spend rows grouped by exact tag and by model (the tag's base), each group in the query's row order:
 * every model reads its own rows instead of filtering every model's.
 */
class SpendIndex {
  private readonly byTag = new Map<string, { row: SpendRow; index: number }[]>();
  private readonly byModel = new Map<string, SpendRow[]>();

  constructor(rows: readonly SpendRow[], baseOf: (tag: string) => string) {
    rows.forEach((row, index) => {
      const tagged = this.byTag.get(row.tag);
      if (tagged) tagged.push({ row, index });
      else this.byTag.set(row.tag, [{ row, index }]);
      const base = baseOf(row.tag);
      const own = this.byModel.get(base);
      if (own) own.push(row);
      else this.byModel.set(base, [row]);
    });
  }

  tagged(tag: string): SpendRow[] {
    return (this.byTag.get(tag) ?? []).map((e) => e.row);
  }

  /** Rows with any of the tags, in row order (as one filter over all rows would give them). */
  taggedAny(tags: readonly string[]): SpendRow[] {
    const entries = [...new Set(tags)].flatMap((tag) => this.byTag.get(tag) ?? []);
    return entries.sort((a, b) => a.index - b.index).map((e) => e.row);
  }

  ofModel(model: string): SpendRow[] {
    return this.byModel.get(model) ?? [];
  }
}

/** Spend per month in the currency with the most spend: currencies are never added together. */
function monthly(rows: readonly SpendRow[], days = SPEND_WINDOW_DAYS): { monthly: number; currency: string; total: number } {
  const byCurrency = new Map<string, number>();
  for (const r of rows) byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + r.cost);
  const [currency, total] = [...byCurrency].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? ['USD', 0];
  return { monthly: (total * DAYS_PER_MONTH) / days, currency, total };
}

function mainTeam(rows: readonly SpendRow[]): string | null {
  const byTeam = new Map<string, number>();
  for (const r of rows) if (r.team !== '') byTeam.set(r.team, (byTeam.get(r.team) ?? 0) + r.cost);
  return [...byTeam].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

/** Without tagged spend, the card's "team:<name>" tag says whose the model is. */
function cardTeam(facts: CardFacts | undefined): string | null {
  const tag = facts?.card.tags.find((t) => /^team[:=]/.test(t));
  return tag ? tag.slice(5).trim() || null : null;
}

/** Open alias placements: the registry's current aliases and those the sync history has not seen end. */
function openAliases(db: Database, versionId: number): string[] {
  const rows = prepared(db, 
      `SELECT alias FROM model_aliases WHERE model_version_id = ?
       UNION SELECT alias FROM alias_history WHERE model_version_id = ? AND ended_at IS NULL`,
    )
    .all(versionId, versionId) as { alias: string }[];
  return rows.map((r) => r.alias).sort();
}

/** The stage a version is in now: the registry's last word, else the open stage placement (one version; see candidateFacts for all). */
function storedStage(db: Database, v: VersionRow): string | null {
  if (v.registry?.currentStage) return v.registry.currentStage;
  const row = prepared(db, 'SELECT stage FROM stage_history WHERE model_version_id = ? AND ended_at IS NULL ORDER BY first_seen_at DESC LIMIT 1').get(v.id) as { stage: string } | undefined;
  return row?.stage ?? null;
}

const isProductionAlias = (alias: string) => (PRODUCTION_ALIASES as readonly string[]).includes(alias.toLowerCase());

/** The version serving production: the production alias holder (newest if several), else the newest version in the Production stage. */
function productionVersion(
  versions: readonly VersionRow[],
  aliasesOf: (versionId: number) => readonly string[],
  stageOf: (v: VersionRow) => string | null,
): (VersionRow & { by: string }) | null {
  for (const v of [...versions].reverse()) {
    const alias = aliasesOf(v.id).find(isProductionAlias);
    if (alias) return { ...v, by: `the "${alias}" alias` };
  }
  for (const v of [...versions].reverse()) {
    if (stageOf(v) === PRODUCTION_STAGE) return { ...v, by: `the ${PRODUCTION_STAGE} stage` };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Traffic

interface TrafficWindow {
  from: string;
  to: string;
  days: number;
  /** True when any model has usage rows in the window. */
  anyUsage: boolean;
  requests: Map<string, number>;
  /** Effective spend per model and currency over the same days. */
  spend: Map<string, Map<string, number>>;
  unitCost(model: string, currency: string): { costPer1k: number; requests: number; cost: number } | null;
}

function trafficWindow(db: Database, last: string, days: number, baseOf: (tag: string) => string): TrafficWindow {
  const from = addDays(last, -(days - 1));
  const requests = new Map<string, number>();
  for (const r of prepared(db, 'SELECT model, SUM(requests) AS requests FROM usage_daily WHERE day >= ? AND day <= ? GROUP BY model').all(from, last) as { model: string; requests: number }[]) {
    const base = baseOf(r.model);
    requests.set(base, (requests.get(base) ?? 0) + r.requests);
  }
  const spend = new Map<string, Map<string, number>>();
  for (const r of spendRows(db, from, last)) {
    const base = baseOf(r.tag);
    const byCurrency = spend.get(base) ?? new Map<string, number>();
    byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + r.cost);
    spend.set(base, byCurrency);
  }
  return {
    from,
    to: last,
    days,
    anyUsage: requests.size > 0,
    requests,
    spend,
    unitCost(model, currency) {
      const cost = spend.get(model)?.get(currency) ?? 0;
      const n = requests.get(model) ?? 0;
      return cost > 0 && n > 0 ? { costPer1k: (cost / n) * 1000, requests: n, cost } : null;
    },
  };
}

function windowText(w: { to: string; days: number }): string {
  return `in the ${w.days} days to ${w.to}, the last day of usage data`;
}

/** The currency a model spent most in over the window, and that spend. */
function mainSpend(w: TrafficWindow, model: string): { currency: string; cost: number } | null {
  const byCurrency = w.spend.get(model);
  if (!byCurrency) return null;
  const [currency, cost] = [...byCurrency].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
  return { currency, cost };
}

/**
 * Every model's cost per 1,000 predictions per currency, sorted once: the peers of a model are all
 * of them but itself, so its peer median is read from the sorted list with its own value left out.
 */
class PeerUnitCosts {
  private readonly sorted = new Map<string, number[]>();

  constructor(private readonly w: TrafficWindow) {}

  private costs(currency: string): number[] {
    let list = this.sorted.get(currency);
    if (!list) {
      list = [...this.w.spend.keys()].flatMap((m) => this.w.unitCost(m, currency)?.costPer1k ?? []).sort((a, b) => a - b);
      this.sorted.set(currency, list);
    }
    return list;
  }

  /** The peers' count and median (NaN for none); `own` is the model's own cost per 1,000, which is in the list. */
  excluding(currency: string, own: number): { count: number; median: number } {
    const all = this.costs(currency);
    // Any one copy of an equal value: the remaining values are the same either way.
    const skip = all.indexOf(own);
    const count = all.length - 1;
    const at = (k: number) => all[k < skip ? k : k + 1]!;
    const mid = Math.floor(count / 2);
    return { count, median: count === 0 ? NaN : count % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2 };
  }
}

function lowTrafficForCost(model: string, preferred: string, w: TrafficWindow, peerCosts: PeerUnitCosts, t: LifecycleThresholds): SunsetReason | null {
  const currency = w.spend.get(model)?.has(preferred) ? preferred : mainSpend(w, model)?.currency;
  if (!currency) return null;
  const own = w.unitCost(model, currency);
  if (!own) return null;
  if ((own.cost * DAYS_PER_MONTH) / w.days < t.minMonthlySpend) return null;
  // Peers: every other model with spend in the same currency and traffic over the same days.
  const { count: peerCount, median: peerMedian } = peerCosts.excluding(currency, own.costPer1k);
  if (peerCount < t.minPeers) return null;
  if (peerMedian <= 0) return null;
  const ratio = own.costPer1k / peerMedian;
  if (ratio < t.lowTrafficCostRatio) return null;
  return {
    code: 'low-traffic-for-cost',
    detail:
      `${unitMoney(own.costPer1k, currency)} per 1,000 predictions, ${ratio.toFixed(1)}× the peer median of ${unitMoney(peerMedian, currency)} ` +
      `across ${peerCount} other models (${money(own.cost, currency)} over ${formatCount(own.requests)} predictions ${windowText(w)}; the limit is ${t.lowTrafficCostRatio}×).`,
    figures: {
      costPer1k: round(own.costPer1k, 6),
      peerMedianPer1k: round(peerMedian, 6),
      ratio: round(ratio, 2),
      threshold: t.lowTrafficCostRatio,
      peers: peerCount,
      requests: own.requests,
      effectiveCost: round(own.cost, 2),
      currency,
      from: w.from,
      to: w.to,
    },
  };
}

function noTraffic(model: string, w: TrafficWindow, t: LifecycleThresholds): SunsetReason | null {
  if (!w.anyUsage) return null; // no usage data at all for these days: nothing to judge traffic by
  const requests = w.requests.get(model);
  if (requests !== undefined && requests > 0) return null;
  const spend = mainSpend(w, model);
  if (!spend) return null;
  const perMonth = (spend.cost * DAYS_PER_MONTH) / w.days;
  if (perMonth < t.minMonthlySpend) return null;
  const usage = requests === undefined ? 'no usage is recorded for it' : 'it served 0 requests';
  return {
    code: 'no-traffic',
    detail: `${money(spend.cost, spend.currency)} of effective spend (${money(perMonth, spend.currency)} a month) but ${usage} ${windowText(w)} (the limit is ${t.noTrafficDays} days without traffic).`,
    figures: {
      requests: requests ?? 0,
      effectiveCost: round(spend.cost, 2),
      monthlySpend: round(perMonth, 2),
      currency: spend.currency,
      noTrafficDays: t.noTrafficDays,
      from: w.from,
      to: w.to,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Registry

function superseded(
  db: Database,
  model: { id: number; name: string },
  old: VersionRow,
  production: VersionRow & { by: string },
  aliases: readonly string[],
  stage: string | null,
  monthSpend: SpendIndex,
  spendWindow: { from: string; to: string } | null,
): { reason: SunsetReason; monthly: number; currency: string } | null {
  const holds: string[] = [];
  if (aliases.length > 0) holds.push(`the alias${aliases.length > 1 ? 'es' : ''} ${aliases.map((a) => `"${a}"`).join(', ')}`);
  if (stage !== null && !INACTIVE_STAGES.has(stage)) holds.push(`the ${stage} stage`);
  const deployments = sunsetDependents(db, model.name, old.version).deployments;
  if (deployments.length > 0) holds.push(`${deployments.length} deployment${deployments.length > 1 ? 's' : ''} in lineage (${deployments.map((d) => d.label).join(', ')})`);
  if (holds.length === 0) return null;

  const tag = `${model.name}@${old.version}`;
  const spend = monthly(monthSpend.tagged(tag));
  const window = spendWindow ? ` (30 days to ${spendWindow.to})` : '';
  const cost =
    spend.total > 0
      ? `Spend tagged ${tag}: ${money(spend.monthly, spend.currency)} a month${window}.`
      : `Its spend is not separable by version (no spend is tagged ${tag}), so the saving shows ${money(0, spend.currency)}.`;
  return {
    monthly: spend.monthly,
    currency: spend.currency,
    reason: {
      code: 'superseded',
      detail: `v${production.version} holds ${production.by}, but v${old.version} still holds ${holds.join(' and ')}. ${cost}`,
      figures: {
        productionVersion: production.version,
        aliases: aliases.length > 0 ? aliases.join(', ') : null,
        stage,
        deployments: deployments.length,
        versionTaggedMonthlySpend: round(spend.monthly, 2),
        currency: spend.currency,
      },
    },
  };
}

/** `evaluatedAt`: the evaluated_at of every fairness evaluation of the model's versions. */
function staleReason(evaluatedAt: readonly (string | null)[], newest: ModelVersions['newest'], t: LifecycleThresholds, now: Date): SunsetReason | null {
  const versionAge = daysSince(newest.at, now);
  if (versionAge <= t.staleDays) return null;

  // An evaluation that states no date cannot show it is recent (the policy packs' default, too).
  const dated = evaluatedAt.filter((d): d is string => d !== null && !Number.isNaN(Date.parse(d)));
  const undated = evaluatedAt.length - dated.length;
  const lastEval = dated.reduce<string | null>((a, b) => (a === null || Date.parse(b) > Date.parse(a) ? b : a), null);
  const evalAge = lastEval ? daysSince(lastEval, now) : null;
  if (evalAge !== null && evalAge <= t.staleDays) return null;

  const evalText =
    lastEval !== null
      ? `the last fairness evaluation ran ${lastEval.slice(0, 10)} (${formatCount(evalAge!)} days ago)`
      : undated > 0
        ? `no dated fairness evaluation (${undated} evaluation${undated > 1 ? 's state' : ' states'} no date)`
        : 'no fairness evaluation at all';
  return {
    code: 'stale',
    detail: `No new version in ${formatCount(versionAge)} days (v${newest.version} was registered ${newest.at.slice(0, 10)}) and ${evalText}; the limit is ${formatCount(t.staleDays)} days.`,
    figures: {
      latestVersion: newest.version,
      latestVersionAt: newest.at.slice(0, 10),
      daysSinceVersion: versionAge,
      lastEvaluationAt: lastEval ? lastEval.slice(0, 10) : null,
      daysSinceEvaluation: evalAge,
      undatedEvaluations: undated,
      staleDays: t.staleDays,
    },
  };
}

/**
 * Expired evidence, failing fairness and failing policy, from the checklist of the serving version
 * under the active pack: the same judgement a release review makes, waivers included.
 */
function checklistReasons(evidence: ServingChecklist, pack: PolicyPack, version: string, now: Date): SunsetReason[] {
  const { checklist, snapshot } = evidence;
  const reasons: SunsetReason[] = [];
  const tierRules = pack.riskTiers[checklist.tier.id]?.rules ?? [];
  const policyName = `${pack.name} ${pack.version}`;

  const freshnessRule = tierRules.find((r): r is RuleOfKind<'evidence-freshness'> => r.kind === 'evidence-freshness');
  const freshness = checklist.rules.find((r) => r.kind === 'evidence-freshness');
  // Expired: evidence exists but none of it is recent enough. No evidence at all is missing, not expired.
  if (freshnessRule && freshness && (freshness.status === 'missing' || freshness.status === 'fail') && snapshot.fairness.evaluations.length > 0) {
    const dated = dateEvaluations(snapshot, freshnessRule);
    const withAge = dated.filter((d) => d.ageDays !== null);
    const youngest = withAge.reduce<(typeof withAge)[number] | null>((a, b) => (a === null || b.ageDays! < a.ageDays! ? b : a), null);
    const undated = dated.length - withAge.length;
    const parts: string[] = [];
    if (youngest) parts.push(`the newest dated one (${youngest.date!.slice(0, 10)}) is ${formatCount(youngest.ageDays!)} days old`);
    if (undated > 0) parts.push(`${undated} state${undated > 1 ? '' : 's'} no date, so ${undated > 1 ? 'they' : 'it'} cannot show ${undated > 1 ? 'they are' : 'it is'} recent`);
    reasons.push({
      code: 'expired-evidence',
      detail:
        `${dated.length} fairness evaluation${dated.length > 1 ? 's' : ''} of v${version}, none within the ${freshnessRule.maxAgeDays}-day limit of rule ` +
        `${freshnessRule.id} (${policyName}, tier ${checklist.tier.id}) on ${now.toISOString().slice(0, 10)}: ${parts.join('; ')}.`,
      figures: {
        rule: freshnessRule.id,
        maxAgeDays: freshnessRule.maxAgeDays,
        evaluations: dated.length,
        newestAgeDays: youngest?.ageDays ?? null,
        newestEvaluatedAt: youngest?.date?.slice(0, 10) ?? null,
        undated,
        asOf: now.toISOString().slice(0, 10),
      },
    });
  }

  // 'fail' only: evidence that contradicts a rule. 'missing' is work not done, and approvals never fail.
  const failing = checklist.rules.filter((r) => r.status === 'fail' && r.kind !== 'approvals' && r.kind !== 'evidence-freshness');
  const fairness = failing.filter((r) => r.kind === 'fairness');
  if (fairness.length > 0) {
    reasons.push({
      code: 'failing-fairness',
      detail: `v${version} fails ${fairness.map((r) => `rule ${r.id} (${r.title})`).join(', ')} of ${policyName}: ${fairness.map((r) => r.reason).join(' ')}`,
      figures: { rules: fairness.map((r) => r.id).join(', '), tier: checklist.tier.id, policy: policyName },
    });
  }
  const policy = failing.filter((r) => r.kind !== 'fairness');
  if (policy.length > 0) {
    reasons.push({
      code: 'failing-policy',
      detail: `v${version} fails ${policy.length} rule${policy.length > 1 ? 's' : ''} of ${policyName} (tier ${checklist.tier.id}): ${policy.map((r) => `${r.id}: ${r.reason}`).join(' ')}`,
      figures: { rules: policy.map((r) => r.id).join(', '), failing: policy.length, tier: checklist.tier.id, policy: policyName },
    });
  }
  return reasons;
}

/** The serving version's card names nobody (or there is no card): nobody answers for the model. */
function noOwner(facts: CardFacts | undefined, row: VersionRow, version: string): SunsetReason | null {
  const detail = { card: facts?.card ?? null, registry: row.registry };
  const owners = (detail.card?.owners ?? []).filter((o) => o.name.trim() !== '' || (o.contact ?? '').trim() !== '');
  if (owners.length > 0) return null;
  const registeredBy = detail.registry?.userId ? ` (MLflow says ${detail.registry.userId} registered it)` : '';
  return {
    code: 'no-owner',
    detail: detail.card
      ? `The model card of v${version} names 0 owners${registeredBy}.`
      : `No model card is imported for v${version}, so 0 owners are recorded${registeredBy}.`,
    figures: { owners: 0, card: detail.card ? detail.card.format : null, registeredBy: detail.registry?.userId ?? null },
  };
}
