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

beforeAll(async () => {
  demo = await demoHandlers('kept-reads');
  const proto = Object.getPrototypeOf(demo.store.db.prepare('SELECT 1')) as Statement;
  for (const method of ['get', 'all', 'iterate', 'run'] as const) {
    const original = proto[method] as (...args: unknown[]) => unknown;
    vi.spyOn(proto, method).mockImplementation(function (this: Statement, ...args: unknown[]) {
      const declared = readsBeingComputed();
      if (declared) ran.push({ sql: this.source, args, declared });
      return original.apply(this, args);
    } as never);
  }
  // Every view's questions, so every kept answer is computed once on this fresh connection.
  await demo.value('models/list');
  await demo.value('models/page', { query: 'fraud' });
  await demo.value('models/stats');
  await demo.value('lifecycle/summary');
  await demo.value('lifecycle/candidates');
  await demo.value('budgets/list');
  await demo.value('reviews/list');
  vi.restoreAllMocks();
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
