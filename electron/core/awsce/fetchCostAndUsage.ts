import type {
  CostExplorerClient,
  GetCostAndUsageCommandInput,
  GetCostAndUsageCommandOutput,
  GetCostForecastCommandOutput,
  CostExplorerClientConfig,
  GroupDefinition,
} from '@aws-sdk/client-cost-explorer';
import type { CeDailyCost, CeDayStatus, CeFetchResult, CeForecast } from '../../../shared/domain/spend';
import { AUTH_ERROR_CODES, CostExplorerError, THROTTLING_ERROR_CODES, scrubSecrets } from './costExplorerError';
import { CeMappingError, mapCostAndUsagePage, parseAmount } from './mapCostAndUsage';

export { CostExplorerError } from './costExplorerError';

/**
 * The AWS SDK, loaded on first use rather than at start: loading it cost every `docket` command
 * (and the engine's start) about 50 ms, for a sync most runs never make.
 */
function costExplorerSdk(): typeof import('@aws-sdk/client-cost-explorer') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, above
  return require('@aws-sdk/client-cost-explorer') as typeof import('@aws-sdk/client-cost-explorer');
}

/** Dimensions Cost Explorer can group by besides the tag (a subset of its Dimension enum that makes sense per day). */
export type CeGroupBy2 =
  | 'SERVICE'
  | 'LINKED_ACCOUNT'
  | 'REGION'
  | 'USAGE_TYPE'
  | 'USAGE_TYPE_GROUP'
  | 'OPERATION'
  | 'INSTANCE_TYPE'
  | 'PURCHASE_TYPE'
  | 'RECORD_TYPE'
  | 'BILLING_ENTITY';

export interface CeFetchProgress {
  phase: 'usage' | 'forecast';
  /** GetCostAndUsage pages read so far. */
  pages: number;
  /** API requests sent so far (retries included). */
  requests: number;
  /** Rows read so far. */
  rows: number;
}

export interface CeRetryOptions {
  /** Attempts per request, the first included (default 5). */
  maxAttempts?: number;
  /** First wait after a LimitExceededException, doubled each retry (default 1 000 ms). */
  baseDelayMs?: number;
  /** Cap on one wait (default 20 000 ms). */
  maxDelayMs?: number;
}

export interface FetchCostAndUsageOptions {
  /** First day, 'YYYY-MM-DD', inclusive. */
  from: string;
  /** Last day, 'YYYY-MM-DD', exclusive (as Cost Explorer wants it). */
  to: string;
  /** Cost-allocation tag to group by (default 'ml:model'). */
  tagKey?: string;
  /** Second grouping (default 'SERVICE'). */
  groupBy2?: CeGroupBy2;
  /** Named profile of ~/.aws/config (SSO included); otherwise the SDK's default chain (env, profile, SSO, IMDS...). */
  profile?: string;
  /** Cost Explorer only answers in us-east-1. */
  region?: 'us-east-1';
  /** Endpoint override, e.g. a loopback server in tests. */
  endpoint?: string;
  /** Static credentials (tests); they win over `profile` and the default chain. */
  credentials?: AwsCredentialIdentity;
  onProgress?: (progress: CeFetchProgress) => void;
  signal?: AbortSignal;
  retry?: CeRetryOptions;
  /** Per-request timeout in ms (default 60 000). */
  timeoutMs?: number;
  /** Also read GetCostForecast (UNBLENDED_COST, MONTHLY) for this period ('YYYY-MM-DD', end exclusive). */
  forecast?: { from: string; to: string };
}

/** Static credentials as the client takes them ({ accessKeyId, secretAccessKey, sessionToken? }), without importing @aws-sdk/types. */
export type AwsCredentialIdentity = Exclude<NonNullable<CostExplorerClientConfig['credentials']>, (...args: never[]) => unknown>;

const DEFAULT_TAG_KEY = 'ml:model';
const METRICS = ['UnblendedCost', 'AmortizedCost', 'UsageQuantity'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads daily cost grouped by a cost-allocation tag and a second dimension, following
 * NextPageToken to the end (the SDK has no paginator for GetCostAndUsage). The SDK's own retries are
 * off (maxAttempts 1): LimitExceededException is retried here with exponential backoff, so every
 * request sent is counted. Nothing is returned unless every page was read.
 */
export async function fetchCostAndUsage(options: FetchCostAndUsageOptions): Promise<CeFetchResult> {
  const tagKey = options.tagKey?.trim() || DEFAULT_TAG_KEY;
  const groupBy2 = options.groupBy2 ?? 'SERVICE';
  checkPeriod('GetCostAndUsage', options.from, options.to);
  if (options.forecast) checkPeriod('GetCostForecast', options.forecast.from, options.forecast.to);
  if (options.region !== undefined && options.region !== 'us-east-1') {
    throw new CostExplorerError({ kind: 'config', operation: 'GetCostAndUsage', message: `Cost Explorer only answers in us-east-1, not ${String(options.region)}` });
  }

  const session = new CeSession(options);
  const groupBy: GroupDefinition[] = [
    { Type: 'TAG', Key: tagKey },
    { Type: 'DIMENSION', Key: groupBy2 },
  ];
  const days: CeDailyCost[] = [];
  const status = new Map<string, boolean>();
  let pages = 0;
  const progress = (phase: CeFetchProgress['phase']) => options.onProgress?.({ phase, pages, requests: session.requests, rows: days.length });

  try {
    let nextPageToken: string | undefined;
    const tokensSeen = new Set<string>();
    do {
      const input: GetCostAndUsageCommandInput = {
        TimePeriod: { Start: options.from, End: options.to },
        Granularity: 'DAILY',
        Metrics: METRICS,
        GroupBy: groupBy,
        ...(nextPageToken ? { NextPageToken: nextPageToken } : {}),
      };
      const page: GetCostAndUsageCommandOutput = await session.send('GetCostAndUsage', (client, abortSignal) => client.send(new (costExplorerSdk().GetCostAndUsageCommand)(input), { abortSignal }));
      pages += 1;
      let mapped;
      try {
        mapped = mapCostAndUsagePage(page, { tagKey, groupBy, metrics: METRICS });
      } catch (error) {
        if (error instanceof CeMappingError) throw session.fail({ kind: 'invalid-response', operation: 'GetCostAndUsage', message: `${error.message} (page ${pages})` });
        throw error;
      }
      days.push(...mapped.rows);
      // A day split over two pages carries the same flag on both; if not, the cautious reading wins.
      for (const { day, estimated } of mapped.dayStatus) status.set(day, (status.get(day) ?? false) || estimated);
      progress('usage');
      nextPageToken = page.NextPageToken || undefined;
      if (nextPageToken !== undefined) {
        if (tokensSeen.has(nextPageToken)) {
          throw session.fail({ kind: 'invalid-response', operation: 'GetCostAndUsage', message: 'Cost Explorer sent the same NextPageToken twice: stopped to avoid an endless (and billed) loop' });
        }
        tokensSeen.add(nextPageToken);
      }
    } while (nextPageToken !== undefined);

    // Rows of a day split over pages get the day's final flag.
    for (const row of days) row.estimated = status.get(row.day) ?? row.estimated;

    let forecast: CeForecast | null = null;
    if (options.forecast) {
      const { from, to } = options.forecast;
      const answer: GetCostForecastCommandOutput = await session.send('GetCostForecast', (client, abortSignal) =>
        client.send(
          new (costExplorerSdk().GetCostForecastCommand)({ TimePeriod: { Start: from, End: to }, Metric: 'UNBLENDED_COST', Granularity: 'MONTHLY', PredictionIntervalLevel: 80 }),
          { abortSignal },
        ),
      );
      forecast = session.mapForecast(answer, from, to);
      progress('forecast');
    }

    const dayStatus: CeDayStatus[] = [...status].map(([day, estimated]) => ({ day, estimated })).sort((a, b) => a.day.localeCompare(b.day));
    return { days, dayStatus, requests: session.requests, pages, forecast };
  } finally {
    session.destroy();
  }
}

function checkPeriod(operation: string, from: string, to: string): void {
  if (!DAY.test(from) || !DAY.test(to) || Number.isNaN(Date.parse(`${from}T00:00:00Z`)) || Number.isNaN(Date.parse(`${to}T00:00:00Z`))) {
    throw new CostExplorerError({ kind: 'config', operation, message: `${operation} needs dates as YYYY-MM-DD, got from=${JSON.stringify(from)} to=${JSON.stringify(to)}` });
  }
  if (to <= from) {
    throw new CostExplorerError({ kind: 'config', operation, message: `${operation}: the end date ${to} is exclusive and must come after the start date ${from}` });
  }
}

interface AwsErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

/** One client and the bookkeeping of one fetch: request count, retries, cancellation and messages. */
class CeSession {
  requests = 0;
  private readonly client: CostExplorerClient;
  private readonly secrets: string[];
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly signal: AbortSignal | undefined;
  private readonly profile: string | undefined;
  private readonly usesStaticCredentials: boolean;

  constructor(options: FetchCostAndUsageOptions) {
    const timeoutMs = options.timeoutMs ?? 60_000;
    this.client = new (costExplorerSdk().CostExplorerClient)({
      region: 'us-east-1',
      // Our own loop retries throttling, so one send() is exactly one HTTP request.
      maxAttempts: 1,
      requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.profile && !options.credentials ? { profile: options.profile } : {}),
    });
    const { accessKeyId, secretAccessKey, sessionToken } = options.credentials ?? {};
    this.secrets = [accessKeyId, secretAccessKey, sessionToken].filter((s): s is string => typeof s === 'string' && s.length >= 4);
    this.maxAttempts = Math.max(1, Math.floor(options.retry?.maxAttempts ?? 5));
    this.baseDelayMs = Math.max(0, options.retry?.baseDelayMs ?? 1000);
    this.maxDelayMs = Math.max(this.baseDelayMs, options.retry?.maxDelayMs ?? 20_000);
    this.signal = options.signal;
    this.profile = options.profile;
    this.usesStaticCredentials = options.credentials !== undefined;
  }

  destroy(): void {
    this.client.destroy();
  }

  async send<T>(operation: string, call: (client: CostExplorerClient, abortSignal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.signal?.aborted) throw this.cancelled(operation);
      this.requests += 1;
      try {
        return await call(this.client, this.signal);
      } catch (raw) {
        if (this.signal?.aborted) throw this.cancelled(operation);
        const error = (raw ?? {}) as AwsErrorLike;
        const code = error.name ?? error.code ?? '';
        const status = error.$metadata?.httpStatusCode ?? null;
        const retryable = THROTTLING_ERROR_CODES.has(code) || (error.$fault === 'server' && status !== null && status >= 500);
        if (retryable && attempt < this.maxAttempts) {
          await this.sleep(Math.min(this.baseDelayMs * 2 ** (attempt - 1), this.maxDelayMs), operation);
          continue;
        }
        throw this.translate(operation, error, attempt);
      }
    }
  }

  mapForecast(answer: GetCostForecastCommandOutput, from: string, to: string): CeForecast {
    try {
      const periods = answer.ForecastResultsByTime ?? [];
      const mean =
        answer.Total?.Amount !== undefined
          ? parseAmount(answer.Total.Amount, 'Total.Amount')
          : periods.reduce((sum, p, i) => sum + parseAmount(p.MeanValue, `ForecastResultsByTime[${i}].MeanValue`), 0);
      // Per-month bounds summed: a conservative interval for the whole period (exact for one month).
      const bound = (field: 'PredictionIntervalLowerBound' | 'PredictionIntervalUpperBound'): number | null => {
        if (periods.length === 0 || periods.some((p) => p[field] === undefined)) return null;
        return periods.reduce((sum, p, i) => sum + parseAmount(p[field], `ForecastResultsByTime[${i}].${field}`), 0);
      };
      return { start: from, end: to, mean, lower: bound('PredictionIntervalLowerBound'), upper: bound('PredictionIntervalUpperBound'), currency: answer.Total?.Unit ?? 'USD' };
    } catch (error) {
      if (error instanceof CeMappingError) throw this.fail({ kind: 'invalid-response', operation: 'GetCostForecast', message: error.message });
      throw error;
    }
  }

  fail(init: ConstructorParameters<typeof CostExplorerError>[0]): CostExplorerError {
    return new CostExplorerError({ ...init, message: scrubSecrets(init.message, this.secrets), requests: this.requests });
  }

  private translate(operation: string, error: AwsErrorLike, attempts: number): CostExplorerError {
    const code = error.name ?? error.code ?? 'Error';
    const status = error.$metadata?.httpStatusCode ?? null;
    const said = error.message ? `: ${truncate(error.message, 300)}` : '';
    const where = this.usesStaticCredentials ? 'the given credentials' : this.profile ? `profile "${this.profile}"` : "the default credential chain's credentials";
    const base = { operation, awsCode: code, status };
    if (THROTTLING_ERROR_CODES.has(code)) {
      return this.fail({ ...base, kind: 'throttled', message: `Cost Explorer kept throttling ${operation} (${code}) after ${attempts} attempts: wait a minute and sync again` });
    }
    if (code === 'DataUnavailableException') {
      return this.fail({
        ...base,
        kind: 'data-unavailable',
        message: `Cost Explorer has no data for this request (DataUnavailableException${said}). Enable Cost Explorer for the account (it takes up to 24 hours to prepare data) or choose a period it covers; nothing was saved`,
      });
    }
    if (code === 'BillExpirationException') {
      return this.fail({ ...base, kind: 'bill-expired', message: `Cost Explorer no longer holds that period (BillExpirationException${said}): choose a later start date; nothing was saved` });
    }
    if (AUTH_ERROR_CODES.has(code)) {
      const access = code.startsWith('AccessDenied') || code === 'UnauthorizedOperation' || code === 'NotAuthorized';
      const expired = code.startsWith('Expired') || code === 'RequestExpired';
      const advice = access
        ? `the identity needs the ce:GetCostAndUsage${operation === 'GetCostForecast' ? ' and ce:GetCostForecast' : ''} permission (and Cost Explorer access for IAM users in the billing console)`
        : expired
          ? `the session has expired: refresh it (for SSO: aws sso login${this.profile ? ` --profile ${this.profile}` : ''})`
          : `check the access key of ${where} (or pick another profile with --profile)`;
      return this.fail({ ...base, kind: 'auth', message: `AWS refused ${where} for ${operation} (${code}${said}): ${advice}; nothing was saved` });
    }
    if (code === 'CredentialsProviderError' || code === 'TokenProviderError') {
      const sso = /sso|token/i.test(error.message ?? '');
      return this.fail({
        ...base,
        status: null,
        kind: 'credentials',
        message: `No usable AWS credentials for ${this.profile ? `profile "${this.profile}"` : 'the default chain'}${said}: ${
          sso ? `run aws sso login${this.profile ? ` --profile ${this.profile}` : ''}` : 'configure a profile (aws configure) or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY'
        }`,
      });
    }
    if (code === 'TimeoutError' || (status === null && (error.code || /ECONN|ENOTFOUND|EAI_AGAIN|socket|network/i.test(`${code} ${error.message ?? ''}`)))) {
      return this.fail({ ...base, status: null, kind: 'network', message: `Cannot reach Cost Explorer for ${operation} (${error.code ?? code}${said})` });
    }
    if (error.$fault === 'server' || (status !== null && status >= 500)) {
      return this.fail({ ...base, kind: 'server', message: `Cost Explorer failed on ${operation} (${code}, HTTP ${status ?? '?'}) after ${attempts} attempts${said}: try again later` });
    }
    if (status !== null) {
      return this.fail({ ...base, kind: 'request', message: `Cost Explorer rejected ${operation} (${code}, HTTP ${status})${said}` });
    }
    return this.fail({ ...base, kind: 'invalid-response', message: `Cost Explorer ${operation} failed (${code})${said}` });
  }

  private cancelled(operation: string): CostExplorerError {
    return this.fail({ kind: 'cancelled', operation, message: `Cost Explorer sync cancelled during ${operation}; nothing was saved` });
  }

  private sleep(ms: number, operation: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const signal = this.signal;
      if (signal?.aborted) return reject(this.cancelled(operation));
      const onAbort = () => {
        clearTimeout(timer);
        reject(this.cancelled(operation));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
