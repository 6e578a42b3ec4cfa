// The workspace's own signing certificate: self-signed, created once, reused for every pack, so an
// auditor can pin one fingerprint for a workspace (ARCHITECTURE §6).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import type { Clock } from '../store/clock';
import { identityFromPem, type SigningIdentity } from './signingIdentity';

export { loadPkcs12, Pkcs12Error } from './pkcs12';
export type { SigningIdentity } from './signingIdentity';

export const WORKSPACE_KEY_FILE = 'workspace-signing-key.pem';
export const WORKSPACE_CERTIFICATE_FILE = 'workspace-signing-cert.pem';
export const CERTIFICATE_VALIDITY_YEARS = 10;
/** id-kp-documentSigning (RFC 9336); emailProtection is listed too because NSS (pdfsig) checks PDF
 *  signers under its "email signer" usage, which requires emailProtection whenever an EKU is present. */
const DOCUMENT_SIGNING_OID = '1.3.6.1.5.5.7.3.36';

export interface WorkspaceCertificateOptions {
  /** 3072 by default: NIST-acceptable beyond 2030, which a 10-year certificate outlives. */
  keyBits?: 2048 | 3072;
  /** Shown in the subject CN; defaults to the first 8 hex of the key's SPKI sha256. */
  shortId?: string;
}

export interface WorkspaceCertificate extends SigningIdentity {
  keyPath: string;
  certificatePath: string;
  /** true when this call generated the key or certificate (first export, or renewal after expiry). */
  created: boolean;
  notBefore: Date;
  notAfter: Date;
}

/**
 * Loads the workspace certificate from `dir`, creating it when absent and renewing it once expired
 * (the expired pair is kept beside it, renamed, so old packs can still be matched to it).
 */
export function loadOrCreateWorkspaceCertificate(dir: string, clock: Clock, options: WorkspaceCertificateOptions = {}): WorkspaceCertificate {
  const keyPath = path.join(dir, WORKSPACE_KEY_FILE);
  const certificatePath = path.join(dir, WORKSPACE_CERTIFICATE_FILE);
  const now = clock();
  const hasKey = existsSync(keyPath);
  const hasCertificate = existsSync(certificatePath);

  if (hasCertificate && !hasKey) {
    // Never silently replace a certificate auditors may have pinned: ask a human.
    throw new Error(`workspace certificate ${certificatePath} exists but its private key ${keyPath} is missing; restore the key or move the certificate away to issue a new one`);
  }
  if (hasKey && hasCertificate) {
    tightenKeyPermissions(keyPath);
    const keyPem = readFileSync(keyPath, 'utf8');
    const certificatePem = readFileSync(certificatePath, 'utf8');
    const certificate = new X509Certificate(certificatePem);
    if (new Date(certificate.validTo) > now) {
      return withPaths(identityFromPem(keyPem, certificatePem), certificate, keyPath, certificatePath, false);
    }
    const suffix = `.expired-${certificate.validTo.replace(/[^0-9A-Za-z]+/g, '-')}`;
    renameAside(certificatePath, certificatePath + suffix);
    renameAside(keyPath, keyPath + suffix);
  }

  mkdirSync(dir, { recursive: true });
  // The app and the CLI may both get here at once: each file is published exclusively (link fails if
  // the target exists), and whoever loses adopts the winner's file, so key and certificate always pair.
  // A key left without a certificate (a crash between the two writes) is reused rather than orphaned.
  let keyPem = existsSync(keyPath) ? readFileSync(keyPath, 'utf8') : generateRsaKeyPem(options.keyBits ?? 3072);
  if (!publishExclusively(keyPath, keyPem, 0o600)) keyPem = readFileSync(keyPath, 'utf8');
  let certificatePem = issueSelfSignedCertificate(keyPem, now, options.shortId);
  if (!publishExclusively(certificatePath, certificatePem, 0o644)) certificatePem = readFileSync(certificatePath, 'utf8');
  return withPaths(identityFromPem(keyPem, certificatePem), new X509Certificate(certificatePem), keyPath, certificatePath, true);
}

/** node:crypto generates RSA keys in native code, seconds faster than forge's pure-JS prime search. */
export function generateRsaKeyPem(bits: 2048 | 3072): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Issues the self-signed certificate for `keyPem`, valid from `now` for CERTIFICATE_VALIDITY_YEARS. */
export function issueSelfSignedCertificate(keyPem: string, now: Date, shortId?: string): string {
  const nodeKey = createPrivateKey(keyPem);
  const spki = createPublicKey(nodeKey).export({ type: 'spki', format: 'der' });
  // forge reads PKCS#1 RSA keys; the PEM on disk stays PKCS#8.
  const forgeKey = forge.pki.privateKeyFromPem(nodeKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const forgePublic = forge.pki.publicKeyFromPem(createPublicKey(nodeKey).export({ type: 'spki', format: 'pem' }).toString());
  const id = shortId ?? createHash('sha256').update(spki).digest('hex').slice(0, 8);

  const cert = forge.pki.createCertificate();
  cert.publicKey = forgePublic;
  // 16 random bytes with the top bit cleared: a positive serial, unique without coordination (RFC 5280).
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CERTIFICATE_VALIDITY_YEARS);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  // Most significant RDN first (O, then CN), the X.500 order tools print as "CN=…, O=Docket".
  const name = [
    { name: 'organizationName', value: 'Docket' },
    { name: 'commonName', value: `Docket workspace ${id}` },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'extKeyUsage', emailProtection: true, [DOCUMENT_SIGNING_OID]: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

function withPaths(identity: SigningIdentity, certificate: X509Certificate, keyPath: string, certificatePath: string, created: boolean): WorkspaceCertificate {
  return { ...identity, keyPath, certificatePath, created, notBefore: new Date(certificate.validFrom), notAfter: new Date(certificate.validTo) };
}

/**
 * Writes `text` to a temporary file and links it into place: readers never see a half-written PEM,
 * and an existing target is never replaced. Returns false when the target already existed.
 */
function publishExclusively(target: string, text: string, mode: number): boolean {
  if (existsSync(target)) return false;
  const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, text, { mode, flag: 'wx' });
  try {
    chmodSync(temporary, mode); // the umask may have narrowed it
    linkSync(temporary, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/** Another process renewing at the same moment may have moved the file already: that is fine. */
function renameAside(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** A key readable by group or others (copied around, restored from a backup) is narrowed back. */
function tightenKeyPermissions(keyPath: string): void {
  if (process.platform === 'win32') return; // POSIX modes mean nothing there; the profile ACL applies
  if ((statSync(keyPath).mode & 0o077) !== 0) chmodSync(keyPath, 0o600);
}
