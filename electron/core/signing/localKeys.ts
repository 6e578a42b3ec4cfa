import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { DocketError } from '../../../shared/ipc/result';
import { isKeyId } from '../../../shared/signing/keyId';
import type { ReviewerKey } from '../../../shared/signing/reviewerKey';
import { createKeyFile, parseKeyFile, unlockKeyFile, writeKeyFile } from './keyFile';
import { addKey, listKeys } from './keyring';
import { exportPublicKeyPem, type ReviewerKeyPair } from './keys';

/**
 * The reviewer keys this workspace can sign with: passphrase-encrypted docket key files in the
 * workspace's keys/ folder (beside the database, outside it: a copied database carries no private
 * key). The passphrase is used for one call and never kept.
 */

const SUFFIX = '.docket-key.json';

export function keyFilePath(keysDir: string, keyId: string): string {
  if (!isKeyId(keyId)) throw new DocketError('INVALID_INPUT', `"${keyId}" is not a key id`);
  return join(keysDir, `${keyId}${SUFFIX}`);
}

export function localKeyIds(keysDir: string): Set<string> {
  if (!existsSync(keysDir)) return new Set();
  return new Set(readdirSync(keysDir).filter((f) => f.endsWith(SUFFIX)).map((f) => f.slice(0, -SUFFIX.length)).filter(isKeyId));
}

export function listKeysWithLocal(db: Database, keysDir: string): (ReviewerKey & { hasPrivateKey: boolean })[] {
  const local = localKeyIds(keysDir);
  return listKeys(db).map((k) => ({ ...k, hasPrivateKey: local.has(k.keyId) }));
}

/** Creates a key pair, keeps its encrypted key file in the workspace and adds it to the keyring as trusted. */
export function generateLocalKey(db: Database, keysDir: string, identity: { name: string; role: string }, passphrase: string, change: { actor: string; at: string }): ReviewerKey {
  const { keyFile, keyPair } = createKeyFile(identity, passphrase, { at: change.at });
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  writeKeyFile(keyFilePath(keysDir, keyPair.keyId), keyFile);
  return addKey(db, { name: identity.name, role: identity.role, publicKeyPem: exportPublicKeyPem(keyPair.publicKey), origin: 'local' }, change).key;
}

/** Unlocks a workspace key for one signature. */
export function unlockLocalKey(keysDir: string, keyId: string, passphrase: string): ReviewerKeyPair {
  const path = keyFilePath(keysDir, keyId);
  if (!existsSync(path)) throw new DocketError('REJECTED', `this workspace holds no private key for ${keyId.slice(0, 16)}: sign with the key's own file from the command line`);
  return unlockKeyFile(parseKeyFile(readFileSync(path, 'utf8')), passphrase);
}
