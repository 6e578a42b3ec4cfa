import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../../shared/ipc/dispatch';
import { demoHandlers, type DemoHandlers } from '../../support/demoHandlers';

/** lifecycle/candidates answers one page of the ranked, filtered list, with the counts of the whole. */
let demo: DemoHandlers;
let handlers: Handlers;

beforeAll(async () => {
  demo = await demoHandlers('candidate-paging');
  handlers = demo.handlers;
}, 60_000);
afterAll(() => demo?.close());

const candidates = (input: object) => demo.value('lifecycle/candidates', input);

describe('lifecycle/candidates pages', () => {
  it('gives the first candidates by saving, with the totals of the whole list', async () => {
    const all = await candidates({});
    expect(all.total).toBeGreaterThan(3);
    expect(all.candidates).toHaveLength(all.total);
    const savings = all.candidates.map((c) => c.monthlySaving);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
    const first = await candidates({ limit: 2 });
    expect(first.candidates).toEqual(all.candidates.slice(0, 2));
    expect(first).toMatchObject({ total: all.total, matching: all.total, savingsAtStake: all.savingsAtStake, matchingSavings: all.savingsAtStake });
  });

  it('filters in the engine, counting each choice over the whole list', async () => {
    const all = await candidates({});
    const reason = all.options.reasons[0]!;
    const page = await candidates({ filter: { reason: reason.value, team: '', provider: '' }, limit: 1 });
    expect(page.matching).toBe(reason.count);
    expect(page.candidates).toHaveLength(1);
    expect(page.candidates[0]!.reasons.some((r) => r.code === reason.value)).toBe(true);
    expect(page.options).toEqual(all.options);
    expect(page.total).toBe(all.total);
  });

  it('keeps the horizon of the whole list when a filter keeps nothing', async () => {
    const all = await candidates({});
    expect(all.dataThrough.spend).not.toBeNull();
    const none = await candidates({ filter: { reason: '', team: 'no-such-team', provider: '' }, limit: 100 });
    expect(none.candidates).toEqual([]);
    expect(none.dataThrough).toEqual(all.dataThrough);
  });

  it('narrows to one version for the new-sunset page', async () => {
    const all = await candidates({});
    const one = all.candidates[1]!;
    const narrowed = await candidates({ model: one.model, version: one.version });
    expect(narrowed.candidates).toEqual([one]);
    expect((await candidates({ model: 'no-such-model' })).candidates).toEqual([]);
  });

  it('refuses a filter it does not know', async () => {
    const refused = await dispatch(handlers, 'lifecycle/candidates', { filter: { reason: 'bored', team: '', provider: '' } });
    expect(refused.ok).toBe(false);
  });
});
