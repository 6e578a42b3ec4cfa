import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../../shared/ipc/dispatch';
import { createCoreHandlers } from '../../../electron/core/handlers';
import { dueSources, runDueSyncs } from '../../../electron/core/mlflow/schedule';
import { syncMlflow } from '../../../electron/core/mlflow/syncMlflow';
import { generateRegistry, startMlflowServer, type MlflowTestServer } from '../../support/mlflowServer';
import { tempStore } from '../../support/tempStore';
import { resolve } from 'node:path';

let server: MlflowTestServer;
let t: ReturnType<typeof tempStore>;
beforeEach(async () => {
  server = await startMlflowServer({ token: 'tok-123456', registry: generateRegistry({ models: 2, versionsPerModel: 2 }) });
  t = tempStore();
});
afterEach(async () => {
  await server.close();
  t.cleanup();
});

const clockAt = (iso: string) => () => new Date(iso);

describe('scheduled syncs', () => {
  it('is due after its interval, not before; a failure waits a full interval too', async () => {
    await syncMlflow(t.store, { url: server.url, token: 'tok-123456', actor: 'a', clock: clockAt('2026-11-01T10:00:00Z') });
    const url = t.store.db.prepare('SELECT uri FROM sources').pluck().get() as string;
    let now = new Date('2026-11-01T10:30:00Z');
    const handlers = createCoreHandlers({ store: t.store, resourcesDir: resolve('resources'), actor: 'a', clock: () => now, emit: () => undefined }) as unknown as Handlers;
    expect(await dispatch(handlers, 'sources/schedule', { url, everyMinutes: 2 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(handlers, 'sources/schedule', { url, everyMinutes: 60 })).toEqual({ ok: true, value: { url, everyMinutes: 60 } });
    expect(dueSources(t.store.db, now)).toEqual([]);
    now = new Date('2026-11-01T11:00:00Z');
    expect(dueSources(t.store.db, now)).toEqual([url]);

    // Due, but the token is missing from the environment: the run fails, is recorded, and waits an hour.
    const failed = await runDueSyncs(t.store, { actor: 'scheduler', clock: () => now, env: {} });
    expect(failed).toEqual([{ url, ok: false, message: expect.stringMatching(/MLFLOW_TRACKING_TOKEN/) }]);
    expect(dueSources(t.store.db, new Date('2026-11-01T11:30:00Z'))).toEqual([]);

    now = new Date('2026-11-01T12:01:00Z');
    const ok = await runDueSyncs(t.store, { actor: 'scheduler', clock: () => now, env: { MLFLOW_TRACKING_TOKEN: 'tok-123456' } });
    expect(ok).toEqual([{ url, ok: true, message: expect.stringContaining('synced') }]);
    const audit = t.store.db.prepare("SELECT action FROM audit_log WHERE action = 'source.schedule'").all();
    expect(audit).toHaveLength(1);
  });
});
