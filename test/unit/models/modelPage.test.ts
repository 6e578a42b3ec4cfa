import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterAndSort, SORT_KEYS } from '../../../shared/models/filterSort';
import { demoHandlers, type DemoHandlers } from '../../support/demoHandlers';

/**
 * models/page answers, a page at a time, exactly the rows the Models view showed when it searched and
 * sorted the whole list itself: same order for every sort key and direction, same search.
 */
let demo: DemoHandlers;

beforeAll(async () => {
  demo = await demoHandlers('model-page');
}, 60_000);
afterAll(() => demo?.close());

describe('models/page', () => {
  it('pages through the list in the order filterSort gives, for every sort', async () => {
    const all = await demo.value('models/list');
    expect(all.length).toBeGreaterThan(5);
    for (const key of SORT_KEYS) {
      for (const direction of ['asc', 'desc'] as const) {
        const expected = filterAndSort(all, '', { key, direction }).map((m) => m.name);
        const seen: string[] = [];
        for (let offset = 0; offset < all.length; offset += 4) {
          const page = await demo.value('models/page', { sort: { key, direction }, offset, limit: 4 });
          expect(page).toMatchObject({ offset, total: all.length, matching: all.length });
          seen.push(...page.rows.map((m) => m.name));
        }
        expect(seen, `${key} ${direction}`).toEqual(expected);
      }
    }
  });

  it('searches as the window searched, and counts what matches', async () => {
    const all = await demo.value('models/list');
    const query = all[0]!.owners[0] ?? all[0]!.name;
    const page = await demo.value('models/page', { query });
    const expected = filterAndSort(all, query, { key: 'name', direction: 'asc' });
    expect(expected.length).toBeLessThan(all.length);
    expect(page.rows).toEqual(expected);
    expect(page).toMatchObject({ total: all.length, matching: expected.length });
    // Past the end: no rows, the counts still right.
    expect(await demo.value('models/page', { query, offset: 10_000 })).toEqual({ rows: [], offset: 10_000, total: all.length, matching: expected.length });
  });

  it('answers the store as it is after a write, not the order it kept before', async () => {
    const before = await demo.value('models/page', { query: 'zz-added' });
    expect(before.matching).toBe(0);
    const db = demo.store.db;
    const id = Number(db.prepare("INSERT INTO models (name, created_at, updated_at) VALUES ('zz-added', 'x', 'x')").run().lastInsertRowid);
    db.prepare("INSERT INTO model_versions (model_id, version, created_at, updated_at) VALUES (?, '1', 'x', 'x')").run(id);
    const after = await demo.value('models/page', { query: 'zz-added' });
    expect(after.rows.map((m) => m.name)).toEqual(['zz-added']);
    expect(after.total).toBe(before.total + 1);
  });

  it('answers the default first page without input, and refuses a page too large', async () => {
    const first = await demo.value('models/page');
    expect(first.offset).toBe(0);
    expect(first.rows).toEqual(filterAndSort(await demo.value('models/list'), '', { key: 'name', direction: 'asc' }).slice(0, 1000));
    await expect(demo.value('models/page', { limit: 100_000 })).rejects.toThrow(/INVALID_INPUT/);
    await expect(demo.value('models/page', { sort: { key: 'nonsense', direction: 'asc' } })).rejects.toThrow(/INVALID_INPUT/);
  });
});
