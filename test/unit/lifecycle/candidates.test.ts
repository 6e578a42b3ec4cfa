import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sunsetCandidates, type SunsetCandidate } from '../../../electron/core/lifecycle/candidates';
import type { Store } from '../../../electron/core/store/openStore';
import type { SunsetReasonCode } from '../../../shared/lifecycle/reasons';
import { tempStore } from '../../support/tempStore';
import { addAlias, addFairness, addModel, addSpend, addUsage, clock, LIFECYCLE_TEST_PACK, lineageEdge, lineageNode, RESOURCES, usePack } from './lifecycleFixture';

/**
 * One synthetic workspace per test, holding exactly the facts that make one reason (and, where it
 * matters, the near miss that must not). Usage and spend end 2026-03-31 while "now" is 2026-11-26:
 * traffic is judged at the data's own horizon, not today.
 */

let ctx: ReturnType<typeof tempStore>;
let store: Store;

beforeEach(() => {
  ctx = tempStore();
  store = ctx.store;
  usePack(store, ctx.dir);
});
afterEach(() => ctx.cleanup());

const WINDOW = { from: '2026-03-02', to: '2026-03-31' }; // the 30 days to the last day of data

function candidates(): SunsetCandidate[] {
  return sunsetCandidates(store, { resourcesDir: RESOURCES, clock });
}

function find(model: string, version?: string): SunsetCandidate | undefined {
  return candidates().find((c) => c.model === model && (version === undefined || c.version === version));
}

function reason(c: SunsetCandidate | undefined, code: SunsetReasonCode) {
  return c?.reasons.find((r) => r.code === code);
}

/** A model with spend and traffic over the window: cost per 1,000 = spend / requests x 1,000. */
function withTraffic(name: string, spend: number, requests: number): void {
  addModel(store, name, '1');
  addSpend(store, name, WINDOW.from, WINDOW.to, spend);
  addUsage(store, name, WINDOW.from, WINDOW.to, requests);
}

describe('sunsetCandidates', () => {
  it('lists nothing for healthy models (the fixtures make no reason on their own)', () => {
    addModel(store, 'healthy', '1');
    withTraffic('busy', 30, 300_000);
    expect(candidates()).toEqual([]);
  });

  it('low-traffic-for-cost: cost per 1,000 predictions against the peer median, at the usage horizon', () => {
    // Peers: 30/300,000 = $0.10; 20/100,000 = $0.20; 60/400,000 = $0.15 per 1,000 => median $0.15.
    // pricey: 90/100,000 = $0.90 per 1,000 = 6.0x the median (limit 3x).
    withTraffic('peer-a', 30, 300_000);
    withTraffic('peer-b', 20, 100_000);
    withTraffic('peer-c', 60, 400_000);
    withTraffic('pricey', 90, 100_000);
    const list = candidates();
    // peer-b: 0.20 against the median of (0.10, 0.15, 0.90) = 0.15 is 1.3x: not a candidate.
    expect(list.map((c) => c.model)).toEqual(['pricey']);
    const c = list[0]!;
    const r = reason(c, 'low-traffic-for-cost')!;
    expect(r.detail).toBe(
      '$0.90 per 1,000 predictions, 6.0× the peer median of $0.15 across 3 other models ($90.00 over 100,000 predictions in the 30 days to 2026-03-31, the last day of usage data; the limit is 3×).',
    );
    expect(r.figures).toMatchObject({ costPer1k: 0.9, peerMedianPer1k: 0.15, ratio: 6, threshold: 3, peers: 3, requests: 100_000, currency: 'USD', from: '2026-03-02', to: '2026-03-31' });
    // Monthly: $90 over 30 days x 30.4375 / 30 = $91.3125 => $91.31; saving the same (no shared costs, no commitments).
    expect(c).toMatchObject({ version: '1', monthlySpend: 91.31, monthlySaving: 91.31, currency: 'USD', costPer1k: 0.9, team: 'test-team', providers: ['AWS'] });
    expect(c.dataThrough).toEqual({ spend: '2026-03-31', usage: '2026-03-31' });
  });

  it('low-traffic-for-cost needs minPeers peers to compare with', () => {
    withTraffic('peer-a', 30, 300_000);
    withTraffic('peer-b', 20, 100_000);
    withTraffic('pricey', 90, 100_000);
    expect(candidates()).toEqual([]); // 2 peers < minPeers 3
  });

  it('no-traffic: spend but no requests in the window, or no usage rows while others have usage', () => {
    withTraffic('busy', 30, 300_000);
    addModel(store, 'idle', '1');
    addSpend(store, 'idle', WINDOW.from, WINDOW.to, 60); // $60 in 30 days = $60.88 a month
    addModel(store, 'zero', '1');
    addSpend(store, 'zero', WINDOW.from, WINDOW.to, 45);
    addUsage(store, 'zero', WINDOW.from, WINDOW.to, 0);
    addModel(store, 'cheap', '1');
    addSpend(store, 'cheap', WINDOW.from, WINDOW.to, 0.5); // $0.51 a month: below minMonthlySpend ($1)
    const idle = reason(find('idle'), 'no-traffic')!;
    expect(idle.detail).toBe('$60.00 of effective spend ($60.88 a month) but no usage is recorded for it in the 30 days to 2026-03-31, the last day of usage data (the limit is 30 days without traffic).');
    expect(idle.figures).toMatchObject({ requests: 0, effectiveCost: 60, monthlySpend: 60.88, noTrafficDays: 30, from: '2026-03-02', to: '2026-03-31' });
    expect(reason(find('zero'), 'no-traffic')!.detail).toContain('but it served 0 requests in the 30 days to 2026-03-31');
    expect(find('cheap')).toBeUndefined();
    expect(find('busy')).toBeUndefined();
  });

  it('no-traffic is not judged without any usage data', () => {
    addModel(store, 'idle', '1');
    addSpend(store, 'idle', WINDOW.from, WINDOW.to, 60);
    expect(candidates()).toEqual([]);
  });

  it('superseded: an older version still holding an alias, a stage or a deployment while a newer one is in production', () => {
    addModel(store, 'sup', '1', { stage: 'Staging' });
    addModel(store, 'sup', '2');
    addModel(store, 'sup', '3');
    addModel(store, 'sup', '4', { stage: 'Archived' }); // newer than production: never "superseded"
    addAlias(store, 'sup', 'champion', '3');
    addAlias(store, 'sup', 'challenger', '2');
    // $30 tagged to sup@2 over the 30 days => 30 x 30.4375 / 30 = $30.44 a month.
    addSpend(store, 'sup@2', WINDOW.from, WINDOW.to, 30);

    const v2 = find('sup', '2')!;
    expect(v2.reasons.map((r) => r.code)).toEqual(['superseded']);
    expect(v2.reasons[0]!.detail).toBe('v3 holds the "champion" alias, but v2 still holds the alias "challenger". Spend tagged sup@2: $30.44 a month (30 days to 2026-03-31).');
    expect(v2).toMatchObject({ monthlySpend: 30.44, monthlySaving: 30.44 });
    const v1 = find('sup', '1')!;
    expect(v1.reasons[0]!.detail).toBe('v3 holds the "champion" alias, but v1 still holds the Staging stage. Its spend is not separable by version (no spend is tagged sup@1), so the saving shows $0.00.');
    expect(v1.reasons[0]!.figures).toMatchObject({ productionVersion: '3', stage: 'Staging', versionTaggedMonthlySpend: 0 });
    expect(v1.monthlySaving).toBe(0);
    expect(find('sup', '4')).toBeUndefined();
    expect(find('sup', '3')).toBeUndefined();
  });

  it('superseded: the Production stage marks production when no alias does; a lineage deployment counts as held', () => {
    addModel(store, 'dep', '1', { stage: 'Archived' });
    addModel(store, 'dep', '2', { stage: 'Production' });
    addModel(store, 'dep', '0', { stage: 'Archived' }); // archived, unaliased, undeployed: done with
    lineageNode(store, 'model:dep@1', 'model_version', 'dep v1');
    lineageNode(store, 'run:deploy-1', 'run', 'dep.deploy');
    lineageNode(store, 'deployment:serving-prod|endpoints:/dep-legacy', 'deployment', 'dep-legacy');
    lineageEdge(store, 'model:dep@1', 'run:deploy-1', 'input');
    lineageEdge(store, 'run:deploy-1', 'deployment:serving-prod|endpoints:/dep-legacy', 'deployed');
    const list = candidates();
    expect(list.map((c) => `${c.model}@${c.version}`)).toEqual(['dep@1']);
    expect(list[0]!.reasons[0]!.detail).toMatch(/^v2 holds the Production stage, but v1 still holds 1 deployment in lineage \(dep-legacy\)\./);
    expect(list[0]!.reasons[0]!.figures).toMatchObject({ deployments: 1, productionVersion: '2' });
  });

  it('stale: no new version and no dated evaluation for staleDays, relative to the clock', () => {
    // 2025-06-01 to 2026-11-26 09:00 = 543 days (limit 365).
    addModel(store, 'old', '1', { createdAt: '2025-06-01T00:00:00.000Z' });
    const r = reason(find('old'), 'stale')!;
    expect(r.detail).toBe('No new version in 543 days (v1 was registered 2025-06-01) and no fairness evaluation at all; the limit is 365 days.');
    expect(r.figures).toMatchObject({ daysSinceVersion: 543, latestVersionAt: '2025-06-01', lastEvaluationAt: null, staleDays: 365 });

    // An evaluation dated 2026-06-01 (178 days ago) keeps an old model current.
    addModel(store, 'old-evaluated', '1', { createdAt: '2025-06-01T00:00:00.000Z' });
    addFairness(store, ctx.dir, 'old-evaluated', '1', '2026-06-01T00:00:00Z');
    expect(find('old-evaluated')).toBeUndefined();

    // A newer version keeps it current too.
    addModel(store, 'old', '2', { createdAt: '2026-10-01T00:00:00.000Z' });
    expect(reason(find('old'), 'stale')).toBeUndefined();
  });

  it('stale: an undated evaluation cannot show the model was evaluated recently', () => {
    addModel(store, 'undated', '1', { createdAt: '2025-06-01T00:00:00.000Z' });
    addFairness(store, ctx.dir, 'undated', '1', null);
    expect(reason(find('undated'), 'stale')!.detail).toContain('no dated fairness evaluation (1 evaluation states no date)');
  });

  it('stale follows the pack: staleDays 600 keeps a 543-day-old model current', () => {
    usePack(store, ctx.dir, LIFECYCLE_TEST_PACK.replace('version: "1"', 'version: "2"').replace('staleDays: 365', 'staleDays: 600'));
    addModel(store, 'old', '1', { createdAt: '2025-06-01T00:00:00.000Z' });
    expect(find('old')).toBeUndefined();
  });

  it('expired-evidence: fairness evidence older than the freshness rule allows', () => {
    // Evaluated 2026-01-01: 329 days before 2026-11-26 (limit 180). It passes its thresholds.
    addModel(store, 'expired', '1');
    addFairness(store, ctx.dir, 'expired', '1', '2026-01-01T00:00:00Z');
    const c = find('expired')!;
    expect(c.reasons.map((r) => r.code)).toEqual(['expired-evidence']);
    expect(c.reasons[0]!.detail).toBe(
      '1 fairness evaluation of v1, none within the 180-day limit of rule high.evidence-freshness (Lifecycle test pack 1, tier high) on 2026-11-26: the newest dated one (2026-01-01) is 329 days old.',
    );
    expect(c.reasons[0]!.figures).toMatchObject({ rule: 'high.evidence-freshness', maxAgeDays: 180, newestAgeDays: 329, evaluations: 1, undated: 0 });

    addModel(store, 'fresh', '1');
    addFairness(store, ctx.dir, 'fresh', '1', '2026-11-01T00:00:00Z');
    expect(find('fresh')).toBeUndefined();
  });

  it('failing-fairness: a current evaluation outside the pack thresholds', () => {
    // Group a is selected at 0.5, group b at 0.1: disparate impact ratio 0.1 / 0.5 = 0.2 < 0.8.
    addModel(store, 'unfair', '1');
    addFairness(store, ctx.dir, 'unfair', '1', '2026-11-01T00:00:00Z', 0.1);
    const c = find('unfair')!;
    expect(c.reasons.map((r) => r.code)).toEqual(['failing-fairness']);
    expect(c.reasons[0]!.detail).toMatch(/^v1 fails rule high\.fairness \(Group disparities within thresholds\) of Lifecycle test pack 1: Outside the threshold: #\d+ disparate_impact_ratio: .*0\.2/);
    expect(c.reasons[0]!.figures).toMatchObject({ rules: 'high.fairness' });
  });

  it('failing-policy: any other rule the serving version fails', () => {
    addModel(store, 'thin-card', '1', { withoutSections: ['intendedUse'] });
    const c = find('thin-card')!;
    expect(c.reasons.map((r) => r.code)).toEqual(['failing-policy']);
    expect(c.reasons[0]!.detail).toBe('v1 fails 1 rule of Lifecycle test pack 1 (tier high): high.card-sections: The card lacks: Intended use (absent).');
    expect(c.reasons[0]!.figures).toMatchObject({ rules: 'high.card-sections', failing: 1 });
  });

  it('no-owner: the serving version has no owner in its card, or no card', () => {
    addModel(store, 'orphan', '1', { owners: [] });
    addModel(store, 'cardless', '1', { owners: null });
    const orphan = find('orphan')!;
    expect(orphan.reasons.map((r) => r.code)).toEqual(['no-owner']);
    expect(orphan.reasons[0]!.detail).toBe('The model card of v1 names 0 owners (MLflow says registrar@example registered it).');
    expect(reason(find('cardless'), 'no-owner')!.detail).toBe('No model card is imported for v1, so 0 owners are recorded (MLflow says registrar@example registered it).');
  });

  it('judges the serving version: the production alias holder, not the latest', () => {
    addModel(store, 'm', '1', { owners: [] }); // serving, ownerless
    addModel(store, 'm', '2'); // newer, owned, not serving
    addAlias(store, 'm', 'Production', '1'); // alias names compare case-insensitively
    const c = find('m')!;
    expect(c.version).toBe('1');
    expect(c.reasons.map((r) => r.code)).toEqual(['no-owner']);
  });

  it('never mixes currencies: the currency with the most spend is the one counted', () => {
    addModel(store, 'orphan', '1', { owners: [] });
    addSpend(store, 'orphan', WINDOW.from, WINDOW.to, 100, { currency: 'EUR' });
    addSpend(store, 'orphan', WINDOW.from, WINDOW.to, 10, { currency: 'USD' });
    // EUR 100 x 30.4375 / 30 = 101.458 => 101.46
    expect(find('orphan')).toMatchObject({ currency: 'EUR', monthlySpend: 101.46, monthlySaving: 101.46 });
  });

  it('sorts by monthly saving, largest first', () => {
    for (const [name, spend] of [['a', 10], ['b', 300], ['c', 50]] as const) {
      addModel(store, name, '1', { owners: [] });
      addSpend(store, name, WINDOW.from, WINDOW.to, spend);
    }
    expect(candidates().map((c) => c.model)).toEqual(['b', 'c', 'a']);
  });
});
