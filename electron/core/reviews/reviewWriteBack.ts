import { DocketError } from '../../../shared/ipc/result';
import type { ReviewState } from '../../../shared/reviews/reviewState';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { writeBackReviewTags } from './mlflowWriteBack';
import type { VersionRef } from './reviewEvidence';

/**
 * After a review closes, tells the MLflow registry the version came from (when that source has
 * write-back turned on). The decision is already committed; this only adds a record of how the
 * write-back went, so a failure is visible on the review and in the audit log.
 */
export async function writeBackOutcome(
  deps: { store: Store; actor: string; clock: Clock },
  ref: VersionRef,
  reviewId: number,
  state: ReviewState,
  digest: string,
  token: string | undefined,
): Promise<{ ok: boolean; url: string; error: string | null } | null> {
  const { db } = deps.store;
  const source = db
    .prepare(
      `SELECT s.uri FROM registry_events e JOIN sync_runs r ON r.id = e.sync_run_id JOIN sources s ON s.id = r.source_id
        WHERE e.model_version_id = ? AND e.kind = 'version.registered' AND s.kind = 'mlflow' AND s.write_back = 1
        ORDER BY e.id DESC LIMIT 1`,
    )
    .get(ref.id) as { uri: string } | undefined;
  if (!source) return null;
  const outcome = await writeBackReviewTags({ url: source.uri, token }, { model: ref.model, version: ref.version }, { state, decisionDigest: digest });
  const at = isoNow(deps.clock);
  const view = { ok: outcome.ok, url: outcome.url, at, error: outcome.error };
  db.transaction(() => {
    db.prepare('UPDATE reviews SET write_back_json = ? WHERE id = ?').run(JSON.stringify(view), reviewId);
    appendAudit(db, { actor: deps.actor, action: outcome.ok ? 'review.written-back' : 'review.write-back-failed', subject: `review:${reviewId}`, detail: { url: outcome.url, tags: outcome.written, error: outcome.error, digest } }, at);
  }).immediate();
  return { ok: outcome.ok, url: outcome.url, error: outcome.error };
}

/** Turns write-back on or off for one MLflow source. */
export function setWriteBack(deps: { store: Store; actor: string; clock: Clock }, url: string, on: boolean): void {
  const { db } = deps.store;
  const at = isoNow(deps.clock);
  db.transaction(() => {
    const changed = db.prepare("UPDATE sources SET write_back = ? WHERE kind = 'mlflow' AND uri = ?").run(on ? 1 : 0, url).changes;
    if (changed === 0) throw new DocketError('NOT_FOUND', `no MLflow source ${url}: sync it first`);
    appendAudit(db, { actor: deps.actor, action: 'source.write-back', subject: `source:${url}`, detail: { on } }, at);
  }).immediate();
}
