import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database, Statement } from 'better-sqlite3';
import { readsBeingComputed } from '../../../electron/core/policy/revisionCache';
import * as DECLARED from '../../../electron/core/policy/keptReads';
import { APPEND_ONLY_TABLES } from '../../../electron/core/store/tableRevisions';
import { demoHandlers, type DemoHandlers } from '../../support/demoHandlers';

/**
 * A kept answer is reused until a table it declares changes (revisionCache): a table it reads but
 * does not declare would let it go stale. Every statement run while a kept answer is computed is
 * recorded here, over the demo workspace with every view's questions asked, and SQLite's own plan
 * for it (EXPLAIN: the tables and indexes it opens) is held to the tables that answer declares.
 */
let demo: DemoHandlers;
const ran: { sql: string; args: unknown[]; declared: readonly string[] }[] = [];

/** Runs `work` and returns every statement run while a kept answer was computed, with that answer's declared reads. */
async function statementsComputed(work: () => Promise<unknown>): Promise<typeof ran> {
  const seen: typeof ran = [];
  const proto = Object.getPrototypeOf(demo.store.db.prepare('SELECT 1')) as Statement;
  for (const method of ['get', 'all', 'iterate', 'run'] as const) {
    const original = proto[method] as (...args: unknown[]) => unknown;
    vi.spyOn(proto, method).mockImplementation(function (this: Statement, ...args: unknown[]) {
      const declared = readsBeingComputed();
      if (declared) seen.push({ sql: this.source, args, declared });
      return original.apply(this, args);
    } as never);
  }
  try {
    await work();
  } finally {
    vi.restoreAllMocks();
  }
  return seen;
}

/** Every view's questions that kept answers serve. */
async function askEveryView(): Promise<void> {
  await demo.value('models/list');
  await demo.value('models/page', { query: 'fraud' });
  await demo.value('models/stats');
  await demo.value('lifecycle/summary');
  await demo.value('lifecycle/candidates');
  await demo.value('budgets/list');
  await demo.value('reviews/list');
}

beforeAll(async () => {
  demo = await demoHandlers('kept-reads');
  // On this fresh connection every kept answer is computed once.
  ran.push(...(await statementsComputed(askEveryView)));
}, 60_000);
afterAll(() => demo?.close());

/** The store's tables a statement opens to read or write, by SQLite's plan for it. */
function tablesOpened(db: Database, sql: string, args: unknown[]): Set<string> {
  const owner = new Map((db.prepare("SELECT rootpage, tbl_name FROM sqlite_schema WHERE rootpage > 0").all() as { rootpage: number; tbl_name: string }[]).map((r) => [r.rootpage, r.tbl_name]));
  // EXPLAIN wants the statement's parameters bound, though the plan does not depend on them.
  const plan = db.prepare(`EXPLAIN ${sql}`).all(...args) as { opcode: string; p2: number; p3: number }[];
  const tables = new Set<string>();
  for (const step of plan) {
    if ((step.opcode === 'OpenRead' || step.opcode === 'OpenWrite') && step.p3 === 0) {
      const table = owner.get(step.p2);
      if (table && table !== 'sqlite_schema' && table !== 'store_table_revisions') tables.add(table);
    }
  }
  return tables;
}

describe('what kept answers declare they read', () => {
  it('computed every kept answer while the views were asked', () => {
    const seen = new Set(ran.map((r) => r.declared));
    for (const [name, reads] of Object.entries(DECLARED)) expect(seen.has(reads), name).toBe(true);
  });

  it('covers every table each of their statements reads', () => {
    const undeclared: string[] = [];
    const names = new Map(Object.entries(DECLARED).map(([name, reads]) => [reads, name]));
    const checked = new Set<string>();
    for (const { sql, args, declared } of ran) {
      const id = `${names.get(declared)}\u0000${sql}`;
      if (checked.has(id)) continue;
      checked.add(id);
      const missing = [...tablesOpened(demo.store.db, sql, args)].filter((t) => !declared.includes(t));
      if (missing.length > 0) undeclared.push(`${names.get(declared) ?? declared.join(',')} does not declare ${missing.join(', ')}, read by: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
    expect(undeclared).toEqual([]);
  });

  it('counts the rows of the tables people write a row at a time with triggers, and of no bulk table', () => {
    const db = demo.store.db;
    const triggers = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%_revision_%'").pluck().all() as string[]);
    const tracked = db.prepare('SELECT name FROM store_table_revisions').pluck().all() as string[];
    expect(tracked).toEqual(expect.arrayContaining(['reviews', 'review_comments', 'decisions', 'budgets']));
    // The append-only tables' own triggers refuse updates and deletes, which their revision relies on.
    for (const table of APPEND_ONLY_TABLES) for (const refused of ['no_update', 'no_delete']) expect(db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?").get(`${table}_${refused}`), `${table}_${refused}`).toBeTruthy();
    for (const table of tracked) for (const event of ['insert', 'update', 'delete']) expect(triggers.has(`${table}_revision_${event}`), `${table} ${event}`).toBe(true);
    expect(triggers.size).toBe(tracked.length * 3);
    for (const bulk of ['models', 'model_versions', 'model_cards', 'spend_line_items_coded', 'spend_daily']) expect(tracked).not.toContain(bulk);
  });

  it('names only tables of the store', () => {
    const tables = new Set(demo.store.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
    for (const [name, reads] of Object.entries(DECLARED)) expect(reads.filter((t) => !tables.has(t)), name).toEqual([]);
  });
});

describe('which kept answers a write drops', () => {
  const names = new Map(Object.entries(DECLARED).map(([name, reads]) => [reads, name]));
  /** The kept answers computed again when every view is asked right after `write`. */
  async function computedAfter(write: () => Promise<unknown> | void): Promise<typeof ran> {
    await askEveryView(); // everything kept
    await write();
    return statementsComputed(askEveryView);
  }
  async function recomputedAfter(write: () => Promise<unknown> | void): Promise<string[]> {
    return [...new Set((await computedAfter(write)).map((r) => names.get(r.declared) ?? '?'))].sort();
  }

  it('keeps everything while nothing is written', async () => {
    expect(await recomputedAfter(() => undefined)).toEqual([]);
  });

  it("after a review comment computes only the open reviews' verdicts again", async () => {
    const id = (demo.store.db.prepare('SELECT min(id) FROM reviews').pluck().get() as number | null)!;
    expect(id).not.toBeNull();
    expect(await recomputedAfter(() => demo.value('reviews/comment', { id, body: 'A comment between two views.' }))).toEqual(['OPEN_REVIEW_VERDICT_READS']);
  });

  it("after a version's lifecycle state changes sets that version aside without judging any model again", async () => {
    const db = demo.store.db;
    // A real candidate, proposed for sunset; then its state set, as approving that sunset sets it.
    const before = (await demo.value('lifecycle/candidates')) as { candidates: { model: string; version: string }[] };
    const target = before.candidates.find((c) => before.candidates.filter((o) => o.model === c.model).length === 1) ?? before.candidates[0]!;
    const { model, version } = target;
    const latest = db.prepare('SELECT max(v.version) FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ? AND v.version != ?').pluck().get(model, version) as string | null;
    const plan = { replacement: latest ? { model, version: latest } : null, drainDate: '2026-12-01', retirementDate: '2026-12-31', dataRetention: 'Logs kept 1 year.', rollback: 'Re-point the alias.', owner: 'Test owner' };
    await demo.value('sunsets/propose', { model, version, plan });
    const sunset = db.prepare('SELECT max(id) FROM sunset_reviews').pluck().get() as number;
    const versionId = db.prepare('SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ? AND v.version = ?').pluck().get(model, version) as number;
    const computed = await computedAfter(() => {
      db.prepare("INSERT INTO lifecycle_states (model_version_id, state, since, sunset_id) VALUES (?, 'deprecated', '2026-11-26T00:00:00.000Z', ?)").run(versionId, sunset);
    });
    expect([...new Set(computed.map((r) => names.get(r.declared)))]).toEqual(['CANDIDATE_READS']);
    // Only the set-aside ran: no statement of the judgement itself (which reads cards, spend, lineage...).
    const opened = new Set(computed.flatMap((r) => [...tablesOpened(db, r.sql, r.args)]));
    expect([...opened].sort()).toEqual(['lifecycle_states', 'model_versions', 'models']);
    // The kept judgement with the decided version set aside is what judging afresh gives.
    const after = (await demo.value('lifecycle/candidates')) as typeof before;
    expect(after.candidates).toEqual(before.candidates.filter((c) => !(c.model === model && c.version === version)));
    expect(after.candidates.length).toBe(before.candidates.length - 1);
    db.prepare('DELETE FROM lifecycle_states WHERE model_version_id = ?').run(versionId);
    expect(((await demo.value('lifecycle/candidates')) as typeof before).candidates).toEqual(before.candidates);
  });

  it("after a release review's evidence changes judges every model again from the kept bulk inputs", async () => {
    const db = demo.store.db;
    const recomputed = await recomputedAfter(() => {
      db.prepare('UPDATE evidence_snapshots SET taken_at = taken_at WHERE hash = (SELECT min(hash) FROM evidence_snapshots)').run();
    });
    expect(recomputed).toEqual(expect.arrayContaining(['JUDGEMENT_READS', 'CANDIDATE_READS']));
    expect(recomputed).not.toContain('JUDGEMENT_INPUT_READS');
    expect(recomputed).not.toContain('MODEL_LIST_READS');
  });

  it("after a change to a model's card computes the model list and the judgement again", async () => {
    const recomputed = await recomputedAfter(() => {
      demo.store.db.prepare('UPDATE model_cards SET imported_at = imported_at WHERE rowid = (SELECT min(rowid) FROM model_cards)').run();
    });
    expect(recomputed).toEqual(expect.arrayContaining(['MODEL_LIST_READS', 'JUDGEMENT_INPUT_READS', 'JUDGEMENT_READS', 'CANDIDATE_READS']));
  });
});
