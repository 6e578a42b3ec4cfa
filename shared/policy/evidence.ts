import type { DisparityMeasure, DisparityValue, FairnessFormat } from '../domain/fairness';
import type { CardFormat, SectionKey, SectionState } from '../domain/modelCard';
import type { LineageCheck, TierAssignment } from './policyPack';

/**
 * Everything a policy is judged against for one model version, as plain JSON. A reviewer signs
 * the hash of this object, so it holds the evidence itself (not pointers that could change later)
 * and nothing that varies between two reads of the same store at the same `asOf`.
 */
export interface EvidenceSnapshot {
  schema: 'docket.evidence/v1';
  /** ISO 8601: the moment the evidence is judged at (freshness, waiver expiry). */
  asOf: string;
  model: { name: string; version: string };
  tier: TierAssignment;
  /** null when no card was imported for this version. */
  card: CardEvidence | null;
  lineage: Record<LineageCheck, LineageCheckEvidence>;
  fairness: FairnessEvidence;
  cost: CostEvidence;
  approvals: ApprovalEvidence[];
  waivers: Waiver[];
}

export interface CardEvidence {
  format: CardFormat;
  sourceFile: string;
  sha256: string;
  importedAt: string;
  syncRunId: number;
  sections: Record<SectionKey, SectionState>;
  /** Present sections / all governance sections, 0..1. */
  completeness: number;
}

export interface LineageCheckEvidence {
  ok: boolean;
  /** Lineage node ids that show it ("run:<uuid>", "dataset:<namespace>|<name>"), sorted. */
  nodes: string[];
}

export interface FairnessEvidence {
  /** The group limits the disparities below were computed with. */
  groupLimits: { minGroupCount: number; minGroupShare: number };
  evaluations: FairnessEvaluationEvidence[];
}

export interface FairnessEvaluationEvidence {
  id: number;
  format: FairnessFormat;
  sourceFile: string;
  sha256: string;
  dataset: string | null;
  /** When the evaluation ran, if its file says; null if undated. */
  evaluatedAt: string | null;
  importedAt: string;
  sensitiveFeatures: string[];
  includedGroups: string[];
  excludedGroups: string[];
  measures: Record<DisparityMeasure, DisparityValue>;
}

export interface CostEvidence {
  /** The model name spend is attributed to (spend is per model, not per version). */
  attributedTo: string;
  /** The 30 days ending on the last day with spend for the model (at or before asOf); null without spend. */
  window: { from: string; to: string } | null;
  /** Effective spend over the window, one line per currency. */
  monthlySpend: { currency: string; effectiveCost: number; billedCost: number; source: 'focus' }[];
  /** Effective cost per 1,000 predictions over the same window; value null without usage data. */
  unitCosts: { currency: string; costPer1kPredictions: number | null; requests: number; effectiveCost: number }[];
}

export interface ApprovalEvidence {
  /** sha256 of the signer's public key (SPKI DER), hex. */
  signerKeyId: string;
  signerName: string | null;
  role: string;
  signerIsAuthor: boolean;
  signedAt: string;
}

export interface Waiver {
  ruleId: string;
  reason: string;
  /** ISO 8601; a waiver at or past its expiry no longer applies. */
  expiresAt: string;
  decidedBy: string;
  decidedAt?: string;
}

export type RuleStatus = 'pass' | 'fail' | 'missing' | 'waived';

export type EvidenceKind = 'card' | 'lineage' | 'fairness' | 'spend' | 'usage' | 'approval' | 'waiver';

export interface EvidenceItem {
  kind: EvidenceKind;
  /** A link inside the app: "#/models/<name>@<version>/fairness". */
  ref: string;
  label: string;
  detail: string;
}

export interface RuleResult {
  id: string;
  title: string;
  kind: string;
  controls: string[];
  status: RuleStatus;
  reason: string;
  evidence: EvidenceItem[];
}

export interface ChecklistResult {
  policy: { name: string; version: string };
  model: { name: string; version: string };
  tier: TierAssignment;
  asOf: string;
  /** 'pass' only when every rule, approvals included, is pass or waived. */
  result: 'pass' | 'fail';
  /** The same judgement over every rule except approvals. */
  evidenceResult: 'pass' | 'fail';
  /** True when the evidence passes and only approvals are still outstanding. */
  awaitingApprovals: boolean;
  rules: RuleResult[];
}

/** In-app links for evidence; the router decodes these (renderer/src/router.ts). */
export function modelRef(model: { name: string; version: string }, tab: 'card' | 'fairness' | 'lineage' | 'history'): string {
  return `#/models/${encodeURIComponent(model.name)}@${encodeURIComponent(model.version)}/${tab}`;
}
export const SPEND_REF = '#/spend';
export const REVIEWS_REF = '#/reviews';
