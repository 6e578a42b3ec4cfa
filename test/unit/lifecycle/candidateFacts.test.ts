import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCards, loadRegistryFacts } from '../../../electron/core/lifecycle/candidateFacts';
import { servingChecklists } from '../../../electron/core/lifecycle/checklistBulk';
import { compareVersions } from '../../../electron/core/models/versionOrder';
import { activePolicy } from '../../../electron/core/reviews/activePolicy';
import { reviewEvidence, versionRef } from '../../../electron/core/reviews/reviewEvidence';
import type { Store } from '../../../electron/core/store/openStore';
import { tempStore } from '../../support/tempStore';
import { addAlias, addFairness, addModel, addSpend, clock, lineageNode, NOW, RESOURCES, usePack } from './lifecycleFixture';

/**
 * The bulk loaders behind sunset candidates answer what the per-model and per-version reads they
 * replace answered: the same aliases, stages, latest and newest versions, and, for every version, the
 * same checklist and evidence snapshot as a release review (reviewEvidence) would judge.
 */

let ctx: ReturnType<typeof tempStore>;
let store: Store;

beforeEach(() => {
  ctx = tempStore();
  store = ctx.store;
  usePack(store, ctx.dir);
});
afterEach(() => ctx.cleanup());

function openStage(versionId: number, stage: string, firstSeenAt: string, endedAt: string | null = null): void {
  const run = Number(store.db.prepare("INSERT INTO sync_runs (kind, started_at, status) VALUES ('mlflow', ?, 'ok')").run(NOW).lastInsertRowid);
  store.db
    .prepare('INSERT INTO stage_history (model_version_id, stage, first_seen_at, first_seen_run, last_seen_at, last_seen_run, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(versionId, stage, firstSeenAt, run, firstSeenAt, run, endedAt);
}

/** A workspace with one of each shape the loaders must tell apart. */
function varied(): void {
  // Version order is numeric ("10" after "9"); the newest by time is not the latest by order.
  addModel(store, 'plain', '9', { createdAt: '2026-11-20T00:00:00.000Z' });
  addModel(store, 'plain', '10', { createdAt: '2026-11-01T00:00:00.000Z' });
  addModel(store, 'plain', '2', { createdAt: '2026-11-20T00:00:00.000Z' }); // ties with 9: 2 comes first in version order
  // An alias current and open in the history at once (counted once), another on an older version.
  addModel(store, 'aliased', '1');
  addModel(store, 'aliased', '2');
  addModel(store, 'aliased', '3');
  addAlias(store, 'aliased', 'champion', '2');
  addAlias(store, 'aliased', 'shadow', '1');
  addAlias(store, 'aliased', 'canary', '1');
  addSpend(store, 'aliased@1', '2026-03-02', '2026-03-31', 300);
  addSpend(store, 'aliased', '2026-03-02', '2026-03-31', 600);
  // A stage from the registry, and open stage placements where the registry says nothing.
  addModel(store, 'staged', '1', { stage: 'Production' });
  const s2 = addModel(store, 'staged', '2');
  openStage(s2, 'Staging', '2026-10-01T00:00:00.000Z');
  openStage(s2, 'Production', '2026-11-01T00:00:00.000Z'); // the newer open placement wins
  openStage(s2, 'Archived', '2026-11-10T00:00:00.000Z', '2026-11-11T00:00:00.000Z'); // ended: not open
  // No card, a card lacking a required section, no owners.
  addModel(store, 'no-card', '1', { owners: null });
  addModel(store, 'thin-card', '1', { withoutSections: ['intendedUse'], owners: [] });
  // Evidence the bulk path leaves to reviewEvidence: fairness evaluations, a lineage node.
  addModel(store, 'evaluated', '1');
  addFairness(store, ctx.dir, 'evaluated', '1', '2026-01-01T00:00:00Z', 0.2);
  addModel(store, 'traced', '1');
  lineageNode(store, 'model:traced@1', 'model_version', 'traced v1');
}

describe('loadRegistryFacts', () => {
  it('gives each version the open aliases and stage the per-version queries give', () => {
    varied();
    const facts = loadRegistryFacts(store.db);
    const versions = store.db.prepare('SELECT id FROM model_versions').all() as { id: number }[];
    for (const { id } of versions) {
      const aliases = (
        store.db
          .prepare('SELECT alias FROM model_aliases WHERE model_version_id = ? UNION SELECT alias FROM alias_history WHERE model_version_id = ? AND ended_at IS NULL')
          .all(id, id) as { alias: string }[]
      )
        .map((r) => r.alias)
        .sort();
      expect(facts.aliases.get(id) ?? []).toEqual(aliases);
      const stage = store.db.prepare('SELECT stage FROM stage_history WHERE model_version_id = ? AND ended_at IS NULL ORDER BY first_seen_at DESC LIMIT 1').get(id) as { stage: string } | undefined;
      expect(facts.openStage.get(id)).toBe(stage?.stage);
    }
    const versionId = (name: string, version: string) =>
      (store.db.prepare('SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ? AND v.version = ?').get(name, version) as { id: number }).id;
    expect(facts.aliases.get(versionId('aliased', '1'))).toEqual(['canary', 'shadow']);
    expect(facts.openStage.get(versionId('staged', '2'))).toBe('Production');
  });

  it('finds the latest version by version order and the newest by registration time', () => {
    varied();
    const facts = loadRegistryFacts(store.db);
    const id = (name: string) => (store.db.prepare('SELECT id FROM models WHERE name = ?').get(name) as { id: number }).id;
    const plain = facts.versionsByModel.get(id('plain'))!;
    expect(plain.latest.version).toBe('10');
    expect(plain.newest).toEqual({ version: '2', at: '2026-11-20T00:00:00.000Z' });
    expect(plain.sorted).toBeNull(); // nothing holds an alias or a stage: no production to look for
    const aliased = facts.versionsByModel.get(id('aliased'))!;
    expect(aliased.sorted?.map((v) => v.version)).toEqual(['1', '2', '3']);
    expect(facts.versionsByModel.get(id('staged'))!.sorted?.map((v) => v.version)).toEqual(['1', '2']);
  });
});

describe('servingChecklists', () => {
  it('judges every version as reviewEvidence does: the same checklist and the same snapshot', () => {
    varied();
    const pack = activePolicy(store, RESOURCES).pack;
    const now = clock();
    const facts = loadRegistryFacts(store.db);
    const models = store.db.prepare('SELECT id, name FROM models').all() as { id: number; name: string }[];
    const all = models.flatMap((m) => {
      const v = facts.versionsByModel.get(m.id)!;
      return (v.sorted ?? [v.latest]).map((row) => ({ model: m.name, row }));
    });
    const cards = loadCards(store.db, all.map((a) => a.row.id));
    const judge = servingChecklists(store, pack, now);
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const { model, row } of all) {
      const bulk = judge(model, row, cards.get(row.id));
      const single = reviewEvidence(store, pack, versionRef(store.db, model, row.version), null, now);
      expect(bulk.snapshot, `${model}@${row.version}`).toEqual(single.snapshot);
      expect(bulk.checklist, `${model}@${row.version}`).toEqual(single.checklist);
    }
    // The fixtures do reach the card, cost and missing-card paths.
    const tiers = all.map(({ model, row }) => judge(model, row, cards.get(row.id)).snapshot);
    expect(tiers.some((s) => s.card === null)).toBe(true);
    expect(tiers.some((s) => s.cost.window !== null)).toBe(true);
  });

  it('reads only the cards asked for', () => {
    varied();
    const ids = (store.db.prepare('SELECT id, version FROM model_versions').all() as { id: number; version: string }[]).sort((a, b) => compareVersions(a.version, b.version));
    const cards = loadCards(store.db, [ids[0]!.id]);
    expect([...cards.keys()]).toEqual([ids[0]!.id]);
  });
});
