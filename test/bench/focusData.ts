// Deterministic FOCUS 1.0 cost and usage rows as CSV, for benchmarks and tests of the FOCUS import.
// The same row count always gives the same bytes (about 330 bytes a row).
//
// Rows are hourly charges over 90 days from 2026-01-01 across 3 sub-accounts of one AWS billing account:
// SageMaker endpoints, EC2 GPU instances, S3 and CloudWatch. About 60 % of rows carry an `ml:model` tag and
// 75 % a `team` tag (the rest are untagged, as real bills are); 1 in 200 is a Correction restating an earlier
// day, 1 in 100 a Credit (negative cost). Costs are written with 10 decimals, from whole units of 1e-10, so
// an exact decimal sum is easy to compute independently.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mulberry32 } from '../support/seededRandom';

export const FOCUS_BENCH_HEADER = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory',
  'ChargeClass', 'ChargeDescription', 'ChargePeriodEnd', 'ChargePeriodStart', 'ConsumedQuantity', 'ContractedCost', 'EffectiveCost',
  'InvoiceIssuerName', 'ListCost', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId', 'ResourceId',
  'ServiceCategory', 'ServiceName', 'SubAccountId', 'Tags', 'x_UsageType',
];

const MODELS = ['fraud-scorer', 'credit-risk', 'churn-predictor', 'doc-classifier', 'ranker', 'claims-triage'];
const TEAMS = ['risk-ml', 'growth-ml', 'platform'];
const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const SERVICES = [
  { name: 'Amazon SageMaker', category: 'AI and Machine Learning', unit: 'Hrs', usage: 'USE1-Host:ml.g5.xlarge', desc: 'ml.g5.xlarge hosting instance hour' },
  { name: 'Amazon Elastic Compute Cloud', category: 'Compute', unit: 'Hrs', usage: 'BoxUsage:p4d.24xlarge', desc: 'p4d.24xlarge On Demand Linux hour' },
  { name: 'Amazon Simple Storage Service', category: 'Storage', unit: 'GB-Mo', usage: 'TimedStorage-ByteHrs', desc: 'Standard storage GB-month' },
  { name: 'AmazonCloudWatch', category: 'Management and Governance', unit: 'Metrics', usage: 'CW:MetricMonitorUsage', desc: 'metric-month' },
];
const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 0, 1);

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** An integer count of 1e-10 units as a decimal string with 10 places. */
function decimal(units: number): string {
  const sign = units < 0 ? '-' : '';
  const s = String(Math.abs(units)).padStart(11, '0');
  return `${sign}${s.slice(0, -10)}.${s.slice(-10)}`;
}

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Row `i` of the deterministic data set (without the trailing newline). */
function row(i: number, random: () => number): string {
  const service = SERVICES[i % SERVICES.length]!;
  const account = ACCOUNTS[Math.floor(random() * ACCOUNTS.length)]!;
  const hour = Math.floor(random() * 90 * 24);
  const correction = i % 200 === 199;
  const credit = !correction && i % 100 === 42;
  const startMs = START + (correction ? Math.max(0, hour - 7 * 24) : hour) * 3_600_000;
  const model = random() < 0.6 ? MODELS[Math.floor(random() * MODELS.length)]! : null;
  const team = random() < 0.75 ? TEAMS[Math.floor(random() * TEAMS.length)]! : null;
  const quantityUnits = Math.floor(random() * 1e10) + 1;
  let listUnits = Math.floor(random() * 5e10);
  if (credit || correction) listUnits = -Math.floor(listUnits / 10);
  const effectiveUnits = Math.round(listUnits * 0.8);
  const billingStart = Date.UTC(new Date(startMs).getUTCFullYear(), new Date(startMs).getUTCMonth(), 1);
  const billingEnd = Date.UTC(new Date(startMs).getUTCFullYear(), new Date(startMs).getUTCMonth() + 1, 1);
  const tags: Record<string, string> = {};
  if (model) tags['ml:model'] = model;
  if (team) tags.team = team;
  if (random() < 0.3) tags.env = random() < 0.5 ? 'prod' : 'staging';
  const resource = `arn:aws:sagemaker:us-east-1:${account}:endpoint/${model ?? 'shared'}-${i % 7}`;
  return [
    decimal(listUnits),
    '"123456789012"',
    '"Example Corp"',
    '"USD"',
    quote(stamp(billingEnd)),
    quote(stamp(billingStart)),
    credit ? '"Credit"' : '"Usage"',
    correction ? '"Correction"' : 'NULL',
    quote(service.desc),
    quote(stamp(startMs + 3_600_000)),
    quote(stamp(startMs)),
    decimal(quantityUnits),
    decimal(listUnits),
    decimal(effectiveUnits),
    '"Amazon Web Services, Inc."',
    decimal(listUnits),
    decimal(quantityUnits),
    quote(service.unit),
    '"AWS"',
    '"Amazon Web Services, Inc."',
    '"us-east-1"',
    quote(resource),
    quote(service.category),
    quote(service.name),
    quote(account),
    Object.keys(tags).length > 0 ? quote(JSON.stringify(tags)) : 'NULL',
    quote(service.usage),
  ].join(',');
}

/** Yields the CSV in pieces of about `rowsPerChunk` rows, header first: bounded memory for any size. */
export function* focusCsvChunks(rows: number, rowsPerChunk = 5_000): Generator<string> {
  const random = mulberry32(0x5eed_f0c5);
  yield `${FOCUS_BENCH_HEADER.join(',')}\n`;
  for (let from = 0; from < rows; from += rowsPerChunk) {
    const lines: string[] = [];
    for (let i = from; i < Math.min(rows, from + rowsPerChunk); i++) lines.push(row(i, random));
    yield `${lines.join('\n')}\n`;
  }
}

/** The whole CSV as one string (for up to a few hundred thousand rows; use writeFocusCsv beyond). */
export function generateFocusCsv(rows: number): string {
  return [...focusCsvChunks(rows)].join('');
}

/** Writes the CSV to a file without holding it in memory; resolves to its size in bytes. */
export async function writeFocusCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  for (const chunk of focusCsvChunks(rows)) {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

export const FOCUS_BENCH_DAYS = 90;
export const FOCUS_BENCH_START_DAY = new Date(START).toISOString().slice(0, 10);
export const FOCUS_BENCH_LAST_DAY = new Date(START + (FOCUS_BENCH_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
