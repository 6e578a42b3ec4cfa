import type { Database } from 'better-sqlite3';
import { ATTRIBUTED_MODEL_SQL } from './attribution';

export type SpendGrouping = 'model' | 'team' | 'service' | 'provider' | 'account';
export const SPEND_GROUPINGS: readonly SpendGrouping[] = ['model', 'team', 'service', 'provider', 'account'];

export interface SpendQuery {
  by: SpendGrouping;
  /** Inclusive first day, 'YYYY-MM-DD' (UTC). */
  from?: string;
  /** Inclusive last day, 'YYYY-MM-DD' (UTC). */
  to?: string;
}

export interface SpendRow {
  key: string;
  currency: string;
  billedCost: number;
  effectiveCost: number;
}

/** Spend without the attribution tag: always a line of its own, never dropped. */
export const UNATTRIBUTED = 'unattributed';
/** A group without a value (e.g. a row with no sub-account). */
export const NO_VALUE = '(none)';

// Column names come from this fixed map, never from input.
const KEY_COLUMN: Record<SpendGrouping, string> = {
  model: 'tag_model',
  team: 'tag_team',
  service: 'service_name',
  provider: 'provider',
  account: 'sub_account_id',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class SpendQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpendQueryError';
  }
}

/**
 * Spend per group and currency over a range of days, read from the daily rollup (O(days x groups)).
 * Costs are SQLite sums; currencies are never added together. Grouped by model or team, the
 * unattributed line is always present for each currency, even at zero, so its share stays visible.
 * Ordered by effective cost, largest first.
 */
export function spendBy(db: Database, query: SpendQuery): SpendRow[] {
  const column = KEY_COLUMN[query.by];
  if (!column) throw new SpendQueryError(`cannot group spend by "${String(query.by)}" (use ${SPEND_GROUPINGS.join(', ')})`);
  for (const [name, day] of [['from', query.from], ['to', query.to]] as const) {
    if (day !== undefined && (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))) throw new SpendQueryError(`--${name}: "${day}" is not a date (YYYY-MM-DD)`);
  }
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
}

/** The same grouping per day, for the stacked daily chart; also from the rollup. */
export function spendDaily(db: Database, query: SpendQuery): SpendDailyPoint[] {
  const column = KEY_COLUMN[query.by];
  if (!column) throw new SpendQueryError(`cannot group spend by "${String(query.by)}" (use ${SPEND_GROUPINGS.join(', ')})`);
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

/** The span of days with spend, and the files it came from (for provenance on hover). */
export function spendCoverage(db: Database): { firstDay: string | null; lastDay: string | null; files: { path: string; focusVersion: string; rows: number; importedAt: string }[] } {
  const span = db.prepare('SELECT min(day) AS firstDay, max(day) AS lastDay FROM spend_daily').get() as { firstDay: string | null; lastDay: string | null };
  const files = db.prepare('SELECT path, focus_version AS focusVersion, rows, imported_at AS importedAt FROM spend_files ORDER BY id').all() as {
    path: string;
    focusVersion: string;
    rows: number;
    importedAt: string;
  }[];
  return { ...span, files };
}

export interface UnitCost {
  model: string;
  currency: string;
  effectiveCost: number;
  requests: number;
  /** Effective cost per 1,000 predictions; null without usage. */
  costPer1kPredictions: number | null;
  tokens: number | null;
  costPerMillionTokens: number | null;
}

/**
 * Unit economics per model over one range of days: effective cost (what was
 * really paid, after discounts) divided by requests and by tokens, from the rollups.
 */
export function unitCosts(db: Database, range: { from?: string; to?: string } = {}): UnitCost[] {
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
  const attributedByTag = query.by === 'model' || query.by === 'team';
  // The rollup shows missing values as "unattributed" or "(none)"; the line items hold them as NULL or ''.
  const missing = (attributedByTag && query.key === UNATTRIBUTED) || (!attributedByTag && query.key === NO_VALUE);
  // The model a line item counts for is decided by the attribution rules, exactly as in the rollup.
  const expression = query.by === 'model' ? ATTRIBUTED_MODEL_SQL : `coalesce(li.${column}, '')`;
  const where = `${missing ? `${expression} = ''` : `${expression} = @key`} AND substr(li.charge_period_start, 1, 10) BETWEEN @from AND @to`;
  const params = { key: query.key, from: query.from ?? '0000-00-00', to: query.to ?? '9999-99-99' };
  const total = (db.prepare(`SELECT count(*) AS n FROM spend_line_items li WHERE ${where}`).get(params) as { n: number }).n;
  const items = db
    .prepare(
      `SELECT substr(li.charge_period_start, 1, 10) AS day, li.service_name AS serviceName, li.resource_id AS resourceId,
              li.charge_category AS chargeCategory, li.charge_class AS chargeClass, li.billing_currency AS currency,
              li.billed_cost AS billedCost, li.effective_cost AS effectiveCost, f.path AS file, li.line
         FROM spend_line_items li JOIN spend_files f ON f.id = li.file_id
        WHERE ${where} ORDER BY li.effective_cost DESC LIMIT @limit`,
    )
    .all({ ...params, limit: Math.min(query.limit ?? 200, 1000) }) as SpendLineItem[];
  return { total, items };
}
