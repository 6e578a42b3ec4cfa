import type { Database } from 'better-sqlite3';
import { DocketError } from '../../../shared/ipc/result';

/**
 * Spend read from AWS Cost Explorer syncs (ce_daily), in the same shapes as the FOCUS rollup's
 * queries. Cost Explorer's UnblendedCost is what the bill says (billedCost); AmortizedCost spreads
 * upfront commitments over the days they cover (effectiveCost), as FOCUS defines the two.
 * One source at a time: a Cost Explorer sync and a FOCUS export of the same account describe the
 * same bill, so the two are never added together.
 */

export type SpendGrouping = 'model' | 'team' | 'service' | 'provider' | 'account';

/** Spend without the attribution tag: always a line of its own, never dropped. */
export const UNATTRIBUTED = 'unattributed';
/** A group without a value (e.g. a row with no sub-account). */
export const NO_VALUE = '(none)';

/** A spend query error the caller can act on; its message reaches the UI and the CLI unchanged. */
export class SpendQueryError extends DocketError {
  constructor(message: string) {
    super('INVALID_INPUT', message);
    this.name = 'SpendQueryError';
  }
}

/** 'focus' (the imported FOCUS files) or 'aws-ce:<sourceId>' (one Cost Explorer source). */
export type SpendSourceRef = 'focus' | `aws-ce:${number}`;
export type ParsedSpendSource = { kind: 'focus' } | { kind: 'aws-ce'; sourceId: number };

export function parseSpendSource(source: string | undefined): ParsedSpendSource {
  if (source === undefined || source === 'focus') return { kind: 'focus' };
  const match = /^aws-ce:(\d{1,9})$/.exec(source);
  if (!match) throw new SpendQueryError(`unknown spend source "${source}": use "focus" or "aws-ce:<id>"`);
  return { kind: 'aws-ce', sourceId: Number(match[1]) };
}

/** What a Cost Explorer source is: the parts of the URI syncAwsCe gave it. */
export interface CeSourceInfo {
  sourceId: number;
  uri: string;
  profile: string;
  tagKey: string;
  /** The second grouping the sync asked for (SERVICE, LINKED_ACCOUNT, REGION...). */
  groupBy2: string;
  endpoint: string | null;
}

/** Parses "aws-ce://<profile>/<tag key, URI-encoded>/<GROUP_BY>[@<endpoint>]" (syncAwsCe's naming). */
export function parseCeUri(sourceId: number, uri: string): CeSourceInfo {
  const match = /^aws-ce:\/\/([^/]*)\/([^/]*)\/([A-Z_]+)(?:@(.+))?$/.exec(uri);
  if (!match) return { sourceId, uri, profile: 'default', tagKey: 'ml:model', groupBy2: 'SERVICE', endpoint: null };
  let tagKey = match[2]!;
  try {
    tagKey = decodeURIComponent(tagKey);
  } catch {
    /* keep it as stored */
  }
  return { sourceId, uri, profile: match[1]!, tagKey, groupBy2: match[3]!, endpoint: match[4] ?? null };
}

export function ceSourceInfo(db: Database, sourceId: number): CeSourceInfo {
  const row = db.prepare("SELECT id, uri FROM sources WHERE id = ? AND kind = 'aws-ce'").get(sourceId) as { id: number; uri: string } | undefined;
  if (!row) {
    const known = listCeSources(db).map((s) => `aws-ce:${s.sourceId}`);
    throw new SpendQueryError(`no Cost Explorer source ${sourceId}${known.length ? ` (known: ${known.join(', ')})` : ': run "docket sync aws-ce" first'}`);
  }
  return parseCeUri(row.id, row.uri);
}

export function listCeSources(db: Database): CeSourceInfo[] {
  return (db.prepare("SELECT id, uri FROM sources WHERE kind = 'aws-ce' ORDER BY id").all() as { id: number; uri: string }[]).map((r) => parseCeUri(r.id, r.uri));
}

/** The dimension a grouping needs from Cost Explorer's second GroupBy; model and provider need none. */
const CE_DIMENSION: Partial<Record<SpendGrouping, string>> = { service: 'SERVICE', account: 'LINKED_ACCOUNT' };

/** Which groupings a Cost Explorer source can answer: model (the tag), provider, and its own second grouping. */
export function ceGroupings(info: CeSourceInfo): SpendGrouping[] {
  const list: SpendGrouping[] = ['model'];
  if (info.groupBy2 === 'SERVICE') list.push('service');
  if (info.groupBy2 === 'LINKED_ACCOUNT') list.push('account');
  list.push('provider');
  return list;
}

/** The SQL expression for a grouping's key over ce_daily, or a SpendQueryError saying what the source supports. */
function keyExpression(info: CeSourceInfo, by: SpendGrouping): string {
  const supported = ceGroupings(info).join(', ');
  const name = `Cost Explorer source aws-ce:${info.sourceId} (tag ${info.tagKey}, grouped by ${info.groupBy2})`;
  switch (by) {
    case 'model':
      return 'tag_value';
    case 'provider':
      return "'AWS'";
    case 'team':
      throw new SpendQueryError(`${name} has no team: Cost Explorer was asked for the ${info.tagKey} tag only. It can group by ${supported}; pick the FOCUS source for teams.`);
    case 'service':
    case 'account': {
      const dimension = CE_DIMENSION[by]!;
      if (info.groupBy2 !== dimension) {
        throw new SpendQueryError(`${name} cannot group by ${by}: it was synced with --group-by ${info.groupBy2}. It can group by ${supported}; sync again with --group-by ${dimension} to group by ${by}.`);
      }
      return 'group2';
    }
    default:
      throw new SpendQueryError(`cannot group spend by "${String(by)}"`);
  }
}

export interface CeSpendRow {
  key: string;
  currency: string;
  billedCost: number;
  effectiveCost: number;
  /** True when any day behind the figure is still Estimated by AWS (it may be restated). */
  estimated: boolean;
}

export interface CeSpendDailyPoint extends CeSpendRow {
  day: string;
}

interface Range {
  from?: string;
  to?: string;
}

const bounds = (range: Range) => ({ from: range.from ?? '0000-00-00', to: range.to ?? '9999-99-99' });

function keyOf(by: SpendGrouping, key: string): string {
  if (key !== '') return key;
  return by === 'model' ? UNATTRIBUTED : NO_VALUE;
}

/** Spend per group and currency from one Cost Explorer source; grouped by model, the unattributed line is always present per currency. */
export function ceSpendBy(db: Database, sourceId: number, by: SpendGrouping, range: Range): CeSpendRow[] {
  const info = ceSourceInfo(db, sourceId);
  const expression = keyExpression(info, by);
  const rows = db
    .prepare(
      `SELECT ${expression} AS key, currency, SUM(unblended_cost) AS billedCost, SUM(amortized_cost) AS effectiveCost, MAX(estimated) AS estimated
         FROM ce_daily WHERE source_id = @sourceId AND day >= @from AND day <= @to
        GROUP BY 1, currency`,
    )
    .all({ sourceId, ...bounds(range) }) as (Omit<CeSpendRow, 'estimated'> & { estimated: number })[];
  const result: CeSpendRow[] = rows.map((r) => ({ key: keyOf(by, r.key), currency: r.currency, billedCost: r.billedCost, effectiveCost: r.effectiveCost, estimated: r.estimated === 1 }));
  if (by === 'model') {
    for (const currency of new Set(result.map((r) => r.currency))) {
      if (!result.some((r) => r.currency === currency && r.key === UNATTRIBUTED)) result.push({ key: UNATTRIBUTED, currency, billedCost: 0, effectiveCost: 0, estimated: false });
    }
  }
  return result.sort((a, b) => a.currency.localeCompare(b.currency) || b.effectiveCost - a.effectiveCost || a.key.localeCompare(b.key));
}

/** The same grouping per day, for the daily chart. */
export function ceSpendDaily(db: Database, sourceId: number, by: SpendGrouping, range: Range): CeSpendDailyPoint[] {
  const info = ceSourceInfo(db, sourceId);
  const expression = keyExpression(info, by);
  const rows = db
    .prepare(
      `SELECT day, ${expression} AS key, currency, SUM(unblended_cost) AS billedCost, SUM(amortized_cost) AS effectiveCost, MAX(estimated) AS estimated
         FROM ce_daily WHERE source_id = @sourceId AND day >= @from AND day <= @to
        GROUP BY day, 2, currency ORDER BY day`,
    )
    .all({ sourceId, ...bounds(range) }) as (Omit<CeSpendDailyPoint, 'estimated'> & { estimated: number })[];
  return rows.map((r) => ({ ...r, key: keyOf(by, r.key), estimated: r.estimated === 1 }));
}

/** The days Cost Explorer answered for (with or without cost). */
export function ceCoverage(db: Database, sourceId: number): { firstDay: string | null; lastDay: string | null } {
  return db.prepare('SELECT min(day) AS firstDay, max(day) AS lastDay FROM ce_days WHERE source_id = ?').get(sourceId) as { firstDay: string | null; lastDay: string | null };
}

/** The last successful sync of a source: when it finished and its run id. */
export function ceLastSync(db: Database, sourceId: number): { finishedAt: string | null; syncRunId: number | null } {
  const row = db.prepare("SELECT id, finished_at AS finishedAt FROM sync_runs WHERE source_id = ? AND kind = 'aws-ce' AND status = 'ok' ORDER BY id DESC LIMIT 1").get(sourceId) as
    | { id: number; finishedAt: string | null }
    | undefined;
  return { finishedAt: row?.finishedAt ?? null, syncRunId: row?.id ?? null };
}

/** Days in the range AWS still flags Estimated, oldest first. */
export function ceEstimatedDays(db: Database, sourceId: number, range: Range): string[] {
  return (db.prepare('SELECT day FROM ce_days WHERE source_id = @sourceId AND estimated = 1 AND day >= @from AND day <= @to ORDER BY day').all({ sourceId, ...bounds(range) }) as { day: string }[]).map(
    (r) => r.day,
  );
}

/** Effective (amortized) cost per tagged model from one Cost Explorer source, joined with usage for unit costs. */
export function ceModelSpend(db: Database, sourceId: number, range: Range): { model: string; currency: string; effectiveCost: number }[] {
  ceSourceInfo(db, sourceId);
  return db
    .prepare(
      `SELECT tag_value AS model, currency, SUM(amortized_cost) AS effectiveCost FROM ce_daily
        WHERE source_id = @sourceId AND day >= @from AND day <= @to AND tag_value != '' GROUP BY tag_value, currency ORDER BY effectiveCost DESC`,
    )
    .all({ sourceId, ...bounds(range) }) as { model: string; currency: string; effectiveCost: number }[];
}
