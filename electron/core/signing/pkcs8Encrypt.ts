import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * Writes a PKCS#8 EncryptedPrivateKeyInfo (RFC 5958) with PBES2 = PBKDF2-HMAC-SHA256 + AES-256-CBC
 * (RFC 8018), like `KeyObject.export({ cipher: 'aes-256-cbc', passphrase })` does, but with a
 * work factor we choose.
 *
 * Why not just KeyObject.export: Node (OpenSSL 3) hard-codes 2,048 PBKDF2 iterations, about 300 times
 * fewer than OWASP's 2023 advice of 600,000 for PBKDF2-HMAC-SHA256, so a stolen key file could be
 * brute-forced cheaply. Why not scrypt in our own container: the result would no longer be a standard
 * PKCS#8 file. This output is standard: `openssl pkey -in key.pem` and Node's createPrivateKey read it
 * (decryption is left to them, so there is no hand-written decryption path to get wrong).
 */

export const DEFAULT_PBKDF2_ITERATIONS = 600_000;
/** Beyond this a file is refused before decrypting: a tampered count must not freeze the app for hours. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

// DER encodings of the algorithm identifiers (RFC 8018 appendix C; NIST CSOR for AES).
const OID_PBES2 = Buffer.from('06092a864886f70d01050d', 'hex'); // 1.2.840.113549.1.5.13
const OID_PBKDF2 = Buffer.from('06092a864886f70d01050c', 'hex'); // 1.2.840.113549.1.5.12
const OID_HMAC_SHA256 = Buffer.from('06082a864886f70d0209', 'hex'); // 1.2.840.113549.2.9
const OID_AES256_CBC = Buffer.from('060960864801650304012a', 'hex'); // 2.16.840.1.101.3.4.1.42
const DER_NULL = Buffer.from('0500', 'hex');

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const sequence = (...items: Buffer[]) => der(0x30, ...items);
const octetString = (bytes: Buffer) => der(0x04, bytes);

function derInteger(value: number): Buffer {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0); // keep it positive
  return der(0x02, Buffer.from(bytes));
}

function toPem(label: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Encrypts an unencrypted PKCS#8 DER private key under a passphrase; returns ENCRYPTED PRIVATE KEY PEM. */
export function encryptPkcs8Der(pkcs8Der: Buffer, passphrase: string, iterations = DEFAULT_PBKDF2_ITERATIONS): string {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError('iterations must be a positive integer');
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(pkcs8Der), cipher.final()]);
  key.fill(0);
  return toPem('ENCRYPTED PRIVATE KEY', encryptedPrivateKeyInfo({ salt, iterations, iv, encrypted }));
}

/** The DER around already-encrypted bytes; separate so tests can build hostile parameters cheaply. */
export function encryptedPrivateKeyInfo(parts: { salt: Buffer; iterations: number; iv: Buffer; encrypted: Buffer }): Buffer {
  const kdf = sequence(OID_PBKDF2, sequence(octetString(parts.salt), derInteger(parts.iterations), sequence(OID_HMAC_SHA256, DER_NULL)));
  const scheme = sequence(OID_AES256_CBC, octetString(parts.iv));
  return sequence(sequence(OID_PBES2, sequence(kdf, scheme)), octetString(parts.encrypted));
}

export { toPem };

/** One DER TLV at `offset`: where its contents start and end. */
function readTlv(bytes: Buffer, offset: number): { tag: number; start: number; end: number } | null {
  if (offset + 2 > bytes.length) return null;
  const tag = bytes[offset]!;
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count < 1 || count > 4 || start + count > bytes.length) return null;
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  const end = start + length;
  return end <= bytes.length ? { tag, start, end } : null;
}

/**
 * The PBKDF2 iteration count of a PBES2-encrypted PKCS#8 DER, or null when the file is not laid out
 * that way (then OpenSSL decides). Read only to refuse absurd counts before handing the file over.
 */
export function readPbkdf2Iterations(encryptedDer: Buffer): number | null {
  const info = readTlv(encryptedDer, 0);
  const algorithm = info && readTlv(encryptedDer, info.start);
  const pbes2Oid = algorithm && readTlv(encryptedDer, algorithm.start);
  if (!pbes2Oid || !encryptedDer.subarray(pbes2Oid.start - 2, pbes2Oid.end).equals(OID_PBES2)) return null;
  const params = readTlv(encryptedDer, pbes2Oid.end);
  const kdf = params && readTlv(encryptedDer, params.start);
  const kdfOid = kdf && readTlv(encryptedDer, kdf.start);
  if (!kdfOid || !encryptedDer.subarray(kdfOid.start - 2, kdfOid.end).equals(OID_PBKDF2)) return null;
  const kdfParams = kdfOid && readTlv(encryptedDer, kdfOid.end);
  const salt = kdfParams && readTlv(encryptedDer, kdfParams.start);
  const count = salt && readTlv(encryptedDer, salt.end);
  if (!count || count.tag !== 0x02) return null;
  if (count.end - count.start > 6) return Number.MAX_SAFE_INTEGER; // beyond any sane count
  let iterations = 0;
  for (let i = count.start; i < count.end; i += 1) iterations = iterations * 256 + encryptedDer[i]!;
  return iterations;
}
