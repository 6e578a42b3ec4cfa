import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PolicyPackSchema, type PolicyPack } from '../../../shared/policy/policyPack';
import { DocketError } from '../../../shared/ipc/result';
import { loadDefaultControlCatalog } from '../policy/loadControlCatalog';
import { importPolicyPack, loadDefaultPolicyPack } from '../policy/loadPolicyPack';
import { appendAudit } from '../store/auditLog';
import type { Store } from '../store/openStore';
import { prepared } from '../policy/statementCache';

/**
 * Which policy pack reviews are judged by: the pack the user last activated, else the one shipped
 * in resources/. Imported packs are stored whole, so a decision's "judged by <pack> <version>" can
 * always be looked up again, even after the file on disk changed or disappeared.
 */

export interface ActivePolicy {
  pack: PolicyPack;
  /** 'default' (shipped) or the stored pack's id. */
  origin: 'default' | { id: number; sourcePath: string };
}

export function activePolicy(store: Store, resourcesDir: string): ActivePolicy {
  const row = prepared(store.db, 'SELECT id, source_path, pack_json FROM policy_packs WHERE active = 1').get() as { id: number; source_path: string; pack_json: string } | undefined;
  if (!row) return { pack: loadDefaultPolicyPack(resourcesDir), origin: 'default' };
  return { pack: PolicyPackSchema.parse(JSON.parse(row.pack_json)), origin: { id: row.id, sourcePath: row.source_path } };
}

export interface PolicyPackListing {
  id: number | null;
  name: string;
  version: string;
  sourcePath: string;
  importedAt: string | null;
  active: boolean;
}

export function listPolicyPacks(store: Store, resourcesDir: string): PolicyPackListing[] {
  const rows = prepared(store.db, 'SELECT id, name, version, source_path, imported_at, active FROM policy_packs ORDER BY id').all() as {
    id: number;
    name: string;
    version: string;
    source_path: string;
    imported_at: string;
    active: number;
  }[];
  const shipped = loadDefaultPolicyPack(resourcesDir);
  return [
    { id: null, name: shipped.name, version: shipped.version, sourcePath: 'resources/policies (shipped)', importedAt: null, active: !rows.some((r) => r.active === 1) },
    ...rows.map((r) => ({ id: r.id, name: r.name, version: r.version, sourcePath: r.source_path, importedAt: r.imported_at, active: r.active === 1 })),
  ];
}

/**
 * Validates a user's pack against the control catalog and stores it, active unless told otherwise.
 * A name and version already stored with other content is refused: a pack version, once used to judge
 * releases, must keep meaning the same rules.
 */
export function importUserPolicyPack(store: Store, path: string, options: { resourcesDir: string; actor: string; at: string; activate?: boolean }): PolicyPackListing {
  const pack = importPolicyPack(path, loadDefaultControlCatalog(options.resourcesDir));
  const packJson = JSON.stringify(pack);
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  const db = store.db;
  return db.transaction(() => {
    const existing = prepared(db, 'SELECT id, pack_json FROM policy_packs WHERE name = ? AND version = ?').get(pack.name, pack.version) as { id: number; pack_json: string } | undefined;
    if (existing && existing.pack_json !== packJson) {
      throw new DocketError('REJECTED', `${path}: a different pack "${pack.name}" version ${pack.version} is already stored; give the changed pack a new version`);
    }
    const id = existing?.id ?? Number(prepared(db, 'INSERT INTO policy_packs (name, version, source_path, sha256, pack_json, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?)').run(pack.name, pack.version, path, sha256, packJson, options.at, options.actor).lastInsertRowid);
    if (!existing) appendAudit(db, { actor: options.actor, action: 'policy.imported', subject: `policy_pack:${id}`, detail: { name: pack.name, version: pack.version, file: path, sha256 } }, options.at);
    if (options.activate !== false) activate(store, id, options.actor, options.at);
    const row = prepared(db, 'SELECT imported_at, active FROM policy_packs WHERE id = ?').get(id) as { imported_at: string; active: number };
    return { id, name: pack.name, version: pack.version, sourcePath: path, importedAt: row.imported_at, active: row.active === 1 };
  }).immediate();
}

/** Makes a stored pack (or, with null, the shipped default) the one reviews are judged by. */
export function activatePolicyPack(store: Store, id: number | null, actor: string, at: string): void {
  store.db.transaction(() => activate(store, id, actor, at)).immediate();
}

function activate(store: Store, id: number | null, actor: string, at: string): void {
  const db = store.db;
  const current = prepared(db, 'SELECT id FROM policy_packs WHERE active = 1').get() as { id: number } | undefined;
  if ((current?.id ?? null) === id) return;
  if (id !== null && !prepared(db, 'SELECT 1 FROM policy_packs WHERE id = ?').get(id)) throw new DocketError('NOT_FOUND', `no stored policy pack with id ${id}`);
  prepared(db, 'UPDATE policy_packs SET active = 0 WHERE active = 1').run();
  if (id !== null) prepared(db, 'UPDATE policy_packs SET active = 1 WHERE id = ?').run(id);
  appendAudit(db, { actor, action: 'policy.activated', subject: id === null ? 'policy_pack:default' : `policy_pack:${id}`, detail: { previous: current?.id ?? 'default' } }, at);
}
