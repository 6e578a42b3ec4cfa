import type { Database } from 'better-sqlite3';
import type { RegistryModel, RegistryModelVersion, RegistrySnapshot, RegistryTag } from '../../../shared/domain/registry';
import { appendAudit } from '../store/auditLog';

/** What one sync changed in the store. */
export interface SnapshotCounts {
  modelsAdded: number;
  versionsAdded: number;
  changed: number;
  unchanged: number;
  events: number;
}

/** A change seen by a sync, before it is stored. */
interface SeenChange {
  kind: 'version.registered' | 'tag.set' | 'tag.removed' | 'description.changed' | 'alias.set' | 'alias.removed' | 'stage.set' | 'stage.cleared';
  version: string | null;
  key: string | null;
  old: string | null;
  new: string | null;
}

interface Context {
  db: Database;
  runId: number;
  at: string;
  actor: string;
  /** When the previous successful sync of this source ran: the last time open placements were seen. */
  previousSyncAt: string | null;
  counts: SnapshotCounts;
}

const NO_STAGE = new Set(['', 'None', 'none']);

/**
 * Writes a registry snapshot into the store inside the caller's transaction, comparing it with what
 * the store holds: new models and versions are added, changed fields are updated and recorded as
 * dated events, alias and stage placements open and close. Unchanged objects are not rewritten.
 */
export function applySnapshot(db: Database, snapshot: RegistrySnapshot, runId: number, at: string, actor: string, previousSyncAt: string | null): SnapshotCounts {
  const ctx: Context = { db, runId, at, actor, previousSyncAt, counts: { modelsAdded: 0, versionsAdded: 0, changed: 0, unchanged: 0, events: 0 } };
  for (const model of snapshot.models) applyModel(ctx, model);
  return ctx.counts;
}

function applyModel(ctx: Context, model: RegistryModel): void {
  const { db, at } = ctx;
  const changes: SeenChange[] = [];
  const registryJson = JSON.stringify({ description: model.description, tags: sortTags(model.tags), createdAt: model.createdAt });
  let row = db.prepare('SELECT id, registry_json FROM models WHERE name = ?').get(model.name) as { id: number; registry_json: string | null } | undefined;
  let changed = false;
  type ModelFields = { description: string | null; tags: RegistryTag[] };
  let previous: ModelFields | null = null as ModelFields | null;
  if (!row) {
    const id = Number(db.prepare('INSERT INTO models (name, created_at, updated_at, registry_json) VALUES (?, ?, ?, ?)').run(model.name, at, at, registryJson).lastInsertRowid);
    row = { id, registry_json: null };
    ctx.counts.modelsAdded += 1;
    changed = true;
  } else if (row.registry_json !== registryJson) {
    previous = row.registry_json ? (JSON.parse(row.registry_json) as ModelFields) : null;
    db.prepare('UPDATE models SET registry_json = ?, updated_at = ? WHERE id = ?').run(registryJson, at, row.id);
    changed = true;
  }
  if (changed) {
    diffFields(previous?.description ?? null, model.description, previous?.tags ?? [], model.tags, null, changes);
    db.prepare('DELETE FROM model_tags WHERE model_id = ?').run(row.id);
    const insertTag = db.prepare('INSERT INTO model_tags (model_id, key, value) VALUES (?, ?, ?)');
    for (const t of model.tags) insertTag.run(row.id, t.key, t.value);
  }

  const versionIds = new Map<string, number>();
  for (const version of model.versions) versionIds.set(version.version, applyVersion(ctx, row.id, version, changes));
  applyAliases(ctx, row.id, model, versionIds, changes);

  if (changes.length === 0 && !changed) {
    ctx.counts.unchanged += 1;
    return;
  }
  ctx.counts.changed += 1;
  ctx.counts.events += changes.length;
  const insertEvent = db.prepare(
    'INSERT INTO registry_events (model_id, model_version_id, kind, key, old_value, new_value, observed_at, sync_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const c of changes) {
    // Alias and stage placements live in alias_history / stage_history with their time ranges.
    if (c.kind.startsWith('alias.') || c.kind.startsWith('stage.')) continue;
    insertEvent.run(row.id, c.version === null ? null : (versionIds.get(c.version) ?? null), c.kind, c.key, c.old, c.new, at, ctx.runId);
  }
  appendAudit(db, { actor: ctx.actor, action: 'registry.changed', subject: model.name, detail: { syncRunId: ctx.runId, changes } }, at);
}

function applyVersion(ctx: Context, modelId: number, version: RegistryModelVersion, changes: SeenChange[]): number {
  const { db, at } = ctx;
  const { aliases: _aliases, ...fields } = version;
  const registryJson = JSON.stringify({ ...fields, tags: sortTags(version.tags) });
  const row = db.prepare('SELECT id, registry_json FROM model_versions WHERE model_id = ? AND version = ?').get(modelId, version.version) as
    | { id: number; registry_json: string | null }
    | undefined;
  let id: number;
  let previous: RegistryModelVersion | null = null;
  if (!row) {
    id = Number(db.prepare('INSERT INTO model_versions (model_id, version, created_at, updated_at, registry_json) VALUES (?, ?, ?, ?, ?)').run(modelId, version.version, at, at, registryJson).lastInsertRowid);
    ctx.counts.versionsAdded += 1;
    changes.push({ kind: 'version.registered', version: version.version, key: null, old: null, new: version.status });
    diffFields(null, version.description, [], version.tags, version.version, changes);
  } else {
    id = row.id;
    if (row.registry_json !== registryJson) {
      previous = row.registry_json ? (JSON.parse(row.registry_json) as RegistryModelVersion) : null;
      db.prepare('UPDATE model_versions SET registry_json = ?, updated_at = ? WHERE id = ?').run(registryJson, at, id);
      diffFields(previous?.description ?? null, version.description, previous?.tags ?? [], version.tags, version.version, changes);
    }
  }
  applyStage(ctx, id, version, changes);
  return id;
}

/** Opens a stage placement when the stage changes, closing the previous one. */
function applyStage(ctx: Context, versionId: number, version: RegistryModelVersion, changes: SeenChange[]): void {
  const { db, at, runId } = ctx;
  const stage = version.currentStage && !NO_STAGE.has(version.currentStage) ? version.currentStage : null;
  const open = db.prepare('SELECT id, stage FROM stage_history WHERE model_version_id = ? AND ended_at IS NULL').get(versionId) as { id: number; stage: string } | undefined;
  if ((open?.stage ?? null) === stage) return;
  if (open) close(ctx, 'stage_history', open.id);
  if (stage !== null) {
    db.prepare('INSERT INTO stage_history (model_version_id, stage, first_seen_at, first_seen_run, last_seen_at, last_seen_run) VALUES (?, ?, ?, ?, ?, ?)').run(versionId, stage, at, runId, at, runId);
    changes.push({ kind: 'stage.set', version: version.version, key: 'stage', old: open?.stage ?? null, new: stage });
  } else {
    changes.push({ kind: 'stage.cleared', version: version.version, key: 'stage', old: open?.stage ?? null, new: null });
  }
}

function applyAliases(ctx: Context, modelId: number, model: RegistryModel, versionIds: ReadonlyMap<string, number>, changes: SeenChange[]): void {
  const { db, at, runId } = ctx;
  const open = db.prepare('SELECT id, alias, model_version_id FROM alias_history WHERE model_id = ? AND ended_at IS NULL').all(modelId) as { id: number; alias: string; model_version_id: number }[];
  const openByAlias = new Map(open.map((o) => [o.alias, o]));
  const versionNameById = new Map([...versionIds].map(([name, id]) => [id, name]));
  let moved = false;
  const seen = new Set<string>();
  for (const { alias, version } of model.aliases) {
    const versionId = versionIds.get(version);
    if (versionId === undefined) continue; // an alias to a version the registry did not list: nothing to point at
    seen.add(alias);
    const current = openByAlias.get(alias);
    if (current?.model_version_id === versionId) continue;
    if (current) close(ctx, 'alias_history', current.id);
    db.prepare('INSERT INTO alias_history (model_id, alias, model_version_id, first_seen_at, first_seen_run, last_seen_at, last_seen_run) VALUES (?, ?, ?, ?, ?, ?, ?)').run(modelId, alias, versionId, at, runId, at, runId);
    changes.push({ kind: 'alias.set', version, key: alias, old: current ? (versionNameById.get(current.model_version_id) ?? null) : null, new: version });
    moved = true;
  }
  for (const o of open) {
    if (seen.has(o.alias)) continue;
    close(ctx, 'alias_history', o.id);
    changes.push({ kind: 'alias.removed', version: null, key: o.alias, old: versionNameById.get(o.model_version_id) ?? null, new: null });
    moved = true;
  }
  if (!moved) return;
  db.prepare('DELETE FROM model_aliases WHERE model_id = ?').run(modelId);
  const insert = db.prepare('INSERT INTO model_aliases (model_id, alias, model_version_id) VALUES (?, ?, ?)');
  for (const { alias, version } of model.aliases) {
    const versionId = versionIds.get(version);
    if (versionId !== undefined) insert.run(modelId, alias, versionId);
  }
}

/**
 * Ends an open placement. It held at the previous sync of this source (open placements are seen by
 * every sync until one finds them gone), so that is when it was last seen; this sync found it gone.
 */
function close(ctx: Context, table: 'alias_history' | 'stage_history', id: number): void {
  const lastSeen = ctx.previousSyncAt ?? ctx.at;
  ctx.db.prepare(`UPDATE ${table} SET last_seen_at = max(first_seen_at, ?), ended_at = ?, ended_run = ? WHERE id = ?`).run(lastSeen, ctx.at, ctx.runId, id);
}

function diffFields(oldDescription: string | null, newDescription: string | null, oldTags: RegistryTag[], newTags: RegistryTag[], version: string | null, changes: SeenChange[]): void {
  if ((oldDescription ?? '') !== (newDescription ?? '')) changes.push({ kind: 'description.changed', version, key: null, old: oldDescription, new: newDescription });
  const before = new Map(oldTags.map((t) => [t.key, t.value]));
  const after = new Map(newTags.map((t) => [t.key, t.value]));
  for (const [key, value] of after) if (before.get(key) !== value) changes.push({ kind: 'tag.set', version, key, old: before.get(key) ?? null, new: value });
  for (const [key, value] of before) if (!after.has(key)) changes.push({ kind: 'tag.removed', version, key, old: value, new: null });
}

function sortTags(tags: RegistryTag[]): RegistryTag[] {
  return [...tags].sort((a, b) => a.key.localeCompare(b.key));
}
