import { formatMoney } from '../format/money';
import type { Threshold } from './budgetSchema';
import type { AlertState } from './types';

/**
 * Alert thresholds with AWS Budgets' semantics: an ACTUAL threshold compares the spend so far in the
 * period, a FORECASTED one the forecast of the period-end total; either against a percentage of the
 * budgeted amount or an absolute amount. A threshold is in ALARM while its figure is greater than
 * its trigger. States are remembered per period, so a state is recorded (and announced) only when it
 * changes; a new period starts every threshold at OK again.
 */

export const thresholdKey = (t: Threshold): string => `${t.basis}:${t.kind}:${t.value}`;

/** The amount at which a threshold fires, for a budgeted amount. */
export function thresholdTrigger(t: Threshold, amount: number): number {
  return t.kind === 'percent' ? (amount * t.value) / 100 : t.value;
}

/** "Actual > 80% of budget ($4,000.00)", "Forecasted > $5,000.00". */
export function thresholdLabel(t: Threshold, amount: number, currency: string): string {
  const basis = t.basis === 'actual' ? 'Actual' : 'Forecasted';
  const trigger = formatMoney(thresholdTrigger(t, amount), currency);
  return t.kind === 'percent' ? `${basis} > ${t.value}% of budget (${trigger})` : `${basis} > ${trigger}`;
}

/** "actual:80%" / "forecasted:5000": how the CLI writes a threshold. */
export function thresholdSpec(t: Threshold): string {
  return `${t.basis}:${t.value}${t.kind === 'percent' ? '%' : ''}`;
}

export interface ThresholdFigures {
  amount: number;
  actual: number;
  /** The period-end forecast that drives FORECASTED thresholds; null when none could be made. */
  forecast: number | null;
}

export interface ThresholdEvaluation {
  key: string;
  state: AlertState;
  /** The figure compared (actual or forecast); null for a forecast threshold without a forecast. */
  value: number | null;
  trigger: number;
  /** Why a FORECASTED threshold could not be judged, if so. */
  note: string | null;
}

export function evaluateThreshold(t: Threshold, figures: ThresholdFigures): ThresholdEvaluation {
  const trigger = thresholdTrigger(t, figures.amount);
  const value = t.basis === 'actual' ? figures.actual : figures.forecast;
  if (value === null) return { key: thresholdKey(t), state: 'OK', value: null, trigger, note: 'no forecast yet (too little spend history): stays OK until one can be made' };
  return { key: thresholdKey(t), state: value > trigger ? 'ALARM' : 'OK', value, trigger, note: null };
}

/** A budget is in ALARM when any of its thresholds is. */
export function budgetState(evaluations: readonly { state: AlertState }[]): AlertState {
  return evaluations.some((e) => e.state === 'ALARM') ? 'ALARM' : 'OK';
}

export interface StoredThresholdState {
  key: string;
  periodStart: string;
  state: AlertState;
  changedAt: string;
}

export interface ThresholdTransition {
  key: string;
  /** The state before: null the first time a threshold is judged (taken as OK). */
  from: AlertState | null;
  to: AlertState;
  /** True when the change should be announced: a real change of state, not a first OK. */
  notify: boolean;
}

/**
 * What changed since the stored states. A stored state from an earlier period counts as OK (the new
 * period starts clean, as AWS Budgets' do); a first evaluation that is OK is stored silently.
 */
export function thresholdTransitions(evaluations: readonly ThresholdEvaluation[], stored: ReadonlyMap<string, StoredThresholdState>, periodStart: string): ThresholdTransition[] {
  const out: ThresholdTransition[] = [];
  for (const e of evaluations) {
    const before = stored.get(e.key);
    const previous: AlertState | null = before === undefined ? null : before.periodStart === periodStart ? before.state : 'OK';
    if (before !== undefined && before.periodStart === periodStart && before.state === e.state) continue;
    // A new period (or a first look) is recorded even when OK, but only a real change is announced.
    out.push({ key: e.key, from: previous, to: e.state, notify: (previous ?? 'OK') !== e.state });
  }
  return out;
}
