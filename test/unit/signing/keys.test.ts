import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, createPublicKey } from 'node:crypto';
import {
  decryptPrivateKeyPem,
  encryptPrivateKeyPem,
  exportPublicKeyPem,
  generateReviewerKeyPair,
  keyIdOf,
  publicKeyFromPem,
  type KeySealer,
} from '../../../electron/core/signing/keys';
import {
  createKeyFile,
  createSealedKey,
  loadKeyFile,
  openSealedKey,
  parseKeyFile,
  serializeKeyFile,
  unlockKeyFile,
  writeKeyFile,
} from '../../../electron/core/signing/keyFile';
import { encryptedPrivateKeyInfo, readPbkdf2Iterations, toPem } from '../../../electron/core/signing/pkcs8Encrypt';
import { SigningError } from '../../../electron/core/signing/signingError';
import { formatKeyIdForComparison, isKeyId, shortKeyId } from '../../../shared/signing/keyId';

const AT = '2026-11-26T09:00:00.000Z';
// Fast for tests that are not about the work factor; the default (600,000) is covered once below.
const FAST = { at: AT, iterations: 1000 };
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'docket-keys-'));
  dirs.push(d);
  return d;
};

function signingErrorOf(fn: () => unknown): SigningError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SigningError);
    return err as SigningError;
  }
  throw new Error('expected a SigningError');
}

describe('reviewer key pairs', () => {
  it('derives the key id from the SPKI DER, with a 16-digit short form', () => {
    const pair = generateReviewerKeyPair();
    const der = pair.publicKey.export({ type: 'spki', format: 'der' });
    expect(pair.keyId).toBe(createHash('sha256').update(der).digest('hex'));
    expect(isKeyId(pair.keyId)).toBe(true);
    expect(shortKeyId(pair.keyId)).toBe(pair.keyId.slice(0, 16));
    expect(formatKeyIdForComparison(pair.keyId).split(' ')).toHaveLength(16);
    // Same id from the exported PEM: the id does not depend on how the key was carried.
    expect(keyIdOf(publicKeyFromPem(exportPublicKeyPem(pair.publicKey)))).toBe(pair.keyId);
  });

  it('encrypts with PBES2 at 600,000 PBKDF2 iterations by default and decrypts back', () => {
    const pair = generateReviewerKeyPair();
    const pem = encryptPrivateKeyPem(pair.privateKey, 'correct horse');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(readPbkdf2Iterations(der)).toBe(600_000);
    const back = decryptPrivateKeyPem(pem, 'correct horse');
    expect(keyIdOf(createPublicKey(back))).toBe(pair.keyId);
  });

  it('refuses an empty or blank passphrase', () => {
    const pair = generateReviewerKeyPair();
    expect(signingErrorOf(() => encryptPrivateKeyPem(pair.privateKey, '')).reason).toBe('empty-passphrase');
    expect(signingErrorOf(() => encryptPrivateKeyPem(pair.privateKey, '   ')).reason).toBe('empty-passphrase');
  });

  it('says "wrong passphrase" without OpenSSL noise, and "not a key" for other text', () => {
    const pem = encryptPrivateKeyPem(generateReviewerKeyPair().privateKey, 'right', { iterations: 1000 });
    const wrong = signingErrorOf(() => decryptPrivateKeyPem(pem, 'wrong'));
    expect(wrong.reason).toBe('wrong-passphrase');
    expect(wrong.message).toMatch(/^wrong passphrase/);
    expect(wrong.message).not.toMatch(/error:|routines|right|wrong$/);
    expect(signingErrorOf(() => decryptPrivateKeyPem('hello', 'right')).reason).toBe('not-a-key');
    expect(signingErrorOf(() => decryptPrivateKeyPem('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----', 'right')).reason).toBe('not-a-key');
    expect(signingErrorOf(() => publicKeyFromPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).reason).toBe('not-a-key');
  });

  it('refuses a tampered iteration count before spending hours on it', () => {
    const hostile = encryptedPrivateKeyInfo({ salt: Buffer.alloc(16, 1), iterations: 0x7fffffff, iv: Buffer.alloc(16, 2), encrypted: Buffer.alloc(64, 3) });
    expect(readPbkdf2Iterations(hostile)).toBe(0x7fffffff);
    const started = Date.now();
    const err = signingErrorOf(() => decryptPrivateKeyPem(toPem('ENCRYPTED PRIVATE KEY', hostile), 'pw'));
    expect(err.reason).toBe('not-a-key');
    expect(err.message).toMatch(/2147483647 PBKDF2 iterations/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('seals the private key with an injected keychain and checks the key id on opening', () => {
    const secret = 0x5a;
    const sealer: KeySealer = {
      encrypt: (b) => Buffer.concat([Buffer.from('SEALED'), Buffer.from(b.map((x) => x ^ secret))]),
      decrypt: (b) => {
        if (!b.subarray(0, 6).equals(Buffer.from('SEALED'))) throw new Error('not sealed by this keychain');
        return Buffer.from(b.subarray(6).map((x) => x ^ secret));
      },
    };
    const pair = generateReviewerKeyPair();
    const sealed = createSealedKey(pair, { name: 'Ada', role: 'reviewer' }, sealer, AT);
    expect(sealed.format).toBe('docket-sealed-key/1');
    expect(openSealedKey(sealed, sealer).keyId).toBe(pair.keyId);
    const other = createSealedKey(generateReviewerKeyPair(), { name: 'Eve', role: 'reviewer' }, sealer, AT);
    expect(signingErrorOf(() => openSealedKey({ ...sealed, sealedPrivateKey: other.sealedPrivateKey }, sealer)).reason).toBe('key-mismatch');
    expect(signingErrorOf(() => openSealedKey({ ...sealed, sealedPrivateKey: Buffer.from('junk').toString('base64') }, sealer)).reason).toBe('unseal-failed');
  });
});

describe('docket key files', () => {
  it('round-trips generate, save, load with the passphrase', () => {
    const dir = tempDir();
    const path = join(dir, 'ada.key.json');
    const { keyFile, keyPair } = createKeyFile({ name: 'Ada Lovelace', role: 'reviewer' }, 'pass phrase', FAST);
    writeKeyFile(path, keyFile);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    const loaded = loadKeyFile(path, 'pass phrase');
    expect(loaded.keyFile).toEqual(keyFile);
    expect(loaded.keyPair.keyId).toBe(keyPair.keyId);
    expect(keyIdOf(createPublicKey(loaded.keyPair.privateKey))).toBe(keyPair.keyId);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ format: 'docket-key/1', name: 'Ada Lovelace', role: 'reviewer', keyId: keyPair.keyId, createdAt: AT });
    expect(readFileSync(path, 'utf8')).not.toContain('pass phrase');
  });

  it('never overwrites an existing key file', () => {
    const path = join(tempDir(), 'k.json');
    const { keyFile } = createKeyFile({ name: 'A', role: 'r' }, 'pw', FAST);
    writeKeyFile(path, keyFile);
    expect(signingErrorOf(() => writeKeyFile(path, keyFile)).reason).toBe('key-file-exists');
  });

  it('gives a clear wrong-passphrase error naming the file', () => {
    const path = join(tempDir(), 'k.json');
    writeKeyFile(path, createKeyFile({ name: 'A', role: 'r' }, 'right', FAST).keyFile);
    const err = signingErrorOf(() => loadKeyFile(path, 'wrong'));
    expect(err.reason).toBe('wrong-passphrase');
    expect(err.message).toBe(`${path}: wrong passphrase: the private key could not be decrypted (or its encrypted bytes are damaged)`);
    expect(err.code).toBe('REJECTED');
  });

  it('names the field that is wrong', () => {
    const { keyFile } = createKeyFile({ name: 'A', role: 'r' }, 'pw', FAST);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...keyFile, format: 'docket-key/2' }, 'format'],
      [{ ...keyFile, name: '' }, 'name'],
      [{ ...keyFile, keyId: 'ABC' }, 'keyId'],
      [{ ...keyFile, createdAt: 'yesterday' }, 'createdAt'],
      [{ ...keyFile, encryptedPrivateKeyPem: 'nope' }, 'encryptedPrivateKeyPem'],
      [{ ...keyFile, extra: 1 }, '(root)'],
    ];
    for (const [doc, field] of cases) {
      const err = signingErrorOf(() => parseKeyFile(JSON.stringify(doc)));
      expect(err.reason).toBe('invalid-key-file');
      expect(err.message).toContain(`field "${field}"`);
    }
    const missing: Record<string, unknown> = { ...keyFile };
    delete missing.role;
    expect(signingErrorOf(() => parseKeyFile(JSON.stringify(missing))).field).toBe('role');
    expect(signingErrorOf(() => parseKeyFile('{not json')).message).toMatch(/not valid JSON/);
    expect(signingErrorOf(() => parseKeyFile(readFileSync(__filename, 'utf8'))).reason).toBe('invalid-key-file');
  });

  it('detects a tampered key file: edited id, swapped public key, swapped private key', () => {
    const { keyFile } = createKeyFile({ name: 'A', role: 'r' }, 'pw', FAST);
    const other = createKeyFile({ name: 'B', role: 'r' }, 'pw', FAST).keyFile;
    const editedId = signingErrorOf(() => unlockKeyFile({ ...keyFile, keyId: other.keyId }, 'pw'));
    expect([editedId.reason, editedId.field]).toEqual(['key-mismatch', 'keyId']);
    // Swapping in B's public key with B's id leaves A's private key: caught when the halves are compared.
    const swappedPublic = signingErrorOf(() => unlockKeyFile({ ...keyFile, keyId: other.keyId, publicKeyPem: other.publicKeyPem }, 'pw'));
    expect([swappedPublic.reason, swappedPublic.field]).toEqual(['key-mismatch', 'encryptedPrivateKeyPem']);
    const swappedPrivate = signingErrorOf(() => unlockKeyFile({ ...keyFile, encryptedPrivateKeyPem: other.encryptedPrivateKeyPem }, 'pw'));
    expect(swappedPrivate.field).toBe('encryptedPrivateKeyPem');
    // A flipped byte inside the ciphertext reads as a wrong passphrase or a mismatch, never as success.
    const body = keyFile.encryptedPrivateKeyPem.split('\n');
    const line = body[2]!;
    body[2] = line.slice(0, 5) + (line[5] === 'A' ? 'B' : 'A') + line.slice(6);
    const flipped = signingErrorOf(() => unlockKeyFile({ ...keyFile, encryptedPrivateKeyPem: body.join('\n') }, 'pw'));
    expect(['wrong-passphrase', 'key-mismatch', 'not-a-key']).toContain(flipped.reason);
    // On disk: serialize, edit, load.
    const path = join(tempDir(), 'k.json');
    writeFileSync(path, serializeKeyFile({ ...keyFile, keyId: other.keyId }));
    expect(signingErrorOf(() => loadKeyFile(path, 'pw')).message).toMatch(/field "keyId".*the file was edited/);
  });

  const openssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!openssl)('writes private keys that OpenSSL reads with the same passphrase', () => {
    const dir = tempDir();
    const { keyFile } = createKeyFile({ name: 'A', role: 'r' }, 'interop pw', FAST);
    writeFileSync(join(dir, 'k.pem'), keyFile.encryptedPrivateKeyPem);
    const out = spawnSync('openssl', ['pkey', '-in', join(dir, 'k.pem'), '-passin', 'env:PW', '-pubout'], { env: { ...process.env, PW: 'interop pw' }, encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(keyFile.publicKeyPem);
  });
});
