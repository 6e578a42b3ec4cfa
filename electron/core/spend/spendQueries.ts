import type { SpendProvenanceView, UnitCostView } from '../../../shared/ipc/contract';
import type { Database } from 'better-sqlite3';
import { attributedModelSql, hasAttributionRules } from './attribution';
import {
  ceCoverage,
  ceEstimatedDays,
  ceGroupings,
  ceLastSync,
  ceModelSpend,
  ceSourceInfo,
  ceSpendBy,
  ceSpendDaily,
  listCeSources,
  NO_VALUE,
  parseSpendSource,
  SpendQueryError,
  UNATTRIBUTED,
  type SpendGrouping,
} from './ceSpendQueries';

export { NO_VALUE, parseSpendSource, SpendQueryError, UNATTRIBUTED, type SpendGrouping, type SpendSourceRef } from './ceSpendQueries';
export const SPEND_GROUPINGS: readonly SpendGrouping[] = ['model', 'team', 'service', 'provider', 'account'];

export interface SpendQuery {
  by: SpendGrouping;
  /** Inclusive first day, 'YYYY-MM-DD' (UTC). */
  from?: string;
  /** Inclusive last day, 'YYYY-MM-DD' (UTC). */
  to?: string;
  /**
   * Where the spend comes from: 'focus' (default: the imported FOCUS files) or 'aws-ce:<sourceId>'
   * (one Cost Explorer source). Never both: they describe the same bill and would double count.
   */
  source?: string;
}

export interface SpendRow {
  key: string;
  currency: string;
  billedCost: number;
  effectiveCost: number;
  /** Cost Explorer only: some day behind the figure is still Estimated. Absent for FOCUS (its figures are billed). */
  estimated?: boolean;
}

// Column names come from this fixed map, never from input.
const KEY_COLUMN: Record<SpendGrouping, string> = {
  model: 'tag_model',
  team: 'tag_team',
  service: 'service_name',
  provider: 'provider',
  account: 'sub_account_id',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkRange(query: { from?: string; to?: string }): void {
  for (const [name, day] of [['from', query.from], ['to', query.to]] as const) {
    if (day !== undefined && (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))) throw new SpendQueryError(`--${name}: "${day}" is not a date (YYYY-MM-DD)`);
  }
}

/**
 * Spend per group and currency over a range of days, read from the daily rollup (O(days x groups)).
 * Costs are SQLite sums; currencies are never added together. Grouped by model or team, the
 * unattributed line is always present for each currency, even at zero, so its share stays visible.
 * Ordered by effective cost, largest first. With a Cost Explorer source, reads that source alone.
 */
export function spendBy(db: Database, query: SpendQuery): SpendRow[] {
  const column = KEY_COLUMN[query.by];
  if (!column) throw new SpendQueryError(`cannot group spend by "${String(query.by)}" (use ${SPEND_GROUPINGS.join(', ')})`);
  checkRange(query);
  const source = parseSpendSource(query.source);
  if (source.kind === 'aws-ce') return ceSpendBy(db, source.sourceId, query.by, query);
  const rows = db
    .prepare(
      `SELECT ${column} AS key, currency, SUM(billed_cost) AS billedCost, SUM(effective_cost) AS effectiveCost
         FROM spend_daily
        WHERE day >= ? AND day <= ?
        GROUP BY ${column}, currency`,
    )
    .all(query.from ?? '0000-00-00', query.to ?? '9999-99-99') as SpendRow[];
  const attributedByTag = query.by === 'model' || query.by === 'team';
  const result = rows.map((r) => ({ key: r.key === '' ? (attributedByTag ? UNATTRIBUTED : NO_VALUE) : r.key, currency: r.currency, billedCost: r.billedCost, effectiveCost: r.effectiveCost }));
  if (attributedByTag) {
    for (const currency of new Set(result.map((r) => r.currency))) {
      if (!result.some((r) => r.currency === currency && r.key === UNATTRIBUTED)) result.push({ key: UNATTRIBUTED, currency, billedCost: 0, effectiveCost: 0 });
    }
  }
  return result.sort((a, b) => a.currency.localeCompare(b.currency) || b.effectiveCost - a.effectiveCost || a.key.localeCompare(b.key));
}

export interface SpendDailyPoint {
  day: string;
  key: string;
  currency: string;
  billedCost: number;
  effectiveCost: number;
  /** Cost Explorer only: AWS still flags the day Estimated. */
  estimated?: boolean;
}

/** The same grouping per day, for the stacked daily chart; also from the rollup. */
export function spendDaily(db: Database, query: SpendQuery): SpendDailyPoint[] {
  const column = KEY_COLUMN[query.by];
  if (!column) throw new SpendQueryError(`cannot group spend by "${String(query.by)}" (use ${SPEND_GROUPINGS.join(', ')})`);
  checkRange(query);
  const source = parseSpendSource(query.source);
  if (source.kind === 'aws-ce') return ceSpendDaily(db, source.sourceId, query.by, query);
  const attributedByTag = query.by === 'model' || query.by === 'team';
  const rows = db
    .prepare(
      `SELECT day, ${column} AS key, currency, SUM(billed_cost) AS billedCost, SUM(effective_cost) AS effectiveCost
         FROM spend_daily WHERE day >= ? AND day <= ?
        GROUP BY day, ${column}, currency ORDER BY day`,
    )
    .all(query.from ?? '0000-00-00', query.to ?? '9999-99-99') as SpendDailyPoint[];
  return rows.map((r) => ({ ...r, key: r.key === '' ? (attributedByTag ? UNATTRIBUTED : NO_VALUE) : r.key }));
}

export interface FocusFileInfo {
  path: string;
  focusVersion: string;
  rows: number;
  importedAt: string;
}

export interface SpendCoverage {
  firstDay: string | null;
  lastDay: string | null;
  /** The FOCUS files behind the figures; empty for a Cost Explorer source. */
  files: FocusFileInfo[];
}

function focusFiles(db: Database): FocusFileInfo[] {
  return db.prepare('SELECT path, focus_version AS focusVersion, rows, imported_at AS importedAt FROM spend_files ORDER BY id').all() as FocusFileInfo[];
}

/** The span of days with spend in one source, and (FOCUS) the files it came from. */
export function spendCoverage(db: Database, source?: string): SpendCoverage {
  const parsed = parseSpendSource(source);
  if (parsed.kind === 'aws-ce') {
    ceSourceInfo(db, parsed.sourceId);
    return { ...ceCoverage(db, parsed.sourceId), files: [] };
  }
  const span = db.prepare('SELECT min(day) AS firstDay, max(day) AS lastDay FROM spend_daily').get() as { firstDay: string | null; lastDay: string | null };
  return { ...span, files: focusFiles(db) };
}

/** One place spend can be read from, with its coverage: what the Source selector and `docket spend --source` offer. */
export interface SpendSourceInfo {
  /** 'focus' or 'aws-ce:<id>': the value spend queries take as `source`. */
  id: string;
  kind: 'focus' | 'aws-ce';
  /** For people: "FOCUS files (2)" or "AWS Cost Explorer: ml:model by SERVICE (profile default)". */
  label: string;
  firstDay: string | null;
  lastDay: string | null;
  /** When the data was last pulled: the latest FOCUS import, or the last successful Cost Explorer sync. */
  lastSyncAt: string | null;
  /** The groupings this source can answer. */
  groupings: SpendGrouping[];
  /** Cost Explorer only: the source's URI, tag key, second grouping and endpoint. */
  uri: string | null;
  tagKey: string | null;
  groupBy2: string | null;
  endpoint: string | null;
}

/** FOCUS first (the default), then each Cost Explorer source in the order it was first synced. */
export function listSpendSources(db: Database): SpendSourceInfo[] {
  const files = focusFiles(db);
  const focusSpan = db.prepare('SELECT min(day) AS firstDay, max(day) AS lastDay FROM spend_daily').get() as { firstDay: string | null; lastDay: string | null };
  const focus: SpendSourceInfo = {
    id: 'focus',
    kind: 'focus',
    label: `FOCUS files (${files.length})`,
    ...focusSpan,
    lastSyncAt: files.map((f) => f.importedAt).sort().pop() ?? null,
    groupings: [...SPEND_GROUPINGS],
    uri: null,
    tagKey: null,
    groupBy2: null,
    endpoint: null,
  };
  const ce = listCeSources(db).map(
    (info): SpendSourceInfo => ({
      id: `aws-ce:${info.sourceId}`,
      kind: 'aws-ce',
      label: `AWS Cost Explorer: ${info.tagKey} by ${info.groupBy2} (profile ${info.profile}${info.endpoint ? `, ${info.endpoint}` : ''})`,
      ...ceCoverage(db, info.sourceId),
      lastSyncAt: ceLastSync(db, info.sourceId).finishedAt,
      groupings: ceGroupings(info),
      uri: info.uri,
      tagKey: info.tagKey,
      groupBy2: info.groupBy2,
      endpoint: info.endpoint,
    }),
  );
  return [focus, ...ce];
}

/** Where the figures of one spend query came from: what every figure says on hover (the IPC view's shape). */
export type SpendProvenance = SpendProvenanceView;

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Provenance of a spend query's figures: source name, last sync time and the Estimated days in its range. */
export function spendProvenance(db: Database, query: { source?: string; from?: string; to?: string }): SpendProvenance {
  checkRange(query);
  const parsed = parseSpendSource(query.source);
  if (parsed.kind === 'aws-ce') {
    const info = ceSourceInfo(db, parsed.sourceId);
    const sync = ceLastSync(db, parsed.sourceId);
    const estimatedDays = ceEstimatedDays(db, parsed.sourceId, query);
    return {
      source: `aws-ce:${parsed.sourceId}`,
      kind: 'aws-ce',
      name: `AWS Cost Explorer ${info.endpoint ?? 'ce.us-east-1.amazonaws.com'} (profile ${info.profile}), tag ${info.tagKey}, grouped by ${info.groupBy2}`,
      files: [],
      lastSyncAt: sync.finishedAt,
      syncRunId: sync.syncRunId,
      estimatedDays,
      estimatedDayCount: estimatedDays.length,
    };
  }
  const files = focusFiles(db).map((f) => ({ path: f.path, focusVersion: f.focusVersion, importedAt: f.importedAt }));
  const shown = files.slice(0, 3).map((f) => `${baseName(f.path)} (FOCUS ${f.focusVersion})`);
  const more = files.length > shown.length ? `, +${files.length - shown.length} more` : '';
  return {
    source: 'focus',
    kind: 'focus',
    name: files.length === 0 ? 'FOCUS files: none imported' : `FOCUS file${files.length === 1 ? '' : 's'} ${shown.join(', ')}${more}`,
    files,
    lastSyncAt: files.map((f) => f.importedAt).sort().pop() ?? null,
    syncRunId: null,
    estimatedDays: [],
    estimatedDayCount: 0,
  };
}

export type UnitCost = UnitCostView;

/**
 * Unit economics per model over one range of days: effective cost (what was
 * really paid, after discounts) divided by requests and by tokens, from the rollups.
 */
export function unitCosts(db: Database, range: { from?: string; to?: string; source?: string } = {}): UnitCost[] {
  checkRange(range);
  const parsed = parseSpendSource(range.source);
  if (parsed.kind === 'aws-ce') return ceUnitCosts(db, parsed.sourceId, range);
  const rows = db
    .prepare(
      `WITH usage AS (
         SELECT model, SUM(requests) AS requests, SUM(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)) AS tokens,
                COUNT(input_tokens) + COUNT(output_tokens) AS token_rows
           FROM usage_daily WHERE day >= @from AND day <= @to GROUP BY model),
       spend AS (
         SELECT tag_model AS model, currency, SUM(effective_cost) AS effective_cost
           FROM spend_daily WHERE day >= @from AND day <= @to AND tag_model != '' GROUP BY tag_model, currency)
       SELECT s.model, s.currency, s.effective_cost AS effectiveCost, coalesce(u.requests, 0) AS requests,
              CASE WHEN u.token_rows > 0 THEN u.tokens END AS tokens
         FROM spend s LEFT JOIN usage u ON u.model = s.model ORDER BY s.effective_cost DESC`,
    )
    .all({ from: range.from ?? '0000-00-00', to: range.to ?? '9999-99-99' }) as { model: string; currency: string; effectiveCost: number; requests: number; tokens: number | null }[];
  return rows.map((r) => ({
    ...r,
    costPer1kPredictions: r.requests > 0 ? (r.effectiveCost / r.requests) * 1000 : null,
    costPerMillionTokens: r.tokens ? (r.effectiveCost / r.tokens) * 1_000_000 : null,
  }));
}

/** Unit costs with a Cost Explorer source: its amortized cost per tagged model over the same usage. */
function ceUnitCosts(db: Database, sourceId: number, range: { from?: string; to?: string }): UnitCost[] {
  const spend = ceModelSpend(db, sourceId, range);
  const usage = db.prepare(
    `SELECT SUM(requests) AS requests, SUM(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)) AS tokens, COUNT(input_tokens) + COUNT(output_tokens) AS tokenRows
       FROM usage_daily WHERE model = @model AND day >= @from AND day <= @to`,
  );
  return spend.map((s) => {
    const u = usage.get({ model: s.model, from: range.from ?? '0000-00-00', to: range.to ?? '9999-99-99' }) as { requests: number | null; tokens: number | null; tokenRows: number };
    const requests = u.requests ?? 0;
    const tokens = u.tokenRows > 0 ? u.tokens : null;
    return {
      ...s,
      requests,
      costPer1kPredictions: requests > 0 ? (s.effectiveCost / requests) * 1000 : null,
      tokens,
      costPerMillionTokens: tokens ? (s.effectiveCost / tokens) * 1_000_000 : null,
    };
  });
}

/** The values attribution rules read, decoded from a row of spend_line_items_coded (alias `li`). */
const decodedInputs = {
  resourceId: '(SELECT value FROM spend_text WHERE id = li.resource_id_code)',
  subAccountId: '(SELECT value FROM spend_text WHERE id = li.sub_account_id_code)',
  tagsJson: '(SELECT value FROM spend_text WHERE id = li.tags_json_code)',
  tagModel: '(SELECT value FROM spend_text WHERE id = li.tag_model_code)',
};

export interface SpendLineItem {
  day: string;
  serviceName: string | null;
  resourceId: string | null;
  chargeCategory: string | null;
  chargeClass: string | null;
  currency: string;
  billedCost: number;
  effectiveCost: number;
  /** Where the row came from: the FOCUS file and its line. */
  file: string;
  line: number;
}

/**
 * The line items behind one group's figure (drill-down), largest effective cost first. Reads line
 * items, not the rollup, so it is bounded by `limit`; the total count says how many there are.
 */
export function spendLineItems(db: Database, query: SpendQuery & { key: string; limit?: number }): { total: number; items: SpendLineItem[] } {
  const column = KEY_COLUMN[query.by];
  if (!column) throw new SpendQueryError(`cannot group spend by "${String(query.by)}" (use ${SPEND_GROUPINGS.join(', ')})`);
  if (parseSpendSource(query.source).kind === 'aws-ce') {
    throw new SpendQueryError('Cost Explorer gives daily totals per group, not line items: pick the FOCUS source to see the line items behind a figure');
  }
  const attributedByTag = query.by === 'model' || query.by === 'team';
  // The rollup shows missing values as "unattributed" or "(none)"; the line items hold them as NULL or ''.
  const missing = (attributedByTag && query.key === UNATTRIBUTED) || (!attributedByTag && query.key === NO_VALUE);
  const rules = query.by === 'model' && hasAttributionRules(db);
  // Rows are matched on their codes (no text decoded per row), except that the model a line item
  // counts for under attribution rules is decided by the rules, exactly as in the rollup.
  const code = `li.${column}_code`;
  const keyMatch = rules
    ? `${attributedModelSql(decodedInputs)} = ${missing ? "''" : '@key'}`
    : missing
      ? `(${code} IS NULL OR ${code} = (SELECT id FROM spend_text WHERE value = ''))`
      : `${code} = (SELECT id FROM spend_text WHERE value = @key)`;
  const where = `${keyMatch} AND substr((SELECT value FROM spend_text WHERE id = li.charge_period_start_code), 1, 10) BETWEEN @from AND @to`;
  const params = { key: query.key, from: query.from ?? '0000-00-00', to: query.to ?? '9999-99-99' };
  const total = (db.prepare(`SELECT count(*) AS n FROM spend_line_items_coded li WHERE ${where}`).get(params) as { n: number }).n;
  // The page is chosen on codes and costs, and only its rows are decoded.
  const items = db
    .prepare(
      `SELECT substr(v.charge_period_start, 1, 10) AS day, v.service_name AS serviceName, v.resource_id AS resourceId,
              v.charge_category AS chargeCategory, v.charge_class AS chargeClass, v.billing_currency AS currency,
              v.billed_cost AS billedCost, v.effective_cost AS effectiveCost, f.path AS file, v.line
         FROM (SELECT li.id FROM spend_line_items_coded li WHERE ${where} ORDER BY li.effective_cost DESC, li.id LIMIT @limit) page
         JOIN spend_line_items v ON v.id = page.id
         JOIN spend_files f ON f.id = v.file_id
        ORDER BY v.effective_cost DESC, v.id`,
    )
    .all({ ...params, limit: Math.min(query.limit ?? 200, 1000) }) as SpendLineItem[];
  return { total, items };
}
