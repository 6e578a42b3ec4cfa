/**
 * What Docket checks of a FOCUS file: which version its columns say it is, which columns that version
 * makes mandatory, and how each value is read (the literal NULL, both timestamp spellings, decimals).
 * Column levels come from shared/reference/focus/focus_columns_by_version.csv (FOCUS 1.0, 1.1, 1.2).
 */

export type FocusVersion = '1.0' | '1.1' | '1.2';

/** Mandatory in 1.0, 1.1 and 1.2 alike. */
const MANDATORY = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
] as const;

/** Columns that first appear in a version: their presence dates the file. */
const INTRODUCED_IN_1_2 = ['BillingAccountType', 'InvoiceId', 'PricingCurrency', 'PricingCurrencyContractedUnitPrice', 'PricingCurrencyEffectiveCost', 'PricingCurrencyListUnitPrice', 'SubAccountType', 'ServiceProviderName', 'HostProviderName'];
const INTRODUCED_IN_1_1 = ['CapacityReservationId', 'CapacityReservationStatus', 'CommitmentDiscountQuantity', 'CommitmentDiscountUnit', 'ServiceSubcategory', 'SkuMeter', 'SkuPriceDetails'];

/** Later FOCUS releases rename these; a file carrying the new name satisfies the old mandatory column. */
const RENAMED: Record<string, string> = { ProviderName: 'ServiceProviderName', PublisherName: 'HostProviderName' };

export const MANDATORY_COLUMNS: Record<FocusVersion, readonly string[]> = { '1.0': MANDATORY, '1.1': MANDATORY, '1.2': MANDATORY };

export function detectFocusVersion(columns: ReadonlySet<string>): FocusVersion {
  if (INTRODUCED_IN_1_2.some((c) => columns.has(c))) return '1.2';
  if (INTRODUCED_IN_1_1.some((c) => columns.has(c))) return '1.1';
  return '1.0';
}

/** The version's mandatory columns that the header lacks, in the specification's order. */
export function missingMandatoryColumns(columns: ReadonlySet<string>, version: FocusVersion): string[] {
  return MANDATORY_COLUMNS[version].filter((c) => !columns.has(c) && !(RENAMED[c] !== undefined && columns.has(RENAMED[c])));
}

export const CHARGE_CATEGORIES = new Set(['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment']);

/** A value problem in one column of one row. */
export class FocusValueError extends Error {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {
    super(`column ${column}: ${reason}`);
    this.name = 'FocusValueError';
  }
}

/** The FinOps Foundation's sample writes absent values as the literal NULL; an empty field is absent too. */
export function nullable(value: string | undefined): string | null {
  return value === undefined || value === '' || value === 'NULL' ? null : value;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function readDecimal(column: string, raw: string | undefined, required: boolean): number | null {
  const value = nullable(raw);
  if (value === null) {
    if (required) throw new FocusValueError(column, 'is empty; FOCUS requires a value');
    return null;
  }
  if (!DECIMAL.test(value)) throw new FocusValueError(column, `'${shorten(value)}' is not a number`);
  const n = Number(value);
  if (!Number.isFinite(n)) throw new FocusValueError(column, `'${shorten(value)}' is out of range`);
  return n;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * "2024-09-18 22:00:00" (UTC, as the FOCUS sample and several exports write it) or ISO 8601 with an
 * optional offset -> "2024-09-18T22:00:00Z". Out-of-range parts (month 13, February 30) are refused.
 */
export function readTimestamp(column: string, raw: string | undefined): string {
  // Bills repeat the same few thousand hour marks millions of times: remember recent answers.
  const known = raw === undefined ? undefined : recentTimestamps.get(raw);
  if (known !== undefined) return known;
  const iso = parseTimestamp(column, raw);
  if (recentTimestamps.size >= 50_000) recentTimestamps.clear();
  recentTimestamps.set(raw!, iso);
  return iso;
}

const recentTimestamps = new Map<string, string>();

function parseTimestamp(column: string, raw: string | undefined): string {
  const value = nullable(raw);
  if (value === null) throw new FocusValueError(column, 'is empty; FOCUS requires a date-time');
  const m = TIMESTAMP.exec(value);
  if (!m) throw new FocusValueError(column, `'${shorten(value)}' is not a date-time (use ISO 8601 or YYYY-MM-DD HH:MM:SS)`);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(millis);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new FocusValueError(column, `'${shorten(value)}' is not a valid date-time`);
  }
  const fraction = m[7] ? Number(m[7]) * 1000 : 0;
  const offset = m[8];
  let utc = millis + fraction;
  if (offset && offset !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    utc -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  if (utc === millis && fraction === 0) return `${value.slice(0, 10)}T${pad(hour)}:${pad(minute)}:${pad(second)}Z`;
  const iso = new Date(utc).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** Tags: a JSON object of string keys. Returns the object (or null when absent). */
export function readTags(raw: string | undefined): Record<string, unknown> | null {
  const value = nullable(raw);
  if (value === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new FocusValueError('Tags', `'${shorten(value)}' is not a JSON object`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new FocusValueError('Tags', `'${shorten(value)}' is not a JSON object`);
  return parsed as Record<string, unknown>;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function shorten(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}
