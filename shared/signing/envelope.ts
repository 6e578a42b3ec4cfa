import { z } from 'zod';

/**
 * DSSE v1 envelope (https://github.com/secure-systems-lab/dsse, protocol.md), as Docket exchanges it
 * in decision bundles and audit packs. These arrive from other machines, so every string is capped:
 * a hostile bundle must fail validation, not exhaust memory.
 */

/** Decisions are small JSON documents; 1 MiB of base64 leaves two orders of magnitude of headroom. */
export const MAX_PAYLOAD_BASE64_CHARS = 1024 * 1024;
export const MAX_PAYLOAD_TYPE_CHARS = 256;
export const MAX_SIGNATURES = 16;
/** An Ed25519 signature is 64 bytes (88 base64 chars); the cap allows other schemes' signatures later. */
export const MAX_SIG_BASE64_CHARS = 1024;
export const MAX_KEYID_CHARS = 256;

export const dsseSignatureSchema = z.object({
  keyid: z.string().max(MAX_KEYID_CHARS),
  sig: z.string().min(1).max(MAX_SIG_BASE64_CHARS),
});

export const dsseEnvelopeSchema = z.object({
  payloadType: z.string().min(1).max(MAX_PAYLOAD_TYPE_CHARS),
  payload: z.string().max(MAX_PAYLOAD_BASE64_CHARS),
  signatures: z.array(dsseSignatureSchema).min(1).max(MAX_SIGNATURES),
});

export type DsseSignature = z.infer<typeof dsseSignatureSchema>;
export type DsseEnvelope = z.infer<typeof dsseEnvelopeSchema>;

/** The payload type of Docket's signed review decisions. */
export const DECISION_PAYLOAD_TYPE = 'application/vnd.docket.decision+json';
