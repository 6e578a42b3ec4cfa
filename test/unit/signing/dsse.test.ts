import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { canonicalJsonBytes, decodeBase64Strict, envelopeDigest, pae, signDsse, signDsseBytes, verifyDsse } from '../../../electron/core/signing/dsse';
import { exportPublicKeyPem, generateReviewerKeyPair } from '../../../electron/core/signing/keys';
import { MAX_PAYLOAD_BASE64_CHARS, type DsseEnvelope } from '../../../shared/signing/envelope';

const TYPE = 'application/vnd.docket.decision+json';
const alice = generateReviewerKeyPair();
const mallory = generateReviewerKeyPair();
const resolveAlice = (keyId: string) => (keyId === alice.keyId ? alice.publicKey : null);
const decision = { kind: 'approve', model: 'fraud-detector', version: '7', evidenceSha256: 'ab'.repeat(32), at: '2026-11-26T09:00:00.000Z', note: 'Zoë ✓' };

const withPayload = (env: DsseEnvelope, bytes: Buffer): DsseEnvelope => ({ ...env, payload: bytes.toString('base64') });
const withSig = (env: DsseEnvelope, sig: string): DsseEnvelope => ({ ...env, signatures: [{ keyid: env.signatures[0]!.keyid, sig }] });

describe('PAE', () => {
  it('matches the DSSE specification worked example', () => {
    // protocol.md: PAE("http://example.com/HelloWorld", "hello world")
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters, and handles an empty body', () => {
    expect(pae('t/é', Buffer.from('€')).toString()).toBe('DSSEv1 4 t/é 3 €');
    expect(pae('x', Buffer.alloc(0)).toString()).toBe('DSSEv1 1 x 0 ');
  });
});

describe('DSSE sign and verify', () => {
  const envelope = signDsse(decision, TYPE, alice.privateKey, alice.keyId);

  it('signs canonical JSON and verifies it back', () => {
    expect(Buffer.from(envelope.payload, 'base64').toString()).toBe(canonicalize(decision));
    expect(envelope.signatures).toEqual([{ keyid: alice.keyId, sig: expect.any(String) }]);
    expect(verifyDsse(envelope, resolveAlice)).toEqual({ ok: true, keyId: alice.keyId, payloadType: TYPE, payload: decision });
    // The resolver may answer with a PEM too (the keyring stores PEM).
    expect(verifyDsse(envelope, () => exportPublicKeyPem(alice.publicKey)).ok).toBe(true);
    // An envelope read back from JSON verifies the same.
    expect(verifyDsse(JSON.parse(JSON.stringify(envelope)), resolveAlice).ok).toBe(true);
  });

  it('fails when any single byte of the payload is flipped', () => {
    const bytes = Buffer.from(envelope.payload, 'base64');
    for (let i = 0; i < bytes.length; i += 1) {
      const tampered = Buffer.from(bytes);
      tampered[i]! ^= 0x01;
      const result = verifyDsse(withPayload(envelope, tampered), resolveAlice);
      expect(result, `payload byte ${i}`).toMatchObject({ ok: false, reason: 'signature-mismatch' });
    }
  });

  it('fails when any single byte of the signature is flipped', () => {
    const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64');
    expect(sig).toHaveLength(64);
    for (let i = 0; i < sig.length; i += 1) {
      const tampered = Buffer.from(sig);
      tampered[i]! ^= 0x80;
      expect(verifyDsse(withSig(envelope, tampered.toString('base64')), resolveAlice), `sig byte ${i}`).toMatchObject({ ok: false, reason: 'signature-mismatch' });
    }
  });

  it('fails when any base64 character of payload or signature is changed', () => {
    for (const field of ['payload', 'sig'] as const) {
      const text = field === 'payload' ? envelope.payload : envelope.signatures[0]!.sig;
      for (let i = 0; i < text.length; i += 1) {
        const changed = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
        const env = field === 'payload' ? { ...envelope, payload: changed } : withSig(envelope, changed);
        const result = verifyDsse(env, resolveAlice);
        expect(result.ok, `${field} char ${i}`).toBe(false);
      }
    }
  });

  it('binds the payload type (no type confusion)', () => {
    expect(verifyDsse({ ...envelope, payloadType: 'application/vnd.in-toto+json' }, resolveAlice)).toMatchObject({ ok: false, reason: 'signature-mismatch' });
    expect(verifyDsse(envelope, resolveAlice, { expectedPayloadType: 'text/plain' })).toMatchObject({ ok: false, reason: 'payload-type-mismatch' });
  });

  it('fails for an unknown key id, and for a signature by another key under a known id', () => {
    expect(verifyDsse(envelope, () => null)).toMatchObject({ ok: false, reason: 'unknown-key', keyId: alice.keyId });
    const byMallory = signDsse(decision, TYPE, mallory.privateKey, mallory.keyId);
    expect(verifyDsse(byMallory, resolveAlice)).toMatchObject({ ok: false, reason: 'unknown-key' });
    // Mallory claims to be Alice: Alice's key does not verify Mallory's signature.
    const impostor = { ...byMallory, signatures: [{ keyid: alice.keyId, sig: byMallory.signatures[0]!.sig }] };
    expect(verifyDsse(impostor, resolveAlice)).toMatchObject({ ok: false, reason: 'signature-mismatch' });
    // A resolver that returns the wrong key for an id is caught, not trusted.
    expect(verifyDsse(envelope, () => mallory.publicKey)).toMatchObject({ ok: false, reason: 'key-id-mismatch' });
    expect(verifyDsse(envelope, () => 'not a pem')).toMatchObject({ ok: false, reason: 'unusable-key' });
  });

  it('refuses to sign under a key id that is not the signing key', () => {
    expect(() => signDsse(decision, TYPE, alice.privateKey, mallory.keyId)).toThrow(/not the key id given/);
  });

  it('accepts the first good signature among several', () => {
    const second = signDsse(decision, TYPE, alice.privateKey, alice.keyId).signatures[0]!;
    const multi = { ...envelope, signatures: [{ keyid: mallory.keyId, sig: second.sig }, second] };
    expect(verifyDsse(multi, resolveAlice)).toMatchObject({ ok: true, keyId: alice.keyId });
    // Where the digest is an id, a second signature would mint a second id for the same decision.
    expect(verifyDsse(multi, resolveAlice, { singleSignature: true })).toMatchObject({ ok: false, reason: 'invalid-envelope', message: 'expected exactly one signature, found 2' });
    expect(verifyDsse(envelope, resolveAlice, { singleSignature: true }).ok).toBe(true);
  });

  it('refuses a correctly signed payload that is not canonical JSON', () => {
    const nonCanonical = [
      '{"b":1,"a":2}', // key order
      '{"a": 1}', // whitespace
      '{"a":1.0}', // number form
      '{"a":"\\u0041"}', // needless escape
      '{"a":1,"a":1}', // duplicate key
    ];
    for (const text of nonCanonical) {
      const env = signDsseBytes(Buffer.from(text), TYPE, alice.privateKey, alice.keyId);
      expect(verifyDsse(env, resolveAlice), text).toMatchObject({ ok: false, reason: 'payload-not-canonical' });
    }
    const notJson = signDsseBytes(Buffer.from('hello'), TYPE, alice.privateKey, alice.keyId);
    expect(verifyDsse(notJson, resolveAlice)).toMatchObject({ ok: false, reason: 'payload-not-json' });
    const badUtf8 = signDsseBytes(Buffer.from([0x22, 0xff, 0x22]), TYPE, alice.privateKey, alice.keyId);
    expect(verifyDsse(badUtf8, resolveAlice)).toMatchObject({ ok: false, reason: 'payload-not-json' });
  });

  it('reports bad base64 and malformed envelopes precisely', () => {
    expect(verifyDsse({ ...envelope, payload: envelope.payload.replace(/=*$/, '') + '!' }, resolveAlice)).toMatchObject({ ok: false, reason: 'bad-base64' });
    expect(verifyDsse(withSig(envelope, 'abc'), resolveAlice)).toMatchObject({ ok: false, reason: 'bad-base64' });
    expect(verifyDsse({ ...envelope, signatures: [] }, resolveAlice)).toMatchObject({ ok: false, reason: 'invalid-envelope' });
    expect(verifyDsse({ payload: envelope.payload }, resolveAlice)).toMatchObject({ ok: false, reason: 'invalid-envelope' });
    expect(verifyDsse('{}', resolveAlice)).toMatchObject({ ok: false, reason: 'invalid-envelope' });
    const huge = { ...envelope, payload: 'A'.repeat(MAX_PAYLOAD_BASE64_CHARS + 4) };
    expect(verifyDsse(huge, resolveAlice)).toMatchObject({ ok: false, reason: 'invalid-envelope', message: expect.stringContaining('payload') });
  });

  it('decodes only canonical standard base64', () => {
    expect(decodeBase64Strict('aGk=')?.toString()).toBe('hi');
    expect(decodeBase64Strict('aGl=')).toBeNull(); // non-zero trailing bits: a second spelling of "hi"
    expect(decodeBase64Strict('aG k=')).toBeNull();
    expect(decodeBase64Strict('aGk')).toBeNull();
    expect(decodeBase64Strict('a-_A')).toBeNull(); // URL-safe alphabet: Docket writes standard only
    expect(decodeBase64Strict('')?.length).toBe(0);
  });
});

describe('envelope digest', () => {
  it('is the sha256 of the canonical JSON of the envelope, independent of key order', () => {
    const envelope = signDsse(decision, TYPE, alice.privateKey, alice.keyId);
    const expected = createHash('sha256').update(canonicalize(envelope)!).digest('hex');
    expect(envelopeDigest(envelope)).toBe(expected);
    const reordered = { signatures: envelope.signatures, payload: envelope.payload, payloadType: envelope.payloadType };
    expect(envelopeDigest(reordered)).toBe(expected);
    // Ed25519 is deterministic: the same decision and key give the same envelope and digest.
    expect(envelopeDigest(signDsse(decision, TYPE, alice.privateKey, alice.keyId))).toBe(expected);
    expect(envelopeDigest(signDsse({ ...decision, note: 'other' }, TYPE, alice.privateKey, alice.keyId))).not.toBe(expected);
  });

  it('refuses payloads JSON cannot carry', () => {
    expect(() => canonicalJsonBytes(undefined)).toThrow(/cannot be canonicalized/);
    expect(() => signDsse({ x: Number.NaN }, TYPE, alice.privateKey, alice.keyId)).toThrow();
  });
});
