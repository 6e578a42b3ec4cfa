import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../shared/ipc/contract';
import { modelStats } from '../../electron/core/models/modelStats';
import { demoHandlers, type DemoHandlers } from '../support/demoHandlers';

/**
 * The Overview asks for figures (models/stats, lifecycle/summary) instead of whole lists; the figures
 * must be the ones the lists give, so the Overview and the Models and Lifecycle views never disagree.
 */
let demo: DemoHandlers;

beforeAll(async () => {
  demo = await demoHandlers('overview-figures');
}, 60_000);
afterAll(() => demo?.close());

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
    const list = await demo.value('models/list');
    const stats = await demo.value('models/stats');
    expect(stats.models).toBe(list.length);
    expect(stats.versions).toBe(list.reduce((n, m) => n + m.versionCount, 0));
    expect(stats.incomplete).toBe(list.filter((m) => m.completeness.missing.length + m.completeness.empty.length > 0).length);
    expect(stats.incomplete).toBeGreaterThan(0);
  });
});

describe('models/names', () => {
  it('names exactly the models models/list lists', async () => {
    const list = await demo.value('models/list');
    const names = await demo.value('models/names');
    expect([...names].sort()).toEqual(list.map((m) => m.name).sort());
    expect(names.length).toBeGreaterThan(3);
  });
});

describe('lifecycle/summary', () => {
  it('totals what lifecycle/candidates lists', async () => {
    const full = await demo.value('lifecycle/candidates');
    const figures = await demo.value('lifecycle/summary');
    expect(figures.candidates).toBe(full.candidates.length);
    expect(figures.candidates).toBeGreaterThan(0);
    expect(figures.savingsAtStake).toEqual(full.savingsAtStake);
    expect(figures.deprecated).toBe(full.states.filter((s) => s.state === 'deprecated').length);
    expect(figures.retired).toBe(full.states.filter((s) => s.state === 'retired').length);
    expect(figures.stillSpending).toBe(new Set(full.retiredSpend.map((a) => `${a.model}@${a.version}`)).size);
    expect(figures.asOf).toBe(full.asOf);
  });
});
