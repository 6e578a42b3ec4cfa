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
import { cachedByRevision } from '../policy/revisionCache';

interface VersionRow {
  version_id: number;
  model_name: string;
  version: string;
  updated_at: string;
  summary_json: string | null;
}

/**
 * The inventory: one row per model, described by its latest version's card and, when given
 * the fairness status of each version, by its latest version's fairness status.
 */
export function listModels(db: Database, fairnessByVersion: ReadonlyMap<number, FairnessStatus> = new Map()): ModelSummary[] {
  // Kept until the store changes (and for the same fairness answer, which fairnessStatusByVersion keeps too).
  let id = fairnessMapIds.get(fairnessByVersion);
  if (id === undefined) fairnessMapIds.set(fairnessByVersion, (id = nextFairnessMapId++));
  return [...cachedByRevision(db, `listModels\u0000${id}`, () => summarizeModels(db, fairnessByVersion))];
}

const fairnessMapIds = new WeakMap<ReadonlyMap<number, FairnessStatus>, number>();
let nextFairnessMapId = 1;

function summarizeModels(db: Database, fairnessByVersion: ReadonlyMap<number, FairnessStatus>): ModelSummary[] {
  const rows = prepared(db, 
      `SELECT v.id AS version_id, m.name AS model_name, v.version, v.updated_at, c.summary_json
         FROM models m JOIN model_versions v ON v.model_id = m.id
         LEFT JOIN model_cards c ON c.model_version_id = v.id
        ORDER BY m.name`,
    )
    .all() as VersionRow[];
  const byModel = new Map<string, VersionRow[]>();
  for (const row of rows) {
    const list = byModel.get(row.model_name);
    if (list) list.push(row);
    else byModel.set(row.model_name, [row]);
  }
  const result: ModelSummary[] = [];
  for (const [name, versions] of byModel) {
    versions.sort((a, b) => compareVersions(a.version, b.version));
    const latest = versions[versions.length - 1]!;
    const summary = latest.summary_json ? (JSON.parse(latest.summary_json) as CardSummary) : null;
    result.push({
      name,
      owners: summary?.owners ?? [],
      tags: summary?.tags ?? [],
      license: summary?.license ?? null,
      latestVersion: latest.version,
      versionCount: versions.length,
      completeness: summary?.completeness ?? { present: [], empty: [], missing: [], ratio: 0 },
      fairnessStatus: fairnessByVersion.get(latest.version_id) ?? 'none',
      updatedAt: versions.reduce((max, v) => (v.updated_at > max ? v.updated_at : max), latest.updated_at),
    });
  }
  return result;
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
