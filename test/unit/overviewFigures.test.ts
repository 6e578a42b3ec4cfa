import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dispatch, type Handlers } from '../../shared/ipc/dispatch';
import type { Channel, ChannelOutput, ModelSummary } from '../../shared/ipc/contract';
import { createCoreHandlers } from '../../electron/core/handlers';
import { buildDemoWorkspace } from '../../electron/core/demo/buildDemo';
import { openStore, type Store } from '../../electron/core/store/openStore';
import { modelStats } from '../../electron/core/models/modelStats';
import { fixedClock } from '../support/tempStore';

/**
 * The Overview asks for figures (models/stats, lifecycle/summary) instead of whole lists; the figures
 * must be the ones the lists give, so the Overview and the Models and Lifecycle views never disagree.
 */
let base: string;
let store: Store;
let handlers: Handlers;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'docket-overview-figures-'));
  const demo = await buildDemoWorkspace({ outDir: join(base, 'workspace'), resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  store = openStore(demo.machine.dbPath);
  handlers = createCoreHandlers({ store, resourcesDir: resolve('resources'), actor: 'demo', clock: fixedClock(), emit: () => undefined }) as unknown as Handlers;
}, 60_000);
afterAll(() => {
  store?.close();
  rmSync(base, { recursive: true, force: true });
});

async function value<C extends Channel>(channel: C, input: unknown = {}): Promise<ChannelOutput<C>> {
  const result = await dispatch(handlers, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as ChannelOutput<C>;
}

function summary(name: string, ratio: number, gaps: { missing?: string[]; empty?: string[] }, fairness: ModelSummary['fairnessStatus'] = 'none'): ModelSummary {
  return {
    name,
    owners: [],
    tags: [],
    license: null,
    latestVersion: '1',
    versionCount: 2,
    completeness: { present: [], empty: gaps.empty ?? [], missing: gaps.missing ?? [], ratio } as ModelSummary['completeness'],
    fairnessStatus: fairness,
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

describe('models/stats', () => {
  it('counts every model and lists the least complete first, then by name', () => {
    const list = [
      summary('b', 0.5, { missing: ['uses'] }, 'fail'),
      summary('a', 0.5, { empty: ['limitations'] }),
      summary('c', 1, {}, 'fail'),
      summary('d', 0.2, { missing: ['uses', 'training'] }, 'pass' as ModelSummary['fairnessStatus']),
    ];
    const stats = modelStats(list);
    expect(stats).toMatchObject({ models: 4, versions: 8, incomplete: 3, failingFairness: 2 });
    expect(stats.incompleteFirst.map((m) => m.name)).toEqual(['d', 'a', 'b']);
    expect(stats.failingFairnessFirst).toEqual([
      { name: 'b', latestVersion: '1' },
      { name: 'c', latestVersion: '1' },
    ]);
  });

  it('shows at most 50 incomplete and 3 failing models but counts them all', () => {
    const list = Array.from({ length: 120 }, (_, i) => summary(`m${String(i).padStart(3, '0')}`, 0.5, { missing: ['uses'] }, 'fail'));
    const stats = modelStats(list);
    expect(stats.incomplete).toBe(120);
    expect(stats.incompleteFirst).toHaveLength(50);
    expect(stats.failingFairness).toBe(120);
    expect(stats.failingFairnessFirst).toHaveLength(3);
  });

  it('agrees with models/list over the demo workspace', async () => {
    const list = await value('models/list');
    const stats = await value('models/stats');
    expect(stats.models).toBe(list.length);
    expect(stats.versions).toBe(list.reduce((n, m) => n + m.versionCount, 0));
    expect(stats.incomplete).toBe(list.filter((m) => m.completeness.missing.length + m.completeness.empty.length > 0).length);
    expect(stats.incomplete).toBeGreaterThan(0);
  });
});

describe('models/names', () => {
  it('names exactly the models models/list lists', async () => {
    const list = await value('models/list');
    const names = await value('models/names');
    expect([...names].sort()).toEqual(list.map((m) => m.name).sort());
    expect(names.length).toBeGreaterThan(3);
  });
});

describe('lifecycle/summary', () => {
  it('totals what lifecycle/candidates lists', async () => {
    const full = await value('lifecycle/candidates');
    const figures = await value('lifecycle/summary');
    expect(figures.candidates).toBe(full.candidates.length);
    expect(figures.candidates).toBeGreaterThan(0);
    expect(figures.savingsAtStake).toEqual(full.savingsAtStake);
    expect(figures.deprecated).toBe(full.states.filter((s) => s.state === 'deprecated').length);
    expect(figures.retired).toBe(full.states.filter((s) => s.state === 'retired').length);
    expect(figures.stillSpending).toBe(new Set(full.retiredSpend.map((a) => `${a.model}@${a.version}`)).size);
    expect(figures.asOf).toBe(full.asOf);
  });
});
