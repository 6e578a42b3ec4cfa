import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runDocket } from '../../support/runDocket';
import { generateRegistry, startMlflowServer, type MlflowTestServer } from '../../support/mlflowServer';

let dir: string;
let db: string;
let server: MlflowTestServer;
const TOKEN = 'dapi-secret-token-1234';
const at = (iso: string) => () => new Date(iso);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-mlflow-'));
  db = join(dir, 'w.db');
  server = await startMlflowServer({ token: TOKEN, maxPageSize: 2, registry: generateRegistry({ models: 5, versionsPerModel: 3 }) });
  process.env.DOCKET_TEST_MLFLOW_TOKEN = TOKEN;
});
afterEach(async () => {
  await server.close();
  delete process.env.DOCKET_TEST_MLFLOW_TOKEN;
  rmSync(dir, { recursive: true, force: true });
});

const sync = (clock: () => Date) => runDocket(['--db', db, '--json', 'sync', 'mlflow', '--url', server.url, '--token-env', 'DOCKET_TEST_MLFLOW_TOKEN'], clock);
const counts = async () => ((await runDocket(['--db', db, '--json', 'db', 'info'])).json() as { counts: Record<string, number> }).counts;

describe('docket sync mlflow', () => {
  it('syncs every model and version across pages, then finds nothing changed', async () => {
    const first = await sync(at('2026-11-01T10:00:00Z'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ models: 5, versions: 15, modelsAdded: 5, versionsAdded: 15 });
    // maxPageSize 2: five models take three pages.
    expect(server.requestsTo('registered-models/search').length).toBeGreaterThanOrEqual(3);
    // The same server written with its API suffix is the same source, not a second one.
    const second = await runDocket(
      ['--db', db, '--json', 'sync', 'mlflow', '--url', `${server.url}/api/2.0/mlflow/`, '--token-env', 'DOCKET_TEST_MLFLOW_TOKEN'],
      at('2026-11-02T10:00:00Z'),
    );
    expect(second.json()).toMatchObject({ url: server.url, modelsAdded: 0, versionsAdded: 0, changed: 0, unchanged: 5, events: 0 });
    const raw = new Database(db, { readonly: true });
    expect(raw.prepare("SELECT count(*) n FROM sources WHERE kind = 'mlflow'").get()).toEqual({ n: 1 });
    raw.close();
  });

  it('records an alias move between two syncs and answers which version held it at a date', async () => {
    await sync(at('2026-11-01T10:00:00Z'));
    const name = server.registry.models[0]!.name;
    server.setAlias(name, 'champion', '1');
    await sync(at('2026-11-10T10:00:00Z'));

    const before = (await runDocket(['--db', db, '--json', 'models', 'history', name, '--at', '2026-11-05T00:00:00Z'])).json() as {
      at: { held: { kind: string; name: string; version: string; certainty: string }[] };
    };
    const championBefore = before.at.held.find((h) => h.kind === 'alias' && h.name === 'champion');
    expect(championBefore).toMatchObject({ version: '3', certainty: 'uncertain' });
    const after = (await runDocket(['--db', db, '--json', 'models', 'history', name, '--at', '2026-11-10T10:00:00Z'])).json() as {
      at: { held: { kind: string; name: string; version: string; certainty: string }[] };
    };
    expect(after.at.held.find((h) => h.kind === 'alias' && h.name === 'champion')).toMatchObject({ version: '1', certainty: 'observed' });
    const atFirstSync = (await runDocket(['--db', db, '--json', 'models', 'history', name, '--at', '2026-11-01T10:00:00Z'])).json() as {
      at: { held: { name: string; version: string; certainty: string }[] };
    };
    expect(atFirstSync.at.held.find((h) => h.name === 'champion')).toMatchObject({ version: '3', certainty: 'observed' });
  });

  it('records tag and description changes as dated events', async () => {
    await sync(at('2026-11-01T10:00:00Z'));
    const name = server.registry.models[1]!.name;
    server.setTag(name, 'review', 'approved', '2');
    await sync(at('2026-11-03T10:00:00Z'));
    const history = (await runDocket(['--db', db, '--json', 'models', 'history', name])).json() as { events: { at: string; kind: string; key: string; new: string; version: string }[] };
    expect(history.events).toContainEqual(expect.objectContaining({ at: '2026-11-03T10:00:00.000Z', kind: 'tag.set', key: 'review', new: 'approved', version: '2' }));
  });

  it.each([
    ['401', { status: 401, body: { error_code: 'UNAUTHENTICATED', message: 'bad token' } }, /refused the token/],
    ['500', { status: 500, times: Infinity }, /500/],
    ['malformed JSON', { malformedJson: true as const, times: Infinity }, /invalid JSON/],
  ])('a %s ends the run with a clear message and leaves the store as it was', async (_label, fault, message) => {
    await sync(at('2026-11-01T10:00:00Z'));
    const before = await counts();
    server.setAlias(server.registry.models[0]!.name, 'champion', '1');
    server.inject('model-versions/search', fault);
    const failed = await runDocket(['--db', db, 'sync', 'mlflow', '--url', server.url, '--token-env', 'DOCKET_TEST_MLFLOW_TOKEN'], at('2026-11-02T10:00:00Z'));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(message);
    expect(failed.stderr).toContain('nothing was changed');
    const after = await counts();
    expect({ ...after, sync_runs: 0, audit_log: 0 }).toEqual({ ...before, sync_runs: 0, audit_log: 0 });
    expect(after.sync_runs).toBe(before.sync_runs! + 1); // the failed run itself is on record
  }, 30_000);

  it('never writes the token to the database file', async () => {
    await sync(at('2026-11-01T10:00:00Z'));
    server.inject('registered-models/search', { status: 401, body: { error_code: 'UNAUTHENTICATED', message: `token ${TOKEN} rejected` } });
    await sync(at('2026-11-02T10:00:00Z'));
    for (const file of [db, `${db}-wal`]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    }
  });
});
