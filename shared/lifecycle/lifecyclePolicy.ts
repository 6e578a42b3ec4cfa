import { z } from 'zod';

/**
 * The thresholds that make a model a sunset candidate. They live in the policy pack (its optional
 * `lifecycle:` section), so an organisation sets them once, versioned with the rest of its rules, and
 * every candidate's reason can quote the number it was judged against.
 *
 * Strict like the rest of the pack: a misspelt key must fail loudly, not silently fall back to a default.
 */
export const LifecycleThresholdsSchema = z.strictObject({
  /**
   * Low traffic for its cost: a model is a candidate when its effective cost per 1,000 predictions is
   * at least this multiple of the median of its peers (other models with spend and traffic in the
   * same window). 3 means "three times what a typical model pays per prediction".
   */
  lowTrafficCostRatio: z.number().gt(1, 'a ratio of 1 or less would flag half of all models').default(3),
  /** A median of one or two models says little: with fewer peers than this, no model is judged on cost per prediction. */
  minPeers: z.number().int().min(1).default(3),
  /** Days of usage data (ending on the last day of usage data) that cost per prediction is measured over. */
  trafficWindowDays: z.number().int().min(1).max(366).default(30),
  /** A model that costs money but served no request in this many days (ending on the last day of usage data) is a candidate. */
  noTrafficDays: z.number().int().min(1).max(366).default(30),
  /** Stale: no new version registered and no dated fairness evaluation for this many days. */
  staleDays: z.number().int().min(1).default(365),
  /**
   * Below this monthly effective spend (in the spend's own currency), a model costs too little to be
   * worth a decision on cost grounds: the cost reasons (low traffic for cost, no traffic) ignore it.
   */
  minMonthlySpend: z.number().min(0).default(1),
});
export type LifecycleThresholds = z.output<typeof LifecycleThresholdsSchema>;
export type LifecycleThresholdsInput = z.input<typeof LifecycleThresholdsSchema>;

/** The defaults, for a pack without a `lifecycle:` section. */
export const DEFAULT_LIFECYCLE_THRESHOLDS: LifecycleThresholds = LifecycleThresholdsSchema.parse({});

/**
 * Aliases that mean "this version serves production", as registries commonly name them (MLflow's
 * docs and the demo use "champion"). Compared case-insensitively.
 */
export const PRODUCTION_ALIASES = ['champion', 'production', 'prod'] as const;

/** MLflow's legacy stage for the serving version. */
export const PRODUCTION_STAGE = 'Production';

/** A month of spend is 365.25 / 12 days, so a 30-day figure is scaled by 30.4375 / 30. */
export const DAYS_PER_MONTH = 30.4375;
