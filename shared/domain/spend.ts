/**
 * Cloud spend as the AWS Cost Explorer connector reads it: one row per day, per value of the
 * cost-allocation tag (the model) and per value of a second grouping (SERVICE, LINKED_ACCOUNT...).
 * Amounts are numbers parsed from Cost Explorer's decimal strings.
 */

export interface CeDailyCost {
  /** 'YYYY-MM-DD', the start of Cost Explorer's one-day TimePeriod (UTC). */
  day: string;
  /**
   * The tag's value, e.g. "fraud-scorer" for the group key "ml:model$fraud-scorer".
   * null = untagged (AWS returns "ml:model$"): kept as unattributed spend, never dropped.
   */
  tagValue: string | null;
  /** The value of the second grouping (e.g. "Amazon SageMaker" for SERVICE, an account id for LINKED_ACCOUNT). */
  group2: string | null;
  unblendedCost: number;
  amortizedCost: number;
  /** Sum of usage in mixed units (Cost Explorer reports "N/A" as its unit when grouped across services). */
  usageQuantity: number | null;
  /** Unit of UnblendedCost, e.g. "USD". */
  currency: string;
  /** Cost Explorer's Estimated flag for the day: the figures may still change. */
  estimated: boolean;
}

export interface CeForecast {
  /** Inclusive start, 'YYYY-MM-DD'. */
  start: string;
  /** Exclusive end, 'YYYY-MM-DD'. */
  end: string;
  mean: number;
  /** Lower bound of the prediction interval (80 %), when Cost Explorer gave one. */
  lower: number | null;
  upper: number | null;
  currency: string;
}

export interface CeDayStatus {
  day: string;
  estimated: boolean;
}

export interface CeFetchResult {
  days: CeDailyCost[];
  /**
   * Every day Cost Explorer answered for, with its Estimated flag, including days without any cost
   * (which have no row in `days`): a store needs them to know which days are final.
   */
  dayStatus: CeDayStatus[];
  /** API requests sent (retries and the forecast included). Cost Explorer bills $0.01 per request. */
  requests: number;
  /** GetCostAndUsage pages read. */
  pages: number;
  forecast: CeForecast | null;
}

/** What Cost Explorer charges per API request, in USD. */
export const CE_REQUEST_PRICE_USD = 0.01;
