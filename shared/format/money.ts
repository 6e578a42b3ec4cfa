import { formatCount } from './count';

/**
 * How money and ratios are written, everywhere a figure appears: the app's views and the audit PDF
 * use these same functions, so a figure reads the same in both.
 */
const formatters = new Map<string, Intl.NumberFormat>();

/** An amount in its currency, always 2 decimals (e.g. "$1,234.50", "€12.00"). Unknown codes fall back to "12.00 XYZ". */
export function formatMoney(amount: number, currency: string): string {
  let f = formatters.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch {
      const plain = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      return `${plain.format(amount)} ${currency}`;
    }
    formatters.set(currency, f);
  }
  return f.format(amount);
}

/** A change with its sign: "+$12.00", "−$3.50". */
export function formatSignedMoney(amount: number, currency: string): string {
  if (amount === 0) return formatMoney(0, currency);
  return `${amount > 0 ? '+' : '−'}${formatMoney(Math.abs(amount), currency)}`;
}

/**
 * A ratio as a percentage with one decimal; `signed` adds "+" or "−". From 1,000% on, whole and
 * grouped ("409,478%", not "409478.2%"): an overrun that size is read by its order, not its tenths.
 */
export function formatPercent(ratio: number, signed = false): string {
  const pct = Math.abs(ratio) * 100;
  const text = Math.round(pct * 10) >= 10_000 && Number.isFinite(pct) ? `${formatCount(Math.round(pct))}%` : `${pct.toFixed(1)}%`;
  if (ratio === 0) return text;
  if (signed) return `${ratio > 0 ? '+' : '−'}${text}`;
  return ratio < 0 ? `−${text}` : text;
}
