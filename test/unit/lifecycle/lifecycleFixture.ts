import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SECTION_KEYS } from '../../../shared/domain/sections';
import { importFairness } from '../../../electron/core/fairness/importFairness';
import { importUserPolicyPack } from '../../../electron/core/reviews/activePolicy';
import type { Store } from '../../../electron/core/store/openStore';
import { fixedClock } from '../../support/tempStore';

/**
 * Small synthetic workspaces for the lifecycle tests: rows written straight into the store, so each
 * test sets up exactly the facts that make one reason and none of the others.
 *
 * "Now" is 2026-11-26. A healthy model, as added by addModel() with its defaults, has a card with an
 * owner and every section, a version registered 10 days ago, no fairness evidence (which the test pack
 * below does not demand), and no spend or usage: it is no candidate at all.
 */

export const NOW = '2026-11-26T09:00:00.000Z';
export const clock = fixedClock(NOW);
export const RESOURCES = resolve('resources');

/**
 * The test pack: one tier with a card rule, a freshness rule, a fairness rule and a cost ceiling
 * high enough never to trip by accident; lifecycle thresholds at their documented defaults.
 */
export const LIFECYCLE_TEST_PACK = `
name: Lifecycle test pack
version: "1"
tiering: { tagKeys: [risk-tier], default: high }
riskTiers:
  high:
    title: High
    rules:
      - id: high.card-sections
        kind: card-sections
        title: Card states the intended use
        controls: [DKT-DOC-01]
        sections: [intendedUse]
      - id: high.evidence-freshness
        kind: evidence-freshness
        title: Fairness evidence from the last 180 days
        controls: [DKT-EVID-01]
        maxAgeDays: 180
      - id: high.fairness
        kind: fairness
        title: Group disparities within thresholds
        controls: [DKT-FAIR-01]
        minGroupCount: 30
        minGroupShare: 0.02
        thresholds:
          - measure: disparate_impact_ratio
            comparison: ">="
            bound: 0.8
            basis: four-fifths rule, as an organisational screen
      - id: high.cost
        kind: cost
        title: Monthly spend within budget
        controls: [DKT-COST-01]
        currency: USD
        maxMonthlyEffectiveSpend: 100000
lifecycle:
  lowTrafficCostRatio: 3
  minPeers: 3
  trafficWindowDays: 30
  noTrafficDays: 30
  staleDays: 365
  minMonthlySpend: 1
`;

export function usePack(store: Store, dir: string, text = LIFECYCLE_TEST_PACK): void {
  const path = join(dir, `pack-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text);
  importUserPolicyPack(store, path, { resourcesDir: RESOURCES, actor: 'test', at: NOW });
}

function syncRun(store: Store): number {
  return Number(store.db.prepare("INSERT INTO sync_runs (kind, started_at, status) VALUES ('cards', ?, 'ok')").run(NOW).lastInsertRowid);
}

export interface ModelSpec {
  /** Card owners' names; [] for a card without owners; null for no card at all. */
  owners?: string[] | null;
  /** When the version was registered (MLflow createdAt); default 10 days before NOW. */
  createdAt?: string;
  /** MLflow stage, kept in registry_json.currentStage. */
  stage?: string | null;
  /** Card sections left out (the test pack requires intendedUse). */
  withoutSections?: string[];
}

/** Adds a model version with a card; returns the version's row id. */
export function addModel(store: Store, name: string, version: string, spec: ModelSpec = {}): number {
  const db = store.db;
  const createdAt = spec.createdAt ?? '2026-11-16T00:00:00.000Z';
  let model = db.prepare('SELECT id FROM models WHERE name = ?').get(name) as { id: number } | undefined;
  if (!model) model = { id: Number(db.prepare('INSERT INTO models (name, created_at, updated_at) VALUES (?, ?, ?)').run(name, NOW, NOW).lastInsertRowid) };
  const registry = { version, status: 'READY', currentStage: spec.stage ?? null, createdAt: Date.parse(createdAt), userId: 'registrar@example', tags: [] };
  const versionId = Number(
    db.prepare('INSERT INTO model_versions (model_id, version, created_at, updated_at, registry_json) VALUES (?, ?, ?, ?, ?)').run(model.id, version, NOW, NOW, JSON.stringify(registry)).lastInsertRowid,
  );
  const owners = spec.owners === undefined ? ['Ada Lovelace'] : spec.owners;
  if (owners !== null) {
    const sections = Object.fromEntries(SECTION_KEYS.map((k) => [k, spec.withoutSections?.includes(k) ? null : `The ${k} section.`]));
    const present = SECTION_KEYS.filter((k) => !spec.withoutSections?.includes(k));
    const card = { format: 'huggingface', modelName: name, version, summary: null, license: null, owners: owners.map((n) => ({ name: n })), tags: ['team:test-team'], datasets: [], sections, metrics: [] };
    const summary = { license: null, owners, tags: card.tags, completeness: { present, empty: [], missing: SECTION_KEYS.filter((k) => !present.includes(k)), ratio: present.length / SECTION_KEYS.length } };
    db.prepare(
      'INSERT INTO model_cards (model_version_id, format, canonical_json, summary_json, source_path, source_sha256, raw, imported_at, sync_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(versionId, 'huggingface', JSON.stringify(card), JSON.stringify(summary), `${name}-${version}.md`, '0'.repeat(64), Buffer.from('card'), NOW, syncRun(store));
  }
  return versionId;
}

/** Spreads `total` evenly over the days from..to (inclusive) as spend tagged with `tag`. */
export function addSpend(store: Store, tag: string, from: string, to: string, total: number, options: { currency?: string; team?: string; provider?: string } = {}): void {
  const days = dayRange(from, to);
  const insert = store.db.prepare(
    `INSERT INTO spend_daily (day, provider, service_name, sub_account_id, tag_team, tag_model, currency, billed_cost, effective_cost, list_cost, line_items)
     VALUES (?, ?, 'Amazon SageMaker', '', ?, ?, ?, ?, ?, ?, 1)`,
  );
  for (const day of days) insert.run(day, options.provider ?? 'AWS', options.team ?? '', tag, options.currency ?? 'USD', total / days.length, total / days.length, total / days.length);
}

/** Spreads `total` requests evenly over the days (the remainder on the last day). */
export function addUsage(store: Store, model: string, from: string, to: string, total: number): void {
  const days = dayRange(from, to);
  const run = Number(store.db.prepare("INSERT INTO sync_runs (kind, started_at, status) VALUES ('usage', ?, 'ok')").run(NOW).lastInsertRowid);
  const insert = store.db.prepare('INSERT INTO usage_daily (model, day, requests, source_sha256, sync_run_id) VALUES (?, ?, ?, ?, ?)');
  const each = Math.floor(total / days.length);
  days.forEach((day, i) => insert.run(model, day, i === days.length - 1 ? total - each * (days.length - 1) : each, '0'.repeat(64), run));
}

export function dayRange(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * Imports a confusion-count evaluation for a version and dates it. Group "a" is selected at 0.5 and
 * group "b" at `selectedB`, so the disparate impact ratio is selectedB / 0.5.
 */
export function addFairness(store: Store, dir: string, name: string, version: string, evaluatedAt: string | null, selectedB = 0.45): void {
  // 1,000 people per group: a selects tp+fp = 500; b selects 1000 x selectedB.
  const bSelected = Math.round(1000 * selectedB);
  const tp = Math.round(bSelected * 0.8);
  const tn = Math.round((1000 - bSelected) * 0.8);
  const csv = `sex,tp,fp,tn,fn\na,400,100,400,100\nb,${tp},${bSelected - tp},${tn},${1000 - bSelected - tn}\n`;
  const path = join(dir, `${name}-${version}-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, csv);
  const result = importFairness(store, [path], { target: { name, version }, actor: 'test', clock });
  if (result.rejected.length > 0) throw new Error(JSON.stringify(result.rejected));
  // CSV files state no date: set it where the store keeps it (the column and the parsed evaluation).
  store.db
    .prepare("UPDATE fairness_evaluations SET evaluated_at = @at, evaluation_json = json_set(evaluation_json, '$.evaluatedAt', @at) WHERE id = (SELECT max(id) FROM fairness_evaluations)")
    .run({ at: evaluatedAt });
}

/** Opens an alias placement (open: ended_at NULL), as a registry sync records it, and the current alias. */
export function addAlias(store: Store, model: string, alias: string, version: string): void {
  const ids = store.db.prepare('SELECT m.id AS modelId, v.id AS versionId FROM models m JOIN model_versions v ON v.model_id = m.id WHERE m.name = ? AND v.version = ?').get(model, version) as { modelId: number; versionId: number };
  const run = Number(store.db.prepare("INSERT INTO sync_runs (kind, started_at, status) VALUES ('mlflow', ?, 'ok')").run(NOW).lastInsertRowid);
  store.db.prepare('INSERT OR REPLACE INTO model_aliases (model_id, alias, model_version_id) VALUES (?, ?, ?)').run(ids.modelId, alias, ids.versionId);
  store.db
    .prepare('INSERT INTO alias_history (model_id, alias, model_version_id, first_seen_at, first_seen_run, last_seen_at, last_seen_run) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(ids.modelId, alias, ids.versionId, NOW, run, NOW, run);
}

/** A lineage node, created if missing; returns its id. */
export function lineageNode(store: Store, key: string, kind: string, label: string): number {
  store.db.prepare('INSERT INTO lineage_nodes (key, kind, label) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING').run(key, kind, label);
  return (store.db.prepare('SELECT id FROM lineage_nodes WHERE key = ?').get(key) as { id: number }).id;
}

export function lineageEdge(store: Store, from: string, to: string, kind: string): void {
  const id = (key: string) => (store.db.prepare('SELECT id FROM lineage_nodes WHERE key = ?').get(key) as { id: number }).id;
  store.db.prepare('INSERT OR IGNORE INTO lineage_edges (from_id, to_id, kind) VALUES (?, ?, ?)').run(id(from), id(to), kind);
}
