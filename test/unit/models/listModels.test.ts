import { afterEach, describe, expect, it } from 'vitest';
import { listModels } from '../../../electron/core/models/modelQueries';
import { startRun } from '../../../electron/core/store/syncRuns';
import { tempStore } from '../../support/tempStore';

/**
 * The inventory list: one row per model, its latest version by version order (not by text or by
 * arrival), that version's card summary, its version count and its last update across versions.
 */
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function seed() {
  const t = tempStore();
  cleanup = t.cleanup;
  const db = t.store.db;
  const run = startRun(db, 'cards', '2026-01-01T00:00:00Z', ['seed']);
  const model = db.prepare('INSERT INTO models (name, created_at, updated_at) VALUES (?, ?, ?)');
  const version = db.prepare('INSERT INTO model_versions (model_id, version, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const card = db.prepare(
    "INSERT INTO model_cards (model_version_id, format, canonical_json, summary_json, source_path, source_sha256, raw, imported_at, sync_run_id) VALUES (?, 'mct', '{}', ?, 'x', 'x', x'00', '2026-01-01', ?)",
  );
  const summary = (license: string) => JSON.stringify({ license, owners: ['Ana'], tags: ['t'], completeness: { present: [], empty: [], missing: ['uses'], ratio: 0.5 } });
  const beta = Number(model.run('beta', 'x', 'x').lastInsertRowid);
  const alpha = Number(model.run('alpha', 'x', 'x').lastInsertRowid);
  // alpha: "10" is the latest (not "9" as text would have it); the newest update is on version "2".
  for (const [v, updated] of [['9', '2026-01-03'], ['10', '2026-01-02'], ['2', '2026-01-09']] as const) {
    const id = Number(version.run(alpha, v, 'x', updated).lastInsertRowid);
    card.run(id, summary(`license-${v}`), run);
  }
  // beta: its latest version has no card.
  card.run(Number(version.run(beta, '1.0.0', 'x', '2026-01-01').lastInsertRowid), summary('MIT'), run);
  version.run(beta, '1.1.0', 'x', '2026-01-02');
  return db;
}

describe('listModels', () => {
  it('picks the latest version by version order, with its card and every version counted', () => {
    const list = listModels(seed());
    expect(list.map((m) => m.name)).toEqual(['alpha', 'beta']);
    expect(list[0]).toMatchObject({ latestVersion: '10', versionCount: 3, license: 'license-10', owners: ['Ana'], updatedAt: '2026-01-09' });
    expect(list[1]).toMatchObject({ latestVersion: '1.1.0', versionCount: 2, license: null, owners: [], completeness: { ratio: 0 } });
  });
});
