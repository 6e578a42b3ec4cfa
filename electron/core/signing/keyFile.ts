import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { KEY_ID_PATTERN, shortKeyId } from '../../../shared/signing/keyId';
import { SigningError } from './signingError';
import {
  decryptPrivateKeyPem,
  encryptPrivateKeyPem,
  exportPublicKeyPem,
  generateReviewerKeyPair,
  keyIdOf,
  publicKeyFromPem,
  publicKeyOf,
  sealPrivateKey,
  sealPrivateKeyAsync,
  unsealPrivateKey,
  unsealPrivateKeyAsync,
  type AsyncKeySealer,
  type KeySealer,
  type ReviewerKeyPair,
} from './keys';

/**
 * The "docket key file": one small JSON document holding a reviewer's identity, public key and
 * passphrase-encrypted private key, so a reviewer can move their key between machines or keep it
 * for the CLI. The "sealed key" is the app's variant: the private key sealed by the OS keychain.
 * Both are re-checked on every load (the id is recomputed, the halves must match), so an edited
 * file fails loudly instead of signing under the wrong id.
 */

/** A key file is well under 2 KiB; anything far bigger is not one. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

const identityFields = {
  name: z.string().trim().min(1, 'must not be empty').max(128),
  role: z.string().trim().min(1, 'must not be empty').max(64),
  keyId: z.string().regex(KEY_ID_PATTERN, 'must be 64 lowercase hex digits (sha256 of the public key)'),
  publicKeyPem: z.string().max(16 * 1024).includes('-----BEGIN PUBLIC KEY-----', { message: 'must be an SPKI PEM public key' }),
  createdAt: z.iso.datetime({ message: 'must be an ISO 8601 UTC time' }),
};

export const keyFileSchema = z.strictObject({
  format: z.literal('docket-key/1', { message: 'must be "docket-key/1"' }),
  ...identityFields,
  encryptedPrivateKeyPem: z
    .string()
    .max(16 * 1024)
    .includes('-----BEGIN ENCRYPTED PRIVATE KEY-----', { message: 'must be an encrypted PKCS#8 PEM private key' }),
});
export type DocketKeyFile = z.infer<typeof keyFileSchema>;

export const sealedKeySchema = z.strictObject({
  format: z.literal('docket-sealed-key/1', { message: 'must be "docket-sealed-key/1"' }),
  ...identityFields,
  sealedPrivateKey: z.base64({ message: 'must be base64' }).max(16 * 1024),
});
export type SealedReviewerKey = z.infer<typeof sealedKeySchema>;

export interface KeyIdentity {
  name: string;
  role: string;
}

/** Generates a key pair and wraps it in a key file encrypted under `passphrase`. */
export function createKeyFile(
  identity: KeyIdentity,
  passphrase: string,
  options: { at: string; iterations?: number },
): { keyFile: DocketKeyFile; keyPair: ReviewerKeyPair } {
  const keyPair = generateReviewerKeyPair();
  const encryptedPrivateKeyPem = encryptPrivateKeyPem(keyPair.privateKey, passphrase, { iterations: options.iterations });
  const keyFile = keyFileSchema.parse({
    format: 'docket-key/1',
    name: identity.name,
    role: identity.role,
    keyId: keyPair.keyId,
    publicKeyPem: exportPublicKeyPem(keyPair.publicKey),
    encryptedPrivateKeyPem,
    createdAt: options.at,
  });
  return { keyFile, keyPair };
}

function parseWith<T>(schema: z.ZodType<T>, text: string, what: string): T {
  if (Buffer.byteLength(text, 'utf8') > MAX_KEY_FILE_BYTES) {
    throw new SigningError('invalid-key-file', `not a ${what}: larger than ${MAX_KEY_FILE_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SigningError('invalid-key-file', `not a ${what}: not valid JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join('.') || '(root)';
    throw new SigningError('invalid-key-file', `invalid ${what}: field "${field}" ${issue.message}`, field);
  }
  return result.data;
}

export function parseKeyFile(text: string): DocketKeyFile {
  return parseWith(keyFileSchema, text, 'docket key file');
}

export function parseSealedKey(text: string): SealedReviewerKey {
  return parseWith(sealedKeySchema, text, 'docket sealed key');
}

export function serializeKeyFile(keyFile: DocketKeyFile | SealedReviewerKey): string {
  return `${JSON.stringify(keyFile, null, 2)}\n`;
}

/** The public key, after checking the file's keyId is really its hash. */
function checkedPublicKey(record: { keyId: string; publicKeyPem: string }) {
  let publicKey;
  try {
    publicKey = publicKeyFromPem(record.publicKeyPem);
  } catch (err) {
    throw new SigningError((err as SigningError).reason ?? 'not-a-key', `field "publicKeyPem": ${(err as Error).message}`, 'publicKeyPem');
  }
  const actual = keyIdOf(publicKey);
  if (actual !== record.keyId) {
    throw new SigningError('key-mismatch', `field "keyId" says ${shortKeyId(record.keyId)} but the public key's id is ${shortKeyId(actual)}: the file was edited`, 'keyId');
  }
  return publicKey;
}

/** Decrypts the private key and checks both halves belong to the file's keyId. */
export function unlockKeyFile(keyFile: DocketKeyFile, passphrase: string): ReviewerKeyPair {
  const publicKey = checkedPublicKey(keyFile);
  const privateKey = decryptPrivateKeyPem(keyFile.encryptedPrivateKeyPem, passphrase);
  const privateId = keyIdOf(publicKeyOf(privateKey));
  if (privateId !== keyFile.keyId) {
    throw new SigningError(
      'key-mismatch',
      `field "encryptedPrivateKeyPem" holds the private key of ${shortKeyId(privateId)}, not of ${shortKeyId(keyFile.keyId)}: the file was edited`,
      'encryptedPrivateKeyPem',
    );
  }
  return { keyId: keyFile.keyId, publicKey, privateKey };
}

/** Reads and unlocks a key file from disk; errors name the path. */
export function loadKeyFile(path: string, passphrase: string): { keyFile: DocketKeyFile; keyPair: ReviewerKeyPair } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SigningError('invalid-key-file', `cannot read key file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const keyFile = parseKeyFile(text);
    return { keyFile, keyPair: unlockKeyFile(keyFile, passphrase) };
  } catch (err) {
    if (err instanceof SigningError) throw new SigningError(err.reason, `${path}: ${err.message}`, err.field);
    throw err;
  }
}

/** Writes owner-only (0600) and never over an existing file: overwriting a key file can lose an identity. */
export function writeKeyFile(path: string, keyFile: DocketKeyFile | SealedReviewerKey): void {
  try {
    writeFileSync(path, serializeKeyFile(keyFile), { encoding: 'utf8', mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new SigningError('key-file-exists', `${path} already exists; choose another path or remove it first`);
    }
    throw err;
  }
}

/** Seals an existing key pair with the OS keychain (the app's way of holding the private key). */
export function createSealedKey(keyPair: ReviewerKeyPair, identity: KeyIdentity, sealer: KeySealer, at: string): SealedReviewerKey {
  return sealedRecord(keyPair, identity, sealPrivateKey(keyPair.privateKey, sealer), at);
}

/** createSealedKey with the keychain across a thread (the app: the engine's worker asks the main process). */
export async function createSealedKeyAsync(keyPair: ReviewerKeyPair, identity: KeyIdentity, sealer: AsyncKeySealer, at: string): Promise<SealedReviewerKey> {
  return sealedRecord(keyPair, identity, await sealPrivateKeyAsync(keyPair.privateKey, sealer), at);
}

function sealedRecord(keyPair: ReviewerKeyPair, identity: KeyIdentity, sealed: Buffer, at: string): SealedReviewerKey {
  return sealedKeySchema.parse({
    format: 'docket-sealed-key/1',
    name: identity.name,
    role: identity.role,
    keyId: keyPair.keyId,
    publicKeyPem: exportPublicKeyPem(keyPair.publicKey),
    sealedPrivateKey: sealed.toString('base64'),
    createdAt: at,
  });
}

export function openSealedKey(sealed: SealedReviewerKey, sealer: KeySealer): ReviewerKeyPair {
  const publicKey = checkedPublicKey(sealed);
  const privateKey = unsealPrivateKey(Buffer.from(sealed.sealedPrivateKey, 'base64'), sealer, sealed.keyId);
  return { keyId: sealed.keyId, publicKey, privateKey };
}

export async function openSealedKeyAsync(sealed: SealedReviewerKey, sealer: AsyncKeySealer): Promise<ReviewerKeyPair> {
  const publicKey = checkedPublicKey(sealed);
  const privateKey = await unsealPrivateKeyAsync(Buffer.from(sealed.sealedPrivateKey, 'base64'), sealer, sealed.keyId);
  return { keyId: sealed.keyId, publicKey, privateKey };
}
