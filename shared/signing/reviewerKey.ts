/**
 * A reviewer key as the keyring stores it, and its trust status at a point in time.
 * Pure types, no zod, so the renderer can import them cheaply.
 */

export type KeyOrigin = 'local' | 'imported';

export interface ReviewerKey {
  keyId: string;
  name: string;
  role: string;
  publicKeyPem: string;
  origin: KeyOrigin;
  addedAt: string;
  trusted: boolean;
  trustedAt: string | null;
  trustedBy: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
  /** Set when the key was rotated: the key that replaces it. */
  replacedBy: string | null;
}

export type KeyStatus = 'trusted' | 'untrusted' | 'revoked' | 'unknown';

export interface KeyStatusAt {
  keyId: string;
  status: KeyStatus;
  /** A sentence a reviewer can act on, e.g. "revoked at ... by ...: laptop lost". */
  reason: string;
}
