import { afterEach, describe, expect, it } from 'vitest';
import { openStore, schemaVersion } from '../../../electron/core/store/openStore';
import { listAudit, verifyAuditChain } from '../../../electron/core/store/auditLog';
import { exportPublicKeyPem, generateReviewerKeyPair } from '../../../electron/core/signing/keys';
import { signDsse, verifyDsse } from '../../../electron/core/signing/dsse';
import {
  addKey,
  exportPublicKey,
  getKey,
  keyringResolver,
  keyStatusAt,
  listKeys,
  revokeKey,
  rotateKey,
  trustKey,
} from '../../../electron/core/signing/keyring';
import { DocketError } from '../../../shared/ipc/result';
import { tempStore } from '../../support/tempStore';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const fresh = (options = {}) => {
  const t = tempStore(options);
  cleanups.push(t.cleanup);
  return t;
};

const T0 = '2026-11-01T09:00:00.000Z';
const T1 = '2026-11-10T09:00:00.000Z';
const T2 = '2026-11-20T09:00:00.000Z';
const ada = { actor: 'ada', at: T0 };
const newKey = (origin: 'local' | 'imported', name = 'Ada') => {
  const pair = generateReviewerKeyPair();
  return { pair, input: { name, role: 'reviewer', publicKeyPem: exportPublicKeyPem(pair.publicKey), origin } };
};

describe('keyring', () => {
  it('trusts a locally generated key on creation, and an imported key only after trustKey', () => {
    const { store } = fresh();
    const local = newKey('local');
    const { key, added } = addKey(store.db, local.input, ada);
    expect(added).toBe(true);
    expect(key).toMatchObject({ keyId: local.pair.keyId, origin: 'local', trusted: true, trustedAt: T0, trustedBy: 'ada', revokedAt: null });
    expect(keyStatusAt(store.db, key.keyId, T1).status).toBe('trusted');

    const grace = newKey('imported', 'Grace');
    addKey(store.db, grace.input, ada);
    expect(keyStatusAt(store.db, grace.pair.keyId, T1)).toMatchObject({ status: 'untrusted', reason: expect.stringMatching(/nobody has trusted it/) });
    const trusted = trustKey(store.db, grace.pair.keyId, { actor: 'ada', at: T1 });
    expect(trusted).toMatchObject({ trusted: true, trustedAt: T1, trustedBy: 'ada' });
    // Trust vouches for the key, not for a period: Grace's earlier decisions count too.
    expect(keyStatusAt(store.db, grace.pair.keyId, T0).status).toBe('trusted');
    expect(listKeys(store.db).map((k) => k.name)).toEqual(['Ada', 'Grace']);
  });

  it('is idempotent on re-import and refuses a key id that does not match the key', () => {
    const { store } = fresh();
    const k = newKey('imported');
    addKey(store.db, k.input, ada);
    expect(addKey(store.db, { ...k.input, origin: 'local' }, ada)).toMatchObject({ added: false, key: { origin: 'imported', trusted: false } });
    const other = generateReviewerKeyPair();
    expect(() => addKey(store.db, { ...newKey('imported').input, keyId: other.keyId }, ada)).toThrow(/does not match the public key/);
    expect(() => addKey(store.db, { ...k.input, publicKeyPem: 'nope' }, ada)).toThrow(DocketError);
    expect(() => addKey(store.db, { ...newKey('local').input, name: ' ' }, ada)).toThrow(/name and a role/);
    expect(listKeys(store.db)).toHaveLength(1);
    expect(exportPublicKey(store.db, k.pair.keyId)).toBe(k.input.publicKeyPem);
  });

  it('revokes from a point in time: signatures before it stay valid, after it do not', () => {
    const { store } = fresh();
    const k = newKey('local');
    addKey(store.db, k.input, ada);
    expect(() => revokeKey(store.db, k.pair.keyId, '  ', { actor: 'ada', at: T1 })).toThrow(/say why/);
    const revoked = revokeKey(store.db, k.pair.keyId, 'laptop lost', { actor: 'ada', at: T1 });
    expect(revoked).toMatchObject({ revokedAt: T1, revokedBy: 'ada', revokeReason: 'laptop lost', replacedBy: null });
    expect(keyStatusAt(store.db, k.pair.keyId, '2026-11-10T08:59:59.999Z')).toMatchObject({ status: 'trusted', reason: expect.stringContaining('revoked later') });
    expect(keyStatusAt(store.db, k.pair.keyId, T1)).toMatchObject({ status: 'revoked', reason: expect.stringContaining('laptop lost') });
    // Other ISO spellings of a time compare by instant, not by string.
    expect(keyStatusAt(store.db, k.pair.keyId, '2026-11-10T10:00:00+02:00').status).toBe('trusted');
    expect(() => revokeKey(store.db, k.pair.keyId, 'again', { actor: 'ada', at: T2 })).toThrow(/already revoked/);
    expect(() => trustKey(store.db, k.pair.keyId, { actor: 'ada', at: T2 })).toThrow(/cannot be trusted again/);
    expect(() => keyStatusAt(store.db, k.pair.keyId, 'soon')).toThrow(/not a time/);
  });

  it('rotates: the new key takes over, the old one is revoked from now and points at it', () => {
    const { store } = fresh();
    const old = newKey('local');
    const next = newKey('local');
    addKey(store.db, old.input, ada);
    const { old: oldKey, replacement } = rotateKey(store.db, old.pair.keyId, next.input, { actor: 'ada', at: T1 });
    expect(oldKey).toMatchObject({ revokedAt: T1, replacedBy: next.pair.keyId, revokeReason: `rotated to ${next.pair.keyId.slice(0, 16)}` });
    expect(replacement).toMatchObject({ keyId: next.pair.keyId, trusted: true, addedAt: T1 });
    expect(keyStatusAt(store.db, old.pair.keyId, T0).status).toBe('trusted');
    expect(keyStatusAt(store.db, old.pair.keyId, T2)).toMatchObject({ status: 'revoked', reason: expect.stringContaining(`replaced by ${next.pair.keyId.slice(0, 16)}`) });
    expect(keyStatusAt(store.db, next.pair.keyId, T2).status).toBe('trusted');
    expect(() => rotateKey(store.db, old.pair.keyId, newKey('local').input, { actor: 'ada', at: T2 })).toThrow(/already revoked/);
    // A failed rotation leaves nothing behind.
    const before = listKeys(store.db).length;
    expect(() => rotateKey(store.db, next.pair.keyId, next.input, { actor: 'ada', at: T2 })).toThrow(/same key/);
    expect(listKeys(store.db)).toHaveLength(before);
    expect(getKey(store.db, next.pair.keyId)?.revokedAt).toBeNull();
  });

  it('reports unknown keys with a reason', () => {
    const { store } = fresh();
    expect(keyStatusAt(store.db, 'f'.repeat(64), T0)).toEqual({ keyId: 'f'.repeat(64), status: 'unknown', reason: 'key ffffffffffffffff is not in the keyring' });
    expect(() => trustKey(store.db, 'f'.repeat(64), ada)).toThrow(/no key ffffffffffffffff/);
  });

  it('writes every change to the audit log, and the chain verifies', () => {
    const { store } = fresh();
    const a = newKey('local');
    const b = newKey('imported', 'Grace');
    const c = newKey('local');
    addKey(store.db, a.input, ada);
    addKey(store.db, b.input, ada);
    addKey(store.db, b.input, ada); // no change, no entry
    trustKey(store.db, b.pair.keyId, { actor: 'ada', at: T1 });
    trustKey(store.db, b.pair.keyId, { actor: 'ada', at: T1 }); // already trusted: no entry
    rotateKey(store.db, a.pair.keyId, c.input, { actor: 'ada', at: T1 });
    revokeKey(store.db, b.pair.keyId, 'left the team', { actor: 'ada', at: T2 });
    const entries = listAudit(store.db, 100).reverse();
    expect(entries.map((e) => [e.action, e.subject])).toEqual([
      ['key.added', `key:${a.pair.keyId}`],
      ['key.added', `key:${b.pair.keyId}`],
      ['key.trusted', `key:${b.pair.keyId}`],
      ['key.added', `key:${c.pair.keyId}`],
      ['key.rotated', `key:${a.pair.keyId}`],
      ['key.revoked', `key:${b.pair.keyId}`],
    ]);
    expect(entries[1]!.detail).toEqual({ name: 'Grace', role: 'reviewer', origin: 'imported', trusted: false });
    expect(entries[4]!.detail).toEqual({ replacedBy: c.pair.keyId });
    expect(entries[5]!.detail).toEqual({ reason: 'left the team' });
    expect(entries.every((e) => e.actor === 'ada')).toBe(true);
    expect(verifyAuditChain(store.db)).toMatchObject({ ok: true, checked: 6 });
  });

  it('resolves public keys for DSSE verification, trusted or not', () => {
    const { store } = fresh();
    const k = newKey('imported');
    addKey(store.db, k.input, ada);
    const envelope = signDsse({ ok: 1 }, 'application/json', k.pair.privateKey, k.pair.keyId);
    const result = verifyDsse(envelope, keyringResolver(store.db));
    expect(result).toMatchObject({ ok: true, keyId: k.pair.keyId });
    expect(keyStatusAt(store.db, k.pair.keyId, T1).status).toBe('untrusted');
  });
});

describe('migration 13', () => {
  it('adds reviewer_keys to an existing version 12 database and keeps its rows', () => {
    const { store, dbPath } = fresh({ targetVersion: 12 });
    expect(schemaVersion(store.db)).toBe(12);
    store.db.prepare("INSERT INTO models (name, created_at, updated_at) VALUES ('kept', 'a', 'a')").run();
    expect(store.db.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'reviewer_keys'").get()).toEqual({ n: 0 });
    store.close();
    const upgraded = openStore(dbPath);
    cleanups.unshift(() => upgraded.close());
    expect(schemaVersion(upgraded.db)).toBeGreaterThanOrEqual(13);
    expect(upgraded.db.prepare('SELECT name FROM models').all()).toEqual([{ name: 'kept' }]);
    const k = newKey('local');
    expect(addKey(upgraded.db, k.input, ada).added).toBe(true);
    // The schema itself refuses inconsistent rows, whatever code writes them.
    expect(() => upgraded.db.prepare("INSERT INTO reviewer_keys (key_id, name, role, public_key_pem, origin, added_at) VALUES (?, 'x', 'y', 'z', 'stolen', 'now')").run('a'.repeat(64))).toThrow(/CHECK/);
    expect(() => upgraded.db.prepare("INSERT INTO reviewer_keys (key_id, name, role, public_key_pem, origin, added_at, trusted) VALUES (?, 'x', 'y', 'z', 'local', 'now', 1)").run('b'.repeat(64))).toThrow(/CHECK/);
  });
});
