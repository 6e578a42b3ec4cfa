import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';

// The test's own oracle for FOCUS totals: csv-parse reads the file (not Docket's reader) and costs are
// added as BigInt counts of 1e-15 units (not floats), so a total is exact before it is rounded to the cent.

const SCALE = 15;

export function toUnits(text: string): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const fraction = (m[3] ?? '').padEnd(SCALE, '0');
  if (fraction.length > SCALE) throw new Error(`more than ${SCALE} decimals: ${text}`);
  const units = BigInt(`${m[2] || '0'}${fraction}`);
  return m[1] === '-' ? -units : units;
}

/** Rounds half away from zero to whole cents, as a string like "-12.34". */
export function unitsToCents(units: bigint): string {
  const perCent = 10n ** BigInt(SCALE - 2);
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const cents = (abs + perCent / 2n) / perCent;
  const text = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  return negative && cents !== 0n ? `-${text}` : text;
}

export function floatToCents(value: number): string {
  return unitsToCents(toUnits(value.toFixed(SCALE - 2)));
}

/** Per currency, the exact sums of BilledCost and EffectiveCost of a FOCUS CSV (or gzip CSV) file. */
export function decimalTotals(path: string): Map<string, { billed: bigint; effective: bigint; rows: number }> {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const records = parse(bytes, { columns: true, bom: true }) as Record<string, string>[];
  const totals = new Map<string, { billed: bigint; effective: bigint; rows: number }>();
  for (const r of records) {
    const currency = r.BillingCurrency!;
    const t = totals.get(currency) ?? { billed: 0n, effective: 0n, rows: 0 };
    t.billed += toUnits(r.BilledCost!);
    t.effective += toUnits(r.EffectiveCost!);
    t.rows += 1;
    totals.set(currency, t);
  }
  return totals;
}
