import { z } from 'zod';
import { SECTION_KEYS, type SectionKey } from '../domain/sections';
import { FairnessThresholdSchema } from '../fairness/policy';
import { CONTROL_ID } from './controlCatalog';
import { LifecycleThresholdsSchema } from '../lifecycle/lifecyclePolicy';

/**
 * A policy pack: what a model version must show before release, per risk tier. Versioned and
 * self-contained, because a signed decision records which pack (name and version) it was judged by.
 * Objects are strict: a misspelt key must fail loudly, not silently weaken a rule.
 */

export const LINEAGE_CHECKS = ['trainingData', 'evaluationData', 'producingRun', 'codeLocation'] as const;
export type LineageCheck = (typeof LINEAGE_CHECKS)[number];

const nonBlank = (what: string) => z.string().regex(/\S/, `${what} must not be blank`);

/** Stable, so waivers and decisions can name a rule across pack versions: "high.card-sections". */
export const RULE_ID = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;
const TIER_ID = /^[a-z][a-z0-9-]*$/;

const ruleBase = {
  id: z.string().regex(RULE_ID, 'rule ids are dotted lower-case words, e.g. "high.card-sections"'),
  title: nonBlank('title'),
  description: z.string().optional(),
  /** Control ids from the catalog that this rule serves. */
  controls: z.array(z.string().regex(CONTROL_ID, 'control ids look like DKT-DOC-01')).min(1, 'a rule must serve at least one control'),
};

export const CardSectionsRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal('card-sections'),
  sections: z.array(z.enum(SECTION_KEYS as [SectionKey, ...SectionKey[]])).min(1),
});

export const LineageRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal('lineage'),
  required: z.array(z.enum(LINEAGE_CHECKS)).min(1),
});

export const FairnessRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal('fairness'),
  minGroupCount: z.number().int().min(0),
  minGroupShare: z.number().min(0).max(1),
  thresholds: z.array(FairnessThresholdSchema).min(1),
});

export const CostRuleSchema = z
  .strictObject({
    ...ruleBase,
    kind: z.literal('cost'),
    /** ISO 4217; spend in another currency is never converted, it does not count. */
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency is an ISO 4217 code such as USD'),
    maxCostPer1kPredictions: z.number().positive().optional(),
    maxMonthlyEffectiveSpend: z.number().positive().optional(),
  })
  .refine((r) => r.maxCostPer1kPredictions !== undefined || r.maxMonthlyEffectiveSpend !== undefined, {
    message: 'a cost rule needs maxCostPer1kPredictions, maxMonthlyEffectiveSpend or both',
  });

export const FRESHNESS_TARGETS = ['fairness'] as const;

export const EvidenceFreshnessRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal('evidence-freshness'),
  maxAgeDays: z.number().int().positive(),
  appliesTo: z.array(z.enum(FRESHNESS_TARGETS)).min(1).default(['fairness']),
  /**
   * An evaluation file that states no date: 'stale' (it cannot show it is recent) or 'import-time'
   * (the day Docket imported it stands in, which can only make it look younger than it is).
   */
  undated: z.enum(['stale', 'import-time']).default('stale'),
});

export const ApprovalsRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal('approvals'),
  minApprovers: z.number().int().min(1),
  requiredRoles: z
    .strictObject({
      mode: z.enum(['any-of', 'all-of']),
      roles: z.array(nonBlank('role')).min(1),
    })
    .optional(),
  /** Segregation of duties: the version's author's own approval does not count. */
  authorMayNotApprove: z.boolean().default(true),
});

export const PolicyRuleSchema = z.discriminatedUnion('kind', [
  CardSectionsRuleSchema,
  LineageRuleSchema,
  FairnessRuleSchema,
  CostRuleSchema,
  EvidenceFreshnessRuleSchema,
  ApprovalsRuleSchema,
]);
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;
export type RuleKind = PolicyRule['kind'];
export type RuleOfKind<K extends RuleKind> = Extract<PolicyRule, { kind: K }>;

export const RiskTierSchema = z.strictObject({
  title: nonBlank('title'),
  description: z.string().optional(),
  rules: z.array(PolicyRuleSchema),
});

/**
 * How a version gets its tier: the first tag (card tags first, then registry tags) whose key is in
 * `tagKeys`, written "risk-tier:high" on a card or key "risk-tier" = "high" in MLflow; aliases map
 * other vocabularies ("low") onto the pack's tiers; without a usable tag, `default` applies.
 */
export const TieringSchema = z.strictObject({
  tagKeys: z.array(nonBlank('tag key')).min(1),
  aliases: z.record(z.string(), z.string()).default({}),
  default: z.string(),
});

const PolicyPackShape = z.strictObject({
  name: nonBlank('name'),
  version: nonBlank('version'),
  description: z.string().optional(),
  tiering: TieringSchema,
  riskTiers: z.record(z.string().regex(TIER_ID, 'tier ids are lower-case words'), RiskTierSchema),
  /**
   * Sunset candidate thresholds (shared/lifecycle/lifecyclePolicy.ts). Optional, so packs written
   * before it and packs already stored stay valid and unchanged; without it the defaults apply.
   */
  lifecycle: LifecycleThresholdsSchema.optional(),
});

function checkPackStructure(pack: z.infer<typeof PolicyPackShape>, ctx: z.RefinementCtx, knownControls?: ReadonlySet<string>): void {
  const tiers = Object.keys(pack.riskTiers);
  if (tiers.length === 0) ctx.addIssue({ code: 'custom', path: ['riskTiers'], message: 'a pack needs at least one risk tier' });
  if (!tiers.includes(pack.tiering.default)) {
    ctx.addIssue({ code: 'custom', path: ['tiering', 'default'], message: `default tier "${pack.tiering.default}" is not one of the pack's tiers (${tiers.join(', ')})` });
  }
  for (const [alias, target] of Object.entries(pack.tiering.aliases)) {
    if (!tiers.includes(target)) ctx.addIssue({ code: 'custom', path: ['tiering', 'aliases', alias], message: `alias "${alias}" points at "${target}", which is not a tier` });
  }
  const ruleIds = new Map<string, string>();
  for (const [tier, { rules }] of Object.entries(pack.riskTiers)) {
    let freshnessRules = 0;
    rules.forEach((rule, index) => {
      const path = ['riskTiers', tier, 'rules', index];
      const other = ruleIds.get(rule.id);
      if (other !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `rule id "${rule.id}" is also used in tier ${other}` });
      ruleIds.set(rule.id, tier);
      if (rule.kind === 'evidence-freshness' && ++freshnessRules > 1) {
        ctx.addIssue({ code: 'custom', path, message: `tier ${tier} has more than one evidence-freshness rule; keep one` });
      }
      if (!knownControls) return;
      rule.controls.forEach((control, j) => {
        if (!knownControls.has(control)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'controls', j], message: `rule "${rule.id}" cites unknown control "${control}" (not in the control catalog)` });
        }
      });
    });
  }
}

/** The pack's shape and internal consistency, without checking control ids against a catalog. */
export const PolicyPackSchema = PolicyPackShape.superRefine((pack, ctx) => checkPackStructure(pack, ctx));
export type PolicyPack = z.infer<typeof PolicyPackSchema>;
export type RiskTier = z.infer<typeof RiskTierSchema>;

/** The same schema, where every control a rule cites must exist in the catalog. */
export function policyPackSchemaFor(knownControls: ReadonlySet<string>) {
  return PolicyPackShape.superRefine((pack, ctx) => checkPackStructure(pack, ctx, knownControls));
}

export interface TagInput {
  key: string;
  value: string;
  source: 'card' | 'registry';
}

export interface TierAssignment {
  id: string;
  source: 'card-tag' | 'registry-tag' | 'default';
  /** The tag that decided it, as written ("risk-tier:high"); null for the default. */
  tag: string | null;
  /** Set when a tag was present but could not be used. */
  note: string | null;
}

/** Splits a card's plain tag "risk-tier:high" (or "risk-tier=high") into key and value. */
function splitPlainTag(tag: TagInput): { key: string; value: string } {
  if (tag.value !== '') return { key: tag.key, value: tag.value };
  const match = /^([^:=]+)[:=](.+)$/.exec(tag.key);
  return match ? { key: match[1]!.trim(), value: match[2]!.trim() } : { key: tag.key, value: '' };
}

/** The tier a version falls in under this pack. Card tags win over registry tags (the card is reviewed text). */
export function resolveTier(pack: Pick<PolicyPack, 'tiering' | 'riskTiers'>, tags: readonly TagInput[]): TierAssignment {
  const ordered = [...tags.filter((t) => t.source === 'card'), ...tags.filter((t) => t.source === 'registry')];
  const notes: string[] = [];
  for (const tag of ordered) {
    const { key, value } = splitPlainTag(tag);
    if (!pack.tiering.tagKeys.includes(key)) continue;
    const normalised = value.toLowerCase();
    const tier = normalised in pack.riskTiers ? normalised : pack.tiering.aliases[normalised];
    const written = tag.value === '' ? tag.key : `${tag.key}=${tag.value}`;
    if (tier !== undefined && tier in pack.riskTiers) {
      return { id: tier, source: tag.source === 'card' ? 'card-tag' : 'registry-tag', tag: written, note: null };
    }
    notes.push(`tag ${written} names no tier of this pack`);
  }
  return { id: pack.tiering.default, source: 'default', tag: null, note: notes.length > 0 ? `${notes.join('; ')}; the default tier applies` : null };
}
