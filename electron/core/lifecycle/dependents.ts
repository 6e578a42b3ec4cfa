import type { SunsetDependent, SunsetDependents } from '../../../shared/lifecycle/lifecycleViews';
import type { Database } from 'better-sqlite3';
import { DocketError } from '../../../shared/ipc/result';
import { modelKey } from '../lineage/lineageKeys';
import { prepared } from '../policy/statementCache';

/**
 * Who depends on a model version, from the lineage graph: what the sunset plan must warn or migrate.
 *
 * Edges point the way data flows (lineageGraph.ts, importLineage.ts): dataset -> run ('input'),
 * run -> model version ('produced'), model version -> run ('input': a run that reads the model, such
 * as an evaluation or a deploy job), run -> deployment ('deployed'), run -> dataset ('output').
 * So everything downstream of the version's node is reached by following edges from_id -> to_id.
 */

/** Enough for any real model's consumers; a walk that reaches it says so (`truncated`). */
export const MAX_DEPENDENT_NODES = 500;

export type { SunsetDependent, SunsetDependents };

export function sunsetDependents(db: Database, model: string, version: string): SunsetDependents {
  const exists = prepared(db, 'SELECT 1 FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ? AND v.version = ?').get(model, version);
  if (!exists) throw new DocketError('NOT_FOUND', `No model version ${model}@${version}`);
  const start = prepared(db, 'SELECT id FROM lineage_nodes WHERE key = ?').get(modelKey(model, version)) as { id: number } | undefined;
  if (!start) return { deployments: [], downstream: [], truncated: false };

  const next = prepared(db, 'SELECT n.id, n.key, n.kind, n.label FROM lineage_edges e JOIN lineage_nodes n ON n.id = e.to_id WHERE e.from_id = ? ORDER BY n.id');
  const visited = new Set<number>([start.id]);
  const found: SunsetDependent[] = [];
  const queue = [start.id];
  let truncated = false;
  // Breadth first, so the nearest dependents come first and a cap cuts off only the far ones.
  walk: while (queue.length > 0) {
    const current = queue.shift()!;
    for (const row of next.all(current) as { id: number; key: string; kind: SunsetDependent['kind']; label: string }[]) {
      if (visited.has(row.id)) continue;
      if (found.length >= MAX_DEPENDENT_NODES) {
        truncated = true;
        break walk;
      }
      visited.add(row.id);
      found.push({ kind: row.kind, key: row.key, label: row.label });
      // Another model version made from this one (fine-tuned, distilled, trained on its output) is a
      // dependent, but what consumes *it* depends on it, not on this version: the walk stops there.
      if (row.kind !== 'model_version') queue.push(row.id);
    }
  }
  return {
    deployments: found.filter((n) => n.kind === 'deployment').map(({ key, label }) => ({ key, label })),
    downstream: found.filter((n) => n.kind !== 'deployment'),
    truncated,
  };
}
