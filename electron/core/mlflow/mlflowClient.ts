import type { z } from 'zod';
import { describeFirstIssue, jsonPath } from '../inputFileError';

/**
 * A small client for MLflow's REST API 2.0 over global fetch. It owns the things every call needs:
 * the base URL, the bearer token (held privately, never logged, scrubbed from every message), a
 * per-request timeout, retries for 429 and 5xx, JSON parsing, zod validation and a request count.
 */

export type MlflowErrorKind =
  | 'http' // the server answered with a status >= 400
  | 'network' // no answer: refused, reset, DNS
  | 'timeout' // no answer within timeoutMs
  | 'cancelled' // the caller's AbortSignal fired
  | 'invalid-json' // the body is not JSON
  | 'invalid-response' // JSON of the wrong shape
  | 'config'; // the URL itself is unusable

export class MlflowError extends Error {
  readonly kind: MlflowErrorKind;
  /** HTTP status, when the server answered. */
  readonly status: number | null;
  /** MLflow's `error_code` (UNAUTHENTICATED, RESOURCE_DOES_NOT_EXIST...), when the body carried one. */
  readonly errorCode: string | null;
  /** The endpoint relative to /api/2.0/mlflow/, e.g. "registered-models/search". */
  readonly endpoint: string;

  constructor(init: { kind: MlflowErrorKind; message: string; endpoint: string; status?: number | null; errorCode?: string | null }) {
    super(init.message);
    this.name = 'MlflowError';
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.errorCode = init.errorCode ?? null;
    this.endpoint = init.endpoint;
  }
}

export interface MlflowRetryOptions {
  /** Retries after HTTP 429 before giving up (default 5). */
  maxRateLimitRetries?: number;
  /** Longest wait honoured from Retry-After, in ms (default 30 000); longer requests are capped. */
  maxRetryAfterMs?: number;
  /** Retries after a 5xx or a dropped connection (default 3). */
  maxServerErrorRetries?: number;
  /** First backoff after a 5xx, doubled each retry (default 500 ms). */
  backoffMs?: number;
  /** Cap on one backoff wait (default 8 000 ms). */
  maxBackoffMs?: number;
}

export interface MlflowClientOptions {
  /** Tracking server URL: "http://host:5000", with or without a trailing "/api/2.0/mlflow". */
  url: string;
  /** Bearer token. Used for the Authorization header only. */
  token?: string;
  /** Where the token came from, for messages: an env var name such as "MLFLOW_TRACKING_TOKEN" (default "the saved token"). */
  tokenSource?: string;
  /** Per-request timeout in ms, body included (default 30 000). */
  timeoutMs?: number;
  retry?: MlflowRetryOptions;
  /** Cancels every request of this client, including retry waits. */
  signal?: AbortSignal;
  /** Largest response body accepted (default 64 MiB). */
  maxResponseBytes?: number;
}

const API_PREFIX = '/api/2.0/mlflow/';
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface NormalisedUrl {
  /** What we show and record: scheme, host, port and path prefix; no credentials, query or fragment. */
  displayUrl: string;
  /** `${displayUrl}/api/2.0/mlflow/` */
  apiBase: string;
  /** user:password from the URL (MLflow's basic-auth app), moved into a header because fetch refuses URLs with credentials. */
  basicAuth: string | null;
}

/** Accepts "host:5000/", "http://host:5000/api/2.0/mlflow/", "https://proxy/mlflow" and the like. */
export function normaliseMlflowUrl(raw: string): NormalisedUrl {
  const trimmed = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new MlflowError({ kind: 'config', endpoint: '', message: `"${stripCredentials(trimmed)}" is not a valid MLflow tracking URL` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MlflowError({ kind: 'config', endpoint: '', message: `MLflow tracking URLs use http or https, not ${url.protocol}` });
  }
  const basicAuth = url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : null;
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/(ajax-)?api\/2\.0\/(preview\/)?mlflow$/, '');
  const displayUrl = `${url.protocol}//${url.host}${path}`;
  return { displayUrl, apiBase: `${displayUrl}${API_PREFIX}`, basicAuth };
}

function stripCredentials(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/, '//');
}

/**
 * Credentials live outside the client object, so logging or inspecting a client never shows them
 * (and the code stays free of #private fields, which the security scanner's parser cannot read).
 */
const CREDENTIALS = new WeakMap<MlflowClient, { authorization: string | null; secrets: string[] }>();

export class MlflowClient {
  readonly url: string;
  /** HTTP requests sent, retries included, by endpoint. */
  readonly requests: Record<string, number> = {};
  private readonly apiBase: string;
  private readonly tokenSource: string;
  private readonly hasToken: boolean;
  private readonly timeoutMs: number;
  private readonly retry: Required<MlflowRetryOptions>;
  private readonly signal: AbortSignal | undefined;
  private readonly maxResponseBytes: number;

  constructor(options: MlflowClientOptions) {
    const { displayUrl, apiBase, basicAuth } = normaliseMlflowUrl(options.url);
    this.url = displayUrl;
    this.apiBase = apiBase;
    const token = options.token?.trim() || null;
    this.hasToken = token !== null || basicAuth !== null;
    CREDENTIALS.set(this, {
      authorization: token ? `Bearer ${token}` : basicAuth ? `Basic ${Buffer.from(basicAuth).toString('base64')}` : null,
      secrets: [token, basicAuth, basicAuth?.split(':').slice(1).join(':')].filter((s): s is string => !!s && s.length >= 4),
    });
    this.tokenSource = options.tokenSource ?? (basicAuth && !token ? 'the URL' : 'the saved token');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = {
      maxRateLimitRetries: options.retry?.maxRateLimitRetries ?? 5,
      maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 30_000,
      maxServerErrorRetries: options.retry?.maxServerErrorRetries ?? 3,
      backoffMs: options.retry?.backoffMs ?? 500,
      maxBackoffMs: options.retry?.maxBackoffMs ?? 8_000,
    };
    this.signal = options.signal;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  /** GET `endpoint` with `params`, retrying as configured, and validate the JSON body with `schema`. */
  async get<S extends z.ZodType>(endpoint: string, params: Record<string, string | number | undefined>, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
    const target = `${this.apiBase}${endpoint}${query.size > 0 ? `?${query}` : ''}`;
    const body = await this.fetchWithRetries(endpoint, target, signal);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      const hint = /^\s*</.test(body) ? ` (got HTML: is ${this.url} an MLflow tracking server?)` : '';
      throw this.error({ kind: 'invalid-json', endpoint, message: `MLflow returned invalid JSON from ${endpoint}: ${(error as Error).message}${hint}` });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const problem = describeFirstIssue(parsed.error, json, (path) => jsonPath(path));
      throw this.error({ kind: 'invalid-response', endpoint, message: `MLflow returned an unexpected response from ${endpoint}: ${problem.reason}` });
    }
    return parsed.data;
  }

  /**
   * POST a JSON body to `endpoint` (MLflow's write calls, e.g. "model-versions/set-tag"). Retried like
   * GET: the write calls Docket makes are idempotent (setting a tag to the same value twice is harmless).
   */
  async post(endpoint: string, payload: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
    await this.fetchWithRetries(endpoint, `${this.apiBase}${endpoint}`, signal, JSON.stringify(payload));
  }

  private async fetchWithRetries(endpoint: string, target: string, signal: AbortSignal | undefined, postBody?: string): Promise<string> {
    const signals = [this.signal, signal].filter((s): s is AbortSignal => s !== undefined);
    const cancel = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    let rateLimitRetries = 0;
    let serverErrorRetries = 0;
    for (;;) {
      if (cancel?.aborted) throw this.cancelled(endpoint);
      const outcome = await this.attempt(endpoint, target, cancel, postBody);
      if (outcome.ok) return outcome.body;
      const { status, retryAfterMs, error } = outcome;
      if (status === 429 && rateLimitRetries < this.retry.maxRateLimitRetries) {
        rateLimitRetries += 1;
        const wait = Math.min(retryAfterMs ?? this.backoff(rateLimitRetries), this.retry.maxRetryAfterMs);
        await this.sleep(wait, cancel, endpoint);
        continue;
      }
      const retryable5xx = status !== null && status >= 500;
      const retryableNetwork = error.kind === 'network' && outcome.transient;
      if ((retryable5xx || retryableNetwork) && serverErrorRetries < this.retry.maxServerErrorRetries) {
        serverErrorRetries += 1;
        await this.sleep(this.backoff(serverErrorRetries), cancel, endpoint);
        continue;
      }
      if (status === 429) {
        throw this.error({
          kind: 'http',
          endpoint,
          status,
          errorCode: error.errorCode,
          message: `MLflow kept rate-limiting ${endpoint} (HTTP 429${error.errorCode ? ` ${error.errorCode}` : ''}) after ${rateLimitRetries} retries: try again later`,
        });
      }
      if (retryable5xx && serverErrorRetries > 0) {
        throw this.error({ kind: 'http', endpoint, status, errorCode: error.errorCode, message: `${error.message} (after ${serverErrorRetries} retries)` });
      }
      throw error;
    }
  }

  private async attempt(
    endpoint: string,
    target: string,
    cancel: AbortSignal | undefined,
    postBody?: string,
  ): Promise<{ ok: true; body: string } | { ok: false; status: number | null; retryAfterMs: number | null; transient: boolean; error: MlflowError }> {
    this.requests[endpoint] = (this.requests[endpoint] ?? 0) + 1;
    // One controller per attempt, with a timer we clear ourselves: a sync makes tens of thousands of
    // requests, and AbortSignal.timeout/any would leave a 30 s timer and a dependant signal behind for each.
    const attempt = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, this.timeoutMs);
    const onCancel = () => attempt.abort();
    cancel?.addEventListener('abort', onCancel, { once: true });
    const headers: Record<string, string> = { accept: 'application/json' };
    const { authorization } = CREDENTIALS.get(this)!;
    if (authorization) headers.authorization = authorization;
    let response: Response;
    let body: string;
    try {
      if (postBody !== undefined) headers['content-type'] = 'application/json';
      response = await fetch(target, { method: postBody === undefined ? 'GET' : 'POST', headers, body: postBody, signal: attempt.signal, redirect: 'follow' });
      body = await this.readBody(response, endpoint);
    } catch (error) {
      if (error instanceof MlflowError) throw error;
      if (cancel?.aborted) throw this.cancelled(endpoint);
      if (timedOut) {
        throw this.error({ kind: 'timeout', endpoint, message: `MLflow did not answer ${endpoint} within ${formatMs(this.timeoutMs)} (${this.url})` });
      }
      const { code, detail } = networkCause(error);
      const transient = code !== 'ECONNREFUSED' && code !== 'ENOTFOUND' && code !== 'EAI_AGAIN' && !code?.startsWith('ERR_TLS') && !code?.includes('CERT');
      return {
        ok: false,
        status: null,
        retryAfterMs: null,
        transient,
        error: this.error({ kind: 'network', endpoint, message: `cannot reach ${this.url}: ${detail}` }),
      };
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    }
    if (response.status < 400) return { ok: true, body };
    const { errorCode, serverMessage } = parseErrorBody(body);
    return {
      ok: false,
      status: response.status,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      transient: false,
      error: this.error({ kind: 'http', endpoint, status: response.status, errorCode, message: this.httpMessage(endpoint, response.status, errorCode, serverMessage) }),
    };
  }

  private async readBody(response: Response, endpoint: string): Promise<string> {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
      await response.body?.cancel();
      throw this.tooLarge(endpoint);
    }
    if (!response.body) return '';
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > this.maxResponseBytes) {
        await response.body.cancel().catch(() => undefined);
        throw this.tooLarge(endpoint);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private tooLarge(endpoint: string): MlflowError {
    return this.error({ kind: 'invalid-response', endpoint, message: `MLflow's answer to ${endpoint} is larger than ${this.maxResponseBytes} bytes: refused` });
  }

  private httpMessage(endpoint: string, status: number, errorCode: string | null, serverMessage: string | null): string {
    const said = serverMessage ? `: ${truncate(serverMessage, 300)}` : '';
    if (status === 401 || status === 403) {
      const code = errorCode ?? (status === 401 ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED');
      if (!this.hasToken) {
        return `MLflow requires a token (${code}, HTTP ${status} from ${endpoint}): no token was given; set MLFLOW_TRACKING_TOKEN or save a token for ${this.url}`;
      }
      return `MLflow refused the token (${code}): check the token in ${this.tokenSource} (HTTP ${status} from ${endpoint} at ${this.url})${said}`;
    }
    if (status === 404) {
      if (errorCode) return `MLflow: ${endpoint} found nothing (${errorCode})${said}`;
      return `MLflow endpoint ${endpoint} not found (HTTP 404) — is ${this.url} an MLflow tracking server?`;
    }
    if (status === 429) return `MLflow is rate-limiting ${endpoint} (HTTP 429)${said}`;
    if (status >= 500) return `MLflow failed on ${endpoint} (HTTP ${status}${errorCode ? ` ${errorCode}` : ''})${said}`;
    return `MLflow rejected ${endpoint} (HTTP ${status}${errorCode ? ` ${errorCode}` : ''})${said}`;
  }

  /** Every message passes through here, so a token echoed by a server or a proxy never reaches a log. */
  private error(init: ConstructorParameters<typeof MlflowError>[0]): MlflowError {
    let message = init.message;
    for (const secret of CREDENTIALS.get(this)?.secrets ?? []) message = message.split(secret).join('***');
    return new MlflowError({ ...init, message });
  }

  private cancelled(endpoint: string): MlflowError {
    return new MlflowError({ kind: 'cancelled', endpoint, message: `MLflow sync cancelled during ${endpoint}` });
  }

  private backoff(attempt: number): number {
    return Math.min(this.retry.backoffMs * 2 ** (attempt - 1), this.retry.maxBackoffMs);
  }

  private sleep(ms: number, cancel: AbortSignal | undefined, endpoint: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (cancel?.aborted) return reject(this.cancelled(endpoint));
      const onAbort = () => {
        clearTimeout(timer);
        reject(this.cancelled(endpoint));
      };
      const timer = setTimeout(() => {
        cancel?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      cancel?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function parseErrorBody(body: string): { errorCode: string | null; serverMessage: string | null } {
  try {
    const json = JSON.parse(body) as unknown;
    if (json && typeof json === 'object') {
      const { error_code: errorCode, message } = json as Record<string, unknown>;
      return { errorCode: typeof errorCode === 'string' ? errorCode : null, serverMessage: typeof message === 'string' ? message : null };
    }
  } catch {
    // Not JSON: a proxy's or a non-MLflow server's error page. The status says enough.
  }
  return { errorCode: null, serverMessage: null };
}

/** undici wraps socket errors: TypeError("fetch failed") with a cause that has the errno code (or an AggregateError of them). */
function networkCause(error: unknown): { code: string | undefined; detail: string } {
  let cause: unknown = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof AggregateError && cause.errors.length > 0) cause = cause.errors[0];
  const code = typeof (cause as { code?: unknown })?.code === 'string' ? (cause as { code: string }).code : undefined;
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code, detail: message || code || 'unknown network error' };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
