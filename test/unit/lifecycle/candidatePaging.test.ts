import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dispatch, type Handlers } from '../../../shared/ipc/dispatch';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import { createCoreHandlers } from '../../../electron/core/handlers';
import { buildDemoWorkspace } from '../../../electron/core/demo/buildDemo';
import { openStore, type Store } from '../../../electron/core/store/openStore';
import { fixedClock } from '../../support/tempStore';

/** lifecycle/candidates answers one page of the ranked, filtered list, with the counts of the whole. */
let base: string;
let store: Store;
let handlers: Handlers;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'docket-candidate-paging-'));
  const demo = await buildDemoWorkspace({ outDir: join(base, 'workspace'), resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  store = openStore(demo.machine.dbPath);
  handlers = createCoreHandlers({ store, resourcesDir: resolve('resources'), actor: 'demo', clock: fixedClock(), emit: () => undefined }) as unknown as Handlers;
}, 60_000);
afterAll(() => {
  store?.close();
  rmSync(base, { recursive: true, force: true });
});

async function candidates(input: object): Promise<ChannelOutput<'lifecycle/candidates'>> {
  const result = await dispatch(handlers, 'lifecycle/candidates', input);
  if (!result.ok) throw new Error(`${result.error.code} ${result.error.message}`);
  return result.value as ChannelOutput<'lifecycle/candidates'>;
}

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
