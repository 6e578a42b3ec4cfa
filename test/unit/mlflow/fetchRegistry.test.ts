import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchRegistry, nameFilter, type FetchRegistryOptions, type FetchRegistryProgress } from '../../../electron/core/mlflow/fetchRegistry';
import { MlflowClient, MlflowError, normaliseMlflowUrl, parseRetryAfter } from '../../../electron/core/mlflow/mlflowClient';
import { searchRegisteredModelsSchema } from '../../../electron/core/mlflow/mlflowSchemas';
import { generateRegistry, parseNameFilter, startMlflowServer, type MlflowTestServer } from '../../support/mlflowServer';

const TOKEN = 'dapi-secret-token-0123456789';
const fastRetry = { backoffMs: 1, maxBackoffMs: 5, maxRetryAfterMs: 20 };

let server: MlflowTestServer;

beforeEach(async () => {
  server = await startMlflowServer({ token: TOKEN });
});
afterEach(async () => {
  await server.close();
});

function options(extra: Partial<FetchRegistryOptions> = {}): FetchRegistryOptions {
  return { url: server.url, token: TOKEN, retry: fastRetry, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<MlflowError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MlflowError);
    return error as MlflowError;
  }
  throw new Error('expected the fetch to fail');
}

function decodeToken(token: string): unknown {
  return JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
}

/** A small registry with runs, dataset inputs, aliases and tags. */
function seedFraud(): void {
  server.addModel('fraud', { description: 'Card fraud scorer', tags: [{ key: 'owner', value: 'risk-team' }] });
  for (const n of [1, 2, 3]) {
    const runId = `run-fraud-${n}`;
    server.addVersion('fraud', { run_id: runId, user_id: 'ana@example.com', tags: [{ key: 'reviewed', value: String(n < 3) }] });
    server.addRun({
      info: { run_id: runId, experiment_id: '7', status: 'FINISHED', start_time: 1000 * n, end_time: 2000 * n },
      data: {
        metrics: [{ key: 'auc', value: 0.9 + n / 100, timestamp: 3000, step: n }],
        params: [{ key: 'max_depth', value: String(n + 3) }],
        tags: [{ key: 'mlflow.user', value: 'ana' }],
      },
      inputs: {
        dataset_inputs: [
          { tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: { name: 'tx-2024', digest: 'abc123', source_type: 's3', source: '{"uri":"s3://d/tx"}', schema: '{}' } },
          { tags: [{ key: 'mlflow.data.context', value: 'evaluation' }], dataset: { name: 'tx-holdout', digest: 'def456', source_type: 'delta' } },
          { dataset: { name: 'no-context' } },
        ],
      },
    });
  }
  server.setAlias('fraud', 'champion', '2');
  server.setAlias('fraud', 'challenger', '3');
  server.setStage('fraud', '2', 'Production');
  server.setTag('fraud', 'validation', 'passed', '2');
}

describe('fetchRegistry against a loopback MLflow server', () => {
  it('maps models, versions, aliases, tags and runs with dataset inputs', async () => {
    seedFraud();
    const progress: FetchRegistryProgress[] = [];
    const snapshot = await fetchRegistry(options({ url: `${server.url}/api/2.0/mlflow/`, onProgress: (p) => progress.push(p) }));

    expect(snapshot.url).toBe(server.url);
    expect(snapshot.warnings).toEqual([]);
    expect(snapshot.models).toHaveLength(1);
    const fraud = snapshot.models[0]!;
    expect(fraud).toMatchObject({ name: 'fraud', description: 'Card fraud scorer', tags: [{ key: 'owner', value: 'risk-team' }] });
    expect(fraud.aliases).toEqual([
      { alias: 'champion', version: '2' },
      { alias: 'challenger', version: '3' },
    ]);
    expect(typeof fraud.createdAt).toBe('number');
    expect(fraud.versions.map((v) => v.version)).toEqual(['1', '2', '3']);
    const v2 = fraud.versions[1]!;
    expect(v2).toMatchObject({
      version: '2',
      currentStage: 'Production',
      status: 'READY',
      runId: 'run-fraud-2',
      userId: 'ana@example.com',
      aliases: ['champion'],
      description: null,
      runLink: null,
    });
    expect(v2.tags).toEqual([
      { key: 'reviewed', value: 'true' },
      { key: 'validation', value: 'passed' },
    ]);
    expect(v2.run).toEqual({
      runId: 'run-fraud-2',
      experimentId: '7',
      status: 'FINISHED',
      startTime: 2000,
      endTime: 4000,
      params: [{ key: 'max_depth', value: '5' }],
      metrics: [{ key: 'auc', value: 0.92, step: 2, timestamp: 3000 }],
      tags: [{ key: 'mlflow.user', value: 'ana' }],
      datasetInputs: [
        { name: 'tx-2024', digest: 'abc123', source: '{"uri":"s3://d/tx"}', sourceType: 's3', context: 'training' },
        { name: 'tx-holdout', digest: 'def456', source: null, sourceType: 'delta', context: 'evaluation' },
        { name: 'no-context', digest: null, source: null, sourceType: null, context: null },
      ],
    });
    expect(snapshot.requests).toEqual({ 'registered-models/search': 1, 'model-versions/search': 1, 'runs/get': 3 });
    expect(server.log.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(progress.map((p) => p.phase)).toEqual(['models', 'versions', 'runs', 'runs', 'runs', 'runs']);
    expect(progress.at(-1)).toEqual({ phase: 'runs', done: 3, total: 3 });
  });

  it('pages models and versions across at least three pages, following the server tokens', async () => {
    server.registry = generateRegistry({ models: 7, versionsPerModel: 3 });
    const snapshot = await fetchRegistry(options({ pageSize: 3, versionPageSize: 8, fetchRuns: false }));

    expect(snapshot.models.map((m) => m.name)).toEqual(server.registry.models.map((m) => m.name));
    expect(snapshot.models.every((m) => m.versions.length === 3)).toBe(true);
    expect(snapshot.models[0]!.versions.every((v) => v.run === null)).toBe(true);

    const modelPages = server.requestsTo('registered-models/search');
    expect(modelPages.map((r) => r.params.max_results)).toEqual(['3', '3', '3']);
    expect(modelPages[0]!.params.page_token).toBeUndefined();
    expect(modelPages.slice(1).map((r) => decodeToken(r.params.page_token!))).toEqual([{ offset: 3 }, { offset: 6 }]);

    const versionPages = server.requestsTo('model-versions/search');
    expect(versionPages).toHaveLength(3); // 21 versions at 8 a page
    expect(versionPages.slice(1).map((r) => decodeToken(r.params.page_token!))).toEqual([{ offset: 8 }, { offset: 16 }]);
    expect(snapshot.requests).toEqual({ 'registered-models/search': 3, 'model-versions/search': 3 });
  });

  it('keeps paging when the server returns fewer rows than asked', async () => {
    server.registry = generateRegistry({ models: 5, versionsPerModel: 2 });
    server.maxPageSize = 2;
    const snapshot = await fetchRegistry(options({ pageSize: 100, fetchRuns: false }));
    expect(snapshot.models).toHaveLength(5);
    expect(snapshot.models.flatMap((m) => m.versions)).toHaveLength(10);
    expect(server.requestsTo('registered-models/search')).toHaveLength(3);
    expect(server.requestsTo('model-versions/search')).toHaveLength(5);
  });

  it('reads an empty registry ({} from both searches)', async () => {
    const snapshot = await fetchRegistry(options());
    expect(snapshot.models).toEqual([]);
    expect(snapshot.requests).toEqual({ 'registered-models/search': 1, 'model-versions/search': 1 });
  });

  it('per-model strategy filters by name, quoting names that hold a single quote', async () => {
    server.addVersion("o'brien");
    server.addVersion("o'brien");
    server.addVersion('plain');
    server.addVersion('o');
    const snapshot = await fetchRegistry(options({ versionStrategy: 'per-model', fetchRuns: false, versionPageSize: 1 }));
    const byName = Object.fromEntries(snapshot.models.map((m) => [m.name, m.versions.map((v) => v.version)]));
    expect(byName).toEqual({ "o'brien": ['1', '2'], o: ['1'], plain: ['1'] });
    const filters = [...new Set(server.requestsTo('model-versions/search').map((r) => r.params.filter))].sort();
    expect(filters).toEqual([`name="o'brien"`, "name='o'", "name='plain'"]);
  });

  it('builds filters MLflow parses back to the same name', () => {
    for (const name of ['fraud', "o'brien", 'a"b', 'with space', 'ünï']) expect(parseNameFilter(nameFilter(name))).toBe(name);
    expect(() => nameFilter(`a'b"c`)).toThrow(/both quote characters/);
    // Doubling a quote is not an escape for MLflow: it strips the outer quotes only.
    expect(parseNameFilter("name='o''brien'")).toBeNull();
  });

  it('records a deleted run as a warning, not a failure', async () => {
    seedFraud();
    server.deleteRun('run-fraud-1');
    const snapshot = await fetchRegistry(options());
    const v1 = snapshot.models[0]!.versions[0]!;
    expect(v1.runId).toBe('run-fraud-1');
    expect(v1.run).toBeNull();
    expect(snapshot.models[0]!.versions[1]!.run).not.toBeNull();
    expect(snapshot.warnings).toEqual([expect.stringContaining('run run-fraud-1 was not found (RESOURCE_DOES_NOT_EXIST)')]);
  });

  it('sees changes made between syncs (alias moves, stage changes, new versions)', async () => {
    seedFraud();
    const before = await fetchRegistry(options({ fetchRuns: false }));
    server.setAlias('fraud', 'champion', '3');
    server.setStage('fraud', '3', 'Production');
    server.addVersion('fraud');
    const after = await fetchRegistry(options({ fetchRuns: false }));
    expect(before.models[0]!.aliases.find((a) => a.alias === 'champion')?.version).toBe('2');
    expect(after.models[0]!.aliases.find((a) => a.alias === 'champion')?.version).toBe('3');
    expect(after.models[0]!.versions.map((v) => [v.version, v.currentStage, v.aliases])).toEqual([
      ['1', 'None', []],
      ['2', 'Production', []],
      ['3', 'Production', ['challenger', 'champion']],
      ['4', 'None', []],
    ]);
  });
});

describe('errors', () => {
  it('401: names the token source and never shows the token', async () => {
    server.addModel('m');
    const error = await failure(fetchRegistry(options({ token: `${TOKEN}-wrong`, tokenSource: 'MLFLOW_TRACKING_TOKEN' })));
    expect(error).toMatchObject({ kind: 'http', status: 401, errorCode: 'UNAUTHENTICATED', endpoint: 'registered-models/search' });
    expect(error.message).toMatch(/^MLflow refused the token \(UNAUTHENTICATED\): check the token in MLFLOW_TRACKING_TOKEN/);
    expect(error.message).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String(error.stack)).not.toContain(TOKEN);

    const saved = await failure(fetchRegistry(options({ token: 'another-wrong-token' })));
    expect(saved.message).toContain('check the token in the saved token');

    const none = await failure(fetchRegistry(options({ token: undefined })));
    expect(none.message).toMatch(/no token was given/);
  });

  it('scrubs the token even when a server echoes it', async () => {
    server.inject('registered-models/search', { status: 403, body: { error_code: 'PERMISSION_DENIED', message: `token ${TOKEN} lacks scope` } });
    const error = await failure(fetchRegistry(options()));
    expect(error.status).toBe(403);
    expect(error.message).toContain('PERMISSION_DENIED');
    expect(error.message).toContain('token *** lacks scope');
    expect(error.message).not.toContain(TOKEN);
  });

  it('404 from something that is not MLflow', async () => {
    const error = await failure(fetchRegistry(options({ url: `${server.url}/not-mlflow` })));
    expect(error).toMatchObject({ kind: 'http', status: 404, errorCode: null });
    expect(error.message).toBe(`MLflow endpoint registered-models/search not found (HTTP 404) — is ${server.url}/not-mlflow an MLflow tracking server?`);
  });

  it('429: waits for Retry-After (capped) and then succeeds', async () => {
    server.addModel('m');
    server.inject('registered-models/search', { status: 429, retryAfter: 1, times: 2 });
    const started = Date.now();
    const snapshot = await fetchRegistry(options());
    expect(snapshot.models).toHaveLength(1);
    expect(snapshot.requests['registered-models/search']).toBe(3);
    expect(Date.now() - started).toBeLessThan(900); // Retry-After 1 s was capped at 20 ms
  });

  it('429: gives up after the retry cap with a clear message', async () => {
    server.inject('registered-models/search', { status: 429, retryAfter: '0', times: Infinity });
    const error = await failure(fetchRegistry(options({ retry: { ...fastRetry, maxRateLimitRetries: 2 } })));
    expect(error).toMatchObject({ status: 429, errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    expect(error.message).toBe('MLflow kept rate-limiting registered-models/search (HTTP 429 REQUEST_LIMIT_EXCEEDED) after 2 retries: try again later');
    expect(server.requestsTo('registered-models/search')).toHaveLength(3);
  });

  it('500 a few times, then success', async () => {
    seedFraud();
    server.inject('model-versions/search', { status: 500, times: 2 });
    server.inject('runs/get', { status: 503, times: 1 });
    const snapshot = await fetchRegistry(options());
    expect(snapshot.models[0]!.versions).toHaveLength(3);
    expect(snapshot.requests).toEqual({ 'registered-models/search': 1, 'model-versions/search': 3, 'runs/get': 4 });
  });

  it('5xx that persists becomes an error after the retries', async () => {
    server.inject('registered-models/search', { status: 503, times: Infinity });
    const error = await failure(fetchRegistry(options({ retry: { ...fastRetry, maxServerErrorRetries: 3 } })));
    expect(error).toMatchObject({ kind: 'http', status: 503, errorCode: 'TEMPORARILY_UNAVAILABLE' });
    expect(error.message).toBe('MLflow failed on registered-models/search (HTTP 503 TEMPORARILY_UNAVAILABLE): injected HTTP 503 (after 3 retries)');
    expect(server.requestsTo('registered-models/search')).toHaveLength(4);
  });

  it('a 404 on a search is fatal (only runs/get 404s are tolerated)', async () => {
    server.addModel('m');
    server.inject('model-versions/search', { status: 404 });
    const error = await failure(fetchRegistry(options()));
    expect(error).toMatchObject({ status: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST', endpoint: 'model-versions/search' });
  });

  it('times out a request that takes too long', async () => {
    server.inject('registered-models/search', { delayMs: 2_000 });
    const started = Date.now();
    const error = await failure(fetchRegistry(options({ timeoutMs: 100 })));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(`MLflow did not answer registered-models/search within 100 ms (${server.url})`);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('malformed JSON', async () => {
    server.inject('registered-models/search', { malformedJson: true });
    const error = await failure(fetchRegistry(options()));
    expect(error.kind).toBe('invalid-json');
    expect(error.message).toMatch(/^MLflow returned invalid JSON from registered-models\/search: /);
  });

  it('JSON of the wrong shape names the endpoint and the JSON path', async () => {
    server.addVersion('m');
    server.registry.versions[0]!.version = 1 as unknown as string;
    const error = await failure(fetchRegistry(options()));
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toContain('model-versions/search');
    expect(error.message).toContain('$.model_versions[0].version');
  });

  it('connection refused (closed port)', async () => {
    const port = await closedPort();
    const error = await failure(fetchRegistry({ url: `http://127.0.0.1:${port}`, token: TOKEN, retry: fastRetry }));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(new RegExp(`^cannot reach http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });

  it('cancels through an AbortSignal, including in-flight requests', async () => {
    seedFraud();
    server.inject('runs/get', { delayMs: 5_000, times: Infinity });
    const controller = new AbortController();
    const promise = fetchRegistry(
      options({
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'runs') setTimeout(() => controller.abort(), 20);
        },
      }),
    );
    const started = Date.now();
    const error = await failure(promise);
    expect(error.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('cancels a retry wait', async () => {
    server.inject('registered-models/search', { status: 429, retryAfter: 60, times: Infinity });
    const controller = new AbortController();
    const promise = fetchRegistry(options({ signal: controller.signal, retry: { maxRetryAfterMs: 60_000 } }));
    setTimeout(() => controller.abort(), 50);
    const error = await failure(promise);
    expect(error.kind).toBe('cancelled');
  });
});

describe('client details', () => {
  it('normalises base URLs and keeps credentials out of the display URL', () => {
    expect(normaliseMlflowUrl('http://h:5000').apiBase).toBe('http://h:5000/api/2.0/mlflow/');
    expect(normaliseMlflowUrl('h:5000/').displayUrl).toBe('http://h:5000');
    expect(normaliseMlflowUrl('https://proxy/mlflow/api/2.0/mlflow/').displayUrl).toBe('https://proxy/mlflow');
    expect(normaliseMlflowUrl('https://u:p4ss@h/x?y=1#z')).toEqual({ displayUrl: 'https://h/x', apiBase: 'https://h/x/api/2.0/mlflow/', basicAuth: 'u:p4ss' });
    expect(() => normaliseMlflowUrl('ftp://h')).toThrow(/http or https/);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });

  it('counts requests per endpoint', async () => {
    server.addModel('m');
    const client = new MlflowClient({ url: server.url, token: TOKEN });
    await client.get('registered-models/search', { max_results: 10 }, searchRegisteredModelsSchema);
    await client.get('registered-models/search', { max_results: 10 }, searchRegisteredModelsSchema);
    expect(client.requests).toEqual({ 'registered-models/search': 2 });
  });
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const address = probe.address();
  await new Promise<void>((done) => probe.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no address');
  return address.port;
}
