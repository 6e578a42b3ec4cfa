import type { Database } from 'better-sqlite3';
import { addDays } from '../../../shared/budgets/dailySeries';
import type { SunsetPlan } from '../../../shared/lifecycle/sunsetPlan';
import { DAYS_PER_MONTH } from '../../../shared/lifecycle/lifecyclePolicy';
import { servingVersion } from './candidates';
import { sunsetSaving } from '../../../shared/lifecycle/sunsetCalculator';
import type { SunsetSavingView } from '../../../shared/lifecycle/lifecycleViews';
import type { VersionRef } from '../reviews/reviewEvidence';

export type { SunsetSavingView };

/**
 * What retiring a version saves each month, from the spend attributed to it. Spend is attributed to
 * models by tag (or to one version when its resources carry "<model>@<version>"), so: version-tagged
 * spend counts when there is any; otherwise the model's spend counts only when the version is the
 * one serving and nothing of the same model replaces it (retiring it ends the model's use). A
 * superseded version replaced within its model saves only what is tagged to it.
 */

/** Days of spend averaged into a month (a month being DAYS_PER_MONTH days). */
export const SPEND_WINDOW_DAYS = 30;

/** Effective spend per month over the last 30 days of spend data, for some tag values, in their main currency. */
export function attributedMonthlySpend(db: Database, tagValues: readonly string[]): { monthly: number; currency: string; window: { from: string; to: string } | null } {
  const last = (db.prepare('SELECT max(day) AS day FROM spend_daily').get() as { day: string | null }).day;
  if (!last) return { monthly: 0, currency: 'USD', window: null };
  const from = addDays(last, -(SPEND_WINDOW_DAYS - 1));
  const rows = db
    .prepare(`SELECT currency, SUM(effective_cost) AS cost FROM spend_daily WHERE tag_model IN (${tagValues.map(() => '?').join(', ')}) AND day BETWEEN ? AND ? GROUP BY currency ORDER BY cost DESC, currency`)
    .all(...tagValues, from, last) as { currency: string; cost: number }[];
  const main = rows[0];
  return { monthly: main ? (main.cost * DAYS_PER_MONTH) / SPEND_WINDOW_DAYS : 0, currency: main?.currency ?? 'USD', window: { from, to: last } };
}

/** The day a saving is judged from: the retirement date, or today once that has passed (or when none is set). */
export function savingFrom(retirementDate: string | undefined, now: Date): string {
  const today = now.toISOString().slice(0, 10);
  return retirementDate && /^\d{4}-\d{2}-\d{2}$/.test(retirementDate) && retirementDate > today ? retirementDate : today;
}

export function sunsetSavingFor(db: Database, ref: VersionRef, plan: Pick<SunsetPlan, 'replacement' | 'sharedMonthly' | 'commitments'>, asOf: string): SunsetSavingView {
  const serving = servingVersion(db, ref.model) === ref.version;
  const replacedWithin = plan.replacement?.model === ref.model;
  const tagged = `${ref.model}@${ref.version}`;
  let spend: ReturnType<typeof attributedMonthlySpend>;
  let basis: string;
  if (serving && !replacedWithin) {
    // Retiring the serving version with nothing of the model taking over ends the model's spend.
    spend = attributedMonthlySpend(db, [ref.model, tagged]);
    basis = `the model's attributed spend (version ${ref.version} serves it, and nothing of ${ref.model} replaces it)`;
  } else {
    // Otherwise the model's spend carries on under its other version: only what is tagged to this one stops.
    spend = attributedMonthlySpend(db, [tagged]);
    if (spend.monthly > 0) basis = `spend tagged ${tagged}`;
    else if (serving) basis = `none: ${plan.replacement!.model}@${plan.replacement!.version} takes over the model's traffic and spend, and no spend is tagged ${tagged}`;
    else basis = `none separable: the model's spend is not tagged by version (tag ${tagged}'s resources to count it)`;
  }
  const result = sunsetSaving({ attributedMonthly: spend.monthly, sharedMonthly: plan.sharedMonthly, commitments: plan.commitments, asOf, currency: spend.currency });
  const window = spend.window ? `, ${spend.window.from} to ${spend.window.to}` : '';
  return { currency: spend.currency, attributedMonthly: spend.monthly, basis: `${basis}${window}`, window: spend.window, ...result };
}
