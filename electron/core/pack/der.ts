// Minimal DER reader and writer for the CMS SignedData our PDF signatures carry.
// Why not node-forge's asn1: its parser does not keep byte offsets, and a CMS signature is verified
// over the exact bytes that were signed (the signed attributes, re-tagged), not over a re-encoding.
// Input is untrusted (packs from outside), so every read is bounds-checked and depth-limited.

export class DerError extends Error {}

export interface Tlv {
  tag: number; // the identifier octet (single-byte tags only; CMS and X.509 need no more)
  start: number; // offset of the identifier octet
  contentStart: number;
  end: number; // offset just past the content
}

export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
  context0: 0xa0, // [0] constructed
  context1: 0xa1,
} as const;

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

/** Reads one TLV at `offset`, refusing indefinite lengths (BER) and lengths past `limit`. */
export function readTlv(buf: Buffer, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError(`truncated DER at byte ${offset}`);
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`multi-byte DER tag at byte ${offset}`);
  let lengthByte = buf[offset + 1]!;
  let contentStart = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0) throw new DerError(`indefinite length (BER) at byte ${offset}`);
    if (count > 4) throw new DerError(`DER length too large at byte ${offset}`);
    if (contentStart + count > limit) throw new DerError(`truncated DER length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = buf[contentStart + i]!;
      length = length * 256 + lengthByte;
    }
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError(`DER element at byte ${offset} runs past its container`);
  return { tag, start: offset, contentStart, end };
}

/** The direct children of a constructed element. */
export function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readTlv(buf, offset, parent.end);
    out.push(child);
    offset = child.end;
    if (out.length > 10_000) throw new DerError('too many DER elements');
  }
  return out;
}

export function expectTag(node: Tlv | undefined, tag: number, what: string): Tlv {
  if (!node) throw new DerError(`${what} is missing`);
  if (node.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, found 0x${node.tag.toString(16)}`);
  return node;
}

export const content = (buf: Buffer, node: Tlv): Buffer => buf.subarray(node.contentStart, node.end);
export const whole = (buf: Buffer, node: Tlv): Buffer => buf.subarray(node.start, node.end);

export function decodeOid(bytes: Buffer): string {
  if (bytes.length === 0 || bytes[bytes.length - 1]! & 0x80) throw new DerError('malformed OID');
  const subidentifiers: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      subidentifiers.push(value);
      value = 0;
    }
  }
  // The first subidentifier packs two arcs (X.690 §8.19.4); arc 2 may exceed 39 (e.g. 2.999).
  const first = subidentifiers.shift()!;
  const top = first < 80 ? Math.floor(first / 40) : 2;
  return [top, first - top * 40, ...subidentifiers].join('.');
}

/** UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ); only the Z forms DER allows. */
export function decodeTime(buf: Buffer, node: Tlv): Date {
  const text = content(buf, node).toString('latin1');
  const m = node.tag === TAG.utcTime ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new DerError(`unsupported time encoding '${text}'`);
  let year = Number(m[1]);
  if (node.tag === TAG.utcTime) year += year < 50 ? 2000 : 1900; // RFC 5280 §4.1.2.5.1
  const date = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  // Date.UTC rolls month 13 or second 61 over silently; a time that does not round-trip is malformed.
  if (date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3]) || date.getUTCHours() !== Number(m[4]) || date.getUTCMinutes() !== Number(m[5]) || date.getUTCSeconds() !== Number(m[6])) throw new DerError(`invalid time '${text}'`);
  return date;
}

// ---- writer ----

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export function encodeOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(TAG.oid, Buffer.from(bytes));
}

/** RFC 5652 signingTime: UTCTime for 1950–2049, GeneralizedTime otherwise; whole seconds, UTC. */
export function encodeTime(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(TAG.utcTime, Buffer.from(digits.slice(2) + 'Z', 'latin1'));
  return tlv(TAG.generalizedTime, Buffer.from(digits + 'Z', 'latin1'));
}

export const algorithmIdentifier = (oid: string): Buffer => tlv(TAG.sequence, encodeOid(oid), tlv(TAG.null));
