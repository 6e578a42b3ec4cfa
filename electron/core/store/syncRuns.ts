import type { Database } from 'better-sqlite3';
import type { CardRejection as Rejection } from '../../../shared/domain/modelCard';
import { appendAudit } from './auditLog';

/** Every import or sync is a run: what it was asked to do, what it wrote, what it refused. */
export type RunKind = 'cards' | 'fairness' | 'mlflow' | 'lineage' | 'focus' | 'aws-ce' | 'usage';

export interface RunCounts {
  imported: number;
  unchanged: number;
  rejected: number;
}

export function startRun(db: Database, kind: RunKind, at: string, paths: readonly string[]): number {
  const result = db.prepare("INSERT INTO sync_runs (kind, started_at, status, detail_json) VALUES (?, ?, 'running', ?)").run(kind, at, JSON.stringify({ paths }));
  return Number(result.lastInsertRowid);
}

export function finishRun(db: Database, id: number, status: 'ok' | 'failed', counts: RunCounts, detail: Record<string, unknown>, at: string): void {
  db.prepare('UPDATE sync_runs SET finished_at = ?, status = ?, imported = ?, unchanged = ?, rejected = ?, detail_json = json_patch(detail_json, ?) WHERE id = ?').run(
    at,
    status,
    counts.imported,
    counts.unchanged,
    counts.rejected,
    JSON.stringify(detail),
    id,
  );
}

/**
 * An all-or-nothing import that was refused: nothing it carried is written, but the attempt is,
 * as a failed run with its rejections and an audit entry, so the record shows what was turned away.
 */
export function recordRejectedRun(db: Database, kind: RunKind, paths: readonly string[], rejections: Rejection[], actor: string, at: string): number {
  return db
    .transaction(() => {
      const id = startRun(db, kind, at, paths);
      finishRun(db, id, 'failed', { imported: 0, unchanged: 0, rejected: rejections.length }, { rejections }, at);
      appendAudit(db, { actor, action: `${kind}.import.rejected`, subject: `sync_run:${id}`, detail: { paths, rejections } }, at);
      return id;
    })
    .immediate();
}
