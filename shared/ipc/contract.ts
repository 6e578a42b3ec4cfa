import { z } from 'zod';
import { CanonicalCardSchema, CARD_FORMATS } from '../domain/modelCard';
import type { Channel, EventName } from './channels';
import type { FairnessStatus, FairnessVersionView } from '../domain/fairness';
import type { AliasPlacementView, LineageView, SyncRunView } from '../domain/lineage';
import type { RegistryModelVersion } from '../domain/registry';

export interface AttributionRuleView {
  id: number;
  kind: 'tag' | 'resource' | 'account';
  tagKey: string | null;
  pattern: string;
  model: string;
  priority: number;
}

/** What the Spend view shows: totals per group and per day, from the daily rollup. */
export interface SpendSummary {
  by: 'model' | 'team' | 'service' | 'provider' | 'account';
  from: string | null;
  to: string | null;
  rows: { key: string; currency: string; billedCost: number; effectiveCost: number }[];
  daily: { day: string; key: string; currency: string; billedCost: number; effectiveCost: number }[];
  coverage: { firstDay: string | null; lastDay: string | null; files: { path: string; focusVersion: string; rows: number; importedAt: string }[] };
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

export const DbInfoSchema = z.object({
  path: z.string(),
  schemaVersion: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
});
export type DbInfo = z.infer<typeof DbInfoSchema>;

const NoInput = z.object({}).strict();

export const contract = {
  'app/info': { input: NoInput, output: z.object({ version: z.string(), platform: z.string(), dbPath: z.string() }) },
  'models/list': { input: NoInput, output: z.array(ModelSummarySchema) },
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
      })
      .strict(),
    output: z.custom<SpendSummary>(),
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
  'audit/list': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(AuditEntrySchema),
  },
  'audit/verify': { input: NoInput, output: AuditVerifySchema },
  'db/info': { input: NoInput, output: DbInfoSchema },
  /** Opens an http(s) link in the user's browser, only if it passes the allowlist. */
  'shell/openExternal': {
    input: z.object({ url: z.string().max(2048) }).strict(),
    output: z.object({ opened: z.boolean(), reason: z.string().nullable() }),
  },
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
} as const satisfies Record<EventName, z.ZodType>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
