import { z } from 'zod';
import { DECISION_KINDS } from './reviewState';

/**
 * The statement a reviewer signs. It is self-contained so it can be verified on another machine years
 * later: who (key id, name, role), what (the decision and rationale), about what (model and version,
 * the hash of the evidence snapshot they saw, the checklist result under a named policy version), and
 * where the audit log stood when they signed (so a log cut short after a decision is detectable).
 */

export const DECISION_STATEMENT_TYPE = 'https://docket.dev/decision/v1';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in lower-case hex');
const text = (max: number) => z.string().max(max);

export const DecisionStatementSchema = z.strictObject({
  _type: z.literal(DECISION_STATEMENT_TYPE),
  decision: z.enum(DECISION_KINDS),
  subject: z.strictObject({ model: text(256).min(1), version: text(128).min(1) }),
  rationale: text(10_000).regex(/\S/, 'a decision needs a rationale'),
  evidence: z.strictObject({ sha256: sha256Hex }),
  checklist: z.strictObject({
    policy: z.strictObject({ name: text(256), version: text(64) }),
    tier: text(64),
    result: z.enum(['pass', 'fail']),
    evidenceResult: z.enum(['pass', 'fail']),
    rules: z.array(z.strictObject({ id: text(128), status: z.enum(['pass', 'fail', 'missing', 'waived']) })).max(500),
  }),
  signer: z.strictObject({ keyId: sha256Hex, name: text(128), role: text(64) }),
  signedAt: z.iso.datetime({ message: 'must be an ISO 8601 UTC time' }),
  /** Only for waivers: which rule, until when. */
  waiver: z.strictObject({ ruleId: text(128), expiresAt: z.iso.datetime() }).optional(),
  /** The head of the signer's audit log when they signed; absent on a bundle's first import elsewhere. */
  auditHead: z.strictObject({ seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});
export type DecisionStatement = z.infer<typeof DecisionStatementSchema>;
