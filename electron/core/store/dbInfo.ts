import type { DbInfo } from '../../../shared/ipc/contract';
import { schemaVersion, type Store } from './openStore';

/** Tables whose row counts `docket db info` reports. */
const COUNTED_TABLES = ['models', 'model_versions', 'model_cards', 'fairness_evaluations', 'alias_history', 'registry_events', 'lineage_events', 'lineage_nodes', 'spend_files', 'spend_line_items', 'ce_daily', 'sync_runs', 'audit_log'] as const;

export function dbInfo(store: Store): DbInfo {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    counts[table] = (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }
  return { path: store.path, schemaVersion: schemaVersion(store.db), counts };
}
