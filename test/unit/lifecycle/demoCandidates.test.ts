import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoWorkspace } from '../../../electron/core/demo/buildDemo';
import { sunsetCandidates, type SunsetCandidate } from '../../../electron/core/lifecycle/candidates';
import { openStore, type Store } from '../../../electron/core/store/openStore';
import { clock, RESOURCES } from './lifecycleFixture';

/** The demo workspace, as a user first sees it: the shipped default pack, data through 2026-03-31. */
let dir: string;
let store: Store;
let list: SunsetCandidate[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-lifecycle-demo-'));
  await buildDemoWorkspace({ outDir: dir, resourcesDir: RESOURCES, clock, actor: 'demo' });
  store = openStore(join(dir, 'docket.db'));
  list = sunsetCandidates(store, { resourcesDir: RESOURCES, clock });
}, 120_000);

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sunset candidates of the demo workspace', () => {
  it('flags churn-propensity for low traffic for its cost, with its ratio to the peer median', () => {
    const churn = list.find((c) => c.model === 'churn-propensity')!;
    expect(churn.version).toBe('3'); // the champion
    const r = churn.reasons.find((x) => x.code === 'low-traffic-for-cost')!;
    expect(r.detail).toMatch(/^\$0\.\d+ per 1,000 predictions, \d+\.\d× the peer median of \$0\.\d+ across 5 other models .* in the 30 days to 2026-03-31, the last day of usage data/);
    expect(r.detail).toContain(`${(r.figures.ratio as number).toFixed(1)}×`);
    expect(r.figures.ratio as number).toBeGreaterThanOrEqual(3);
    expect(churn.costPer1k).toBeGreaterThan(0.5);
    expect(churn.dataThrough).toEqual({ spend: '2026-03-31', usage: '2026-03-31' });
  });

  it('is sorted by monthly saving, largest first, and every candidate has a reason', () => {
    expect(list.length).toBeGreaterThan(0);
    const savings = list.map((c) => c.monthlySaving);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
    expect(list.every((c) => c.reasons.length > 0)).toBe(true);
    // With no shared costs or commitments entered, the saving is the attributed spend.
    expect(list.every((c) => c.monthlySaving === c.monthlySpend && c.currency === 'USD')).toBe(true);
  });
});
