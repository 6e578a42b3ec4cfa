import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/*
 * A loopback server speaking AWS Cost Explorer's JSON 1.1 protocol (as @aws-sdk/client-cost-explorer
 * sends it: POST /, content-type application/x-amz-json-1.1, X-Amz-Target
 * AWSInsightsIndexService.<Operation>, a SigV4 Authorization header) for GetCostAndUsage and
 * GetCostForecast, from an in-memory dataset that tests mutate between fetches.
 * Amounts are held and served as decimal strings, as AWS sends them. Paging is real: the
 * (day, group) cells of the answer are cut into pages of `pageSize` cells, so a day's groups may
 * straddle two pages, and NextPageToken is an opaque token bound to the request that produced it.
 * Errors use the awsJson1_1 shape: HTTP 4xx/5xx with {"__type": "<Name>", "Message": "..."}.
 */

export const TARGET_PREFIX = 'AWSInsightsIndexService';
export const JSON_11 = 'application/x-amz-json-1.1';

export interface CeRow {
  day: string;
  /** Value of the server's tag key; null = resource without the tag (served as "ml:model$"). */
  tagValue: string | null;
  /** Dimension values by dimension name, e.g. { SERVICE: 'Amazon SageMaker', LINKED_ACCOUNT: '111122223333' }. */
  dimensions: Record<string, string>;
  unblendedCost: string;
  amortizedCost: string;
  usageQuantity: string;
}

export interface CeDataset {
  /** The cost-allocation tag the rows carry (default 'ml:model'). */
  tagKey: string;
  rows: CeRow[];
  /** Days flagged Estimated (every other day is final). */
  estimatedDays: Set<string>;
  currency: string;
}

export type CeOperation = 'GetCostAndUsage' | 'GetCostForecast';

/** One injected misbehaviour, applied to the next `times` requests to its operation (default 1; Infinity for always). */
export type CeFault = (
  | { error: string; status?: number; message?: string; namespace?: string; messageKey?: 'Message' | 'message' }
  | { status: number; rawBody: string; contentType?: string }
  | { respond: unknown }
) & { times?: number };

export interface CeServedRequest {
  target: string | null;
  operation: string | null;
  contentType: string | null;
  authorization: string | null;
  body: Record<string, unknown> | null;
  status: number;
  /** The __type of an error answer. */
  errorType: string | null;
}

export interface CeForecastAnswer {
  /** Mean per month of the forecast period, as decimal strings; one entry per month. */
  months: { mean: string; lower: string; upper: string }[];
}

export interface CostExplorerServerOptions {
  dataset?: Partial<CeDataset>;
  /** (day, group) cells per page (default 5). */
  pageSize?: number;
  forecast?: CeForecastAnswer;
}

const DAY_MS = 86_400_000;
const COST_METRICS = new Set(['UnblendedCost', 'AmortizedCost', 'BlendedCost', 'NetUnblendedCost', 'NetAmortizedCost']);

class Reject extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class CostExplorerTestServer {
  dataset: CeDataset;
  pageSize: number;
  forecast: CeForecastAnswer;
  url = '';
  readonly log: CeServedRequest[] = [];
  readonly #faults = new Map<string, CeFault[]>();
  readonly #server: Server;
  readonly #secret = Math.random().toString(36).slice(2);

  constructor(options: CostExplorerServerOptions = {}) {
    this.dataset = {
      tagKey: options.dataset?.tagKey ?? 'ml:model',
      rows: options.dataset?.rows ?? [],
      estimatedDays: options.dataset?.estimatedDays ?? new Set(),
      currency: options.dataset?.currency ?? 'USD',
    };
    this.pageSize = options.pageSize ?? 5;
    this.forecast = options.forecast ?? { months: [{ mean: '1234.5678901234', lower: '1100.25', upper: '1370.75' }] };
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async listen(): Promise<this> {
    await new Promise<void>((done) => this.#server.listen(0, '127.0.0.1', done));
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((done) => this.#server.close(() => done()));
  }

  requestsTo(operation: CeOperation): CeServedRequest[] {
    return this.log.filter((entry) => entry.operation === operation);
  }

  resetLog(): void {
    this.log.length = 0;
  }

  inject(operation: CeOperation | '*', fault: CeFault): void {
    const list = this.#faults.get(operation) ?? [];
    list.push({ ...fault, times: fault.times ?? 1 });
    this.#faults.set(operation, list);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  // ---- dataset mutations ----

  setEstimated(day: string, estimated: boolean): void {
    if (estimated) this.dataset.estimatedDays.add(day);
    else this.dataset.estimatedDays.delete(day);
  }

  /**
   * AWS restating a day: `update` changes the day's rows (amounts are strings), then the day is
   * final (Estimated cleared) unless `stillEstimated`.
   */
  restateDay(day: string, update: (row: CeRow) => void, stillEstimated = false): void {
    const rows = this.dataset.rows.filter((row) => row.day === day);
    if (rows.length === 0) throw new Error(`no rows on ${day}`);
    rows.forEach(update);
    this.setEstimated(day, stillEstimated);
  }

  // ---- protocol ----

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const target = header(req, 'x-amz-target');
    const contentType = header(req, 'content-type');
    const authorization = header(req, 'authorization');
    const operation = target?.startsWith(`${TARGET_PREFIX}.`) ? target.slice(TARGET_PREFIX.length + 1) : null;
    const entry: CeServedRequest = { target, operation, contentType, authorization, body: null, status: 0, errorType: null };
    this.log.push(entry);

    const send = (status: number, body: string, type = JSON_11) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': createHash('md5').update(raw + this.log.length).digest('hex') });
      res.end(body);
    };
    const sendError = (type: string, message: string, status: number, messageKey: 'Message' | 'message' = 'Message') => {
      entry.errorType = type;
      send(status, JSON.stringify({ __type: type, [messageKey]: message }));
    };

    try {
      if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') throw new Reject('UnknownOperationException', `${req.method} ${req.url} is not a Cost Explorer call`, 404);
      if (!authorization || !authorization.startsWith('AWS4-HMAC-SHA256 Credential=')) {
        throw new Reject('MissingAuthenticationTokenException', 'Missing Authentication Token', 400);
      }
      if (contentType?.split(';')[0]?.trim() !== JSON_11) throw new Reject('UnknownOperationException', `content-type must be ${JSON_11}, got ${contentType}`, 400);
      if (operation !== 'GetCostAndUsage' && operation !== 'GetCostForecast') throw new Reject('UnknownOperationException', `unknown X-Amz-Target ${target}`, 400);
      let body: Record<string, unknown>;
      try {
        body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
      } catch {
        throw new Reject('SerializationException', 'body is not JSON', 400);
      }
      entry.body = body;

      const fault = this.#takeFault(operation) ?? this.#takeFault('*');
      if (fault) {
        if ('respond' in fault) return send(200, JSON.stringify(fault.respond));
        if ('rawBody' in fault) return send(fault.status, fault.rawBody, fault.contentType);
        const type = fault.namespace ? `${fault.namespace}#${fault.error}` : fault.error;
        return sendError(type, fault.message ?? defaultMessage(fault.error), fault.status ?? (fault.error === 'InternalServerError' ? 500 : 400), fault.messageKey);
      }

      const answer = operation === 'GetCostAndUsage' ? this.#costAndUsage(body) : this.#forecast(body);
      send(200, JSON.stringify(answer));
    } catch (error) {
      if (error instanceof Reject) return sendError(error.type, error.message, error.status);
      sendError('InternalServerError', (error as Error).message, 500);
    }
  }

  #takeFault(operation: string): CeFault | null {
    const list = this.#faults.get(operation);
    const fault = list?.[0];
    if (!list || !fault) return null;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) list.shift();
    return fault;
  }

  #costAndUsage(body: Record<string, unknown>): unknown {
    const { Start, End } = period(body.TimePeriod);
    if (body.Granularity !== 'DAILY') throw new Reject('ValidationException', `this stub serves DAILY granularity only, got ${String(body.Granularity)}`);
    const metrics = body.Metrics;
    if (!Array.isArray(metrics) || metrics.length === 0 || !metrics.every((m) => typeof m === 'string')) throw new Reject('ValidationException', 'Metrics is required');
    const groupBy = (Array.isArray(body.GroupBy) ? body.GroupBy : []) as { Type?: string; Key?: string }[];
    if (groupBy.length > 2) throw new Reject('ValidationException', 'GroupBy takes at most two groups');
    for (const g of groupBy) {
      if (g.Type !== 'TAG' && g.Type !== 'DIMENSION') throw new Reject('ValidationException', `unsupported group type ${String(g.Type)}`);
      if (!g.Key) throw new Reject('ValidationException', 'group key is required');
    }

    // The cells of the whole answer, in day order: one per group per day, or one empty cell for a day without cost.
    type Cell = { day: string; keys: string[] | null; sums: Map<string, number>; text: Map<string, string> };
    const cells: Cell[] = [];
    for (let ms = Date.parse(`${Start}T00:00:00Z`); ms < Date.parse(`${End}T00:00:00Z`); ms += DAY_MS) {
      const day = new Date(ms).toISOString().slice(0, 10);
      const groups = new Map<string, Cell>();
      for (const row of this.dataset.rows.filter((r) => r.day === day)) {
        const keys = groupBy.map((g) =>
          g.Type === 'TAG' ? `${g.Key}$${g.Key === this.dataset.tagKey ? (row.tagValue ?? '') : ''}` : (row.dimensions[g.Key as string] ?? `NoDimension`),
        );
        const k = JSON.stringify(keys);
        const cell = groups.get(k) ?? { day, keys, sums: new Map(), text: new Map() };
        groups.set(k, cell);
        for (const metric of metrics as string[]) {
          const value = metricOf(row, metric);
          // One row per group keeps the dataset's exact string; several rows are summed.
          cell.text.set(metric, cell.sums.has(metric) ? '' : value);
          cell.sums.set(metric, (cell.sums.get(metric) ?? 0) + Number(value));
        }
      }
      if (groups.size === 0) cells.push({ day, keys: null, sums: new Map(), text: new Map() });
      else cells.push(...[...groups.values()].sort((a, b) => JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys))));
    }

    const fingerprint = createHash('sha256').update(JSON.stringify({ ...body, NextPageToken: undefined })).digest('hex').slice(0, 16);
    let offset = 0;
    if (body.NextPageToken !== undefined) {
      offset = this.#readToken(body.NextPageToken, fingerprint);
    }
    const slice = cells.slice(offset, offset + this.pageSize);
    const results: unknown[] = [];
    for (const cell of slice) {
      let result = results.at(-1) as { TimePeriod: { Start: string }; Groups: unknown[] } | undefined;
      if (!result || result.TimePeriod.Start !== cell.day) {
        result = {
          TimePeriod: { Start: cell.day, End: new Date(Date.parse(`${cell.day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10) },
          Groups: [],
        } as never;
        Object.assign(result as object, { Total: {}, Estimated: this.dataset.estimatedDays.has(cell.day) });
        results.push(result);
      }
      if (cell.keys) {
        const Metrics: Record<string, { Amount: string; Unit: string }> = {};
        for (const metric of metrics as string[]) {
          const text = cell.text.get(metric) || String(cell.sums.get(metric) ?? 0);
          Metrics[metric] = { Amount: text, Unit: COST_METRICS.has(metric) ? this.dataset.currency : 'N/A' };
        }
        (result as { Groups: unknown[] }).Groups.push({ Keys: cell.keys, Metrics });
      }
    }
    const next = offset + this.pageSize;
    return {
      GroupDefinitions: groupBy.map((g) => ({ Type: g.Type, Key: g.Key })),
      ResultsByTime: results,
      DimensionValueAttributes: [],
      ...(next < cells.length ? { NextPageToken: this.#makeToken(next, fingerprint) } : {}),
    };
  }

  #makeToken(offset: number, fingerprint: string): string {
    const payload = Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
    const mac = createHash('sha256').update(payload + this.#secret).digest('base64url').slice(0, 12);
    return `${payload}.${mac}`;
  }

  #readToken(token: unknown, fingerprint: string): number {
    if (typeof token !== 'string') throw new Reject('InvalidNextTokenException', 'The NextPageToken is invalid');
    const [payload, mac] = token.split('.');
    if (!payload || !mac || createHash('sha256').update(payload + this.#secret).digest('base64url').slice(0, 12) !== mac) {
      throw new Reject('InvalidNextTokenException', 'The NextPageToken is invalid');
    }
    const { o, f } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { o: number; f: string };
    if (f !== fingerprint) throw new Reject('RequestChangedException', 'The request changed between pages');
    return o;
  }

  #forecast(body: Record<string, unknown>): unknown {
    const { Start, End } = period(body.TimePeriod);
    const valid = ['AMORTIZED_COST', 'BLENDED_COST', 'NET_AMORTIZED_COST', 'NET_UNBLENDED_COST', 'UNBLENDED_COST'];
    if (typeof body.Metric !== 'string' || !valid.includes(body.Metric)) throw new Reject('ValidationException', `invalid Metric ${String(body.Metric)}`);
    if (body.Granularity !== 'MONTHLY' && body.Granularity !== 'DAILY') throw new Reject('ValidationException', `invalid Granularity ${String(body.Granularity)}`);
    const months = this.forecast.months;
    const total = months.reduce((sum, m) => sum + Number(m.mean), 0);
    return {
      Total: { Amount: months.length === 1 ? months[0]!.mean : total.toFixed(10), Unit: this.dataset.currency },
      ForecastResultsByTime: months.map((m, i) => ({
        TimePeriod: { Start: i === 0 ? Start : monthStart(Start, i), End: i === months.length - 1 ? End : monthStart(Start, i + 1) },
        MeanValue: m.mean,
        PredictionIntervalLowerBound: m.lower,
        PredictionIntervalUpperBound: m.upper,
      })),
    };
  }
}

/** The first day of the month `n` months after `day`'s month. */
function monthStart(day: string, n: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + n, 1)).toISOString().slice(0, 10);
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? null) : null;
}

function period(value: unknown): { Start: string; End: string } {
  const p = value as { Start?: unknown; End?: unknown } | undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!p || typeof p.Start !== 'string' || typeof p.End !== 'string' || !day.test(p.Start) || !day.test(p.End) || p.End <= p.Start) {
    throw new Reject('ValidationException', `invalid TimePeriod ${JSON.stringify(value)}`);
  }
  return { Start: p.Start, End: p.End };
}

function metricOf(row: CeRow, metric: string): string {
  switch (metric) {
    case 'UnblendedCost':
    case 'BlendedCost':
    case 'NetUnblendedCost':
      return row.unblendedCost;
    case 'AmortizedCost':
    case 'NetAmortizedCost':
      return row.amortizedCost;
    case 'UsageQuantity':
    case 'NormalizedUsageAmount':
      return row.usageQuantity;
    default:
      throw new Reject('ValidationException', `unknown metric ${metric}`);
  }
}

function defaultMessage(error: string): string {
  switch (error) {
    case 'LimitExceededException':
      return 'You have exceeded the rate limit for this API. Please try again later.';
    case 'DataUnavailableException':
      return 'Data is not available. Please try to adjust the time period. If you just enabled Cost Explorer, data might not be ingested yet';
    case 'UnrecognizedClientException':
      return 'The security token included in the request is invalid.';
    case 'AccessDeniedException':
      return 'User: arn:aws:iam::111122223333:user/ana is not authorized to perform: ce:GetCostAndUsage';
    case 'ExpiredTokenException':
      return 'The security token included in the request is expired';
    default:
      return `${error} (injected)`;
  }
}

export async function startCostExplorerServer(options: CostExplorerServerOptions = {}): Promise<CostExplorerTestServer> {
  return new CostExplorerTestServer(options).listen();
}

/**
 * A deterministic dataset: `days` days from `from`, each model (and the untagged bucket) spending on
 * each service, with amounts as 10-decimal strings. The last `estimatedTail` days are Estimated.
 */
export function generateDataset(options: {
  from: string;
  days: number;
  models?: string[];
  services?: string[];
  untagged?: boolean;
  estimatedTail?: number;
  tagKey?: string;
  account?: string;
}): Partial<CeDataset> & { rows: CeRow[]; estimatedDays: Set<string> } {
  const models = options.models ?? ['fraud-scorer', 'churn'];
  const services = options.services ?? ['Amazon SageMaker', 'Amazon Simple Storage Service'];
  const tagValues: (string | null)[] = [...models, ...(options.untagged === false ? [] : [null])];
  const rows: CeRow[] = [];
  const estimatedDays = new Set<string>();
  for (let d = 0; d < options.days; d += 1) {
    const day = new Date(Date.parse(`${options.from}T00:00:00Z`) + d * DAY_MS).toISOString().slice(0, 10);
    if (d >= options.days - (options.estimatedTail ?? 0)) estimatedDays.add(day);
    tagValues.forEach((tagValue, m) => {
      services.forEach((service, s) => {
        const base = 1 + d * 0.5 + m * 10 + s * 3;
        rows.push({
          day,
          tagValue,
          dimensions: { SERVICE: service, LINKED_ACCOUNT: options.account ?? '111122223333' },
          unblendedCost: (base + 0.0123456789).toFixed(10),
          amortizedCost: (base * 0.9 + 0.0000000001).toFixed(10),
          usageQuantity: (base * 100 + 0.5).toFixed(10),
        });
      });
    });
  }
  return { tagKey: options.tagKey ?? 'ml:model', rows, estimatedDays };
}
