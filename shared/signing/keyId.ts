/**
 * Reviewer key ids as people see them. Pure (no node:), so the renderer can format ids the same way
 * the engine and the CLI do. A key id is the lowercase hex sha256 of the public key's SPKI DER.
 */

export const KEY_ID_PATTERN = /^[0-9a-f]{64}$/;
/** Long enough that two reviewers' keys never collide in practice, short enough to read aloud. */
export const SHORT_KEY_ID_LENGTH = 16;

export function isKeyId(value: string): boolean {
  return KEY_ID_PATTERN.test(value);
}

/** The first 16 hex digits: what lists, audit views and CLI tables show. */
export function shortKeyId(keyId: string): string {
  return keyId.slice(0, SHORT_KEY_ID_LENGTH);
}

/**
 * The whole id in groups of four, for comparing a fingerprint with a colleague out of band
 * (phone, chat) before trusting their key: groups are easier to read and check than 64 digits.
 */
export function formatKeyIdForComparison(keyId: string): string {
  return (keyId.match(/.{1,4}/g) ?? []).join(' ');
}
