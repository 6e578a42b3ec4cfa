import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { mulberry32 } from './seededRandom';

/*
 * A loopback server that speaks the read side of MLflow's REST API 2.0 (registered-models/search,
 * model-versions/search, runs/get) from an in-memory registry that tests mutate between syncs.
 * Objects are held in MLflow's wire shape (snake_case), so what a test stores is what the client reads.
 * Paging follows MLflow's own server: the page token is an opaque base64 of {"offset": n}, and
 * next_page_token is absent on the last page.
 */

export interface WireTag {
  key: string;
  value: string;
}

export interface WireRegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  tags?: WireTag[];
  aliases?: { alias: string; version: string }[];
  [extra: string]: unknown;
}

export interface WireModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  run_link?: string;
  status?: string;
  tags?: WireTag[];
  aliases?: string[];
  [extra: string]: unknown;
}

export interface WireRun {
  info: { run_id: string; run_uuid?: string; experiment_id?: string; status?: string; start_time?: number; end_time?: number; [extra: string]: unknown };
  data?: { metrics?: { key: string; value: number; timestamp?: number; step?: number }[]; params?: WireTag[]; tags?: WireTag[] };
  inputs?: {
    dataset_inputs?: { tags?: WireTag[]; dataset: { name: string; digest?: string; source_type?: string; source?: string; schema?: string; profile?: string } }[];
  };
}

export interface FakeRegistry {
  models: WireRegisteredModel[];
  versions: WireModelVersion[];
  runs: Map<string, WireRun>;
}

export type MlflowEndpoint = 'registered-models/search' | 'model-versions/search' | 'runs/get';

/** One injected misbehaviour. Applies to the next `times` requests to its endpoint (default 1; Infinity for always). */
export type Fault = (
  | { status: number; body?: unknown; retryAfter?: string | number }
  | { delayMs: number }
  | { malformedJson: true }
) & { times?: number; match?: (params: URLSearchParams) => boolean };

export interface ServedRequest {
  method: string;
  /** Path after /api/2.0/mlflow/, or the raw path for requests outside the API. */
  endpoint: string;
  params: Record<string, string>;
  status: number;
  authorization: string | null;
}

export interface MlflowServerOptions {
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Serve at most this many rows a page whatever max_results asks (real servers may return fewer). */
  maxPageSize?: number;
  registry?: FakeRegistry;
}

const MAX_MODELS_PAGE = 1000;
const MAX_VERSIONS_PAGE = 200_000;
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

export class MlflowTestServer {
  registry: FakeRegistry;
  token: string | undefined;
  maxPageSize: number | undefined;
  /** Every request served, in order. */
  readonly log: ServedRequest[] = [];
  /** Wall time spent building and writing responses, injected delays excluded (ms). */
  serveTimeMs = 0;
  url = '';
  readonly #faults = new Map<string, Fault[]>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #server: Server;
  #clock = NOW;

  constructor(options: MlflowServerOptions = {}) {
    this.registry = options.registry ?? { models: [], versions: [], runs: new Map() };
    this.token = options.token;
    this.maxPageSize = options.maxPageSize;
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  async listen(): Promise<this> {
    await new Promise<void>((done) => this.#server.listen(0, '127.0.0.1', done));
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((done) => this.#server.close(() => done()));
  }

  get requestCount(): number {
    return this.log.length;
  }

  requestsTo(endpoint: string): ServedRequest[] {
    return this.log.filter((entry) => entry.endpoint === endpoint);
  }

  resetStats(): void {
    this.log.length = 0;
    this.serveTimeMs = 0;
  }

  inject(endpoint: MlflowEndpoint | string, fault: Fault): void {
    const list = this.#faults.get(endpoint) ?? [];
    list.push({ ...fault, times: fault.times ?? 1 });
    this.#faults.set(endpoint, list);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  // ---- registry mutations (each bumps last_updated_timestamp, as MLflow does) ----

  /** A fake clock for timestamps: starts at 2025-01-15T12:00Z and moves one second per mutation. */
  tick(): number {
    this.#clock += 1000;
    return this.#clock;
  }

  model(name: string): WireRegisteredModel {
    const model = this.registry.models.find((m) => m.name === name);
    if (!model) throw new Error(`no model ${name}`);
    return model;
  }

  version(name: string, version: string): WireModelVersion {
    const found = this.registry.versions.find((v) => v.name === name && v.version === version);
    if (!found) throw new Error(`no version ${name} v${version}`);
    return found;
  }

  addModel(name: string, fields: Partial<WireRegisteredModel> = {}): WireRegisteredModel {
    const now = this.tick();
    const model: WireRegisteredModel = { name, creation_timestamp: now, last_updated_timestamp: now, ...fields };
    this.registry.models.push(model);
    return model;
  }

  /** Registers the next version of `name` (creating the model if needed) and returns it. */
  addVersion(name: string, fields: Partial<WireModelVersion> = {}): WireModelVersion {
    if (!this.registry.models.some((m) => m.name === name)) this.addModel(name);
    const next = Math.max(0, ...this.registry.versions.filter((v) => v.name === name).map((v) => Number(v.version))) + 1;
    const now = this.tick();
    const version: WireModelVersion = {
      name,
      version: String(next),
      creation_timestamp: now,
      last_updated_timestamp: now,
      current_stage: 'None',
      status: 'READY',
      source: `models:/m-${name}-${next}`,
      ...fields,
    };
    this.registry.versions.push(version);
    this.model(name).last_updated_timestamp = now;
    return version;
  }

  addRun(run: WireRun): void {
    this.registry.runs.set(run.info.run_id, run);
  }

  deleteRun(runId: string): void {
    this.registry.runs.delete(runId);
  }

  /** Points `alias` at `version`, moving it off whichever version held it (MLflow keeps no history of this). */
  setAlias(name: string, alias: string, version: string): void {
    const model = this.model(name);
    const target = this.version(name, version);
    model.aliases = [...(model.aliases ?? []).filter((a) => a.alias !== alias), { alias, version }];
    for (const v of this.registry.versions) {
      if (v.name === name && v.aliases?.includes(alias)) v.aliases = v.aliases.filter((a) => a !== alias);
    }
    target.aliases = [...(target.aliases ?? []), alias];
    model.last_updated_timestamp = this.tick();
  }

  deleteAlias(name: string, alias: string): void {
    const model = this.model(name);
    model.aliases = (model.aliases ?? []).filter((a) => a.alias !== alias);
    for (const v of this.registry.versions) if (v.name === name && v.aliases) v.aliases = v.aliases.filter((a) => a !== alias);
  }

  setStage(name: string, version: string, stage: 'None' | 'Staging' | 'Production' | 'Archived'): void {
    const target = this.version(name, version);
    target.current_stage = stage;
    target.last_updated_timestamp = this.tick();
  }

  /** Sets a tag on a model, or on one of its versions when `version` is given. */
  setTag(name: string, key: string, value: string, version?: string): void {
    const target: { tags?: WireTag[]; last_updated_timestamp?: number } = version === undefined ? this.model(name) : this.version(name, version);
    target.tags = [...(target.tags ?? []).filter((t) => t.key !== key), { key, value }];
    target.last_updated_timestamp = this.tick();
  }

  // ---- HTTP ----

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const prefix = '/api/2.0/mlflow/';
    const endpoint = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const entry: ServedRequest = {
      method: req.method ?? 'GET',
      endpoint,
      params: Object.fromEntries(url.searchParams),
      status: 0,
      authorization: req.headers.authorization ?? null,
    };
    this.log.push(entry);

    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      entry.status = status;
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers });
      res.end(body);
    };
    const sendError = (status: number, errorCode: string, message: string) => send(status, JSON.stringify({ error_code: errorCode, message }));
    const serve = () => {
      const t0 = performance.now();
      try {
        this.#route(endpoint, url.searchParams, req, send, sendError);
      } finally {
        this.serveTimeMs += performance.now() - t0;
      }
    };

    const fault = this.#takeFault(endpoint, url.searchParams);
    if (fault && 'delayMs' in fault) {
      this.serveTimeMs += performance.now() - started;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        serve();
      }, fault.delayMs);
      this.#timers.add(timer);
      return;
    }
    if (fault && 'malformedJson' in fault) {
      entry.status = 200;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"registered_models": [{"name": "trunc');
      return;
    }
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      const body = fault.body ?? { error_code: errorCodeFor(fault.status), message: `injected HTTP ${fault.status}` };
      send(fault.status, typeof body === 'string' ? body : JSON.stringify(body), headers);
      return;
    }
    serve();
  }

  #takeFault(endpoint: string, params: URLSearchParams): Fault | undefined {
    const list = this.#faults.get(endpoint);
    const index = list?.findIndex((f) => !f.match || f.match(params)) ?? -1;
    if (!list || index < 0) return undefined;
    const fault = list[index] as Fault;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) list.splice(index, 1);
    return fault;
  }

  #route(
    endpoint: string,
    params: URLSearchParams,
    req: IncomingMessage,
    send: (status: number, body: string, headers?: Record<string, string>) => void,
    sendError: (status: number, code: string, message: string) => void,
  ): void {
    const known: string[] = ['registered-models/search', 'model-versions/search', 'runs/get', 'model-versions/set-tag'];
    if (!known.includes(endpoint)) {
      // Like Flask: an unknown route is an HTML 404, not an MLflow error.
      send(404, '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>', { 'content-type': 'text/html' });
      return;
    }
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) {
      sendError(401, 'UNAUTHENTICATED', 'You are not authenticated. Please provide a valid token.');
      return;
    }
    if (endpoint === 'model-versions/set-tag') {
      this.#setVersionTag(req, send, sendError);
      return;
    }
    if (req.method !== 'GET') {
      sendError(405, 'BAD_REQUEST', `${req.method} is not supported here`);
      return;
    }
    if (endpoint === 'runs/get') {
      const runId = params.get('run_id') ?? params.get('run_uuid') ?? '';
      const run = this.registry.runs.get(runId);
      if (!run) sendError(404, 'RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);
      else send(200, JSON.stringify({ run: { ...run, info: { run_uuid: run.info.run_id, lifecycle_stage: 'active', ...run.info } } }));
      return;
    }

    const isModels = endpoint === 'registered-models/search';
    const maxResults = Number(params.get('max_results') ?? (isModels ? 100 : 10_000));
    const limit = isModels ? MAX_MODELS_PAGE : MAX_VERSIONS_PAGE;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > limit) {
      sendError(400, 'INVALID_PARAMETER_VALUE', `Invalid value ${params.get('max_results')} for parameter 'max_results' supplied. It must be at most ${limit}.`);
      return;
    }
    let offset = 0;
    const token = params.get('page_token');
    if (token) {
      try {
        const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
        if (typeof decoded.offset !== 'number') throw new Error('no offset');
        offset = decoded.offset;
      } catch {
        sendError(400, 'INVALID_PARAMETER_VALUE', `Invalid page token, could not base64-decode`);
        return;
      }
    }
    let rows: object[];
    if (isModels) {
      rows = [...this.registry.models].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } else {
      let versions = this.registry.versions;
      const filter = params.get('filter');
      if (filter) {
        const name = parseNameFilter(filter);
        if (name === null) {
          sendError(400, 'INVALID_PARAMETER_VALUE', `Invalid filter '${filter}'. This test server understands name='...' only.`);
          return;
        }
        versions = versions.filter((v) => v.name === name);
      }
      rows = [...versions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Number(b.version) - Number(a.version)));
    }
    const pageSize = Math.min(maxResults, this.maxPageSize ?? Infinity);
    let page = rows.slice(offset, offset + pageSize);
    if (isModels) page = this.#withLatestVersions(page as WireRegisteredModel[]);
    const nextOffset = offset + page.length;
    const body: Record<string, unknown> = {};
    // proto3 JSON: an empty list is left out.
    if (page.length > 0) body[isModels ? 'registered_models' : 'model_versions'] = page;
    if (nextOffset < rows.length) body.next_page_token = Buffer.from(JSON.stringify({ offset: nextOffset })).toString('base64');
    send(200, JSON.stringify(body));
  }

  /** POST model-versions/set-tag with {name, version, key, value}, as MLflow's REST API takes it. */
  #setVersionTag(req: IncomingMessage, send: (status: number, body: string) => void, sendError: (status: number, code: string, message: string) => void): void {
    if (req.method !== 'POST') {
      sendError(405, 'BAD_REQUEST', `${req.method} is not supported here`);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: { name?: unknown; version?: unknown; key?: unknown; value?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        sendError(400, 'MALFORMED_REQUEST', 'the request body is not JSON');
        return;
      }
      const { name, version, key, value } = body;
      if (typeof name !== 'string' || typeof version !== 'string' || typeof key !== 'string' || typeof value !== 'string') {
        sendError(400, 'INVALID_PARAMETER_VALUE', 'name, version, key and value must be strings');
        return;
      }
      if (!this.registry.versions.some((v) => v.name === name && v.version === version)) {
        sendError(404, 'RESOURCE_DOES_NOT_EXIST', `Model Version (name=${name}, version=${version}) not found`);
        return;
      }
      this.setTag(name, key, value, version);
      send(200, '{}');
    });
  }

  /** MLflow's search also returns the latest version per stage; the client must ignore it gracefully. */
  #withLatestVersions(models: WireRegisteredModel[]): object[] {
    const latest = new Map<string, Map<string, WireModelVersion>>(models.map((m) => [m.name, new Map()]));
    for (const v of this.registry.versions) {
      const byStage = latest.get(v.name);
      if (!byStage) continue;
      const stage = v.current_stage ?? 'None';
      const held = byStage.get(stage);
      if (!held || Number(held.version) < Number(v.version)) byStage.set(stage, v);
    }
    return models.map((model) => {
      const byStage = latest.get(model.name);
      return byStage && byStage.size > 0 ? { ...model, latest_versions: [...byStage.values()] } : model;
    });
  }
}

/** MLflow strips only the outer quotes of a value, single or double, and has no escapes inside. */
export function parseNameFilter(filter: string): string | null {
  const match = /^\s*(?:attribute\.)?name\s*=\s*(?:'([^']*)'|"([^"]*)")\s*$/.exec(filter);
  return match ? (match[1] ?? match[2] ?? '') : null;
}

function errorCodeFor(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'RESOURCE_DOES_NOT_EXIST';
  if (status === 429) return 'REQUEST_LIMIT_EXCEEDED';
  if (status === 503) return 'TEMPORARILY_UNAVAILABLE';
  if (status >= 500) return 'INTERNAL_ERROR';
  return 'BAD_REQUEST';
}

export async function startMlflowServer(options: MlflowServerOptions = {}): Promise<MlflowTestServer> {
  return new MlflowTestServer(options).listen();
}

// ---- a deterministic registry for tests and the benchmark ----

export interface GenerateRegistryOptions {
  models: number;
  versionsPerModel: number;
  seed?: number;
}

/**
 * `models` models named "model-0001"..., each with `versionsPerModel` versions, each version with its
 * own run (params, metrics, a training and an evaluation dataset input). The newest version holds the
 * "champion" alias and stage Production, the one before "challenger" and Staging, older ones Archived.
 */
export function generateRegistry({ models, versionsPerModel, seed = 42 }: GenerateRegistryOptions): FakeRegistry {
  const random = mulberry32(seed);
  const registry: FakeRegistry = { models: [], versions: [], runs: new Map() };
  const width = Math.max(4, String(models).length);
  const teams = ['fraud', 'search', 'pricing', 'risk', 'growth'];
  for (let m = 1; m <= models; m++) {
    const name = `model-${String(m).padStart(width, '0')}`;
    const created = NOW - (models - m + versionsPerModel) * 3_600_000;
    const aliases: { alias: string; version: string }[] = [];
    if (versionsPerModel >= 1) aliases.push({ alias: 'champion', version: String(versionsPerModel) });
    if (versionsPerModel >= 2) aliases.push({ alias: 'challenger', version: String(versionsPerModel - 1) });
    registry.models.push({
      name,
      description: `Generated model ${m}`,
      creation_timestamp: created,
      last_updated_timestamp: created + versionsPerModel * 3_600_000,
      tags: [{ key: 'team', value: teams[m % teams.length] as string }],
      aliases,
    });
    for (let v = 1; v <= versionsPerModel; v++) {
      const runId = `run${String(m).padStart(6, '0')}${String(v).padStart(4, '0')}`.padEnd(32, '0');
      const at = created + v * 3_600_000;
      const stage = v === versionsPerModel ? 'Production' : v === versionsPerModel - 1 ? 'Staging' : 'Archived';
      registry.versions.push({
        name,
        version: String(v),
        creation_timestamp: at,
        last_updated_timestamp: at,
        user_id: `user${m % 7}@example.com`,
        current_stage: stage,
        description: '',
        source: `mlflow-artifacts:/1/${runId}/artifacts/model`,
        run_id: runId,
        run_link: '',
        status: 'READY',
        tags: [{ key: 'validation_status', value: random() < 0.8 ? 'passed' : 'pending' }],
        aliases: aliases.filter((a) => a.version === String(v)).map((a) => a.alias),
      });
      registry.runs.set(runId, {
        info: { run_id: runId, experiment_id: String(1 + (m % 20)), status: 'FINISHED', start_time: at - 600_000, end_time: at - 60_000 },
        data: {
          metrics: [
            { key: 'accuracy', value: Math.round((0.8 + random() * 0.19) * 10_000) / 10_000, timestamp: at - 60_000, step: 0 },
            { key: 'auc', value: Math.round((0.85 + random() * 0.14) * 10_000) / 10_000, timestamp: at - 60_000, step: 0 },
          ],
          params: [
            { key: 'learning_rate', value: String([0.1, 0.05, 0.01][v % 3]) },
            { key: 'max_depth', value: String(4 + (v % 5)) },
          ],
          tags: [{ key: 'mlflow.runName', value: `${name}-train-${v}` }],
        },
        inputs: {
          dataset_inputs: [
            {
              tags: [{ key: 'mlflow.data.context', value: 'training' }],
              dataset: { name: `${name}-train`, digest: `d${m}v${v}t`, source_type: 's3', source: `{"uri": "s3://data/${name}/train/v${v}.parquet"}` },
            },
            {
              tags: [{ key: 'mlflow.data.context', value: 'evaluation' }],
              dataset: { name: `${name}-eval`, digest: `d${m}e`, source_type: 's3', source: `{"uri": "s3://data/${name}/eval.parquet"}` },
            },
          ],
        },
      });
    }
  }
  return registry;
}
