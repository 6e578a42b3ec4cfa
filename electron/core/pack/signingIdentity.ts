// The key + certificate a pack is signed with, whatever its origin (workspace self-signed or an
// organisation PKCS#12). Kept as PEM strings so it can cross a worker_threads boundary unchanged.
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';

export interface SigningIdentity {
  /** PKCS#8 PEM, unencrypted: hold it in memory only; the file on disk is 0600. */
  privateKeyPem: string;
  /** The signer's own certificate (PEM). */
  certificatePem: string;
  /** Further certificates embedded in the signature (an organisation's CA chain); may be empty. */
  chainPems: string[];
  /** sha256 of the certificate's DER, lowercase hex without separators. */
  fingerprintSha256: string;
  subject: string;
}

/** Lowercase hex, no colons: accepts openssl's `AB:CD:…` form too, so users can paste either. */
export function normaliseFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
}

export function certificateFingerprintSha256(certificateDer: Buffer): string {
  return createHash('sha256').update(certificateDer).digest('hex');
}

/**
 * Builds an identity from PEMs and checks that the key really belongs to the certificate:
 * a mismatch would otherwise only surface as a signature every verifier rejects.
 */
export function identityFromPem(privateKeyPem: string, certificatePem: string, chainPems: string[] = []): SigningIdentity {
  const certificate = new X509Certificate(certificatePem);
  const privateKey = createPrivateKey(privateKeyPem);
  const derivedPublic = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const certificatePublic = certificate.publicKey.export({ type: 'spki', format: 'der' });
  if (!derivedPublic.equals(certificatePublic)) {
    throw new Error(`the private key does not belong to the certificate '${certificate.subject.replace(/\n/g, ', ')}'`);
  }
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: certificate.toString(),
    chainPems,
    fingerprintSha256: certificateFingerprintSha256(certificate.raw),
    subject: certificate.subject.replace(/\n/g, ', '),
  };
}
