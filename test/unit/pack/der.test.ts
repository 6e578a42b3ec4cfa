import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { content, decodeOid, decodeTime, DerError, encodeOid, encodeTime, OID, readTlv } from '../../../electron/core/pack/der';

describe('DER helpers', () => {
  it('round-trips OIDs, including multi-byte arcs and arc 2 beyond 39, and agrees with forge', () => {
    for (const oid of [...Object.values(OID), '2.999.3', '1.3.6.1.5.5.7.3.36', '1.2.840.113549.1.1.11']) {
      const der = encodeOid(oid);
      expect(decodeOid(content(der, readTlv(der, 0)))).toBe(oid);
      expect(der.subarray(2).toString('binary')).toBe(forge.asn1.oidToDer(oid).getBytes());
    }
  });

  it('encodes signingTime as UTCTime until 2049 and GeneralizedTime from 2050, whole seconds', () => {
    const cases: [string, number, string][] = [
      ['2026-03-14T09:26:53.999Z', 0x17, '260314092653Z'],
      ['2049-12-31T23:59:59Z', 0x17, '491231235959Z'],
      ['2050-01-01T00:00:00Z', 0x18, '20500101000000Z'],
    ];
    for (const [iso, tag, text] of cases) {
      const der = encodeTime(new Date(iso));
      const node = readTlv(der, 0);
      expect(node.tag).toBe(tag);
      expect(content(der, node).toString('latin1')).toBe(text);
      expect(decodeTime(der, node).toISOString()).toBe(new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString());
    }
  });

  it('refuses truncated, indefinite-length and overlong elements instead of reading past the buffer', () => {
    expect(() => readTlv(Buffer.from([0x30, 0x05, 0x02, 0x01]), 0)).toThrow(DerError);
    expect(() => readTlv(Buffer.from([0x30, 0x80, 0x00, 0x00]), 0)).toThrow(/indefinite/);
    expect(() => readTlv(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1]), 0)).toThrow(/too large/);
    expect(() => readTlv(Buffer.from([0x30]), 0)).toThrow(/truncated/);
    // sanity: a real hash-sized OCTET STRING reads back
    const digest = createHash('sha256').update('x').digest();
    const der = Buffer.concat([Buffer.from([0x04, 0x20]), digest]);
    expect(content(der, readTlv(der, 0)).equals(digest)).toBe(true);
  });
});
