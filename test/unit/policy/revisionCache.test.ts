import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedByRevision, storeRevision } from '../../../electron/core/policy/revisionCache';
import { sunsetCandidates } from '../../../electron/core/lifecycle/candidates';
import { openStore, type Store } from '../../../electron/core/store/openStore';
import { tempStore } from '../../support/tempStore';
import { addModel, addSpend, clock, RESOURCES, usePack } from '../lifecycle/lifecycleFixture';

/**
 * The answers kept between calls (sunset candidates, budgets, the model list, open reviews' verdicts)
 * are only ever reused while the store is unchanged: any write on this connection, or a commit on
 * another connection to the same file, recomputes; nothing read inside a transaction is kept.
 */

let ctx: ReturnType<typeof tempStore>;
let store: Store;

beforeEach(() => {
  ctx = tempStore();
  store = ctx.store;
});
afterEach(() => ctx.cleanup());

function counter(): { count: () => number; read: () => number } {
  let computed = 0;
  return {
    count: () => computed,
    read: () => cachedByRevision(store.db, 'test', () => {
      computed += 1;
      return (store.db.prepare('SELECT count(*) AS n FROM models').get() as { n: number }).n;
    }),
  };
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
    const other = openStore(ctx.dbPath);
    try {
      addModel(other, 'from-elsewhere', '1');
    } finally {
      other.close();
    }
    expect(c.read()).toBe(1);
    expect(c.count()).toBe(2);
  });

  it('keeps nothing read inside a transaction (it may be rolled back)', () => {
    const c = counter();
    const before = storeRevision(store.db);
    try {
      store.db.transaction(() => {
        addModel(store, 'rolled-back', '1');
        expect(c.read()).toBe(1);
        throw new Error('roll back');
      })();
    } catch {
      /* rolled back */
    }
    expect(storeRevision(store.db)).not.toBe(before);
    expect(c.read()).toBe(0);
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
