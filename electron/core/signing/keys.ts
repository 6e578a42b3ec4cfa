import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { shortKeyId } from '../../../shared/signing/keyId';
import { SigningError } from './signingError';
import { DEFAULT_PBKDF2_ITERATIONS, encryptPkcs8Der, MAX_PBKDF2_ITERATIONS, readPbkdf2Iterations } from './pkcs8Encrypt';

/**
 * Reviewer key pairs: Ed25519 from node:crypto, ids from the public key, and the two ways a private
 * key rests on disk: a passphrase-encrypted PKCS#8 PEM (CLI, portable) or bytes sealed by an
 * injected OS keychain (the app passes Electron's safeStorage; core only knows the interface).
 */

export interface ReviewerKeyPair {
  keyId: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

/** What the OS keychain says of itself: Linux also names its backend ('basic_text' cannot protect a secret). */
export interface KeychainStatus {
  available: boolean;
  backend?: string;
}

/** Encrypts and decrypts bytes with a secret the OS keeps (Electron safeStorage in the app). */
export interface KeySealer {
  encrypt(plaintext: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
  /** Whether the keychain can protect a secret now; Linux also names its backend ('basic_text' cannot). */
  status?(): KeychainStatus;
}

/**
 * The same keychain reached across a thread: the engine runs in a worker and safeStorage exists
 * only in Electron's main process, so every answer comes back later. Status is not optional here.
 */
export interface AsyncKeySealer {
  status(): Promise<KeychainStatus>;
  encrypt(plaintext: Buffer): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<Buffer>;
}

/** A synchronous sealer seen through the asynchronous interface (tests, the e2e harness). */
export function asyncSealer(sealer: KeySealer): AsyncKeySealer {
  return {
    status: async () => sealer.status?.() ?? { available: true },
    encrypt: async (plaintext) => sealer.encrypt(plaintext),
    decrypt: async (sealed) => sealer.decrypt(sealed),
  };
}

/** The part of Electron's safeStorage a sealer needs (getSelectedStorageBackend exists on Linux only). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** A KeySealer over Electron's safeStorage, reporting its availability and backend. */
export function safeStorageSealer(safeStorage: SafeStorageLike): KeySealer {
  return {
    status: () => ({ available: safeStorage.isEncryptionAvailable(), backend: safeStorage.getSelectedStorageBackend?.() }),
    encrypt: (plaintext) => safeStorage.encryptString(plaintext.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}

/**
 * Why the keychain cannot be trusted with a secret now, or null when it can: encryption unavailable,
 * Linux's 'basic_text' backend (no secret service or KWallet: Chromium then encrypts with a
 * hard-coded password), or a backend safeStorage could not name ('unknown').
 */
export function keychainRefusal(status: KeychainStatus): SigningError | null {
  if (!status.available) {
    return new SigningError('keychain-unavailable', 'the OS keychain (safeStorage) is not available, so the private key is not stored: use a passphrase-protected key file (docket keys generate) instead');
  }
  if (status.backend === 'basic_text') {
    return new SigningError(
      'keychain-unavailable',
      "the OS keychain backend is 'basic_text' (no secret service or KWallet was found), which keeps secrets under a hard-coded password, so the private key is not stored: unlock or install gnome-keyring or KWallet, or use a passphrase-protected key file",
    );
  }
  if (status.backend === 'unknown') {
    return new SigningError(
      'keychain-unavailable',
      "the OS keychain backend is 'unknown' (safeStorage could not name a secret service or KWallet), so the private key is not stored: unlock or install gnome-keyring or KWallet, or use a passphrase-protected key file",
    );
  }
  return null;
}

/** Refuses to seal a secret the keychain cannot protect (see keychainRefusal). */
export function requireSecureSealer(sealer: KeySealer): void {
  const status = sealer.status?.();
  if (!status) return;
  const refusal = keychainRefusal(status);
  if (refusal) throw refusal;
}

/** PEM text larger than this is not an Ed25519 key; refuse before parsing. */
const MAX_PEM_CHARS = 16 * 1024;

export function generateReviewerKeyPair(): ReviewerKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { keyId: keyIdOf(publicKey), publicKey, privateKey };
}

/** Lowercase hex sha256 of the SPKI DER: stable across PEM formatting, and what DSSE `keyid` carries. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export { shortKeyId };

export function exportPublicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Parses an SPKI PEM and insists on Ed25519: a key of another type must not slip into the keyring. */
export function publicKeyFromPem(pem: string): KeyObject {
  if (pem.length > MAX_PEM_CHARS || !/-----BEGIN PUBLIC KEY-----/.test(pem)) {
    throw new SigningError('not-a-key', 'not a public key: expected a PEM block "BEGIN PUBLIC KEY"');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new SigningError('not-a-key', 'not a public key: the PEM block could not be decoded');
  }
  return requireEd25519(key, 'public');
}

function requireEd25519(key: KeyObject, kind: 'public' | 'private'): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningError('unsupported-key-type', `${kind} key is ${key.asymmetricKeyType ?? 'of an unknown type'}, Docket reviewer keys are Ed25519`);
  }
  return key;
}

function requirePassphrase(passphrase: string): void {
  // A whitespace-only passphrase is as good as none, and usually a prompt accident.
  if (typeof passphrase !== 'string' || passphrase.trim() === '') {
    throw new SigningError('empty-passphrase', 'a passphrase is required to protect the private key (it may not be empty)');
  }
}

/**
 * Encrypted PKCS#8 PEM: PBES2 with PBKDF2-HMAC-SHA256 (600,000 iterations by default) and AES-256-CBC.
 * See pkcs8Encrypt.ts for why not Node's own export (2,048 iterations) and not scrypt.
 */
export function encryptPrivateKeyPem(privateKey: KeyObject, passphrase: string, options: { iterations?: number } = {}): string {
  requirePassphrase(passphrase);
  requireEd25519(privateKey, 'private');
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  try {
    return encryptPkcs8Der(der, passphrase, options.iterations ?? DEFAULT_PBKDF2_ITERATIONS);
  } finally {
    der.fill(0);
  }
}

/** Decrypts an ENCRYPTED PRIVATE KEY PEM; a wrong passphrase and a non-key are told apart, without OpenSSL's noise. */
export function decryptPrivateKeyPem(pem: string, passphrase: string): KeyObject {
  requirePassphrase(passphrase);
  const match = typeof pem === 'string' && pem.length <= MAX_PEM_CHARS
    ? /-----BEGIN ENCRYPTED PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END ENCRYPTED PRIVATE KEY-----/.exec(pem)
    : null;
  if (!match) {
    throw new SigningError('not-a-key', 'not an encrypted private key: expected a PEM block "BEGIN ENCRYPTED PRIVATE KEY"');
  }
  // Only PBES2 with PBKDF2 is accepted (what Docket and `openssl pkcs8 -topk8` write). Knowing the
  // layout first lets a decryption failure below mean one thing: this passphrase does not open it.
  const iterations = readPbkdf2Iterations(Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'));
  if (iterations === null) {
    throw new SigningError('not-a-key', 'not an encrypted private key Docket can read: expected PKCS#8 encrypted with PBES2 and PBKDF2');
  }
  if (iterations > MAX_PBKDF2_ITERATIONS) {
    throw new SigningError('not-a-key', `encrypted private key asks for ${iterations} PBKDF2 iterations (more than ${MAX_PBKDF2_ITERATIONS}); refusing a tampered key`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch {
    // AES-CBC has no authentication: a wrong passphrase shows up as bad padding (nearly always) or,
    // 1 time in 256, as garbage that fails to decode. Corrupted ciphertext looks the same.
    throw new SigningError('wrong-passphrase', 'wrong passphrase: the private key could not be decrypted (or its encrypted bytes are damaged)');
  }
  return requireEd25519(key, 'private');
}

/** The public half of a private key, for checking that a stored key file is self-consistent. */
export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

/** Seals the private key's PKCS#8 DER with the OS keychain; the result is opaque bytes to store anywhere. */
export function sealPrivateKey(privateKey: KeyObject, sealer: KeySealer): Buffer {
  requireEd25519(privateKey, 'private');
  requireSecureSealer(sealer);
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  try {
    return sealer.encrypt(der);
  } finally {
    der.fill(0);
  }
}

/** Seals with a keychain across a thread: the status is asked first, so a refusal sends nothing to seal. */
export async function sealPrivateKeyAsync(privateKey: KeyObject, sealer: AsyncKeySealer): Promise<Buffer> {
  requireEd25519(privateKey, 'private');
  const refusal = keychainRefusal(await sealer.status());
  if (refusal) throw refusal;
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  try {
    return await sealer.encrypt(der);
  } finally {
    der.fill(0);
  }
}

/**
 * Opens sealed bytes and checks they hold the private half of `expectedKeyId`, so a swapped or
 * corrupted blob fails here and not later as a signature nobody can verify.
 */
export function unsealPrivateKey(sealed: Buffer, sealer: KeySealer, expectedKeyId: string): KeyObject {
  let der: Buffer;
  try {
    der = sealer.decrypt(sealed);
  } catch (err) {
    throw unsealFailed(err);
  }
  return privateKeyFromUnsealed(der, expectedKeyId);
}

/** unsealPrivateKey with a keychain across a thread. */
export async function unsealPrivateKeyAsync(sealed: Buffer, sealer: AsyncKeySealer, expectedKeyId: string): Promise<KeyObject> {
  let der: Buffer;
  try {
    der = await sealer.decrypt(sealed);
  } catch (err) {
    throw unsealFailed(err);
  }
  return privateKeyFromUnsealed(der, expectedKeyId);
}

function unsealFailed(err: unknown): SigningError {
  const why = err instanceof Error ? err.message : String(err);
  return new SigningError('unseal-failed', `the sealed private key could not be opened by the OS keychain: ${why}`);
}

/** Parses the opened PKCS#8 DER (then wipes it) and insists it is the private half of `expectedKeyId`. */
function privateKeyFromUnsealed(der: Buffer, expectedKeyId: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new SigningError('not-a-key', 'the sealed data opened but does not hold a private key');
  } finally {
    der.fill(0);
  }
  requireEd25519(key, 'private');
  const actual = keyIdOf(publicKeyOf(key));
  if (actual !== expectedKeyId) {
    throw new SigningError('key-mismatch', `the sealed private key belongs to key ${shortKeyId(actual)}, not ${shortKeyId(expectedKeyId)}`);
  }
  return key;
}
