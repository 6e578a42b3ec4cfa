import type { Database } from 'better-sqlite3';
import type { CeDailyCost } from '../../../shared/domain/spend';
import { DocketError } from '../../../shared/ipc/result';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { finishRun, recordRejectedRun, startRun } from '../store/syncRuns';
import { fetchCostAndUsage, type AwsCredentialIdentity, type CeGroupBy2, type CeRetryOptions } from './fetchCostAndUsage';
import { daysToFetch, diffRestatements } from './refetchWindow';

export interface AwsCeSyncOptions {
  /** First day, YYYY-MM-DD, inclusive. */
  from: string;
  /** Last day, YYYY-MM-DD, exclusive (Cost Explorer's convention). */
  to: string;
  tagKey?: string;
  groupBy2?: CeGroupBy2;
  profile?: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity;
  retry?: CeRetryOptions;
  actor: string;
  clock: Clock;
  /**
   * Also ask GetCostForecast for the rest of the current month (one more request, $0.01): budgets
   * show AWS's forecast beside Docket's own.
   */
  forecast?: boolean;
}

/** The forecast window Cost Explorer accepts: from today to the first day of next month (exclusive). */
export function forecastWindow(today: string): { from: string; to: string } {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from: today, to: next };
}

export interface AwsCeSyncResult {
  syncRunId: number | null;
  /** Billed API requests this sync made ($0.01 each). */
  requests: number;
  days: number;
  groups: number;
  restated: number;
  window: { from: string; to: string } | null;
}

/**
 * Syncs daily cost from Cost Explorer, fetching only days that are not final yet (missing,
 * Estimated, or recent enough for AWS to restate), then writing them in one transaction.
 * Each source is one (profile, tag key, grouping): the same costs grouped differently are different data.
 */
export async function syncAwsCe(store: Store, options: AwsCeSyncOptions): Promise<AwsCeSyncResult> {
  const db = store.db;
  const tagKey = options.tagKey ?? 'ml:model';
  const groupBy2 = options.groupBy2 ?? 'SERVICE';
  const uri = `aws-ce://${options.profile ?? 'default'}/${encodeURIComponent(tagKey)}/${groupBy2}${options.endpoint ? `@${options.endpoint}` : ''}`;
  const now = options.clock();
  const today = now.toISOString().slice(0, 10);
  // Only read before the fetch: the source is registered in the sync's own transaction, so a sync that
  // fails or is killed while it waits on AWS leaves no trace but the record of a refused run.
  const knownSourceId = (db.prepare("SELECT id FROM sources WHERE kind = 'aws-ce' AND uri = ?").get(uri) as { id: number } | undefined)?.id ?? null;
  const stored = (db.prepare('SELECT day, estimated FROM ce_days WHERE source_id = ?').all(knownSourceId) as { day: string; estimated: number }[]).map((d) => ({ day: d.day, estimated: d.estimated === 1 }));
  const window = daysToFetch(stored, options.from, options.to, today);
  if (!window) return { syncRunId: null, requests: 0, days: 0, groups: 0, restated: 0, window: null };

  let fetched;
  try {
    fetched = await fetchCostAndUsage({ ...window, tagKey, groupBy2, profile: options.profile, endpoint: options.endpoint, credentials: options.credentials, retry: options.retry, ...(options.forecast ? { forecast: forecastWindow(today) } : {}) });
  } catch (err) {
    const message = (err as Error).message;
    recordRejectedRun(db, 'aws-ce', [uri], [{ file: uri, location: 'sync', reason: message }], options.actor, isoNow(options.clock));
    throw new DocketError('REJECTED', `Cost Explorer sync failed, nothing was changed: ${message}`);
  }

  const at = isoNow(options.clock);
  return db
    .transaction((): AwsCeSyncResult => {
      const sourceId = sourceIdFor(db, uri, at);
      const runId = startRun(db, 'aws-ce', at, [uri]);
      db.prepare('UPDATE sync_runs SET source_id = ? WHERE id = ?').run(sourceId, runId);
      const previous = (
        db
          .prepare('SELECT day, tag_value, group2, currency, unblended_cost, amortized_cost, usage_quantity, estimated FROM ce_daily WHERE source_id = ? AND day >= ? AND day < ?')
          .all(sourceId, window.from, window.to) as { day: string; tag_value: string; group2: string; currency: string; unblended_cost: number; amortized_cost: number; usage_quantity: number | null; estimated: number }[]
      ).map(
        (r): CeDailyCost => ({
          day: r.day,
          tagValue: r.tag_value === '' ? null : r.tag_value,
          group2: r.group2 === '' ? null : r.group2,
          currency: r.currency,
          unblendedCost: r.unblended_cost,
          amortizedCost: r.amortized_cost,
          usageQuantity: r.usage_quantity,
          estimated: r.estimated === 1,
        }),
      );
      const restatements = diffRestatements(previous, fetched.days);
      const insertRestatement = db.prepare('INSERT INTO ce_restatements (source_id, day, tag_value, group2, before_cost, after_cost, sync_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const r of restatements) insertRestatement.run(sourceId, r.day, r.tagValue ?? '', r.group2 ?? '', r.before, r.after, runId);

      const answered = fetched.dayStatus.map((d) => d.day);
      const clearDay = db.prepare('DELETE FROM ce_daily WHERE source_id = ? AND day = ?');
      for (const day of answered) clearDay.run(sourceId, day);
      const insert = db.prepare(
        `INSERT INTO ce_daily (source_id, day, tag_value, group2, currency, unblended_cost, amortized_cost, usage_quantity, estimated, sync_run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (source_id, day, tag_value, group2) DO UPDATE SET unblended_cost = unblended_cost + excluded.unblended_cost,
           amortized_cost = amortized_cost + excluded.amortized_cost, estimated = max(estimated, excluded.estimated)`,
      );
      for (const d of fetched.days) {
        insert.run(sourceId, d.day, d.tagValue ?? '', d.group2 ?? '', d.currency, d.unblendedCost, d.amortizedCost, d.usageQuantity, d.estimated ? 1 : 0, runId);
      }
      const markDay = db.prepare('INSERT INTO ce_days (source_id, day, estimated, fetched_at) VALUES (?, ?, ?, ?) ON CONFLICT (source_id, day) DO UPDATE SET estimated = excluded.estimated, fetched_at = excluded.fetched_at');
      for (const d of fetched.dayStatus) markDay.run(sourceId, d.day, d.estimated ? 1 : 0, at);

      if (fetched.forecast) {
        const f = fetched.forecast;
        db.prepare(
          `INSERT INTO ce_forecasts (source_id, period_from, period_to, currency, mean, low, high, fetched_at, sync_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (source_id, period_from, period_to) DO UPDATE SET currency = excluded.currency, mean = excluded.mean, low = excluded.low, high = excluded.high, fetched_at = excluded.fetched_at, sync_run_id = excluded.sync_run_id`,
        ).run(sourceId, f.start, f.end, f.currency, f.mean, f.lower, f.upper, at, runId);
      }
      const groups = new Set(fetched.days.map((d) => `${d.tagValue ?? ''}\u0000${d.group2 ?? ''}`)).size;
      const result = { syncRunId: runId, requests: fetched.requests, days: fetched.dayStatus.length, groups, restated: restatements.length, window };
      finishRun(db, runId, 'ok', { imported: fetched.days.length, unchanged: 0, rejected: 0 }, { url: uri, requests: { GetCostAndUsage: fetched.requests }, restated: restatements.length, window }, at);
      appendAudit(db, { actor: options.actor, action: 'aws-ce.sync', subject: uri, detail: { ...result, syncRunId: runId } }, at);
      return result;
    })
    .immediate();
}

function sourceIdFor(db: Database, uri: string, at: string): number {
  db.prepare("INSERT INTO sources (kind, uri, created_at) VALUES ('aws-ce', ?, ?) ON CONFLICT (kind, uri) DO NOTHING").run(uri, at);
  return (db.prepare("SELECT id FROM sources WHERE kind = 'aws-ce' AND uri = ?").get(uri) as { id: number }).id;
}
