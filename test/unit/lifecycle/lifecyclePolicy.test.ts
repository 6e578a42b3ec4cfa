import { describe, expect, it } from 'vitest';
import { loadDefaultPolicyPack } from '../../../electron/core/policy/loadPolicyPack';
import { DEFAULT_LIFECYCLE_THRESHOLDS, LifecycleThresholdsSchema } from '../../../shared/lifecycle/lifecyclePolicy';
import { SUNSET_REASON_CODES, SUNSET_REASON_LABELS } from '../../../shared/lifecycle/reasons';
import { PolicyPackSchema } from '../../../shared/policy/policyPack';
import { RESOURCES } from './lifecycleFixture';

describe('lifecycle thresholds in the policy pack', () => {
  it('has documented defaults, and the shipped pack states them', () => {
    expect(DEFAULT_LIFECYCLE_THRESHOLDS).toEqual({ lowTrafficCostRatio: 3, minPeers: 3, trafficWindowDays: 30, noTrafficDays: 30, staleDays: 365, minMonthlySpend: 1 });
    expect(loadDefaultPolicyPack(RESOURCES).lifecycle).toEqual(DEFAULT_LIFECYCLE_THRESHOLDS);
  });

  it('fills left-out keys with defaults and refuses misspelt ones', () => {
    expect(LifecycleThresholdsSchema.parse({ staleDays: 180 })).toEqual({ ...DEFAULT_LIFECYCLE_THRESHOLDS, staleDays: 180 });
    expect(LifecycleThresholdsSchema.safeParse({ staleDayz: 180 }).success).toBe(false);
    expect(LifecycleThresholdsSchema.safeParse({ lowTrafficCostRatio: 1 }).success).toBe(false);
  });

  it('keeps packs without a lifecycle section valid and unchanged', () => {
    const { lifecycle: _lifecycle, ...older } = loadDefaultPolicyPack(RESOURCES);
    const parsed = PolicyPackSchema.parse(older);
    expect('lifecycle' in parsed).toBe(false);
  });

  it('labels every reason code', () => {
    expect(Object.keys(SUNSET_REASON_LABELS).sort()).toEqual([...SUNSET_REASON_CODES].sort());
  });
});
