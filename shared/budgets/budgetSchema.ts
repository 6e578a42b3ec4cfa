import { z } from 'zod';
import { isKnownCurrency } from './currencies';

/**
 * What a budget is, validated the same way wherever one is made (the Budgets form, the CLI, the IPC
 * contract): a scope, a period, an amount in one currency, optional planned amounts per month, and
 * alert thresholds as AWS Budgets has them (ACTUAL or FORECASTED, percentage or absolute).
 * Each refusal names its field, so the form can show it under the input that caused it.
 */

export const MAX_THRESHOLD_PERCENT = 1000;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function isRealDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
}

const Day = z.string().refine(isRealDay, { message: 'use a real date as YYYY-MM-DD' });

export const ThresholdSchema = z
  .object({
    basis: z.enum(['actual', 'forecasted'], { error: 'choose actual or forecasted' }),
    kind: z.enum(['percent', 'absolute'], { error: 'choose a percentage or an amount' }),
    value: z.number({ error: 'enter a number' }).refine(Number.isFinite, { message: 'enter a number' }).refine((v) => v > 0, { message: 'must be greater than 0' }),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.kind === 'percent' && t.value > MAX_THRESHOLD_PERCENT) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `a percentage threshold cannot exceed ${MAX_THRESHOLD_PERCENT}%` });
    }
  });
export type Threshold = z.infer<typeof ThresholdSchema>;

const ScopeValue = z.string().trim().min(1, 'name what the budget covers').max(500);
export const BudgetScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('model'), value: ScopeValue }).strict(),
  z.object({ kind: z.literal('team'), value: ScopeValue }).strict(),
  z.object({ kind: z.literal('provider'), value: ScopeValue }).strict(),
]);
export type BudgetScope = z.infer<typeof BudgetScopeSchema>;

export const BudgetPeriodSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('monthly') }).strict(),
    z.object({ kind: z.literal('quarterly') }).strict(),
    z.object({ kind: z.literal('annual') }).strict(),
    z.object({ kind: z.literal('custom'), from: Day, to: Day }).strict(),
  ])
  .superRefine((p, ctx) => {
    if (p.kind === 'custom' && isRealDay(p.from) && isRealDay(p.to) && p.to < p.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the end (${p.to}) is before the start (${p.from})` });
    }
  });
export type BudgetPeriod = z.infer<typeof BudgetPeriodSchema>;

export const PlannedMonthSchema = z
  .object({
    month: z.string().regex(MONTH, 'use YYYY-MM'),
    amount: z.number({ error: 'enter a number' }).refine(Number.isFinite, { message: 'enter a number' }).refine((v) => v >= 0, { message: 'cannot be negative' }),
  })
  .strict();

export const BudgetDefinitionSchema = z
  .object({
    name: z.string().trim().min(1, 'name the budget').max(120, 'use at most 120 characters'),
    scope: BudgetScopeSchema,
    period: BudgetPeriodSchema,
    amount: z
      .number({ error: 'enter an amount' })
      .refine(Number.isFinite, { message: 'enter an amount' })
      .refine((v) => v > 0, { message: 'the amount must be greater than 0' })
      .refine((v) => v <= 1e12, { message: 'the amount is implausibly large' }),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .refine((c) => /^[A-Z]{3}$/.test(c) && isKnownCurrency(c), { error: (issue) => `unknown currency "${String(issue.input)}" (use an ISO 4217 code such as USD or EUR)` }),
    /** Effective cost (amortized, after discounts) by default; billed cost is what the invoice says. */
    metric: z.enum(['effective', 'billed']).default('effective'),
    /** Where the spend is read from: 'focus' or 'aws-ce:<id>' (one source, never both). */
    source: z.string().regex(/^(focus|aws-ce:\d{1,9})$/, 'use "focus" or "aws-ce:<id>"').default('focus'),
    planned: z.array(PlannedMonthSchema).max(120).default([]),
    thresholds: z.array(ThresholdSchema).max(10, 'at most 10 thresholds').default([{ basis: 'actual', kind: 'percent', value: 100 }]),
  })
  .strict()
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.planned.forEach((p, i) => {
      if (seen.has(p.month)) ctx.addIssue({ code: 'custom', path: ['planned', i, 'month'], message: `${p.month} is planned twice` });
      seen.add(p.month);
      if (b.period.kind === 'custom' && (p.month < b.period.from.slice(0, 7) || p.month > b.period.to.slice(0, 7))) {
        ctx.addIssue({ code: 'custom', path: ['planned', i, 'month'], message: `${p.month} is outside the budget's period` });
      }
    });
    const keys = new Set<string>();
    b.thresholds.forEach((t, i) => {
      const key = `${t.basis}:${t.kind}:${t.value}`;
      if (keys.has(key)) ctx.addIssue({ code: 'custom', path: ['thresholds', i], message: 'the same threshold is listed twice' });
      keys.add(key);
    });
    if (b.source.startsWith('aws-ce:') && (b.scope.kind === 'team' || b.scope.kind === 'provider')) {
      ctx.addIssue({ code: 'custom', path: ['scope'], message: `Cost Explorer spend is grouped by model only: a ${b.scope.kind} budget needs FOCUS spend` });
    }
  });
/** A budget as stored: parsed, defaults filled in. */
export type BudgetDefinition = z.output<typeof BudgetDefinitionSchema>;
export type BudgetDefinitionInput = z.input<typeof BudgetDefinitionSchema>;

/** A zod error as one message per field path ('amount', 'period.to', 'thresholds.0.value'): what the form shows under each input. */
export function budgetFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || 'budget';
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/** One line naming every refusal, for the CLI and for errors crossing IPC. */
export function budgetErrorSummary(error: z.ZodError): string {
  return Object.entries(budgetFieldErrors(error))
    .map(([field, message]) => `${field}: ${message}`)
    .join('; ');
}
