import type { Database } from 'better-sqlite3';
import { DocketError } from '../../../shared/ipc/result';
import { appendAudit } from '../store/auditLog';
import { syncMlflow } from './syncMlflow';
import type { Store } from '../store/openStore';
import type { Clock } from '../store/clock';
import { isoNow } from '../store/clock';

/** Where a scheduled sync finds its token: the environment, never the database. */
export const SCHEDULED_TOKEN_ENV = 'MLFLOW_TRACKING_TOKEN';

/** Sets or clears how often a source syncs by itself. Changing it is a decision: it is audited. */
export function setSyncSchedule(db: Database, url: string, everyMinutes: number | null, actor: string, at: string): void {
  db.transaction(() => {
    const source = db.prepare("SELECT id, schedule_minutes FROM sources WHERE kind = 'mlflow' AND uri = ?").get(url) as { id: number; schedule_minutes: number | null } | undefined;
    if (!source) throw new DocketError('NOT_FOUND', `No MLflow source ${url}: sync it once first`);
    db.prepare('UPDATE sources SET schedule_minutes = ? WHERE id = ?').run(everyMinutes, source.id);
    appendAudit(db, { actor, action: 'source.schedule', subject: url, detail: { from: source.schedule_minutes, to: everyMinutes } }, at);
  }).immediate();
}

/** Sources whose schedule says a sync is due at `now`: never synced, or last synced longer ago than their interval. */
export function dueSources(db: Database, now: Date): string[] {
  const rows = db
    .prepare(
      `SELECT s.uri, s.schedule_minutes,
              (SELECT max(r.started_at) FROM sync_runs r WHERE r.source_id = s.id) AS last
         FROM sources s WHERE s.kind = 'mlflow' AND s.schedule_minutes IS NOT NULL`,
    )
    .all() as { uri: string; schedule_minutes: number; last: string | null }[];
  return rows.filter((r) => r.last === null || now.getTime() - Date.parse(r.last) >= r.schedule_minutes * 60_000).map((r) => r.uri);
}

/** Runs every due sync, one after another; a failure is recorded as that source's failed run and the rest go on. */
export async function runDueSyncs(store: Store, options: { actor: string; clock: Clock; env?: NodeJS.ProcessEnv; resourcesDir?: string }): Promise<{ url: string; ok: boolean; message: string }[]> {
  const token = (options.env ?? process.env)[SCHEDULED_TOKEN_ENV] || undefined;
  const results: { url: string; ok: boolean; message: string }[] = [];
  for (const url of dueSources(store.db, options.clock())) {
    try {
      const r = await syncMlflow(store, {
        url,
        token,
        actor: options.actor,
        clock: options.clock,
        clientOptions: { tokenSource: `$${SCHEDULED_TOKEN_ENV}` },
        reviews: options.resourcesDir ? { resourcesDir: options.resourcesDir } : undefined,
      });
      const opened = r.reviewsOpened.length > 0 ? `; ${r.reviewsOpened.length} review(s) opened` : '';
      results.push({ url, ok: true, message: `synced at ${isoNow(options.clock)}: ${r.changed} models changed${opened}` });
    } catch (err) {
      results.push({ url, ok: false, message: (err as Error).message });
    }
  }
  return results;
}
