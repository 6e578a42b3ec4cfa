import type { Database } from 'better-sqlite3';
import { DocketError } from '../../../shared/ipc/result';

/** One placement of an alias or a stage on a version, as the syncs observed it. */
export interface Placement {
  kind: 'alias' | 'stage';
  /** The alias name ("champion") or the stage ("Production"). */
  name: string;
  version: string;
  firstSeenAt: string;
  /** The last sync that saw it in place (for a placement still open: the latest sync of the registry). */
  lastSeenAt: string;
  /** The sync that first found it gone; null while it holds. */
  endedAt: string | null;
}

export interface PlacementAt extends Placement {
  /**
   * "observed": a sync saw it in place at or around that moment (between its first and last sighting);
   * "uncertain": the moment falls between the last sync that saw it and the sync that found it gone.
   */
  certainty: 'observed' | 'uncertain';
}

export interface RegistryEventRow {
  at: string;
  kind: string;
  version: string | null;
  key: string | null;
  old: string | null;
  new: string | null;
  syncRunId: number;
}

export interface ModelHistory {
  model: string;
  placements: Placement[];
  events: RegistryEventRow[];
  /** Present when a moment was asked for: what held then. */
  at: { moment: string; held: PlacementAt[]; note: string } | null;
}

/** When the latest successful registry sync finished: how far an open placement is known to hold. */
function latestRegistrySync(db: Database): string | null {
  const row = db.prepare("SELECT max(finished_at) AS at FROM sync_runs WHERE kind = 'mlflow' AND status = 'ok'").get() as { at: string | null };
  return row.at;
}

/**
 * The alias and stage history of a model, and optionally which version held which alias or stage
 * at a moment. MLflow keeps no such history; these are the placements Docket's syncs observed.
 */
export function modelHistory(db: Database, name: string, moment?: string): ModelHistory {
  const model = db.prepare('SELECT id FROM models WHERE name = ?').get(name) as { id: number } | undefined;
  if (!model) throw new DocketError('NOT_FOUND', `No model named "${name}"`);
  const latest = latestRegistrySync(db);
  const rows = db
    .prepare(
      `SELECT 'alias' AS kind, h.alias AS name, v.version, h.first_seen_at, h.last_seen_at, h.ended_at
         FROM alias_history h JOIN model_versions v ON v.id = h.model_version_id WHERE h.model_id = ?
       UNION ALL
       SELECT 'stage', s.stage, v.version, s.first_seen_at, s.last_seen_at, s.ended_at
         FROM stage_history s JOIN model_versions v ON v.id = s.model_version_id WHERE v.model_id = ?
       ORDER BY 4, 1, 2`,
    )
    .all(model.id, model.id) as { kind: 'alias' | 'stage'; name: string; version: string; first_seen_at: string; last_seen_at: string; ended_at: string | null }[];
  const placements: Placement[] = rows.map((r) => ({
    kind: r.kind,
    name: r.name,
    version: r.version,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.ended_at === null ? (latest && latest > r.last_seen_at ? latest : r.last_seen_at) : r.last_seen_at,
    endedAt: r.ended_at,
  }));
  const events = (
    db
      .prepare(
        `SELECT e.observed_at AS at, e.kind, v.version, e.key, e.old_value AS old, e.new_value AS new, e.sync_run_id AS syncRunId
           FROM registry_events e LEFT JOIN model_versions v ON v.id = e.model_version_id WHERE e.model_id = ? ORDER BY e.observed_at, e.id`,
      )
      .all(model.id) as RegistryEventRow[]
  );
  let at: ModelHistory['at'] = null;
  if (moment !== undefined) {
    const held: PlacementAt[] = [];
    for (const p of placements) {
      if (p.firstSeenAt > moment) continue;
      if (moment <= p.lastSeenAt) held.push({ ...p, certainty: 'observed' });
      else if (p.endedAt === null || moment < p.endedAt) held.push({ ...p, certainty: 'uncertain' });
    }
    const first = placements[0]?.firstSeenAt;
    const note =
      first === undefined
        ? 'No registry sync has seen an alias or stage on this model.'
        : moment < first
          ? `Docket first synced this model's registry at ${first}; it cannot say what held before.`
          : 'Placements are as Docket observed them at each sync; "uncertain" means the change happened between two syncs.';
    at = { moment, held, note };
  }
  return { model: name, placements, events, at };
}
