import type { Database } from 'better-sqlite3';
import { CanonicalCardSchema, type CanonicalCard } from '../../../shared/domain/modelCard';
import type { ModelSummary, ModelVersionDetail } from '../../../shared/ipc/contract';
import type { FairnessStatus } from '../../../shared/domain/fairness';
import { DocketError } from '../../../shared/ipc/result';
import type { CardSummary } from '../cards/importCards';
import { compareVersions } from './versionOrder';
import { cardCompleteness } from '../../../shared/domain/completeness';
import type { RegistryModelVersion } from '../../../shared/domain/registry';
import { prepared } from '../policy/statementCache';
import { MODEL_LIST_READS } from '../policy/keptReads';
import { cachedByRevision } from '../policy/revisionCache';


/**
 * The inventory: one row per model, described by its latest version's card and, when given
 * the fairness status of each version, by its latest version's fairness status.
 */
export function listModels(db: Database, fairnessByVersion: ReadonlyMap<number, FairnessStatus> = new Map()): ModelSummary[] {
  return [...cachedByRevision(db, listModelsKey(fairnessByVersion), MODEL_LIST_READS, () => summarizeModels(db, fairnessByVersion))];
}

/**
 * What listModels keeps its answer under: kept until the store changes, and for the same fairness
 * answer (which fairnessStatusByVersion keeps too, per policy). Answers derived from the list key on it.
 */
export function listModelsKey(fairnessByVersion: ReadonlyMap<number, FairnessStatus>): string {
  let id = fairnessMapIds.get(fairnessByVersion);
  if (id === undefined) fairnessMapIds.set(fairnessByVersion, (id = nextFairnessMapId++));
  return `listModels\u0000${id}`;
}

const fairnessMapIds = new WeakMap<ReadonlyMap<number, FairnessStatus>, number>();
let nextFairnessMapId = 1;

function summarizeModels(db: Database, fairnessByVersion: ReadonlyMap<number, FairnessStatus>): ModelSummary[] {
  // One row per model with its versions as a JSON array (the latest is found by version order, which
  // SQL does not know), then the card summaries of the latest versions only. A row per version and
  // every version's summary (200,000 of each in a large registry, to keep 20,000) cost most of the
  // cold list's time in objects made and collected.
  const models = prepared(db, 
      `SELECT m.name, count(*) AS version_count, max(v.updated_at) AS updated_at, json_group_array(json_array(v.id, v.version)) AS versions
         FROM models m JOIN model_versions v ON v.model_id = m.id
        GROUP BY m.id ORDER BY m.name`,
    )
    .all() as { name: string; version_count: number; updated_at: string; versions: string }[];
  const latest = models.map((m) => {
    let best: [number, string] | undefined;
    for (const v of JSON.parse(m.versions) as [number, string][]) if (!best || compareVersions(v[1], best[1]) > 0) best = v;
    return { id: best![0], version: best![1] };
  });
  const summaries = new Map<number, string>();
  const summaryOf = prepared(db, 'SELECT model_version_id AS id, summary_json FROM model_cards WHERE model_version_id IN (SELECT value FROM json_each(?))');
  for (const row of summaryOf.all(JSON.stringify(latest.map((v) => v.id))) as { id: number; summary_json: string }[]) summaries.set(row.id, row.summary_json);
  const result: ModelSummary[] = [];
  models.forEach((model, i) => {
    const { id, version } = latest[i]!;
    const summaryJson = summaries.get(id);
    const summary = summaryJson ? (JSON.parse(summaryJson) as CardSummary) : null;
    result.push({
      name: model.name,
      owners: summary?.owners ?? [],
      tags: summary?.tags ?? [],
      license: summary?.license ?? null,
      latestVersion: version,
      versionCount: model.version_count,
      completeness: summary?.completeness ?? { present: [], empty: [], missing: [], ratio: 0 },
      fairnessStatus: fairnessByVersion.get(id) ?? 'none',
      updatedAt: model.updated_at,
    });
  });
  return result;
}

/** The names of the models listModels lists (those with at least one version), by name. */
export function modelNames(db: Database): string[] {
  return prepared(db, 'SELECT name FROM models m WHERE EXISTS (SELECT 1 FROM model_versions v WHERE v.model_id = m.id) ORDER BY name').pluck(true).all() as string[];
}

/** One model version with its card, completeness and where the card came from. Default: the latest version. */
export function showModel(db: Database, name: string, version?: string): ModelVersionDetail {
  if (!memo || memo.db !== db) return readModel(db, name, version);
  const key = `${name}\u0000${version ?? ''}`;
  let detail = memo.details.get(key);
  if (!detail) memo.details.set(key, (detail = readModel(db, name, version)));
  return detail;
}

/** Set while a read-only computation over many models runs (see withModelMemo). */
let memo: { db: Database; details: Map<string, ModelVersionDetail> } | null = null;

/**
 * Runs `read` (synchronous, and writing nothing) with showModel answers shared: judging one model
 * version asks for its detail four or five times (reference, authors, evidence, team, owners), each
 * a zod parse of the card. Callers must treat the shared details as read-only.
 */
export function withModelMemo<T>(db: Database, read: () => T): T {
  if (memo) return read();
  memo = { db, details: new Map() };
  try {
    return read();
  } finally {
    memo = null;
  }
}

function readModel(db: Database, name: string, version?: string): ModelVersionDetail {
  const model = prepared(db, 'SELECT id, name FROM models WHERE name = ?').get(name) as { id: number; name: string } | undefined;
  if (!model) throw new DocketError('NOT_FOUND', `No model named "${name}"`);
  const versions = (
    prepared(db, 'SELECT id, version, created_at FROM model_versions WHERE model_id = ?').all(model.id) as { id: number; version: string; created_at: string }[]
  ).sort((a, b) => compareVersions(a.version, b.version));
  const chosen = version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
  if (!chosen) {
    const known = versions.map((v) => v.version).join(', ') || 'none';
    throw new DocketError('NOT_FOUND', `Model "${name}" has no version "${version ?? ''}" (versions: ${known})`);
  }
  const cardRow = prepared(db, 'SELECT format, canonical_json, summary_json, source_path, source_sha256, imported_at, sync_run_id FROM model_cards WHERE model_version_id = ?')
    .get(chosen.id) as
    | { format: CanonicalCard['format']; canonical_json: string; summary_json: string; source_path: string; source_sha256: string; imported_at: string; sync_run_id: number }
    | undefined;
  const card = cardRow ? CanonicalCardSchema.parse(JSON.parse(cardRow.canonical_json)) : null;
  const completeness = cardRow ? (JSON.parse(cardRow.summary_json) as CardSummary).completeness : cardCompleteness({ sections: {} as CanonicalCard['sections'] });
  const registryRow = prepared(db, 'SELECT registry_json FROM model_versions WHERE id = ?').get(chosen.id) as { registry_json: string | null };
  const registry = registryRow.registry_json ? (JSON.parse(registryRow.registry_json) as Omit<RegistryModelVersion, 'aliases'>) : null;
  // Card tags are keys without values; registry tags carry values. Both describe the version.
  const tags = [
    ...(prepared(db, 'SELECT key, value FROM model_version_tags WHERE model_version_id = ? ORDER BY key').all(chosen.id) as { key: string; value: string }[]),
    ...(registry?.tags ?? []),
  ];
  const aliases = (prepared(db, 'SELECT alias FROM model_aliases WHERE model_version_id = ? ORDER BY alias').all(chosen.id) as { alias: string }[]).map((a) => a.alias);
  return {
    name: model.name,
    version: chosen.version,
    versions: versions.map((v) => ({ version: v.version, importedAt: v.created_at })),
    tags,
    aliases,
    card,
    completeness,
    source: cardRow
      ? { file: cardRow.source_path, format: cardRow.format, sha256: cardRow.source_sha256, importedAt: cardRow.imported_at, syncRunId: cardRow.sync_run_id }
      : null,
    registry,
  };
}
