/**
 * Typed failures of the AWS Cost Explorer connector. Every message says what went wrong and what to
 * do, and never carries a credential: access key ids and secrets are scrubbed before construction.
 */

export type CostExplorerErrorKind =
  | 'auth' // AWS refused the credentials: invalid, expired, or not allowed to call ce:*
  | 'credentials' // no credentials could be loaded (no profile, expired SSO session, ...)
  | 'throttled' // LimitExceededException after every retry
  | 'data-unavailable' // DataUnavailableException: Cost Explorer has no data for the account or period
  | 'bill-expired' // BillExpirationException: the period is too old
  | 'request' // Cost Explorer rejected the request (validation, bad page token, ...)
  | 'server' // 5xx after every retry
  | 'network' // no answer: refused, reset, DNS, timeout
  | 'cancelled' // the caller's AbortSignal fired
  | 'invalid-response' // an answer of the wrong shape
  | 'config'; // the options themselves are unusable

export class CostExplorerError extends Error {
  readonly kind: CostExplorerErrorKind;
  /** The AWS error name (LimitExceededException, UnrecognizedClientException...), when there was one. */
  readonly awsCode: string | null;
  /** HTTP status, when AWS answered. */
  readonly status: number | null;
  /** The operation that failed: GetCostAndUsage or GetCostForecast. */
  readonly operation: string;
  /** API requests sent before the failure (each is billed $0.01). */
  readonly requests: number;

  constructor(init: { kind: CostExplorerErrorKind; message: string; operation: string; awsCode?: string | null; status?: number | null; requests?: number }) {
    super(init.message);
    this.name = 'CostExplorerError';
    this.kind = init.kind;
    this.awsCode = init.awsCode ?? null;
    this.status = init.status ?? null;
    this.operation = init.operation;
    this.requests = init.requests ?? 0;
  }
}

/** AWS error names that mean "these credentials do not work here". */
export const AUTH_ERROR_CODES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
  'ExpiredToken',
  'RequestExpired',
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'NotAuthorized',
]);

/** Throttling names the connector retries with backoff. */
export const THROTTLING_ERROR_CODES = new Set(['LimitExceededException', 'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g;

/** Removes the given secrets and anything shaped like an AWS access key id. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out.replace(ACCESS_KEY_ID, '***');
}
