// Offline verification of a pack's embedded PDF signature, in plain Node (no poppler, no network),
// so `docket verify` gives the same answer on an auditor's laptop. Every step is a named check with
// a precise failure; trust is a separate input, because a valid signature by an unknown key proves
// only that someone signed, not that the workspace did.
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { OID } from './der';
import { issuerAndSerial, parseDetachedCms, type ParsedCms } from './parseCms';
import { certificateFingerprintSha256, normaliseFingerprint } from './signingIdentity';

export interface VerifyPdfSignatureOptions {
  /** The workspace certificate's sha256 fingerprint: a match is reported as "the workspace certificate". */
  expectedFingerprint?: string;
  /** Other fingerprints to accept (organisation certificates). */
  trustedFingerprints?: Iterable<string>;
}

export interface SignatureCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface SignerCertificateSummary {
  subject: string;
  issuer: string;
  fingerprintSha256: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
}

export interface PdfSignatureVerification {
  ok: boolean;
  /** The first failed check's reason, e.g. 'document changed after signing'; null when ok. */
  failure: string | null;
  checks: SignatureCheck[];
  signer: SignerCertificateSummary | null;
  signingTime: string | null;
  /** null when no trust input was given (the signature may be valid yet unattributed). */
  trusted: boolean | null;
  summary: string;
}

export const FAILURE = {
  noSignature: 'no signature found',
  unfilled: 'signature placeholder was never filled',
  byteRange: 'byte range does not cover the file',
  container: 'signature is not a readable CMS SignedData',
  noCertificate: 'signer certificate not found in the signature',
  changed: 'document changed after signing',
  mismatch: 'signature does not match certificate',
  expired: 'certificate not valid at signing time',
  untrusted: 'certificate is not trusted',
} as const;

const MAX_CONTENTS_HEX = 2 * 1024 * 1024; // a CMS blob with a long chain is ~20 KB; refuse absurd ones
const DIGESTS: Record<string, string> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };
// rsaEncryption, sha{256,384,512}WithRSAEncryption, ecdsa-with-SHA{256,384,512}: node:crypto verifies
// all of these given the digest name. RSA-PSS needs parameters and is refused rather than guessed.
const SIGNATURE_ALGORITHMS = new Set([OID.rsaEncryption, '1.2.840.113549.1.1.11', '1.2.840.113549.1.1.12', '1.2.840.113549.1.1.13', '1.2.840.10045.4.3.2', '1.2.840.10045.4.3.3', '1.2.840.10045.4.3.4']);

class Report {
  checks: SignatureCheck[] = [];
  failure: string | null = null;
  add(name: string, ok: boolean, detail: string, failure?: string): boolean {
    this.checks.push({ name, ok, detail: ok || !failure ? detail : `${failure}: ${detail}` });
    if (!ok && this.failure === null) this.failure = failure ?? name;
    return ok;
  }
}

export function verifyPdfSignature(pdf: Buffer, options: VerifyPdfSignatureOptions = {}): PdfSignatureVerification {
  const report = new Report();
  try {
    return verifyInto(report, pdf, options);
  } catch (error) {
    // Input is untrusted: a case the checks did not foresee must still come back as a failed report.
    report.add('verification', false, (error as Error).message, FAILURE.container);
    return { ok: false, failure: report.failure, checks: report.checks, signer: null, signingTime: null, trusted: null, summary: `signature check failed: ${report.failure}` };
  }
}

function verifyInto(report: Report, pdf: Buffer, options: VerifyPdfSignatureOptions): PdfSignatureVerification {
  const result = (signer: SignerCertificateSummary | null = null, signingTime: Date | null = null, trusted: boolean | null = null, trustDetail = 'trust not evaluated'): PdfSignatureVerification => {
    const ok = report.failure === null;
    const who = signer ? `${signer.subject} (${signer.fingerprintSha256})` : 'unknown signer';
    const at = signingTime ? ` at ${signingTime.toISOString()}` : '';
    const summary = ok ? `valid signature by ${who}${at}; ${trustDetail}` : `signature check failed: ${report.failure}`;
    return { ok, failure: report.failure, checks: report.checks, signer, signingTime: signingTime?.toISOString() ?? null, trusted, summary };
  };

  // 1. The signature dictionary: the last /ByteRange is the latest signature (a later one would be an
  //    incremental update that must itself cover the whole file).
  const text = pdf.toString('latin1');
  if (/\/ByteRange\s*\[\s*0\s+\/\*+/.test(text) && !/\/ByteRange\s*\[\s*\d+\s+\d+\s+\d+\s+\d+\s*\]/.test(text)) {
    report.add('signature present', false, 'the file has a signature placeholder but no signature', FAILURE.unfilled);
    return result();
  }
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = ranges.at(-1);
  if (!last) {
    report.add('signature present', false, 'the file has no /ByteRange signature dictionary', FAILURE.noSignature);
    return result();
  }
  report.add('signature present', true, `signature dictionary at byte ${last.index} (${ranges.length} signature(s) in the file)`);

  // 2. The byte range must be [0, start of /Contents hex) + (end of it, end of file).
  const [a, b, c, d] = last.slice(1, 5).map(Number) as [number, number, number, number];
  if (c - b - 2 > MAX_CONTENTS_HEX) {
    report.add('byte range', false, `/Contents would be ${c - b - 2} hex digits, more than any signature needs`, FAILURE.byteRange);
    return result();
  }
  const gapIsContents = b > 0 && c > b + 1 && c <= pdf.length && pdf[b] === 0x3c && pdf[c - 1] === 0x3e && /^[0-9A-Fa-f]*$/.test(text.slice(b + 1, c - 1)) && /\/Contents\s*$/.test(text.slice(Math.max(0, b - 64), b));
  if (a !== 0 || !gapIsContents) {
    report.add('byte range', false, `/ByteRange [${a} ${b} ${c} ${d}] does not leave out exactly the /Contents hex string`, FAILURE.byteRange);
    return result();
  }
  const end = c + d;
  report.add(
    'byte range',
    end === pdf.length,
    end === pdf.length
      ? `[0 ${b} ${c} ${d}] covers all ${pdf.length} bytes except the ${c - b}-byte /Contents`
      : end < pdf.length
        ? `the signed range ends at byte ${end} but the file has ${pdf.length} bytes: ${pdf.length - end} bytes were added after signing`
        : `the signed range ends at byte ${end}, past the end of the ${pdf.length}-byte file`,
    FAILURE.byteRange,
  );
  if (end > pdf.length) return result();
  const signedParts = [pdf.subarray(0, b), pdf.subarray(c, end)];

  // 3. The CMS SignedData inside /Contents (DER, zero-padded to the placeholder's size).
  let parsed: ParsedCms;
  try {
    parsed = parseDetachedCms(Buffer.from(text.slice(b + 1, c - 1), 'hex'));
  } catch (error) {
    report.add('signature container', false, (error as Error).message, FAILURE.container);
    return result();
  }
  const digestName = DIGESTS[parsed.digestOid];
  if (!digestName || !SIGNATURE_ALGORITHMS.has(parsed.signatureOid)) {
    report.add('signature container', false, `unsupported algorithms: digest ${parsed.digestOid}, signature ${parsed.signatureOid}`, FAILURE.container);
    return result();
  }
  report.add('signature container', true, `CMS SignedData, ${digestName}, ${parsed.certificates.length} certificate(s)`);

  // 4. The signer's certificate, matched by issuer and serial number.
  let certificate: Buffer | undefined;
  let x509: X509Certificate;
  let signer: SignerCertificateSummary;
  try {
    certificate = parsed.certificates.find((der) => {
      const id = issuerAndSerial(der);
      return id.issuer.equals(parsed.sidIssuer) && id.serial.equals(parsed.sidSerial);
    });
    if (!certificate) {
      report.add('signer certificate', false, "no embedded certificate has the signer's issuer and serial number", FAILURE.noCertificate);
      return result();
    }
    x509 = new X509Certificate(certificate);
    signer = {
      subject: x509.subject.replace(/\n/g, ', '),
      issuer: x509.issuer.replace(/\n/g, ', '),
      fingerprintSha256: certificateFingerprintSha256(certificate),
      serialNumber: x509.serialNumber.toLowerCase(),
      notBefore: new Date(x509.validFrom).toISOString(), // throws on a mangled validity, caught below
      notAfter: new Date(x509.validTo).toISOString(),
    };
  } catch (error) {
    report.add('signer certificate', false, `an embedded certificate cannot be read: ${(error as Error).message}`, FAILURE.noCertificate);
    return result();
  }
  report.add('signer certificate', true, `${signer.subject}, sha256 ${signer.fingerprintSha256}`);

  // 5. The document digest: what the signer hashed must be what we hold.
  const hash = createHash(digestName);
  for (const part of signedParts) hash.update(part);
  const actual = hash.digest();
  const digestOk = parsed.messageDigest !== null && actual.equals(parsed.messageDigest);
  report.add('document digest', digestOk, digestOk ? `${digestName} of the signed bytes matches the signed messageDigest` : `${digestName} of the signed bytes is ${actual.toString('hex')}, the signature says ${parsed.messageDigest?.toString('hex') ?? '(no messageDigest attribute)'}`, FAILURE.changed);

  // 6. The signature over the signed attributes (re-tagged as SET, RFC 5652 §5.4).
  let signatureOk = false;
  try {
    signatureOk = cryptoVerify(digestName, parsed.signedAttributesAsSet, x509.publicKey, parsed.signature);
  } catch {
    signatureOk = false;
  }
  report.add('signature value', signatureOk, signatureOk ? 'the signed attributes verify with the certificate\'s public key' : 'the signature value does not verify with the embedded certificate\'s public key', FAILURE.mismatch);

  // 7. The certificate was valid when the signature says it was made.
  const signingTime = parsed.signingTime;
  if (signingTime) {
    const valid = signingTime >= new Date(signer.notBefore) && signingTime <= new Date(signer.notAfter);
    report.add('certificate validity', valid, `signed at ${signingTime.toISOString()}, certificate valid ${signer.notBefore} to ${signer.notAfter}`, FAILURE.expired);
  } else {
    report.add('certificate validity', true, 'no signingTime attribute: validity period not checked');
  }

  // 8. Trust, only when the caller said whom to trust.
  const expected = options.expectedFingerprint ? normaliseFingerprint(options.expectedFingerprint) : null;
  const trustedSet = new Set([...(options.trustedFingerprints ?? [])].map(normaliseFingerprint));
  if (!expected && trustedSet.size === 0) return result(signer, signingTime);
  const fp = signer.fingerprintSha256;
  const trusted = fp === expected || trustedSet.has(fp);
  const trustDetail =
    fp === expected ? `signed by the workspace certificate ${fp}` : trusted ? `signed by the trusted certificate ${fp}` : `signed by ${signer.subject} (${fp})${expected ? `, not the workspace certificate ${expected}` : ''}, which is not in the trusted set`;
  report.add('certificate trusted', trusted, trustDetail, FAILURE.untrusted);
  return result(signer, signingTime, trusted, trustDetail);
}
