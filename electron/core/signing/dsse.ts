import { createHash, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import { dsseEnvelopeSchema, type DsseEnvelope } from '../../../shared/signing/envelope';
import { keyIdOf, publicKeyFromPem, publicKeyOf } from './keys';

/**
 * DSSE v1 envelopes (secure-systems-lab/dsse, protocol.md) over RFC 8785 canonical JSON.
 * The signature covers PAE(payloadType, payload bytes), never the JSON around it, so the envelope
 * can be re-serialized freely. The payload itself must be canonical JSON: then one decision has
 * exactly one byte string, its digest is stable, and a verifier can refuse look-alike encodings.
 */

export type PublicKeyResolver = (keyId: string) => KeyObject | string | null | undefined;

export type DsseFailureReason =
  | 'invalid-envelope'
  | 'bad-base64'
  | 'unknown-key'
  | 'key-id-mismatch'
  | 'unusable-key'
  | 'signature-mismatch'
  | 'payload-type-mismatch'
  | 'payload-not-json'
  | 'payload-not-canonical';

export type DsseVerification =
  | { ok: true; keyId: string; payloadType: string; payload: unknown }
  | { ok: false; reason: DsseFailureReason; message: string; keyId?: string };

/** Pre-Authentication Encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in bytes. */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

/** RFC 8785 canonical JSON bytes; refuses values JSON cannot carry (undefined, functions, NaN...). */
export function canonicalJsonBytes(value: unknown): Buffer {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (err) {
    throw new TypeError(`value cannot be canonicalized as JSON: ${(err as Error).message}`);
  }
  if (text === undefined) throw new TypeError('value cannot be canonicalized as JSON');
  return Buffer.from(text, 'utf8');
}

/**
 * Signs raw payload bytes. Prefer signDsse; this exists for interop and for tests that need an
 * envelope over bytes Docket would never produce (e.g. non-canonical JSON).
 */
export function signDsseBytes(payloadBytes: Uint8Array, payloadType: string, privateKey: KeyObject, keyId: string): DsseEnvelope {
  // Catch a key/id mix-up at signing time: otherwise it surfaces later as an unverifiable decision.
  const actualKeyId = keyIdOf(publicKeyOf(privateKey));
  if (actualKeyId !== keyId) throw new Error(`signing key is ${actualKeyId.slice(0, 16)}, not the key id given (${keyId.slice(0, 16)})`);
  const sig = cryptoSign(null, pae(payloadType, payloadBytes), privateKey);
  return { payloadType, payload: Buffer.from(payloadBytes).toString('base64'), signatures: [{ keyid: keyId, sig: sig.toString('base64') }] };
}

/** Signs `payload` as RFC 8785 canonical JSON in a DSSE envelope with one Ed25519 signature. */
export function signDsse(payload: unknown, payloadType: string, privateKey: KeyObject, keyId: string): DsseEnvelope {
  return signDsseBytes(canonicalJsonBytes(payload), payloadType, privateKey, keyId);
}

/**
 * Strict standard base64: only canonical encodings are accepted (Buffer.from would silently skip
 * junk characters and ignore trailing bits, letting two strings mean the same bytes).
 */
export function decodeBase64Strict(text: string): Buffer | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** The resolver's answer as an Ed25519 public key, or null when it is something else. */
function toEd25519PublicKey(resolved: KeyObject | string): KeyObject | null {
  try {
    const key = typeof resolved === 'string' ? publicKeyFromPem(resolved) : resolved;
    return key.type === 'public' && key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

/**
 * Verifies an untrusted envelope (parsed JSON or already typed). Succeeds when a signature by a key
 * the resolver knows verifies over the payload, and the payload is canonical JSON. Trust in the key
 * (trusted, revoked at signing time) is the keyring's question, asked by the caller with the keyId.
 */
export function verifyDsse(
  input: unknown,
  resolvePublicKey: PublicKeyResolver,
  options: { expectedPayloadType?: string; singleSignature?: boolean } = {},
): DsseVerification {
  const parsed = dsseEnvelopeSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: 'invalid-envelope', message: `not a DSSE envelope: ${issue.path.join('.') || '(root)'} ${issue.message}` };
  }
  const envelope = parsed.data;
  // When the envelope digest is an id (decisions), extra signatures would give one decision many ids.
  if (options.singleSignature && envelope.signatures.length !== 1) {
    return { ok: false, reason: 'invalid-envelope', message: `expected exactly one signature, found ${envelope.signatures.length}` };
  }
  if (options.expectedPayloadType !== undefined && envelope.payloadType !== options.expectedPayloadType) {
    return { ok: false, reason: 'payload-type-mismatch', message: `payloadType is "${envelope.payloadType}", expected "${options.expectedPayloadType}"` };
  }
  const payloadBytes = decodeBase64Strict(envelope.payload);
  if (!payloadBytes) return { ok: false, reason: 'bad-base64', message: 'payload is not valid base64' };
  const message = pae(envelope.payloadType, payloadBytes);

  // A failure by a known key says more than "unknown key", so it replaces one; otherwise the first stays.
  let failure: DsseVerification | null = null;
  let verifiedKeyId: string | null = null;
  for (const [index, signature] of envelope.signatures.entries()) {
    const resolved = resolvePublicKey(signature.keyid);
    if (!resolved) {
      failure ??= { ok: false, reason: 'unknown-key', message: `signature ${index} is by key ${signature.keyid.slice(0, 16)}, which is not in the keyring`, keyId: signature.keyid };
      continue;
    }
    const publicKey = toEd25519PublicKey(resolved);
    if (!publicKey) {
      failure = { ok: false, reason: 'unusable-key', message: `signature ${index}: the key stored for ${signature.keyid.slice(0, 16)} is not an Ed25519 public key`, keyId: signature.keyid };
      continue;
    }
    // The keyid must name the key that verifies, or a resolver mix-up could attribute a signature to the wrong reviewer.
    if (keyIdOf(publicKey) !== signature.keyid) {
      failure = { ok: false, reason: 'key-id-mismatch', message: `signature ${index}: the key resolved for ${signature.keyid.slice(0, 16)} has a different id`, keyId: signature.keyid };
      continue;
    }
    const sigBytes = decodeBase64Strict(signature.sig);
    if (!sigBytes) {
      failure = { ok: false, reason: 'bad-base64', message: `signature ${index} is not valid base64`, keyId: signature.keyid };
      continue;
    }
    let valid = false;
    try {
      valid = cryptoVerify(null, message, publicKey, sigBytes);
    } catch {
      valid = false;
    }
    if (!valid) {
      failure = { ok: false, reason: 'signature-mismatch', message: `signature ${index} by ${signature.keyid.slice(0, 16)} does not match the payload (it was altered or signed by another key)`, keyId: signature.keyid };
      continue;
    }
    verifiedKeyId = signature.keyid;
    break;
  }
  if (verifiedKeyId === null) return failure!;

  // Only authenticated bytes are interpreted from here on.
  let payload: unknown;
  try {
    payload = JSON.parse(utf8Strict.decode(payloadBytes));
  } catch {
    return { ok: false, reason: 'payload-not-json', message: 'the signed payload is not UTF-8 JSON', keyId: verifiedKeyId };
  }
  let canonical: Buffer | null;
  try {
    canonical = canonicalJsonBytes(payload);
  } catch {
    canonical = null; // e.g. nesting too deep to re-encode
  }
  if (!canonical || !canonical.equals(payloadBytes)) {
    return { ok: false, reason: 'payload-not-canonical', message: 'the signed payload is not RFC 8785 canonical JSON; Docket refuses look-alike encodings', keyId: verifiedKeyId };
  }
  return { ok: true, keyId: verifiedKeyId, payloadType: envelope.payloadType, payload };
}

/** sha256 (lowercase hex) of the envelope's canonical JSON: the decision's id and its MLflow write-back value. */
export function envelopeDigest(envelope: DsseEnvelope): string {
  const { payloadType, payload, signatures } = envelope;
  const bytes = canonicalJsonBytes({ payloadType, payload, signatures: signatures.map(({ keyid, sig }) => ({ keyid, sig })) });
  return createHash('sha256').update(bytes).digest('hex');
}
