import type { Database } from 'better-sqlite3';
import { appendAuditMany, type AuditEvent } from '../../electron/core/store/auditLog';
import { mulberry32 } from '../support/seededRandom';

/**
 * Fills a store's audit_log with `count` realistic entries (the actions Docket really writes, with
 * detail objects shaped like the real ones), chained by the real appendAudit, so that
 * `docket audit verify` passes over them. Entries follow whatever the log already holds.
 *
 * Deliberately no `decision.*` / `sunset.decision.*` entries: verification cross-checks those
 * against the decisions tables (an entry without its signed decision is a failure by design).
 */
export interface SeedAuditOptions {
  /** Time of the first entry (default 2025-01-01T00:00:00.000Z); entries are 2.5 s apart by default. */
  start?: Date;
  /** Milliseconds between consecutive entries (default 2500). */
  stepMs?: number;
  /** Entries per write transaction (default 50,000). */
  batch?: number;
  /** Seed of the deterministic variation (default 1). */
  seed?: number;
}

const ACTORS = ['alice', 'bob', 'carol', 'dmitri', 'eve.ops', 'ci-bot', 'scheduler'];
const TEAMS = ['fraud', 'credit-risk', 'claims', 'marketing', 'platform'];
const MODELS = Array.from({ length: 200 }, (_, i) => `${TEAMS[i % TEAMS.length]}-model-${i}`);
const CURRENCIES = ['USD', 'EUR', 'GBP'];

function hex(rand: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, length);
}

/** The i-th generated event (deterministic in `rand`). */
export function auditEventFor(i: number, rand: () => number): AuditEvent {
  const actor = ACTORS[Math.floor(rand() * ACTORS.length)]!;
  const model = MODELS[Math.floor(rand() * MODELS.length)]!;
  const version = 1 + Math.floor(rand() * 20);
  const run = 1 + Math.floor(i / 50);
  const kind = rand();
  if (kind < 0.3) {
    return {
      actor,
      action: rand() < 0.8 ? 'card.imported' : 'card.updated',
      subject: `${model}@${version}`,
      detail: { file: `/data/cards/${model}/v${version}/README.md`, format: rand() < 0.5 ? 'huggingface' : 'model-card-toolkit', sha256: hex(rand, 64), previousSha256: rand() < 0.5 ? null : hex(rand, 64), syncRunId: run },
    };
  }
  if (kind < 0.5) {
    const rows = Math.floor(rand() * 200_000);
    return {
      actor,
      action: 'focus.imported',
      subject: `spend_file:${run}`,
      detail: {
        file: `/data/focus/billing-2025-${String(1 + (i % 12)).padStart(2, '0')}.csv`,
        sha256: hex(rand, 64),
        focusVersion: '1.0',
        rows,
        skipped: Math.floor(rand() * 3),
        totals: { billedCost: Math.round(rand() * 1e8) / 100, effectiveCost: Math.round(rand() * 1e8) / 100, currency: CURRENCIES[i % CURRENCIES.length] },
        syncRunId: run,
      },
    };
  }
  if (kind < 0.7) {
    const reviewId = 1 + Math.floor(rand() * 5000);
    const r = rand();
    if (r < 0.4) {
      return {
        actor,
        action: 'review.opened',
        subject: `review:${reviewId}`,
        detail: { model, version: String(version), state: 'open', trigger: rand() < 0.5 ? 'manual' : 'imported', dueAt: null, assignees: [ACTORS[reviewId % ACTORS.length]!], evidenceHash: hex(rand, 64), checklist: rand() < 0.7 ? 'pass' : 'fail' },
      };
    }
    if (r < 0.7) return { actor, action: 'review.commented', subject: `review:${reviewId}`, detail: { commentId: i, length: Math.floor(rand() * 2000) } };
    if (r < 0.85) return { actor, action: 'review.assigned', subject: `review:${reviewId}`, detail: { assignees: [ACTORS[reviewId % ACTORS.length]!, ACTORS[(reviewId + 1) % ACTORS.length]!], dueAt: '2025-06-30T23:59:59.000Z' } };
    return { actor, action: 'review.submitted', subject: `review:${reviewId}`, detail: { from: 'open', to: 'in-review' } };
  }
  if (kind < 0.85) {
    const name = `${TEAMS[Math.floor(rand() * TEAMS.length)]} monthly`;
    const oldAmount = 1000 * (1 + Math.floor(rand() * 50));
    const newAmount = oldAmount + 500 * (1 + Math.floor(rand() * 10));
    const currency = CURRENCIES[Math.floor(rand() * CURRENCIES.length)]!;
    const def = (amount: number) => ({ name, scope: { kind: 'team', value: name.split(' ')[0] }, period: 'month', amount, currency, thresholds: [50, 80, 100], note: 'Héllo — “quoted” ✓ note' });
    return {
      actor,
      action: 'budget.changed',
      subject: name,
      detail: { budgetId: 1 + (i % 40), reason: 'quarterly re-plan after the pricing change', changed: ['amount'], oldAmount, newAmount, oldCurrency: currency, newCurrency: currency, before: def(oldAmount), after: def(newAmount) },
    };
  }
  if (kind < 0.95) {
    return {
      actor: 'scheduler',
      action: 'registry.changed',
      subject: model,
      detail: { syncRunId: run, changes: [{ version: String(version), field: 'stage', from: 'Staging', to: 'Production' }, { version: String(version), field: 'tags', added: ['team:' + model.split('-')[0]], removed: [] }] },
    };
  }
  return {
    actor: 'scheduler',
    action: 'mlflow.sync',
    subject: `sync_run:${run}`,
    detail: { url: 'https://mlflow.example.internal', models: 200, versions: 4000, unchanged: 3990, changed: 10, requests: { 'registered-models/search': 2, 'model-versions/search': 4, 'runs/get': 10 }, ratio: rand(), exponent: 1e21 * rand(), tiny: 1e-7 * rand(), negative: -0 },
  };
}

/** The events seedAuditRows appends, with their times: the same sequence for the same options. */
export function* seedAuditEvents(count: number, options: SeedAuditOptions = {}): Generator<{ event: AuditEvent; at: string }> {
  const start = (options.start ?? new Date('2025-01-01T00:00:00.000Z')).getTime();
  const step = options.stepMs ?? 2500;
  const rand = mulberry32(options.seed ?? 1);
  for (let i = 0; i < count; i++) yield { event: auditEventFor(i, rand), at: new Date(start + i * step).toISOString() };
}

/**
 * Appends `count` entries to the audit log with the real chaining code (appendAuditMany: the rows
 * appendAudit would write, byte for byte, without re-reading the head per entry), in write
 * transactions of `batch` entries. Returns the last entry's seq and hash.
 */
export function seedAuditRows(db: Database, count: number, options: SeedAuditOptions = {}): { seq: number; hash: string } | null {
  const batch = Math.max(1, options.batch ?? 50_000);
  const events = seedAuditEvents(count, options);
  let last: { seq: number; hash: string } | null = null;
  function* take(n: number) {
    for (let i = 0; i < n; i++) {
      const next = events.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const write = db.transaction((n: number) => {
    last = appendAuditMany(db, take(n)) ?? last;
  });
  // A larger page cache while seeding: the UNIQUE index on hash is written in random order.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -262144');
  try {
    for (let done = 0; done < count; done += batch) write(Math.min(batch, count - done));
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
  return last;
}
