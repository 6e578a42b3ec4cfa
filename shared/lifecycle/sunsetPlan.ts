import { z } from 'zod';

/**
 * Sunsetting a model version: the plan a sunset review carries, the statement a reviewer signs to
 * decide it, and the lifecycle states a version moves through. A version becomes deprecated when a
 * sunset is approved and retired when its plan's retirement date passes; there is no other way to
 * retire it (NIST AI RMF GOVERN 1.7 and MANAGE 2.4: decommissioning is planned and accountable).
 */

export const LIFECYCLE_STATES = ['active', 'deprecated', 'retired'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export const SUNSET_STATES = ['proposed', 'approved', 'rejected', 'withdrawn'] as const;
export type SunsetState = (typeof SUNSET_STATES)[number];

export const SUNSET_DECISIONS = ['approve', 'reject', 'withdraw'] as const;
export type SunsetDecisionKind = (typeof SUNSET_DECISIONS)[number];

/** Where a decision takes a proposed sunset; decided sunsets take no further decisions. */
export function sunsetNextState(state: SunsetState, decision: SunsetDecisionKind): SunsetState | null {
  if (state !== 'proposed') return null;
  return decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'withdrawn';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const realDay = (d: string) => DAY.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
const Day = z.string().refine(realDay, { message: 'use a real date as YYYY-MM-DD' });
const Text = (what: string, max = 2000) => z.string().trim().min(1, `say ${what}`).max(max);

export const CommitmentSchema = z.strictObject({
  label: Text('what the commitment is', 200),
  monthly: z.number().refine(Number.isFinite, { message: 'enter a number' }).refine((v) => v >= 0, { message: 'cannot be negative' }),
  until: Day,
});

export const SunsetPlanSchema = z
  .strictObject({
    /** What takes over its traffic; null when nothing does (the use is ending). */
    replacement: z.strictObject({ model: Text('the replacement model', 500), version: Text('the replacement version', 200) }).nullable(),
    /** Traffic drained from the version by this day. */
    drainDate: Day,
    /** The version is retired (no longer served, no longer paid for) from this day. */
    retirementDate: Day,
    /** What happens to its data, artefacts and logs, and for how long they are kept. */
    dataRetention: Text('what happens to its data and for how long'),
    /** How to bring it back if the replacement fails. */
    rollback: Text('how to roll back'),
    /** Who carries the plan out. */
    owner: Text('who owns the plan', 200),
    /** Monthly spend that is shared infrastructure and would be reallocated, not saved. */
    sharedMonthly: z.number().refine(Number.isFinite, { message: 'enter a number' }).refine((v) => v >= 0, { message: 'cannot be negative' }).default(0),
    /** Commitments still payable after retirement (reservations, savings plans, contracts). */
    commitments: z.array(CommitmentSchema).max(50).default([]),
    notes: z.string().max(10_000).optional(),
  })
  .superRefine((p, ctx) => {
    if (realDay(p.drainDate) && realDay(p.retirementDate) && p.retirementDate < p.drainDate) {
      ctx.addIssue({ code: 'custom', path: ['retirementDate'], message: `the retirement date (${p.retirementDate}) is before the drain date (${p.drainDate})` });
    }
  });
export type SunsetPlan = z.output<typeof SunsetPlanSchema>;
export type SunsetPlanInput = z.input<typeof SunsetPlanSchema>;

export const SUNSET_STATEMENT_TYPE = 'https://docket.dev/sunset-decision/v1';
export const SUNSET_PAYLOAD_TYPE = 'application/vnd.docket.sunset-decision+json';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** What a reviewer signs to decide a sunset: the plan (by hash, with its key dates) and the saving it claims. */
export const SunsetStatementSchema = z.strictObject({
  _type: z.literal(SUNSET_STATEMENT_TYPE),
  decision: z.enum(SUNSET_DECISIONS),
  subject: z.strictObject({ model: z.string().min(1).max(256), version: z.string().min(1).max(128) }),
  plan: z.strictObject({
    sha256: sha256Hex,
    replacement: z.strictObject({ model: z.string(), version: z.string() }).nullable(),
    drainDate: z.string(),
    retirementDate: z.string(),
    owner: z.string(),
  }),
  saving: z.strictObject({ monthly: z.number(), currency: z.string() }),
  rationale: z.string().max(10_000).regex(/\S/, 'a decision needs a rationale'),
  signer: z.strictObject({ keyId: sha256Hex, name: z.string().max(128), role: z.string().max(64) }),
  signedAt: z.iso.datetime(),
  auditHead: z.strictObject({ seq: z.number().int().min(0), hash: sha256Hex }),
});
export type SunsetStatement = z.infer<typeof SunsetStatementSchema>;
