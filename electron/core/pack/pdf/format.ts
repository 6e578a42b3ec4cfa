// Text formatting for the audit PDF: the same figures, written the same way, as the app shows them
// (money through shared/format/money.ts, as the app, unit costs as UnitCosts.tsx, timestamps in UTC).
import { formatNumber } from '../../../../shared/fairness/metrics';
import type { RuleStatus } from '../../../../shared/policy/evidence';
import type { VerdictStatus } from '../../../../shared/domain/fairness';

export { formatNumber };
export { formatMoney, formatPercent, formatSignedMoney } from '../../../../shared/format/money';
import { formatCount } from '../../../../shared/format/count';
import { formatMoney } from '../../../../shared/format/money';
export { shortKeyId } from '../../../../shared/signing/keyId';

/** A unit cost: four decimals below one currency unit, since a cost per prediction is often a fraction of a cent. */
export function formatUnitCost(amount: number | null, currency: string): string {
  if (amount === null) return '—';
  if (Math.abs(amount) >= 1) return formatMoney(amount, currency);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 4, maximumFractionDigits: 4 }).format(amount);
  } catch {
    return `${amount.toFixed(4)} ${currency}`;
  }
}

/** Compact money for chart axes: "$0", "$1.5k", "$12k", "$1.2M". */
export function formatMoneyShort(amount: number, currency: string): string {
  const abs = Math.abs(amount);
  const sign = amount < 0 ? '−' : '';
  const symbol = currencySymbol(currency);
  const fmt = (v: number, suffix: string) => `${sign}${symbol}${String(Number(v.toFixed(v < 10 ? 1 : 0)))}${suffix}`;
  if (abs >= 1e6) return fmt(abs / 1e6, 'M');
  if (abs >= 1e3) return fmt(abs / 1e3, 'k');
  return `${sign}${symbol}${String(Number(abs.toFixed(abs < 10 ? 2 : 0)))}`;
}

function currencySymbol(currency: string): string {
  try {
    const part = new Intl.NumberFormat('en-US', { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency');
    return part?.value ?? `${currency} `;
  } catch {
    return `${currency} `;
  }
}

/** A whole count ("12,345"); a fraction is rounded as Intl rounds it. */
export function formatInteger(n: number): string {
  return Number.isInteger(n) ? formatCount(n) : new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(n);
}

/** Unambiguous: "2026-03-14 09:26 UTC". Non-dates are returned as given. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 10);
}

/** Epoch milliseconds (as MLflow gives them) to the same form. */
export function formatEpochMs(ms: number | null): string {
  return ms === null ? '—' : formatTime(new Date(ms).toISOString());
}

export function formatMetric(x: number | undefined | null): string {
  return x === undefined || x === null ? '—' : formatNumber(x);
}

/** A sha256 in groups of eight, so it can be read and compared: "0a1b2c3d 4e5f…". */
export function groupHex(hex: string, size = 8): string {
  return (hex.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join(' ');
}

export function shortHash(hash: string, length = 12): string {
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInteger(n)} ${n === 1 ? one : many}`;
}

/** Status as text, symbol and colour: never colour alone. */
export type StatusKind = RuleStatus | VerdictStatus | 'none' | 'ok' | 'warn';

export interface StatusStyle {
  symbol: string;
  text: string;
  color: string;
}

export const STATUS_COLORS = {
  pass: '#1a7f37',
  fail: '#b42318',
  missing: '#9a6700',
  waived: '#3056a8',
  neutral: '#57606a',
} as const;

export function statusStyle(status: StatusKind): StatusStyle {
  switch (status) {
    case 'pass':
    case 'ok':
      return { symbol: '✓', text: status === 'ok' ? 'OK' : 'PASS', color: STATUS_COLORS.pass };
    case 'fail':
      return { symbol: '✗', text: 'FAIL', color: STATUS_COLORS.fail };
    case 'missing':
      return { symbol: '–', text: 'MISSING', color: STATUS_COLORS.missing };
    case 'waived':
      return { symbol: '≈', text: 'WAIVED', color: STATUS_COLORS.waived };
    case 'not-evaluable':
      return { symbol: '–', text: 'NOT EVALUABLE', color: STATUS_COLORS.missing };
    case 'warn':
      return { symbol: '⚠', text: 'CHECK', color: STATUS_COLORS.missing };
    case 'none':
      return { symbol: '–', text: 'NONE', color: STATUS_COLORS.neutral };
  }
}

export function statusLabel(status: StatusKind): string {
  const s = statusStyle(status);
  return `${s.symbol} ${s.text}`;
}
