import type { Database } from 'better-sqlite3';
import { appendAudit } from '../store/auditLog';
import { DocketError } from '../../../shared/ipc/result';
import { shortKeyId } from '../../../shared/signing/keyId';
import type { KeyOrigin, KeyStatusAt, ReviewerKey } from '../../../shared/signing/reviewerKey';
import { exportPublicKeyPem, keyIdOf, publicKeyFromPem } from './keys';
import type { PublicKeyResolver } from './dsse';

/**
 * The workspace's reviewer keys (public halves) and who trusts them. Trust is explicit: a key made
 * on this machine is trusted by its creator on creation; an imported key is not until trustKey.
 * Keys are never deleted: revocation (and rotation, which revokes) records a time, and decisions
 * signed before that time stay valid. Every change is audited in the same transaction.
 */

export interface KeyringChange {
  actor: string;
  /** ISO time of the change (from the engine's clock). */
  at: string;
}

export interface NewReviewerKey {
  name: string;
  role: string;
  publicKeyPem: string;
  origin: KeyOrigin;
  /** When given (e.g. from a key file), must equal the id computed from the public key. */
  keyId?: string;
}

interface KeyRow {
  key_id: string;
  name: string;
  role: string;
  public_key_pem: string;
  origin: KeyOrigin;
  added_at: string;
  trusted: number;
  trusted_at: string | null;
  trusted_by: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  replaced_by: string | null;
}

const toKey = (r: KeyRow): ReviewerKey => ({
  keyId: r.key_id,
  name: r.name,
  role: r.role,
  publicKeyPem: r.public_key_pem,
  origin: r.origin,
  addedAt: r.added_at,
  trusted: r.trusted === 1,
  trustedAt: r.trusted_at,
  trustedBy: r.trusted_by,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  revokeReason: r.revoke_reason,
  replacedBy: r.replaced_by,
});

export function getKey(db: Database, keyId: string): ReviewerKey | null {
  const row = db.prepare('SELECT * FROM reviewer_keys WHERE key_id = ?').get(keyId) as KeyRow | undefined;
  return row ? toKey(row) : null;
}

function requireKey(db: Database, keyId: string): ReviewerKey {
  const key = getKey(db, keyId);
  if (!key) throw new DocketError('NOT_FOUND', `no key ${shortKeyId(keyId)} in the keyring`);
  return key;
}

export function listKeys(db: Database): ReviewerKey[] {
  return (db.prepare('SELECT * FROM reviewer_keys ORDER BY added_at, name, key_id').all() as KeyRow[]).map(toKey);
}

/** Validates and inserts; the caller holds the transaction and writes the audit entry. */
function insertKey(db: Database, input: NewReviewerKey, change: KeyringChange): { key: ReviewerKey; added: boolean } {
  const name = input.name.trim();
  const role = input.role.trim();
  if (name === '' || role === '') throw new DocketError('INVALID_INPUT', 'a reviewer key needs a name and a role');
  let publicKey;
  try {
    publicKey = publicKeyFromPem(input.publicKeyPem);
  } catch (err) {
    throw new DocketError('INVALID_INPUT', `cannot add key: ${(err as Error).message}`);
  }
  const keyId = keyIdOf(publicKey);
  if (input.keyId !== undefined && input.keyId !== keyId) {
    throw new DocketError('INVALID_INPUT', `key id ${shortKeyId(input.keyId)} does not match the public key (its id is ${shortKeyId(keyId)})`);
  }
  const existing = getKey(db, keyId);
  if (existing) return { key: existing, added: false }; // re-importing the same key changes nothing
  const trusted = input.origin === 'local';
  db.prepare(
    `INSERT INTO reviewer_keys (key_id, name, role, public_key_pem, origin, added_at, trusted, trusted_at, trusted_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(keyId, name, role, exportPublicKeyPem(publicKey), input.origin, change.at, trusted ? 1 : 0, trusted ? change.at : null, trusted ? change.actor : null);
  appendAudit(db, { actor: change.actor, action: 'key.added', subject: `key:${keyId}`, detail: { name, role, origin: input.origin, trusted } }, change.at);
  return { key: requireKey(db, keyId), added: true };
}

/**
 * Adds a locally generated key (trusted by its creator) or an imported public key (untrusted).
 * Adding a key already in the keyring returns it unchanged, with `added: false`.
 */
export function addKey(db: Database, input: NewReviewerKey, change: KeyringChange): { key: ReviewerKey; added: boolean } {
  return db.transaction(() => insertKey(db, input, change)).immediate();
}

export function trustKey(db: Database, keyId: string, change: KeyringChange): ReviewerKey {
  return db
    .transaction(() => {
      const key = requireKey(db, keyId);
      if (key.revokedAt) throw new DocketError('REJECTED', `key ${shortKeyId(keyId)} was revoked at ${key.revokedAt}; a revoked key cannot be trusted again`);
      if (key.trusted) return key;
      db.prepare('UPDATE reviewer_keys SET trusted = 1, trusted_at = ?, trusted_by = ? WHERE key_id = ?').run(change.at, change.actor, keyId);
      appendAudit(db, { actor: change.actor, action: 'key.trusted', subject: `key:${keyId}`, detail: { name: key.name, role: key.role } }, change.at);
      return requireKey(db, keyId);
    })
    .immediate();
}

function markRevoked(db: Database, key: ReviewerKey, reason: string, change: KeyringChange, replacedBy: string | null): void {
  if (key.revokedAt) throw new DocketError('REJECTED', `key ${shortKeyId(key.keyId)} was already revoked at ${key.revokedAt}`);
  db.prepare('UPDATE reviewer_keys SET revoked_at = ?, revoked_by = ?, revoke_reason = ?, replaced_by = ? WHERE key_id = ?').run(
    change.at,
    change.actor,
    reason,
    replacedBy,
    key.keyId,
  );
}

/** Revokes from `change.at` on: signatures made before stay valid, later ones do not. */
export function revokeKey(db: Database, keyId: string, reason: string, change: KeyringChange): ReviewerKey {
  const why = reason.trim();
  if (why === '') throw new DocketError('INVALID_INPUT', 'say why the key is revoked (e.g. "laptop lost"): the reason goes in the audit log');
  return db
    .transaction(() => {
      const key = requireKey(db, keyId);
      markRevoked(db, key, why, change, null);
      appendAudit(db, { actor: change.actor, action: 'key.revoked', subject: `key:${keyId}`, detail: { reason: why } }, change.at);
      return requireKey(db, keyId);
    })
    .immediate();
}

/**
 * Replaces a key with a new one: the new key is added (trusted if local, as any local key), and the
 * old one is revoked from now with `replaced_by` pointing at it. One transaction, so a reviewer is
 * never left with neither key.
 */
export function rotateKey(db: Database, oldKeyId: string, replacement: NewReviewerKey, change: KeyringChange): { old: ReviewerKey; replacement: ReviewerKey } {
  return db
    .transaction(() => {
      const old = requireKey(db, oldKeyId);
      if (old.revokedAt) throw new DocketError('REJECTED', `key ${shortKeyId(oldKeyId)} was already revoked at ${old.revokedAt}; add a new key instead`);
      const { key: added } = insertKey(db, replacement, change);
      if (added.keyId === oldKeyId) throw new DocketError('INVALID_INPUT', 'the replacement key is the same key');
      if (added.revokedAt) throw new DocketError('REJECTED', `the replacement key ${shortKeyId(added.keyId)} is itself revoked`);
      markRevoked(db, old, `rotated to ${shortKeyId(added.keyId)}`, change, added.keyId);
      appendAudit(db, { actor: change.actor, action: 'key.rotated', subject: `key:${oldKeyId}`, detail: { replacedBy: added.keyId } }, change.at);
      return { old: requireKey(db, oldKeyId), replacement: requireKey(db, added.keyId) };
    })
    .immediate();
}

export function exportPublicKey(db: Database, keyId: string): string {
  return requireKey(db, keyId).publicKeyPem;
}

/**
 * Whether a signature made by `keyId` at `isoTime` should be honoured. Revocation is by time:
 * before `revoked_at` the key's trust stands. Trust itself is not dated: trusting a colleague's key
 * today vouches for the key, so their earlier decisions verify too. Note the signing time is what
 * the signer claims; callers that can should prefer the time a decision first reached this workspace.
 */
export function keyStatusAt(db: Database, keyId: string, isoTime: string): KeyStatusAt {
  const when = new Date(isoTime);
  if (Number.isNaN(when.getTime())) throw new DocketError('INVALID_INPUT', `not a time: ${isoTime}`);
  const key = getKey(db, keyId);
  if (!key) return { keyId, status: 'unknown', reason: `key ${shortKeyId(keyId)} is not in the keyring` };
  if (key.revokedAt !== null && when.getTime() >= Date.parse(key.revokedAt)) {
    const replaced = key.replacedBy ? ` (replaced by ${shortKeyId(key.replacedBy)})` : '';
    return { keyId, status: 'revoked', reason: `key ${shortKeyId(keyId)} of ${key.name} was revoked at ${key.revokedAt} by ${key.revokedBy}: ${key.revokeReason}${replaced}` };
  }
  if (!key.trusted) {
    return { keyId, status: 'untrusted', reason: `key ${shortKeyId(keyId)} of ${key.name} was imported but nobody has trusted it yet` };
  }
  const later = key.revokedAt ? ` (revoked later, at ${key.revokedAt})` : '';
  return { keyId, status: 'trusted', reason: `key ${shortKeyId(keyId)} of ${key.name} is trusted since ${key.trustedAt} by ${key.trustedBy}${later}` };
}

/** A resolver for verifyDsse over every key in the keyring, trusted or not: trust is asked separately. */
export function keyringResolver(db: Database): PublicKeyResolver {
  return (keyId) => getKey(db, keyId)?.publicKeyPem ?? null;
}
