import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncMlflow } from '../../../electron/core/mlflow/syncMlflow';
import { JUDGEMENT_INPUT_READS, MODEL_LIST_READS } from '../../../electron/core/policy/keptReads';
import { storeRevision } from '../../../electron/core/policy/revisionCache';
import { generateRegistry, startMlflowServer, type MlflowTestServer } from '../../support/mlflowServer';
import { tempStore } from '../../support/tempStore';

/**
 * A scheduled MLflow sync that finds nothing changed must leave the engine's kept answers kept: it
 * writes only its run record, the source and an audit entry, none of which the model list or the
 * sunset judgement reads. Run on the engine's own connection, as the app's scheduler runs it.
 */
let ctx: ReturnType<typeof tempStore>;
let server: MlflowTestServer;

beforeEach(async () => {
  ctx = tempStore();
  server = await startMlflowServer({ registry: generateRegistry({ models: 4, versionsPerModel: 2 }) });
});
afterEach(async () => {
  await server.close();
  ctx.cleanup();
});

describe('an MLflow sync and the kept answers', () => {
  it('that finds nothing changed moves no revision the model list or the judgement reads; one that finds a change does', async () => {
    const db = ctx.store.db;
    const sync = (iso: string) => syncMlflow(ctx.store, { url: server.url, actor: 'scheduler', clock: () => new Date(iso) });
    const revisions = () => ({ models: storeRevision(db, MODEL_LIST_READS), inputs: storeRevision(db, JUDGEMENT_INPUT_READS) });

    expect((await sync('2026-11-01T10:00:00Z')).modelsAdded).toBe(4);
    const before = revisions();
    const same = await sync('2026-11-01T10:15:00Z');
    expect(same).toMatchObject({ changed: 0, unchanged: 4, events: 0 });
    // The run was recorded (a row and its outcome) and audited, and yet:
    expect(db.prepare("SELECT count(*) FROM sync_runs WHERE kind = 'mlflow'").pluck().get()).toBe(2);
    expect(revisions()).toEqual(before);

    server.setAlias(server.registry.models[0]!.name, 'champion', '1');
    expect((await sync('2026-11-01T10:30:00Z')).changed).toBe(1);
    const after = revisions();
    expect(after.models).not.toBe(before.models);
    expect(after.inputs).not.toBe(before.inputs);
  });
});
