import type { Database } from 'better-sqlite3';
import type { ChannelOutput, ChannelParsedInput } from '../../../shared/ipc/contract';
import type { FairnessStatus } from '../../../shared/domain/fairness';
import { filterAndSort } from '../../../shared/models/filterSort';
import { cachedByRevision } from '../policy/revisionCache';
import { MODEL_LIST_READS } from '../policy/keptReads';
import { listModels, listModelsKey } from './modelQueries';

/**
 * One page of the inventory, searched and sorted here with the window's own filterSort, so the
 * Models view receives the rows it shows (a few hundred) instead of every model (7 MB at 20,000).
 * The searched and sorted order is kept per query and sort until the store changes, so scrolling
 * through pages does not sort 20,000 models again for each.
 */
export function modelPage(
  db: Database,
  fairnessByVersion: ReadonlyMap<number, FairnessStatus>,
  { query, sort, offset, limit }: ChannelParsedInput<'models/page'>,
): ChannelOutput<'models/page'> {
  // The list is read (a copy of 20,000 models) only when this query and sort are not kept yet.
  const { total, ordered } = cachedByRevision(db, `modelPage\u0000${listModelsKey(fairnessByVersion)}\u0000${query}\u0000${sort.key}\u0000${sort.direction}`, MODEL_LIST_READS, () => {
    const all = listModels(db, fairnessByVersion);
    return { total: all.length, ordered: filterAndSort(all, query, sort) };
  });
  return { rows: ordered.slice(offset, offset + limit), offset, total, matching: ordered.length };
}
