/**
 * Why a model (or one of its versions) is a sunset candidate. Each reason carries a sentence with its
 * numbers, so a reviewer can check it without opening another view, and the same numbers as data
 * (`figures`) for the UI and the CLI's JSON.
 */

export const SUNSET_REASON_CODES = [
  'low-traffic-for-cost',
  'no-traffic',
  'superseded',
  'stale',
  'expired-evidence',
  'failing-fairness',
  'failing-policy',
  'no-owner',
] as const;
export type SunsetReasonCode = (typeof SUNSET_REASON_CODES)[number];

export const SUNSET_REASON_LABELS: Record<SunsetReasonCode, string> = {
  'low-traffic-for-cost': 'Low traffic for its cost',
  'no-traffic': 'No traffic',
  superseded: 'Superseded by a newer version',
  stale: 'Stale: not retrained or evaluated',
  'expired-evidence': 'Evidence expired',
  'failing-fairness': 'Failing fairness',
  'failing-policy': 'Failing policy',
  'no-owner': 'No owner',
};

export interface SunsetReason {
  code: SunsetReasonCode;
  /** One sentence with its numbers, e.g. "$0.58 per 1,000 predictions, 5.3× the peer median of $0.11 (…)". */
  detail: string;
  /** The numbers behind the sentence (amounts, days, thresholds, dates), keyed by name. */
  figures: Record<string, number | string | null>;
}
