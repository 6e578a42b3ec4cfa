import type { SunsetReason } from './reasons';
import type { LifecycleState, SunsetPlan, SunsetState } from './sunsetPlan';

/** What the Lifecycle view, the sunset page, `docket sunset` and the audit pack show. */

export interface SunsetCandidate {
  model: string;
  /** The serving version for a model-level candidate; the old version for a superseded one. */
  version: string;
  team: string | null;
  providers: string[];
  reasons: SunsetReason[];
  /** Net monthly saving with no shared costs and no commitments (a sunset plan adds those). */
  monthlySaving: number;
  currency: string;
  /** Attributed effective spend per month (30 days of spend data x 30.4375 / 30). */
  monthlySpend: number;
  /** Effective cost per 1,000 predictions over the traffic window; null without traffic. */
  costPer1k: number | null;
  /** The last day of imported spend and of usage data: the horizon the figures are judged at. */
  dataThrough: { spend: string | null; usage: string | null };
}

export interface SunsetDependent {
  kind: 'dataset' | 'job' | 'run' | 'model_version' | 'deployment';
  key: string;
  label: string;
}

export interface SunsetDependents {
  /** Serving endpoints fed by the version (deployment nodes downstream of it). */
  deployments: { key: string; label: string }[];
  /**
   * Everything else downstream, nearest first: runs that read the version, what they wrote, and model
   * versions made from it (whose own consumers are theirs, not this version's, so are not listed).
   */
  downstream: SunsetDependent[];
  /** True when the walk stopped at the node cap: there is more than is listed. */
  truncated: boolean;
}

export interface SunsetSavingView {
  currency: string;
  attributedMonthly: number;
  /** Which spend counted and over which days, in a sentence. */
  basis: string;
  window: { from: string; to: string } | null;
  gross: number;
  shared: number;
  committed: number;
  net: number;
  perMonth: { month: string; saving: number }[];
  lines: { label: string; amount: number }[];
}

export interface SunsetDecisionView {
  id: number;
  kind: 'approve' | 'reject' | 'withdraw';
  signer: string;
  role: string;
  keyId: string;
  signedAt: string;
  rationale: string;
  digest: string;
  verified: boolean;
  verification: string;
  envelope: unknown;
}

export interface SunsetView {
  id: number;
  model: string;
  version: string;
  state: SunsetState;
  plan: SunsetPlan;
  planSha256: string;
  saving: SunsetSavingView;
  reasons: { code: string; detail: string }[];
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  lifecycle: { state: LifecycleState; since: string | null };
  decisions: SunsetDecisionView[];
}

export interface RetiredSpendAlarm {
  model: string;
  version: string;
  retirementDate: string;
  /** The spend that counts against the retired version: tagged to it, or the model's when nothing of the model replaced it. */
  tagValue: string;
  currency: string;
  spendAfter: number;
  firstDay: string;
  lastDay: string;
}

export interface LifecycleStateView {
  model: string;
  version: string;
  state: LifecycleState;
  since: string;
  sunsetId: number;
  retirementDate: string;
}
