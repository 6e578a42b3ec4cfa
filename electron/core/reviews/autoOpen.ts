import type { ReviewTrigger } from '../../../shared/reviews/reviewViews';
import { openReview, openReviewFor, type ReviewDeps } from './reviews';

export interface AutoOpenedReview {
  id: number;
  model: string;
  version: string;
  trigger: ReviewTrigger;
}

/**
 * After a registry sync: a version registered since the last sync, or one an alias has just moved
 * to, needs a release review unless it has one open or was approved already. The review opens as a
 * draft (nobody has asked for it yet). A source's first sync is the baseline of what already runs,
 * so it opens nothing: otherwise connecting a registry of thousands of versions would bury the inbox.
 */
export function openReviewsForSync(deps: ReviewDeps, syncRunId: number): AutoOpenedReview[] {
  const { db } = deps.store;
  const run = db.prepare('SELECT source_id FROM sync_runs WHERE id = ?').get(syncRunId) as { source_id: number | null } | undefined;
  if (!run || run.source_id === null) return [];
  const earlier = db.prepare("SELECT 1 FROM sync_runs WHERE source_id = ? AND id < ? AND status = 'ok' LIMIT 1").get(run.source_id, syncRunId);
  if (!earlier) return [];
  const candidates = db
    .prepare(
      `SELECT mv.id AS versionId, m.name AS model, mv.version, 'new-version' AS trigger
         FROM registry_events e JOIN model_versions mv ON mv.id = e.model_version_id JOIN models m ON m.id = mv.model_id
        WHERE e.sync_run_id = @run AND e.kind = 'version.registered'
       UNION
       SELECT mv.id, m.name, mv.version, 'alias-move'
         FROM alias_history a JOIN model_versions mv ON mv.id = a.model_version_id JOIN models m ON m.id = mv.model_id
        WHERE a.first_seen_run = @run
        ORDER BY 2, 3, 4 DESC -- a new version is named as such even when an alias moved to it too
      `,
    )
    .all({ run: syncRunId }) as { versionId: number; model: string; version: string; trigger: ReviewTrigger }[];
  const opened: AutoOpenedReview[] = [];
  const seen = new Set<number>();
  for (const c of candidates) {
    if (seen.has(c.versionId)) continue;
    seen.add(c.versionId);
    if (openReviewFor(db, c.versionId) !== null) continue;
    if (db.prepare("SELECT 1 FROM reviews WHERE model_version_id = ? AND state = 'approved'").get(c.versionId)) continue;
    const id = openReview(deps, { model: c.model, version: c.version, trigger: c.trigger, draft: true });
    opened.push({ id, model: c.model, version: c.version, trigger: c.trigger });
  }
  return opened;
}
