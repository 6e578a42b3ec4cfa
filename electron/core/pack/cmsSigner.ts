// A @signpdf Signer that builds the CMS SignedData itself (RFC 5652, detached, adbe.pkcs7.detached).
// Why not @signpdf/signer-p12: it re-parses a PKCS#12 per signature and hashes and signs in pure-JS
// forge; here node:crypto hashes (fast on large packs) and signs with RSA PKCS#1 v1.5, which is
// deterministic, so the same bytes and signingTime always give the same signature. signingTime is
// required: defaulting to "now" is exactly what would break reproducible packs.
import { createHash, createPrivateKey, sign as cryptoSign, X509Certificate } from 'node:crypto';
import { Signer } from '@signpdf/signpdf';
import { algorithmIdentifier, encodeOid, encodeTime, OID, TAG, tlv } from './der';
import { issuerAndSerial } from './parseCms';
import type { SigningIdentity } from './signingIdentity';

export class IdentitySigner extends Signer {
  constructor(private readonly identity: SigningIdentity) {
    super();
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    if (!(signingTime instanceof Date) || Number.isNaN(signingTime.getTime())) {
      throw new Error('IdentitySigner needs an explicit signingTime (packs must be reproducible)');
    }
    return buildDetachedCms(pdfBuffer, this.identity, signingTime);
  }
}

/** CMS SignedData over `content` (detached), signed attributes in the order Adobe and the EU DSS expect. */
export function buildDetachedCms(content: Buffer, identity: SigningIdentity, signingTime: Date): Buffer {
  const certificate = new X509Certificate(identity.certificatePem);
  const chain = identity.chainPems.map((pem) => new X509Certificate(pem).raw);
  const { issuer, serial } = issuerAndSerial(certificate.raw);
  const digest = createHash('sha256').update(content).digest();

  const attributes = [
    attribute(OID.contentType, encodeOid(OID.data)),
    attribute(OID.signingTime, encodeTime(signingTime)),
    attribute(OID.messageDigest, tlv(TAG.octetString, digest)),
  ];
  // RFC 5652 §5.4: the signature covers the attributes DER-encoded as a SET (tag 0x31), while the
  // message carries them as [0] IMPLICIT; the content octets are identical. Kept in this order
  // (not DER-sorted) as @signpdf does; verifiers sign-check the transmitted bytes.
  const signedAttributesAsSet = tlv(TAG.set, ...attributes);
  const signature = cryptoSign('sha256', signedAttributesAsSet, createPrivateKey(identity.privateKeyPem));

  const signerInfo = tlv(
    TAG.sequence,
    tlv(TAG.integer, Buffer.from([1])),
    tlv(TAG.sequence, issuer, serial),
    algorithmIdentifier(OID.sha256),
    tlv(TAG.context0, ...attributes),
    algorithmIdentifier(OID.rsaEncryption),
    tlv(TAG.octetString, signature),
  );
  const signedData = tlv(
    TAG.sequence,
    tlv(TAG.integer, Buffer.from([1])),
    tlv(TAG.set, algorithmIdentifier(OID.sha256)),
    tlv(TAG.sequence, encodeOid(OID.data)), // detached: no eContent
    tlv(TAG.context0, certificate.raw, ...chain),
    tlv(TAG.set, signerInfo),
  );
  return tlv(TAG.sequence, encodeOid(OID.signedData), tlv(TAG.context0, signedData));
}

function attribute(oid: string, value: Buffer): Buffer {
  return tlv(TAG.sequence, encodeOid(oid), tlv(TAG.set, value));
}
