import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedByRevision, storeRevision } from '../../../electron/core/policy/revisionCache';
import { sunsetCandidates } from '../../../electron/core/lifecycle/candidates';
import { openStore, type Store } from '../../../electron/core/store/openStore';
import { appendAudit } from '../../../electron/core/store/auditLog';
import { tempStore } from '../../support/tempStore';
import { addModel, addSpend, clock, RESOURCES, usePack } from '../lifecycle/lifecycleFixture';

/**
 * The answers kept between calls (sunset candidates, budgets, the model list, open reviews' verdicts)
 * are only ever reused while the tables they read are unchanged: a write to any of them on this
 * connection, or a commit on another connection to the same file, recomputes; a write to another
 * table does not; nothing read inside a transaction is kept.
 */

let ctx: ReturnType<typeof tempStore>;
let store: Store;

beforeEach(() => {
  ctx = tempStore();
  store = ctx.store;
});
afterEach(() => ctx.cleanup());

/** A kept count of the rows of one table ('models' is a bulk table, 'budgets' a tracked one). */
function counter(table: 'models' | 'budgets' = 'models'): { count: () => number; read: () => number } {
  let computed = 0;
  return {
    count: () => computed,
    read: () => cachedByRevision(store.db, `count ${table}`, [table], () => {
      computed += 1;
      return (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }),
  };
}

function addBudget(name: string, into: Store = store): void {
  into.db.prepare("INSERT INTO budgets (name, definition_json, created_at, created_by, updated_at, updated_by) VALUES (?, '{}', 'x', 'x', 'x', 'x')").run(name);
}

/** Commits `write` through a second connection to the same file, as the CLI would. */
function fromOtherConnection(write: (other: Store) => void): void {
  const other = openStore(ctx.dbPath);
  try {
    write(other);
  } finally {
    other.close();
  }
}

/** Runs `write` in a transaction that is rolled back. */
function rolledBack(write: () => void): void {
  expect(() =>
    store.db.transaction(() => {
      write();
      throw new Error('roll back');
    })(),
  ).toThrow('roll back');
}

describe('cachedByRevision', () => {
  it('reuses an answer until this connection writes', () => {
    const c = counter();
    expect(c.read()).toBe(0);
    expect(c.read()).toBe(0);
    expect(c.count()).toBe(1);
    addModel(store, 'a', '1');
    expect(c.read()).toBe(1);
    expect(c.count()).toBe(2);
    // A statement that changes no row is no change.
    store.db.prepare("UPDATE models SET name = name WHERE name = 'nobody'").run();
    expect(c.read()).toBe(1);
    expect(c.count()).toBe(2);
  });

  it('recomputes after another connection commits to the same file', () => {
    const c = counter();
    expect(c.read()).toBe(0);
    fromOtherConnection((other) => addModel(other, 'from-elsewhere', '1'));
    expect(c.read()).toBe(1);
    expect(c.count()).toBe(2);
  });

  it('keeps nothing read inside a transaction (it may be rolled back)', () => {
    const c = counter('budgets');
    const before = storeRevision(store.db, ['budgets']);
    // (An assertion failing in here would not be the rollback's error, and fails the test.)
    rolledBack(() => {
      addBudget('rolled-back');
      expect(c.read()).toBe(1);
      expect(storeRevision(store.db, ['budgets'])).not.toBe(before);
    });
    // The triggers' counts rolled back with the rows.
    expect(storeRevision(store.db, ['budgets'])).toBe(before);
    expect(c.read()).toBe(0);
    expect(c.read()).toBe(0);
    expect(c.count()).toBe(2);
    // The revision seen inside the rolled-back transaction is not vouched for afterwards: the next
    // committed write reaches the same count, and the kept answer must still be recomputed.
    addBudget('committed');
    expect(c.read()).toBe(1);
    expect(c.count()).toBe(3);
  });

  it('keeps an answer across writes to tables it does not read', () => {
    const c = counter();
    expect(c.read()).toBe(0);
    addBudget('b');
    expect(c.read()).toBe(0);
    expect(c.count()).toBe(1);
    // Deletes and updates count as well as inserts.
    addModel(store, 'a', '1');
    expect(c.read()).toBe(1);
    store.db.prepare("UPDATE models SET name = 'b' WHERE name = 'a'").run();
    expect(c.read()).toBe(1);
    expect(c.count()).toBe(3);
    store.db.prepare('DELETE FROM model_versions').run();
    store.db.prepare('DELETE FROM models').run();
    expect(c.read()).toBe(0);
    expect(c.count()).toBe(4);
  });

  it('does not keep an answer another connection committed under while it was computed', () => {
    const other = openStore(ctx.dbPath);
    let computed = 0;
    const read = () =>
      cachedByRevision(store.db, 'racing', ['models'], () => {
        computed += 1;
        const n = (store.db.prepare('SELECT count(*) AS n FROM models').get() as { n: number }).n;
        // Another process commits between this computation's statements.
        if (computed === 1) addModel(other, 'meanwhile', '1');
        return n;
      });
    try {
      expect(read()).toBe(0);
      expect(read()).toBe(1);
      expect(read()).toBe(1);
      expect(computed).toBe(2);
    } finally {
      other.close();
    }
  });

  it('refuses a kept answer used inside another that does not declare its tables', () => {
    expect(() => cachedByRevision(store.db, 'outer', ['models'], () => cachedByRevision(store.db, 'inner', ['models', 'budgets'], () => 1))).toThrow(/"outer" uses "inner", which reads budgets/);
    expect(cachedByRevision(store.db, 'outer2', ['models', 'budgets'], () => cachedByRevision(store.db, 'inner2', ['budgets'], () => 2))).toBe(2);
  });

  it('keeps an answer that reads bulk tables across writes to tracked ones, and drops it when any bulk table changes', () => {
    const c = counter();
    addModel(store, 'a', '1');
    expect(c.read()).toBe(1);
    // A review-like write: tracked tables only (each row counted by its trigger).
    store.db.transaction(() => {
      addBudget('b2');
      store.db.prepare("UPDATE budgets SET updated_at = 'y'").run();
      store.db.prepare("INSERT INTO notifications (at, kind, title, body) VALUES ('x', 'budget', 't', 'b')").run();
      // The audit log is counted by its largest id, not by a trigger.
      appendAudit(store.db, { actor: 'test', action: 'budget.set', subject: 'budget:b2', detail: {} }, '2026-11-26T09:00:00.000Z');
      appendAudit(store.db, { actor: 'test', action: 'budget.set', subject: 'budget:b2', detail: {} }, '2026-11-26T09:00:01.000Z');
    })();
    expect(c.read()).toBe(1);
    expect(c.count()).toBe(1);
    // Bulk tables share one revision: a change to any of them (here lineage) drops the answer.
    store.db.prepare("INSERT INTO lineage_nodes (key, kind, label) VALUES ('dataset:ns|n', 'dataset', 'n')").run();
    expect(c.read()).toBe(1);
    expect(c.count()).toBe(2);
    // Tracked and bulk rows changed together: the bulk change is still seen.
    store.db.transaction(() => {
      addBudget('b3');
      store.db.prepare("UPDATE models SET name = 'renamed' WHERE name = 'a'").run();
      addBudget('b4');
    })();
    expect(c.read()).toBe(1);
    expect(c.count()).toBe(3);
    // A rolled-back write to a tracked table cannot be told from a bulk change: dropped, never stale.
    rolledBack(() => store.db.prepare("DELETE FROM budgets WHERE name = 'b2'").run());
    expect(c.read()).toBe(1);
    expect(c.count()).toBe(4);
    expect(c.read()).toBe(1);
    expect(c.count()).toBe(4);
  });

  it('drops an answer that reads bulk tables when another connection commits anything', () => {
    const c = counter();
    expect(c.read()).toBe(0);
    fromOtherConnection((other) => addBudget('o', other));
    expect(c.read()).toBe(0);
    expect(c.count()).toBe(2);
  });

  it('sunset candidates follow a write made between two calls', () => {
    usePack(store, ctx.dir);
    addModel(store, 'old', '1', { createdAt: '2024-01-01T00:00:00.000Z' });
    const first = sunsetCandidates(store, { resourcesDir: RESOURCES, clock });
    expect(sunsetCandidates(store, { resourcesDir: RESOURCES, clock })).toEqual(first);
    addModel(store, 'old', '2');
    addSpend(store, 'old', '2026-03-02', '2026-03-31', 30);
    const second = sunsetCandidates(store, { resourcesDir: RESOURCES, clock });
    expect(second).not.toEqual(first);
  });
});
