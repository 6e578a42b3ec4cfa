import { z } from 'zod';
import { SORT_KEYS } from '../models/filterSort';
import { CanonicalCardSchema, CARD_FORMATS } from '../domain/modelCard';
import type { Channel, EventName } from './channels';
import type { FairnessStatus, FairnessVersionView } from '../domain/fairness';
import type { AliasPlacementView, LineageView, SyncRunView } from '../domain/lineage';
import type { RegistryModelVersion } from '../domain/registry';
import type { ChecklistResult } from '../policy/evidence';
import type { DecisionPreview, ReviewDetail, ReviewSummary } from '../reviews/reviewViews';
import type { ReviewerKey } from '../signing/reviewerKey';
import { BudgetDefinitionSchema } from '../budgets/budgetSchema';
import type { AnomalyView, BudgetStatusView, NotificationView } from '../budgets/budgetViews';
import type { LifecycleStateView, RetiredSpendAlarm, SunsetCandidate, SunsetDependents, SunsetSavingView, SunsetView } from '../lifecycle/lifecycleViews';
import { CommitmentSchema, SunsetPlanSchema } from '../lifecycle/sunsetPlan';
import { SUNSET_REASON_CODES } from '../lifecycle/reasons';
import type { CandidateFilterOptions } from '../lifecycle/candidateList';

export interface AttributionRuleView {
  id: number;
  kind: 'tag' | 'resource' | 'account';
  tagKey: string | null;
  pattern: string;
  model: string;
  priority: number;
}

/** Where spend is read from: 'focus' (imported FOCUS files) or 'aws-ce:<id>' (one Cost Explorer source). Never both at once. */
const SpendSourceSchema = z.string().regex(/^(focus|aws-ce:\d{1,9})$/, 'use "focus" or "aws-ce:<id>"');

/** Where a spend query's figures came from: shown on hover of every figure. */
export interface SpendProvenanceView {
  source: string;
  kind: 'focus' | 'aws-ce';
  /** FOCUS file names with their FOCUS versions, or the Cost Explorer endpoint and tag key. */
  name: string;
  files: { path: string; focusVersion: string; importedAt: string }[];
  lastSyncAt: string | null;
  syncRunId: number | null;
  /** Days in the range AWS still flags Estimated (never any for FOCUS). */
  estimatedDays: string[];
  estimatedDayCount: number;
}

/** One source of spend with its coverage, for the Source selector. */
export interface SpendSourceView {
  id: string;
  kind: 'focus' | 'aws-ce';
  label: string;
  firstDay: string | null;
  lastDay: string | null;
  lastSyncAt: string | null;
  groupings: ('model' | 'team' | 'service' | 'provider' | 'account')[];
  uri: string | null;
  tagKey: string | null;
  groupBy2: string | null;
  endpoint: string | null;
}

/** Unit economics of one model over a range: effective cost over requests and tokens. */
export interface UnitCostView {
  model: string;
  currency: string;
  effectiveCost: number;
  requests: number;
  costPer1kPredictions: number | null;
  tokens: number | null;
  costPerMillionTokens: number | null;
}

/** What the Spend view shows: totals per group and per day, from one source (the FOCUS rollup by default). */
export interface SpendSummary {
  by: 'model' | 'team' | 'service' | 'provider' | 'account';
  from: string | null;
  to: string | null;
  /** `estimated` is set by Cost Explorer sources only: a day behind the figure is still Estimated. */
  rows: { key: string; currency: string; billedCost: number; effectiveCost: number; estimated?: boolean }[];
  daily: { day: string; key: string; currency: string; billedCost: number; effectiveCost: number; estimated?: boolean }[];
  coverage: { firstDay: string | null; lastDay: string | null; files: { path: string; focusVersion: string; rows: number; importedAt: string }[] };
  /** The source read ('focus' when the input named none) and where its figures came from. */
  source?: string;
  provenance?: SpendProvenanceView;
  /** Spend still arriving after a version's retirement date (FOCUS spend only). */
  retiredSpend?: RetiredSpendAlarm[];
}

export { isChannel, isEventName, type Channel, type EventName } from './channels';

/**
 * The one IPC contract between the renderer and the engine. Channel names are "area/action".
 * Handler types, the preload's `window.docket` and the test harness all derive from this map.
 */

const CompletenessSchema = z.object({
  present: z.array(z.string()),
  empty: z.array(z.string()),
  missing: z.array(z.string()),
  ratio: z.number(),
});

/** The most inventory rows one models/page answer holds. */
export const MODEL_PAGE_MAX = 1000;

export const ModelSummarySchema = z.object({
  name: z.string(),
  owners: z.array(z.string()),
  tags: z.array(z.string()),
  license: z.string().nullable(),
  latestVersion: z.string(),
  versionCount: z.number().int(),
  completeness: CompletenessSchema,
  /** Fairness status of the latest version under the current policy ('none' = no evaluation). */
  fairnessStatus: z.custom<FairnessStatus>(),
  updatedAt: z.string(),
});
export type ModelSummary = z.infer<typeof ModelSummarySchema>;

export const CardSourceSchema = z.object({
  file: z.string(),
  format: z.enum(CARD_FORMATS),
  sha256: z.string(),
  importedAt: z.string(),
  syncRunId: z.number().int(),
});

export const ModelVersionDetailSchema = z.object({
  name: z.string(),
  version: z.string(),
  versions: z.array(z.object({ version: z.string(), importedAt: z.string() })),
  tags: z.array(z.object({ key: z.string(), value: z.string() })),
  aliases: z.array(z.string()),
  /** null for a version known only from the registry, with no card imported yet. */
  card: CanonicalCardSchema.nullable(),
  completeness: CompletenessSchema,
  source: CardSourceSchema.nullable(),
  /** What the registry (MLflow) says of this version, as last synced; null if never synced. */
  registry: z.custom<Omit<RegistryModelVersion, 'aliases'>>().nullable(),
});
export type ModelVersionDetail = z.infer<typeof ModelVersionDetailSchema>;

export const RejectionSchema = z.object({ file: z.string(), location: z.string(), reason: z.string() });

export const ImportResultSchema = z.object({
  imported: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(RejectionSchema),
  syncRunId: z.number().int().nullable(),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  detail: z.unknown(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  head: z.string().nullable(),
  firstBadSeq: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerifySchema>;

/** One named check of `docket audit verify` and the Audit log view's verify panel. */
export const AuditCheckSchema = z.object({ name: z.string(), ok: z.boolean(), detail: z.string() });
export type AuditCheck = z.infer<typeof AuditCheckSchema>;

/** A signed decision as verification found it, tied to its audit entry (seq null when that entry is gone). */
export const AuditDecisionStatusSchema = z.object({
  decisionId: z.number().int(),
  digest: z.string(),
  seq: z.number().int().nullable(),
  kind: z.string(),
  signer: z.string(),
  verified: z.boolean(),
  detail: z.string(),
});
export type AuditDecisionStatus = z.infer<typeof AuditDecisionStatusSchema>;

/**
 * The whole record checked: the chain (every entry, gaps named), every signed decision, decisions
 * against their audit entries, and the log heads decisions signed. The first five fields are the
 * old chain-only answer, kept so older readers still work; the rest is optional for the same reason.
 */
export const AuditWorkspaceVerifySchema = AuditVerifySchema.extend({
  checks: z.array(AuditCheckSchema).optional(),
  /** Entries (or missing seqs) that fail, with why; capped, see `badTotal`. */
  bad: z.array(z.object({ seq: z.number().int(), reason: z.string() })).optional(),
  badTotal: z.number().int().optional(),
  decisions: z.array(AuditDecisionStatusSchema).optional(),
  verifiedAt: z.string().optional(),
  /** The highest seq verified: entries after it were written since. */
  lastSeq: z.number().int().optional(),
  /** The app's kept verdict: when every entry was last read; entries appended since were read now. */
  fullPassAt: z.string().optional(),
  /** The last entry that full read covered: entries after it were read at verifiedAt. */
  fullPassSeq: z.number().int().optional(),
});
export type AuditWorkspaceVerification = z.infer<typeof AuditWorkspaceVerifySchema>;

/** Filters of the Audit log view and `docket audit list`. Times are ISO dates (whole UTC days) or ISO times. */
export const AuditFilterSchema = z.object({
  /** An action prefix such as "decision." or an exact action such as "decision.approve". */
  action: z.string().max(100).optional(),
  actor: z.string().max(200).optional(),
  subject: z.string().max(500).optional(),
  /** Free text, matched in the detail, subject, actor and action. */
  search: z.string().max(200).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  fromSeq: z.number().int().min(1).optional(),
  toSeq: z.number().int().min(1).optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;
export const AUDIT_PAGE_MAX = 1000;

export const DbInfoSchema = z.object({
  path: z.string(),
  schemaVersion: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
});
export type DbInfo = z.infer<typeof DbInfoSchema>;

/** What the audit pack's cover and executive summary state, for a preview before exporting. */
export interface PackPreview {
  model: string;
  version: string;
  generatedAt: string;
  evidenceSha256: string;
  /** Pages of the PDF as it would be written now. */
  pageCount: number;
  /** The PDF's top-level sections, in order. */
  sections: string[];
  decision: { kind: string | null; text: string; symbol: string; signer: string | null; role: string | null; signedAt: string | null; rationale: string | null; decisions: number; allVerified: boolean };
  signers: { name: string; role: string; keyId: string }[];
  policy: { name: string; version: string; tier: string; result: string; pass: number; fail: number; missing: number; waived: number; awaitingApprovals: boolean };
  fairness: { status: string; evaluations: { name: string; status: string; failing: { measure: string; status: string; value: number | null; bound: number; comparison: string }[]; passing: number; total: number }[] };
  cost: { currency: string; thirtyDay: number | null; trend: string; costPer1kPredictions: number | null }[];
  risks: { severity: 'fail' | 'missing' | 'warn' | 'waived'; text: string }[];
}

export interface PackCheckView {
  name: string;
  ok: boolean;
  detail: string;
}

/** A model version, for the pack channels. */
const PackSubject = { model: z.string().min(1).max(500), version: z.string().min(1).max(200) };

const NoInput = z.object({}).strict();
/** A key's passphrase; on the signing channels it may be left out when the key is remembered in the OS keychain. */
const Passphrase = z.string().min(1).max(1024);
/** After the passphrase has unlocked the key, also seal it in the OS keychain so later signatures need none. */
const Remember = z.boolean().optional();

/** Whether the OS keychain can hold a reviewer key here; `reason` says why not (e.g. Linux's 'basic_text' backend). */
export const KeychainStatusSchema = z.object({ usable: z.boolean(), backend: z.string().nullable(), reason: z.string().nullable() });
export type KeychainStatusView = z.infer<typeof KeychainStatusSchema>;
const ReviewId = z.number().int().positive();
const KeyIdInput = z.string().regex(/^[0-9a-f]{64}$/, 'a key id is 64 hex digits');
const DecisionInput = z
  .object({
    id: ReviewId,
    kind: z.enum(['approve', 'reject', 'request-changes', 'withdraw', 'waive']),
    rationale: z.string().max(10_000),
    keyId: KeyIdInput,
    waiver: z.object({ ruleId: z.string().min(1).max(128), expiresAt: z.string().min(1).max(40) }).strict().optional(),
  })
  .strict();

export const contract = {
  /** The app and who is using it: reviews "assigned to me" mean assigned to this name. */
  'app/info': { input: NoInput, output: z.object({ version: z.string(), platform: z.string(), dbPath: z.string(), actor: z.string() }) },
  'models/list': { input: NoInput, output: z.array(ModelSummarySchema) },
  /**
   * One page of the inventory as the Models view shows it: searched and sorted in the engine (the same
   * filterSort the window used), so the window receives the rows it shows, not 20,000 models.
   */
  'models/page': {
    input: z.object({
      query: z.string().max(1000).default(''),
      sort: z.object({ key: z.enum(SORT_KEYS), direction: z.enum(['asc', 'desc']) }).default({ key: 'name', direction: 'asc' }),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(MODEL_PAGE_MAX).default(MODEL_PAGE_MAX),
    }),
    output: z.object({
      rows: z.array(ModelSummarySchema),
      offset: z.number().int(),
      /** Models listed at all, and how many of them match the query. */
      total: z.number().int(),
      matching: z.number().int(),
    }),
  },
  /** Every model's name (the models models/list lists), for pickers: a few hundred kB where the list is megabytes. */
  'models/names': { input: NoInput, output: z.array(z.string()) },
  /** The Overview's figures over every model, without sending every model: counts and the first few of each list. */
  'models/stats': {
    input: NoInput,
    output: z.object({
      models: z.number().int(),
      versions: z.number().int(),
      /** Latest versions missing or leaving empty a governance section; `incompleteFirst` lists the least complete first. */
      incomplete: z.number().int(),
      incompleteFirst: z.array(ModelSummarySchema),
      /** Latest versions failing the fairness policy; `failingFairnessFirst` by name. */
      failingFairness: z.number().int(),
      failingFairnessFirst: z.array(z.object({ name: z.string(), latestVersion: z.string() })),
    }),
  },
  'models/show': {
    input: z.object({ name: z.string().min(1).max(500), version: z.string().min(1).max(200).optional() }).strict(),
    output: ModelVersionDetailSchema,
  },
  'cards/import': {
    input: z
      .object({
        paths: z.array(z.string().min(1).max(4096)).min(1).max(1000),
        version: z.string().min(1).max(200).optional(),
      })
      .strict(),
    output: ImportResultSchema,
  },
  'fairness/show': {
    input: z.object({ name: z.string().min(1).max(500), version: z.string().min(1).max(200).optional() }).strict(),
    // Outputs are produced by the engine, not parsed: a type is enough.
    output: z.custom<FairnessVersionView>(),
  },
  'fairness/import': {
    input: z
      .object({
        paths: z.array(z.string().min(1).max(4096)).min(1).max(1000),
        /** The model version the evaluations belong to, unless the file names its own. */
        model: z.string().min(1).max(500).optional(),
        version: z.string().min(1).max(200).optional(),
      })
      .strict(),
    output: ImportResultSchema,
  },
  'dialog/pickFairnessPaths': { input: NoInput, output: z.object({ paths: z.array(z.string()) }) },
  /** Registry sources and the history of every sync and import run. */
  'sources/list': {
    input: NoInput,
    output: z.custom<{ sources: { id: number; kind: string; url: string; lastSyncAt: string | null; lastStatus: string | null; scheduleMinutes: number | null }[]; runs: SyncRunView[] }>(),
  },
  /** How often a source syncs by itself (minutes, at least 5), or null for only when asked. */
  'sources/schedule': {
    input: z.object({ url: z.string().url().max(2048), everyMinutes: z.number().int().min(5).max(10080).nullable() }).strict(),
    output: z.object({ url: z.string(), everyMinutes: z.number().nullable() }),
  },
  /** Runs the scheduled syncs that are due (the app calls this on a timer). */
  'sources/syncDue': { input: NoInput, output: z.custom<{ url: string; ok: boolean; message: string }[]>() },
  /** Checks that an MLflow server answers and accepts the token, without writing anything. */
  'mlflow/test': {
    input: z.object({ url: z.string().url().max(2048), token: z.string().max(8192).optional() }).strict(),
    output: z.custom<{ ok: boolean; message: string; models: number | null }>(),
  },
  /** Syncs an MLflow registry. The token travels in memory only; it is never stored in the database. */
  'mlflow/sync': {
    input: z.object({ url: z.string().url().max(2048), token: z.string().max(8192).optional() }).strict(),
    output: z.custom<{ syncRunId: number; url: string; models: number; versions: number; modelsAdded: number; versionsAdded: number; changed: number; unchanged: number; events: number; requests: Record<string, number>; warnings: string[] }>(),
  },
  /** Spend grouped by model, team, service, provider or account over a day range, with the daily series. */
  'spend/summary': {
    input: z
      .object({
        by: z.enum(['model', 'team', 'service', 'provider', 'account']),
        from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        source: SpendSourceSchema.optional(),
      })
      .strict(),
    output: z.custom<SpendSummary>(),
  },
  /** The places spend can be read from (FOCUS files, each Cost Explorer source), with coverage and last sync. */
  'spend/sources': { input: NoInput, output: z.custom<SpendSourceView[]>() },
  /** Per model: effective cost per 1,000 predictions and per million tokens, from one spend source and the imported usage. */
  'spend/unitCosts': {
    input: z
      .object({
        from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        source: SpendSourceSchema.optional(),
      })
      .strict(),
    output: z.custom<UnitCostView[]>(),
  },
  'spend/import': {
    input: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(100), skipBadRows: z.boolean().optional() }).strict(),
    output: z.custom<{ files: { file: string; rows: number; rejected: { line: number | null; column: string | null; reason: string }[]; totals: { currency: string; billedCost: number; effectiveCost: number }[] }[] }>(),
  },
  'dialog/pickSpendPaths': { input: NoInput, output: z.object({ paths: z.array(z.string()) }) },
  /** Stops a running FOCUS import: the file being read is rolled back, files already finished stay. */
  'spend/cancelImport': { input: NoInput, output: z.object({ cancelled: z.boolean() }) },
  /** Attribution rules: spend to models by resource, account or tag pattern; editing re-attributes stored spend. */
  'attribution/list': { input: NoInput, output: z.custom<AttributionRuleView[]>() },
  'attribution/add': {
    input: z
      .object({
        kind: z.enum(['tag', 'resource', 'account']),
        tagKey: z.string().min(1).max(200).nullable(),
        pattern: z.string().min(1).max(1000),
        model: z.string().min(1).max(500),
        priority: z.number().int().min(0).max(100000).default(100),
      })
      .strict(),
    output: z.custom<AttributionRuleView>(),
  },
  'attribution/remove': { input: z.object({ id: z.number().int() }).strict(), output: z.object({ removed: z.number().int() }) },
  /** Drill-down: the line items behind one group's figure, largest first. */
  'spend/lineItems': {
    input: z
      .object({
        by: z.enum(['model', 'team', 'service', 'provider', 'account']),
        key: z.string().max(500),
        from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    output: z.custom<{ total: number; items: { day: string; serviceName: string | null; resourceId: string | null; chargeCategory: string | null; chargeClass: string | null; currency: string; billedCost: number; effectiveCost: number; file: string; line: number }[] }>(),
  },
  /** Which version held which alias or stage, over time and optionally at one moment (ISO 8601). */
  'models/history': {
    input: z.object({ name: z.string().min(1).max(500), at: z.string().datetime({ offset: true }).optional() }).strict(),
    output: z.custom<{ model: string; placements: AliasPlacementView[]; events: { at: string; kind: string; version: string | null; key: string | null; old: string | null; new: string | null; syncRunId: number }[]; at: { moment: string; held: (AliasPlacementView & { certainty: 'observed' | 'uncertain' })[]; note: string } | null }>(),
  },
  'lineage/show': {
    input: z.object({ name: z.string().min(1).max(500), version: z.string().min(1).max(200) }).strict(),
    output: z.custom<LineageView>(),
  },
  /** Asks the shell for files or folders to import; an empty list means the user cancelled. */
  'dialog/pickCardPaths': { input: NoInput, output: z.object({ paths: z.array(z.string()) }) },
  /** The Reviews inbox: open (default), assigned to me, due soon, overdue, closed, or all. */
  'reviews/list': {
    input: z.object({ filter: z.enum(['open', 'mine', 'due-soon', 'overdue', 'closed', 'all']).default('open') }).strict(),
    output: z.custom<ReviewSummary[]>(),
  },
  /** One review: checklist with evidence, diff since the last decision or approval, decisions verified now, comments. */
  'reviews/show': { input: z.object({ id: ReviewId }).strict(), output: z.custom<ReviewDetail>() },
  'reviews/open': {
    input: z
      .object({
        model: z.string().min(1).max(500),
        version: z.string().min(1).max(200),
        dueAt: z.string().max(40).optional(),
        assignees: z.array(z.string().min(1).max(200)).max(50).optional(),
      })
      .strict(),
    output: z.object({ id: z.number().int() }),
  },
  /** Unsigned moves: submit a draft for review, resubmit after changes. */
  'reviews/move': { input: z.object({ id: ReviewId, move: z.enum(['submit', 'resubmit']) }).strict(), output: z.object({ state: z.string() }) },
  'reviews/comment': { input: z.object({ id: ReviewId, body: z.string().min(1).max(20_000) }).strict(), output: z.object({ id: z.number().int() }) },
  'reviews/assign': {
    input: z.object({ id: ReviewId, assignees: z.array(z.string().min(1).max(200)).max(50), dueAt: z.string().max(40).optional() }).strict(),
    output: z.object({ ok: z.literal(true) }),
  },
  /** What a decision would sign and what would block it, before any passphrase is asked for. */
  'reviews/preview': { input: DecisionInput, output: z.custom<DecisionPreview>() },
  /**
   * Signs and records a decision with one of this workspace's keys, unlocked by its passphrase for this
   * call only, or without a passphrase by the OS keychain when the key is remembered there.
   */
  'reviews/decide': {
    input: DecisionInput.extend({ passphrase: Passphrase.optional(), remember: Remember }).strict(),
    output: z.custom<{ decisionId: number; digest: string; state: string; evidenceHash: string; writeBack: { ok: boolean; url: string; error: string | null } | null }>(),
  },
  /** The keyring, and which keys this workspace can sign with (and which are remembered in the OS keychain). */
  'keys/list': { input: NoInput, output: z.custom<(ReviewerKey & { hasPrivateKey: boolean; inKeychain: boolean })[]>() },
  /** Creates a reviewer key pair: the private key is kept in the workspace, encrypted under the passphrase (and, with `remember`, sealed by the OS keychain). */
  'keys/generate': {
    input: z.object({ name: z.string().trim().min(1).max(128), role: z.string().trim().min(1).max(64), passphrase: z.string().min(8, 'use a passphrase of at least 8 characters').max(1024), remember: Remember }).strict(),
    output: z.custom<ReviewerKey>(),
  },
  /** Whether the OS keychain can hold a key now, and if not why (asked before offering "Remember"). */
  'keys/keychain': { input: NoInput, output: KeychainStatusSchema },
  /** Unlocks a workspace key with its passphrase and seals it in the OS keychain; refused, writing nothing, when the keychain cannot protect it. */
  'keys/remember': { input: z.object({ keyId: KeyIdInput, passphrase: Passphrase }).strict(), output: z.object({ keyId: z.string(), inKeychain: z.literal(true) }) },
  /** Removes a key's OS-keychain copy: its passphrase is needed again. */
  'keys/forget': { input: z.object({ keyId: KeyIdInput }).strict(), output: z.object({ keyId: z.string(), forgotten: z.boolean() }) },
  'keys/trust': { input: z.object({ keyId: KeyIdInput }).strict(), output: z.custom<ReviewerKey>() },
  'keys/revoke': { input: z.object({ keyId: KeyIdInput, reason: z.string().trim().min(1).max(2000) }).strict(), output: z.custom<ReviewerKey>() },
  /** The active policy pack's checklist for a version, now. */
  'policy/check': {
    input: z.object({ model: z.string().min(1).max(500), version: z.string().min(1).max(200) }).strict(),
    output: z.custom<{ checklist: ChecklistResult; evidenceHash: string }>(),
  },
  'policy/list': { input: NoInput, output: z.custom<{ id: number | null; name: string; version: string; sourcePath: string; importedAt: string | null; active: boolean }[]>() },
  /** Newest first. Filters are optional (none: the latest entries, as before). */
  'audit/list': {
    input: AuditFilterSchema.extend({ limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(200), offset: z.number().int().min(0).max(10_000_000).optional() }).strict(),
    output: z.array(AuditEntrySchema),
  },
  /** How many entries match the filters (the list's total, for paging). */
  'audit/count': { input: AuditFilterSchema.strict(), output: z.object({ total: z.number().int() }) },
  /** The chain, every signed decision, and decisions against the log. */
  'audit/verify': {
    /** full: read every entry again instead of reusing the pages this connection already checked. */
    input: z.object({ full: z.boolean().optional() }).strict(),
    output: AuditWorkspaceVerifySchema,
  },
  /** Signs a seq range as JSON Lines plus a detached DSSE envelope, in the workspace's exports/ folder. */
  'audit/export': {
    input: z
      .object({
        fromSeq: z.number().int().min(1),
        toSeq: z.number().int().min(1),
        keyId: z.string().regex(/^[0-9a-f]{64}$/, 'must be a key id'),
        passphrase: z.string().min(1).max(1024),
      })
      .strict(),
    output: z.object({ jsonlPath: z.string(), envelopePath: z.string(), count: z.number().int(), firstSeq: z.number().int(), lastSeq: z.number().int(), sha256: z.string(), headHash: z.string() }),
  },
  'db/info': { input: NoInput, output: DbInfoSchema },
  /** Opens an http(s) link in the user's browser, only if it passes the allowlist. */
  'shell/openExternal': {
    input: z.object({ url: z.string().max(2048) }).strict(),
    output: z.object({ opened: z.boolean(), reason: z.string().nullable() }),
  },
  /** The cover and executive summary facts of the audit pack as it would be exported now (nothing is written). */
  'pack/preview': { input: z.object(PackSubject).strict(), output: z.custom<PackPreview>() },
  /** Writes a signed audit pack under the workspace's exports/packs folder; never replaces an existing one. */
  'pack/export': {
    input: z.object({ ...PackSubject, keyId: KeyIdInput, passphrase: z.string().min(1).max(1024), zip: z.boolean() }).strict(),
    output: z.custom<{ folder: string; zip: string | null; evidenceSha256: string; manifestSha256: string; files: { name: string; sha256: string; bytes: number }[] }>(),
  },
  /** Checks an audit pack (its folder, its .zip, or the PDF alone) against this workspace's keyring. */
  'pack/verify': {
    input: z.object({ path: z.string().min(1).max(4096) }).strict(),
    output: z.custom<{ ok: boolean; kind: 'folder' | 'zip' | 'pdf' | 'budget-report'; subject: { model: string; version: string } | null; trust: 'keyring' | 'trust-key' | 'self-asserted' | null; checks: PackCheckView[] }>(),
  },
  /**
   * Asks the shell for an audit pack to verify: a pack folder, or a .zip / .pdf file (Windows and Linux
   * dialogs pick files or folders, never both at once); an empty list means cancelled.
   */
  'dialog/pickPack': { input: z.object({ kind: z.enum(['folder', 'file']) }).strict(), output: z.object({ paths: z.array(z.string()) }) },
  /** Shows a file in the OS file manager: only files in the workspace's exports folder or ones the user just picked. */
  'shell/showItemInFolder': {
    input: z.object({ path: z.string().min(1).max(4096) }).strict(),
    output: z.object({ shown: z.boolean(), reason: z.string().nullable() }),
  },
  /** Every budget's status now; judging them records (and announces) any threshold that changed state. */
  'budgets/list': { input: NoInput, output: z.custom<{ asOf: string; budgets: BudgetStatusView[]; openAnomalies: number }>() },
  /** One budget with the anomalies in its scope and its change history from the audit log. */
  'budgets/show': {
    input: z.object({ id: z.number().int().min(1) }).strict(),
    output: z.custom<{ status: BudgetStatusView; anomalies: AnomalyView[]; anomalyMethod: string; history: { seq: number; at: string; actor: string; action: string; detail: unknown }[] }>(),
  },
  /** Creates a budget, or changes the one with `id` (a change needs a reason: it is recorded). */
  'budgets/set': {
    input: z.object({ id: z.number().int().min(1).optional(), definition: BudgetDefinitionSchema, reason: z.string().trim().max(2000).optional() }).strict(),
    output: z.custom<{ id: number; outcome: 'created' | 'changed' | 'unchanged'; changed: string[] }>(),
  },
  'budgets/delete': { input: z.object({ id: z.number().int().min(1), reason: z.string().trim().min(1, 'say why the budget goes').max(2000) }).strict(), output: z.object({ deleted: z.literal(true) }) },
  /** Writes the signed budget report (CSV, XLSX or PDF, plus its signed manifest) under the workspace's exports folder. */
  'budgets/export': {
    input: z.object({ format: z.enum(['csv', 'xlsx', 'pdf']), keyId: KeyIdInput, passphrase: z.string().min(1).max(1024) }).strict(),
    output: z.custom<{ path: string; envelopePath: string; sha256: string; bytes: number; budgets: number }>(),
  },
  /** Spend anomalies per model (scanned first), newest first, with the method stated. */
  'anomalies/list': {
    input: z.object({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), source: SpendSourceSchema.optional() }).strict(),
    output: z.custom<{ method: string; anomalies: AnomalyView[] }>(),
  },
  /** The user's verdict on an anomaly (as AWS's anomaly feedback has it), audited. */
  'anomalies/verdict': {
    input: z.object({ id: z.number().int().min(1), verdict: z.enum(['expected', 'unexpected', 'planned']), note: z.string().trim().max(2000).optional() }).strict(),
    output: z.custom<AnomalyView>(),
  },
  'notifications/list': { input: z.object({ unreadOnly: z.boolean().optional() }).strict(), output: z.custom<NotificationView[]>() },
  'notifications/markRead': { input: z.object({ ids: z.union([z.array(z.number().int().min(1)).max(1000), z.literal('all')]) }).strict(), output: z.object({ marked: z.number().int() }) },
  /** Sunset candidates with their reasons and savings, the savings at stake, lifecycle states, and spend after retirement. */
  /**
   * Sunset candidates ranked by saving. With `filter` and `limit` the engine answers one page: the
   * first `limit` matching candidates, with the counts the view shows (a large registry has tens of
   * thousands). `model`/`version` narrow it to one version's candidacy (the new-sunset page).
   */
  'lifecycle/candidates': {
    input: z
      .object({
        filter: z
          .object({ reason: z.union([z.enum(SUNSET_REASON_CODES), z.literal('')]), team: z.string().max(500), provider: z.string().max(200) })
          .strict()
          .optional(),
        limit: z.number().int().min(1).max(1_000_000).optional(),
        model: z.string().min(1).max(500).optional(),
        version: z.string().min(1).max(200).optional(),
      })
      .strict(),
    output: z.custom<{
      asOf: string;
      /** Ranked, filtered, at most `limit`. */
      candidates: SunsetCandidate[];
      /** Every candidate, and those the filter keeps. */
      total: number;
      matching: number;
      /** Savings of every candidate, and of those the filter keeps, per currency. */
      savingsAtStake: { currency: string; monthly: number }[];
      matchingSavings: { currency: string; monthly: number }[];
      /** Each filter's choices, counted over every candidate. */
      options: CandidateFilterOptions;
      /** The horizon every candidate was judged at, whatever the page shows. */
      dataThrough: SunsetCandidate['dataThrough'];
      states: LifecycleStateView[];
      retiredSpend: RetiredSpendAlarm[];
    }>(),
  },
  /** The Overview's lifecycle figures: what lifecycle/candidates totals, without the candidates themselves. */
  'lifecycle/summary': {
    input: NoInput,
    output: z.object({
      asOf: z.string(),
      candidates: z.number().int(),
      savingsAtStake: z.array(z.object({ currency: z.string(), monthly: z.number() })),
      deprecated: z.number().int(),
      retired: z.number().int(),
      /** Retired versions with spend after their retirement. */
      stillSpending: z.number().int(),
    }),
  },
  /** The sunset calculator for a version under a draft plan (nothing is written), and who depends on it. */
  'lifecycle/calculate': {
    input: z
      .object({
        model: z.string().min(1).max(500),
        version: z.string().min(1).max(200),
        replacement: z.object({ model: z.string().min(1).max(500), version: z.string().min(1).max(200) }).strict().nullable().optional(),
        sharedMonthly: z.number().min(0).optional(),
        commitments: z.array(CommitmentSchema).max(50).optional(),
        /** The plan's retirement date: the saving is counted from then (from today when it has passed). */
        retirementDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
      })
      .strict(),
    output: z.custom<{ saving: SunsetSavingView; dependents: SunsetDependents; lifecycle: { state: 'active' | 'deprecated' | 'retired'; since: string | null } }>(),
  },
  'sunsets/list': { input: NoInput, output: z.custom<SunsetView[]>() },
  'sunsets/show': { input: z.object({ id: z.number().int().min(1) }).strict(), output: z.custom<{ sunset: SunsetView; dependents: SunsetDependents }>() },
  /** Opens a sunset review for a version with its plan (validated: each refusal names its field). */
  'sunsets/propose': {
    input: z.object({ model: z.string().min(1).max(500), version: z.string().min(1).max(200), plan: SunsetPlanSchema, reasons: z.array(z.object({ code: z.string().max(64), detail: z.string().max(2000) }).strict()).max(20).optional() }).strict(),
    output: z.custom<{ id: number; saving: SunsetSavingView; planSha256: string }>(),
  },
  /** Signs and records approve / reject / withdraw on a sunset with one of this workspace's keys (passphrase, or the OS keychain as for reviews/decide). */
  'sunsets/decide': {
    input: z.object({ id: z.number().int().min(1), kind: z.enum(['approve', 'reject', 'withdraw']), rationale: z.string().trim().min(1, 'say why').max(10_000), keyId: KeyIdInput, passphrase: Passphrase.optional(), remember: Remember }).strict(),
    output: z.custom<{ decisionId: number; digest: string; state: string; lifecycle: string }>(),
  },
  /** Writes the one-page sunset summary PDF (signed with the workspace certificate) under exports/reports. */
  'sunsets/exportSummary': { input: z.object({ id: z.number().int().min(1) }).strict(), output: z.custom<{ path: string; sha256: string }>() },
// `satisfies` makes a missing or an extra channel (against channels.ts) a compile error.
} as const satisfies Record<Channel, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

/** Events pushed from the engine to the renderer. */
export const events = {
  'cards/importProgress': z.object({ done: z.number().int(), total: z.number().int(), file: z.string() }),
  'spend/importProgress': z.object({
    file: z.string(),
    fileIndex: z.number().int(),
    files: z.number().int(),
    rows: z.number().int(),
    bytesRead: z.number(),
    totalBytes: z.number(),
  }),
  'mlflow/syncProgress': z.object({ phase: z.enum(['models', 'versions', 'runs']), done: z.number().int(), total: z.number().int().nullable() }),
  'pack/exportProgress': z.object({ step: z.enum(['evidence', 'pdf', 'sign', 'files', 'manifest', 'write', 'zip', 'done']), done: z.number().int(), total: z.number().int() }),
  /** From the app menu: open the audit pack verifier. */
  'pack/openVerify': z.object({}).strict(),
  /** A budget threshold changed state: shown in the app and, by the desktop shell, as an OS notification. */
  'notifications/new': z.object({ id: z.number().int(), at: z.string(), kind: z.string(), title: z.string(), body: z.string(), link: z.string().nullable(), readAt: z.string().nullable() }),
} as const satisfies Record<EventName, z.ZodType>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
