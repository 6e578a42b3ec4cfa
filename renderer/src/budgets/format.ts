import type { AnomalyVerdict, AlertState, BacktestResult } from '../../../shared/budgets/types';
import { formatMoney } from '../../../shared/format/money';
import type { Tone } from '../components/ui';

/** Budgets' routes. */
export const BUDGETS_HREF = '#/budgets';
export const NEW_BUDGET_HREF = '#/budgets/new';
export const ANOMALIES_HREF = '#/budgets/anomalies';
export const budgetHref = (id: number): string => `#/budgets/${id}`;

export function stateTone(state: AlertState): Tone {
  return state === 'ALARM' ? 'bad' : 'ok';
}

/** "$1,200.00–$1,480.00": a forecast's interval, en dash between. */
export function formatInterval(low: number, high: number, currency: string): string {
  return `${formatMoney(low, currency)}–${formatMoney(high, currency)}`;
}

/** "80% prediction interval". */
export function levelLabel(level: number): string {
  return `${Math.round(level * 100)}% prediction interval`;
}

/** "The interval held in 11 of 13 back-tests on this budget's history (mean error 8.2%)." */
export function backtestSentence(b: BacktestResult): string {
  const mape = b.meanAbsPctError === null ? '' : ` (mean absolute error of the total ${(b.meanAbsPctError * 100).toFixed(1)}%)`;
  return `The ${Math.round(b.level * 100)}% interval held in ${b.covered} of ${b.origins} back-test${b.origins === 1 ? '' : 's'} on this budget's history, ${b.horizonDays} day${b.horizonDays === 1 ? '' : 's'} ahead${mape}.`;
}

export const VERDICT_LABEL: Record<AnomalyVerdict, string> = { expected: 'Expected', unexpected: 'Unexpected', planned: 'Planned' };

export function verdictTone(verdict: AnomalyVerdict | null): Tone {
  if (verdict === null) return 'warn';
  return verdict === 'unexpected' ? 'bad' : 'info';
}

/** Percent of the amount, for bars (not clamped). */
export function shareOf(value: number, amount: number): number {
  return amount > 0 ? value / amount : 0;
}

export { cumulativeSeries, type CumulativePoint } from '../../../shared/budgets/cumulative';

/** One audit row of a budget's history, in words: what changed, old → new amount where it did. */
export interface HistoryLine {
  what: string;
  amount: { from: number | null; to: number | null } | null;
  reason: string | null;
  fromCurrency?: string | null;
  toCurrency?: string | null;
}

const ACTION_WORD: Record<string, string> = {
  'budget.create': 'Created',
  'budget.created': 'Created',
  'budget.change': 'Changed',
  'budget.changed': 'Changed',
  'budget.update': 'Changed',
  'budget.delete': 'Deleted',
  'budget.deleted': 'Deleted',
  'budget.threshold': 'Threshold changed state',
};

function numberAt(o: unknown, ...path: string[]): number | null {
  let cur: unknown = o;
  for (const p of path) {
    if (!cur || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[p];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
}

function stringAt(o: unknown, key: string): string | null {
  if (!o || typeof o !== 'object') return null;
  const v = (o as Record<string, unknown>)[key];
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** Reads an audit row's detail defensively: its shape is the engine's and may grow. */
export function historyLine(action: string, detail: unknown): HistoryLine {
  const word = ACTION_WORD[action] ?? action.replace(/^budget\./, '');
  if (action === 'budget.threshold') {
    const label = stringAt(detail, 'label');
    const from = stringAt(detail, 'from');
    const to = stringAt(detail, 'to');
    return { what: `${label ?? 'A threshold'}: ${from ?? '?'} → ${to ?? '?'}`, amount: null, reason: null };
  }
  const fromAmount = numberAt(detail, 'oldAmount') ?? numberAt(detail, 'before', 'amount');
  const toAmount = numberAt(detail, 'newAmount') ?? numberAt(detail, 'after', 'amount');
  const changed = detail && typeof detail === 'object' && Array.isArray((detail as { changed?: unknown }).changed) ? ((detail as { changed: unknown[] }).changed.filter((c) => typeof c === 'string') as string[]) : [];
  const fromCurrency = stringAt(detail, 'oldCurrency') ?? stringAt(detail, 'currency');
  const toCurrency = stringAt(detail, 'newCurrency') ?? stringAt(detail, 'currency');
  return {
    fromCurrency,
    toCurrency,
    what: changed.length > 0 ? `${word}: ${changed.join(', ')}` : word,
    amount: fromAmount !== null || toAmount !== null ? { from: fromAmount, to: toAmount } : null,
    reason: stringAt(detail, 'reason'),
  };
}

/** "2026-11-26" and "12:34:13 UTC": a timestamp in two unbreakable halves, so a narrow cell never splits a date. */
export function timestampParts(iso: string): [string, string] {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return [iso, ''];
  const text = d.toISOString();
  return [text.slice(0, 10), `${text.slice(11, 19)} UTC`];
}
