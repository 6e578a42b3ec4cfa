import type { Database } from 'better-sqlite3';
import type { SyncRunView } from '../../../shared/domain/lineage';

/** Sources Docket syncs from, and the latest runs of every kind (imports and syncs), newest first. */
export function listSourcesAndRuns(db: Database, limit = 200): { sources: { id: number; kind: string; url: string; lastSyncAt: string | null; lastStatus: string | null; scheduleMinutes: number | null }[]; runs: SyncRunView[] } {
  const sources = db
    .prepare(
      `SELECT s.id, s.kind, s.uri AS url, s.schedule_minutes AS scheduleMinutes,
              (SELECT r.finished_at FROM sync_runs r WHERE r.source_id = s.id ORDER BY r.id DESC LIMIT 1) AS lastSyncAt,
              (SELECT r.status FROM sync_runs r WHERE r.source_id = s.id ORDER BY r.id DESC LIMIT 1) AS lastStatus
         FROM sources s ORDER BY s.id`,
    )
    .all() as { id: number; kind: string; url: string; lastSyncAt: string | null; lastStatus: string | null; scheduleMinutes: number | null }[];
  const rows = db
    .prepare('SELECT id, kind, started_at, finished_at, status, imported, unchanged, rejected, detail_json FROM sync_runs ORDER BY id DESC LIMIT ?')
    .all(limit) as { id: number; kind: string; started_at: string; finished_at: string | null; status: SyncRunView['status']; imported: number; unchanged: number; rejected: number; detail_json: string }[];
  const runs = rows.map((r): SyncRunView => {
    const detail = JSON.parse(r.detail_json) as {
      paths?: string[];
      url?: string;
      counts?: { changed?: number };
      requests?: Record<string, number>;
      rejections?: { reason: string }[];
    };
    return {
      id: r.id,
      kind: r.kind,
      source: detail.url ?? detail.paths?.join(', ') ?? null,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      status: r.status,
      added: r.imported,
      unchanged: r.unchanged,
      rejected: r.rejected,
      changed: detail.counts?.changed ?? null,
      requests: detail.requests ? Object.values(detail.requests).reduce((a, b) => a + b, 0) : null,
      error: detail.rejections?.[0]?.reason ?? null,
    };
  });
  return { sources, runs };
}
