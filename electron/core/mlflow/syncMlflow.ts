import type { Database } from 'better-sqlite3';
import { DocketError } from '../../../shared/ipc/result';
import type { RegistrySnapshot } from '../../../shared/domain/registry';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { finishRun, recordRejectedRun, startRun } from '../store/syncRuns';
import { applySnapshot, type SnapshotCounts } from './applySnapshot';
import { fetchRegistry } from './fetchRegistry';
import { openReviewsForSync, type AutoOpenedReview } from '../reviews/autoOpen';
import { normaliseMlflowUrl } from './mlflowClient';

export interface MlflowSyncOptions {
  url: string;
  /** Bearer token, held only in memory for this sync. */
  token?: string;
  actor: string;
  clock: Clock;
  onProgress?: (progress: { phase: 'models' | 'versions' | 'runs'; done: number; total: number | null }) => void;
  signal?: AbortSignal;
  /** For tests and benchmarks: request timeout and retry caps passed to the client. */
  clientOptions?: Partial<Parameters<typeof fetchRegistry>[0]>;
  /** When given, versions new since the last sync (or that an alias moved to) get a draft release review. */
  reviews?: { resourcesDir: string };
}

export interface MlflowSyncResult extends SnapshotCounts {
  syncRunId: number;
  url: string;
  models: number;
  versions: number;
  requests: Record<string, number>;
  warnings: string[];
  /** Draft reviews opened for new versions and alias moves (empty on a source's first sync). */
  reviewsOpened: AutoOpenedReview[];
}

/**
 * Syncs an MLflow registry: fetch everything first, then write it in one transaction.
 * Any fetch error ends the run before a single row changes; the failed run is recorded.
 */
export async function syncMlflow(store: Store, options: MlflowSyncOptions): Promise<MlflowSyncResult> {
  const db = store.db;
  // The client's own normalisation (no credentials, no /api/2.0/mlflow suffix), so one server is one source.
  const url = normaliseMlflowUrl(options.url).displayUrl;
  let snapshot: RegistrySnapshot;
  try {
    snapshot = await fetchRegistry({ ...options.clientOptions, url: options.url, token: options.token, onProgress: options.onProgress, signal: options.signal });
  } catch (err) {
    const message = (err as Error).message;
    db.transaction(() => {
      const runId = recordRejectedRun(db, 'mlflow', [url], [{ file: url, location: 'sync', reason: message }], options.actor, isoNow(options.clock));
      // Tie the failure to its source, so its history shows it and a schedule waits a full interval to retry.
      db.prepare("UPDATE sync_runs SET source_id = (SELECT id FROM sources WHERE kind = 'mlflow' AND uri = ?) WHERE id = ?").run(url, runId);
    }).immediate();
    throw new DocketError('REJECTED', `MLflow sync failed, nothing was changed: ${message}`);
  }
  // One transaction for the sync and the draft reviews it opens: a sync committed without them would
  // never open them (the next sync no longer sees those versions as new). The inner transactions
  // become savepoints of this one.
  return db
    .transaction((): MlflowSyncResult => {
      const result = recordRegistrySnapshot(store, snapshot, { url, actor: options.actor, at: isoNow(options.clock) });
      const reviewsOpened = options.reviews ? openReviewsForSync({ store, resourcesDir: options.reviews.resourcesDir, actor: options.actor, clock: options.clock }, result.syncRunId) : [];
      return { ...result, reviewsOpened };
    })
    .immediate();
}

/**
 * Records one fetched snapshot as a sync run of its registry, in one transaction: the store ends up
 * matching the snapshot, and every difference it had is kept as history.
 */
export function recordRegistrySnapshot(store: Store, snapshot: RegistrySnapshot, options: { url: string; actor: string; at: string }): Omit<MlflowSyncResult, 'reviewsOpened'> {
  const db = store.db;
  const { url, at } = options;
  return db
    .transaction((): Omit<MlflowSyncResult, 'reviewsOpened'> => {
      const sourceId = upsertSource(db, url, at);
      const previousSyncAt = (
        db.prepare("SELECT max(finished_at) AS at FROM sync_runs WHERE kind = 'mlflow' AND status = 'ok' AND source_id = ?").get(sourceId) as { at: string | null }
      ).at;
      const runId = startRun(db, 'mlflow', at, [url]);
      db.prepare('UPDATE sync_runs SET source_id = ? WHERE id = ?').run(sourceId, runId);
      const counts = applySnapshot(db, snapshot, runId, at, options.actor, previousSyncAt);
      const versions = snapshot.models.reduce((n, m) => n + m.versions.length, 0);
      const warnings = snapshot.warnings ?? [];
      finishRun(db, runId, 'ok', { imported: counts.modelsAdded + counts.versionsAdded, unchanged: counts.unchanged, rejected: 0 }, { url, counts, requests: snapshot.requests, warnings }, at);
      appendAudit(db, { actor: options.actor, action: 'mlflow.sync', subject: `sync_run:${runId}`, detail: { url, ...counts, requests: snapshot.requests } }, at);
      return { syncRunId: runId, url, models: snapshot.models.length, versions, requests: snapshot.requests, warnings, ...counts };
    })
    .immediate();
}

function upsertSource(db: Database, url: string, at: string): number {
  db.prepare("INSERT INTO sources (kind, uri, created_at) VALUES ('mlflow', ?, ?) ON CONFLICT (kind, uri) DO NOTHING").run(url, at);
  return (db.prepare("SELECT id FROM sources WHERE kind = 'mlflow' AND uri = ?").get(url) as { id: number }).id;
}
