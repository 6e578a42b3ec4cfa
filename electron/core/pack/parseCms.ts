// Reads the CMS SignedData of a PDF signature (RFC 5652) from untrusted bytes, keeping the exact
// bytes a verifier needs: the signed attributes as transmitted, the certificates, the signature.
import { children, content, decodeOid, decodeTime, DerError, expectTag, OID, readTlv, TAG, whole, type Tlv } from './der';

export interface ParsedCms {
  digestOid: string;
  signatureOid: string;
  certificates: Buffer[];
  sidIssuer: Buffer;
  sidSerial: Buffer;
  signedAttributesAsSet: Buffer;
  messageDigest: Buffer | null;
  signingTime: Date | null;
  signature: Buffer;
}

/**
 * Strict about layout (RFC 5652 §5): the unsigned parts of a CMS blob are malleable, so anything
 * that is not exactly what a detached PDF signature should hold is refused rather than skipped.
 */
export function parseDetachedCms(padded: Buffer): ParsedCms {
  const outer = expectTag(readTlv(padded, 0), TAG.sequence, 'ContentInfo');
  // @signpdf pads the hex with zeros up to the placeholder size; anything else after the DER is foreign.
  if (padded.subarray(outer.end).some((byte) => byte !== 0)) throw new DerError('non-zero bytes after the CMS structure');
  const cms = padded.subarray(0, outer.end);
  const info = children(cms, outer);
  if (info.length !== 2 || oidOf(cms, info[0], 'contentType') !== OID.signedData) throw new DerError('ContentInfo is not signedData');
  const wrapper = children(cms, expectTag(info[1], TAG.context0, 'SignedData wrapper'));
  if (wrapper.length !== 1) throw new DerError('SignedData wrapper holds more than SignedData');
  const fields = children(cms, expectTag(wrapper[0], TAG.sequence, 'SignedData'));
  const version = smallInteger(cms, fields[0], 'SignedData version');
  if (version !== 1 && version !== 3) throw new DerError(`unexpected SignedData version ${version}`);
  const digestAlgorithms = children(cms, expectTag(fields[1], TAG.set, 'digestAlgorithms')).map((n) => algorithmOid(cms, n, 'digestAlgorithm'));
  const encapsulated = children(cms, expectTag(fields[2], TAG.sequence, 'encapContentInfo'));
  if (encapsulated.length !== 1) throw new DerError('the signature embeds its content (not a detached signature)');
  if (oidOf(cms, encapsulated[0], 'eContentType') !== OID.data) throw new DerError('encapsulated content type is not id-data');
  const middle = fields.slice(3, -1);
  if (middle.some((f) => f.tag !== TAG.context0 && f.tag !== TAG.context1)) throw new DerError('unexpected element in SignedData');
  const certificates = middle.filter((f) => f.tag === TAG.context0).flatMap((f) => children(cms, f).filter((c) => c.tag === TAG.sequence).map((c) => Buffer.from(whole(cms, c))));

  const signerInfos = children(cms, expectTag(fields.at(-1), TAG.set, 'signerInfos'));
  if (signerInfos.length !== 1) throw new DerError(`expected one SignerInfo, found ${signerInfos.length}`);
  const si = children(cms, expectTag(signerInfos[0], TAG.sequence, 'SignerInfo'));
  if (si.length !== 6 && !(si.length === 7 && si[6]!.tag === TAG.context1)) throw new DerError('SignerInfo has an unexpected layout');
  if (smallInteger(cms, si[0], 'SignerInfo version') !== 1) throw new DerError('signer identified by subjectKeyIdentifier, which is not supported');
  const sid = children(cms, expectTag(si[1], TAG.sequence, 'signer identifier'));
  if (sid.length !== 2) throw new DerError('signer identifier is not issuerAndSerialNumber');
  const digestOid = algorithmOid(cms, si[2], 'digestAlgorithm');
  if (!digestAlgorithms.includes(digestOid)) throw new DerError('the signer digest algorithm is not listed in digestAlgorithms');

  const attributes = expectTag(si[3], TAG.context0, 'signed attributes');
  const values = new Map<string, Tlv>();
  for (const attr of children(cms, attributes)) {
    const parts = children(cms, expectTag(attr, TAG.sequence, 'attribute'));
    const type = oidOf(cms, parts[0], 'attribute type');
    const set = children(cms, expectTag(parts[1], TAG.set, 'attribute values'));
    if (parts.length !== 2 || set.length !== 1) throw new DerError(`attribute ${type} must hold exactly one value`);
    if (values.has(type)) throw new DerError(`attribute ${type} appears twice`);
    values.set(type, set[0]!);
  }
  // RFC 5652 §11.1: with signed attributes, contentType is mandatory and must match eContentType.
  if (oidOf(cms, values.get(OID.contentType), 'contentType attribute') !== OID.data) throw new DerError('contentType attribute is not id-data');
  const digestNode = values.get(OID.messageDigest);
  const timeNode = values.get(OID.signingTime);
  // The signature covers the attributes' own bytes with the [0] tag replaced by SET: copy, re-tag.
  const signedAttributesAsSet = Buffer.from(whole(cms, attributes));
  signedAttributesAsSet[0] = TAG.set;
  return {
    digestOid,
    signatureOid: algorithmOid(cms, si[4], 'signatureAlgorithm'),
    certificates,
    sidIssuer: whole(cms, expectTag(sid[0], TAG.sequence, 'signer issuer')),
    sidSerial: whole(cms, expectTag(sid[1], TAG.integer, 'signer serial')),
    signedAttributesAsSet,
    messageDigest: digestNode?.tag === TAG.octetString ? Buffer.from(content(cms, digestNode)) : null,
    signingTime: timeNode && (timeNode.tag === TAG.utcTime || timeNode.tag === TAG.generalizedTime) ? decodeTime(cms, timeNode) : null,
    signature: Buffer.from(content(cms, expectTag(si[5], TAG.octetString, 'signature value'))),
  };
}

function oidOf(buf: Buffer, node: Tlv | undefined, what: string): string {
  return decodeOid(content(buf, expectTag(node, TAG.oid, what)));
}

function smallInteger(buf: Buffer, node: Tlv | undefined, what: string): number {
  const bytes = content(buf, expectTag(node, TAG.integer, what));
  if (bytes.length !== 1) throw new DerError(`${what} is not a small integer`);
  return bytes[0]!;
}

/** AlgorithmIdentifier: an OID with absent or NULL parameters (all that RSA and SHA-2 use). */
function algorithmOid(buf: Buffer, node: Tlv | undefined, what: string): string {
  const parts = children(buf, expectTag(node, TAG.sequence, what));
  const params = parts[1];
  if (parts.length > 2 || (params && (params.tag !== TAG.null || params.end !== params.contentStart))) throw new DerError(`${what} has unexpected parameters`);
  return oidOf(buf, parts[0], what);
}

/** The issuer Name and serial INTEGER of a certificate, as their original DER bytes. */
export function issuerAndSerial(certificateDer: Buffer): { issuer: Buffer; serial: Buffer } {
  const cert = expectTag(readTlv(certificateDer, 0), TAG.sequence, 'certificate');
  const tbs = expectTag(children(certificateDer, cert)[0], TAG.sequence, 'tbsCertificate');
  const fields = children(certificateDer, tbs);
  const offset = fields[0]?.tag === TAG.context0 ? 1 : 0; // [0] version is optional (v1 certificates)
  const serial = expectTag(fields[offset], TAG.integer, 'certificate serial');
  const issuer = expectTag(fields[offset + 2], TAG.sequence, 'certificate issuer');
  return { issuer: whole(certificateDer, issuer), serial: whole(certificateDer, serial) };
}
