import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { DocketError } from '../../../shared/ipc/result';
import { isKeyId } from '../../../shared/signing/keyId';
import type { ReviewerKey } from '../../../shared/signing/reviewerKey';
import { createKeyFile, parseKeyFile, unlockKeyFile, writeKeyFile, type DocketKeyFile } from './keyFile';
import { addKey, listKeys } from './keyring';
import { exportPublicKeyPem, type ReviewerKeyPair } from './keys';

/**
 * The reviewer keys this workspace can sign with: passphrase-encrypted docket key files in the
 * workspace's keys/ folder (beside the database, outside it: a copied database carries no private
 * key). The passphrase is used for one call and never kept. A key the reviewer chose to remember in
 * the OS keychain also has a sealed copy there (see keychainKeys.ts); the key file stays.
 */

const SUFFIX = '.docket-key.json';
const SEALED_SUFFIX = '.sealed-key.json';

export function keyFilePath(keysDir: string, keyId: string): string {
  if (!isKeyId(keyId)) throw new DocketError('INVALID_INPUT', `"${keyId}" is not a key id`);
  return join(keysDir, `${keyId}${SUFFIX}`);
}

/** Where the OS-keychain-sealed copy of a workspace key lives (docket-sealed-key/1). */
export function sealedKeyPath(keysDir: string, keyId: string): string {
  if (!isKeyId(keyId)) throw new DocketError('INVALID_INPUT', `"${keyId}" is not a key id`);
  return join(keysDir, `${keyId}${SEALED_SUFFIX}`);
}

function idsWithSuffix(keysDir: string, suffix: string): Set<string> {
  if (!existsSync(keysDir)) return new Set();
  return new Set(readdirSync(keysDir).filter((f) => f.endsWith(suffix)).map((f) => f.slice(0, -suffix.length)).filter(isKeyId));
}

export function localKeyIds(keysDir: string): Set<string> {
  return idsWithSuffix(keysDir, SUFFIX);
}

/** Keys with a sealed copy here: whether the OS keychain can open it now is asked separately. */
export function keychainKeyIds(keysDir: string): Set<string> {
  return idsWithSuffix(keysDir, SEALED_SUFFIX);
}

export function listKeysWithLocal(db: Database, keysDir: string): (ReviewerKey & { hasPrivateKey: boolean; inKeychain: boolean })[] {
  const local = localKeyIds(keysDir);
  const sealed = keychainKeyIds(keysDir);
  return listKeys(db).map((k) => ({ ...k, hasPrivateKey: local.has(k.keyId), inKeychain: local.has(k.keyId) && sealed.has(k.keyId) }));
}

/** Creates a key pair, keeps its encrypted key file in the workspace and adds it to the keyring as trusted. */
export function generateLocalKey(db: Database, keysDir: string, identity: { name: string; role: string }, passphrase: string, change: { actor: string; at: string }): ReviewerKey {
  return generateLocalKeyPair(db, keysDir, identity, passphrase, change).key;
}

/** generateLocalKey, also handing back the unlocked pair (to seal it in the OS keychain at once). */
export function generateLocalKeyPair(db: Database, keysDir: string, identity: { name: string; role: string }, passphrase: string, change: { actor: string; at: string }): { key: ReviewerKey; keyPair: ReviewerKeyPair } {
  const { keyFile, keyPair } = createKeyFile(identity, passphrase, { at: change.at });
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  writeKeyFile(keyFilePath(keysDir, keyPair.keyId), keyFile);
  const key = addKey(db, { name: identity.name, role: identity.role, publicKeyPem: exportPublicKeyPem(keyPair.publicKey), origin: 'local' }, change).key;
  return { key, keyPair };
}

/** Unlocks a workspace key for one signature. */
export function unlockLocalKey(keysDir: string, keyId: string, passphrase: string): ReviewerKeyPair {
  return unlockLocalKeyFile(keysDir, keyId, passphrase).keyPair;
}

/** unlockLocalKey, also handing back the key file (its name and role go with a sealed copy). */
export function unlockLocalKeyFile(keysDir: string, keyId: string, passphrase: string): { keyFile: DocketKeyFile; keyPair: ReviewerKeyPair } {
  const path = keyFilePath(keysDir, keyId);
  if (!existsSync(path)) throw new DocketError('REJECTED', `this workspace holds no private key for ${keyId.slice(0, 16)}: sign with the key's own file from the command line`);
  const keyFile = parseKeyFile(readFileSync(path, 'utf8'));
  return { keyFile, keyPair: unlockKeyFile(keyFile, passphrase) };
}
