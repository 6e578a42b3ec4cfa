import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { confusionByGroup, formatAgainst, groupsFromConfusion, metricsFromConfusion } from '../../../shared/fairness/metrics';
import { computeDisparities } from '../../../shared/fairness/disparities';
import {
  compareDisparities,
  evaluateThresholds,
  FairnessPolicySchema,
  policySummary,
  statusOf,
  worstStatus,
  type FairnessPolicy,
} from '../../../shared/fairness/policy';
import { DISPARITY_MEASURES, type ConfusionCounts, type FairnessGroup } from '../../../shared/domain/fairness';

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const fixture = JSON.parse(readFileSync(here('../../fixtures/fairness/fairlearn-doc-example.json'), 'utf8')) as {
  y_true: number[];
  y_pred: number[];
  sensitive_features: string[];
  expected: Record<'demographic_parity_difference' | 'demographic_parity_ratio' | 'equalized_odds_difference', number>;
};
const NO_EXCLUSION = { minGroupCount: 0, minGroupShare: 0 };

/** A group from confusion counts, labelled by a single value. */
const group = (label: string, c: ConfusionCounts): FairnessGroup => groupsFromConfusion([{ values: [label], confusion: c }])[0]!;
/** A group with only a selection rate, as a by-group CSV without counts might give. */
const rateGroup = (label: string, selection_rate: number, count: number | null = 100): FairnessGroup => ({
  values: [label],
  label,
  count,
  metrics: { selection_rate },
});

describe("Fairlearn's documented example", () => {
  const groups = groupsFromConfusion(confusionByGroup(fixture.y_true, fixture.y_pred, fixture.sensitive_features.map((s) => [s])));
  const report = computeDisparities(groups, NO_EXCLUSION);

  it('groups the samples as MetricFrame does', () => {
    expect(groups.map((g) => [g.label, g.count, g.confusion])).toEqual([
      ['a', 4, { tp: 1, fp: 2, tn: 0, fn: 1 }],
      ['b', 6, { tp: 3, fp: 0, tn: 1, fn: 2 }],
      ['c', 8, { tp: 2, fp: 2, tn: 1, fn: 3 }],
    ]);
    expect(groups[0]!.metrics).toEqual({ selection_rate: 0.75, true_positive_rate: 0.5, false_positive_rate: 1, precision: 1 / 3, accuracy: 0.25 });
  });

  it('reproduces the printed disparities exactly', () => {
    expect(report.measures.demographic_parity_difference.value).toBe(fixture.expected.demographic_parity_difference);
    expect(report.measures.demographic_parity_ratio.value).toBe(fixture.expected.demographic_parity_ratio);
    expect(report.measures.equalized_odds_difference.value).toBe(fixture.expected.equalized_odds_difference);
    expect(report.measures.demographic_parity_difference.value).toBe(0.25);
    expect(report.measures.demographic_parity_ratio.value).toBe(0.6666666666666666);
    expect(report.measures.equalized_odds_difference.value).toBe(1.0);
  });

  it('derives the mean variant, impact ratios and the groups at the extremes', () => {
    // TPR gap 0.6 - 0.4, FPR gap 1 - 0: Fairlearn's agg='mean' averages them.
    expect(report.measures.equalized_odds_difference_mean.value).toBeCloseTo(0.6, 12);
    expect(report.measures.disparate_impact_ratio.value).toBe(report.measures.demographic_parity_ratio.value);
    expect(report.impactRatios).toEqual({ a: 1, b: 0.6666666666666666, c: 0.6666666666666666 });
    // b and c tie on the lowest selection rate; the first label wins, whatever the input order.
    expect(report.measures.demographic_parity_difference.between).toEqual(['b', 'a']);
    expect(report.measures.equalized_odds_difference.between).toEqual(['b', 'a']);
    expect(report.includedGroups).toEqual(['a', 'b', 'c']);
    expect(report.excludedGroups).toEqual([]);
  });
});

describe('metricsFromConfusion', () => {
  it('computes the five rates by hand', () => {
    expect(metricsFromConfusion({ tp: 3, fp: 1, tn: 4, fn: 2 })).toEqual({
      selection_rate: 0.4, // 4 / 10
      true_positive_rate: 0.6, // 3 / 5
      false_positive_rate: 0.2, // 1 / 5
      precision: 0.75, // 3 / 4
      accuracy: 0.7, // 7 / 10
    });
  });

  it('omits metrics whose denominator is zero instead of returning NaN', () => {
    // No positives in y_true and none predicted: TPR and precision are undefined.
    expect(metricsFromConfusion({ tp: 0, fp: 0, tn: 5, fn: 0 })).toEqual({ selection_rate: 0, false_positive_rate: 0, accuracy: 1 });
    // No negatives in y_true: FPR is undefined.
    expect(metricsFromConfusion({ tp: 2, fp: 0, tn: 0, fn: 2 })).toEqual({ selection_rate: 0.5, true_positive_rate: 0.5, precision: 1, accuracy: 0.5 });
    expect(metricsFromConfusion({ tp: 0, fp: 0, tn: 0, fn: 0 })).toEqual({});
  });

  it('refuses impossible counts', () => {
    expect(() => metricsFromConfusion({ tp: -1, fp: 0, tn: 0, fn: 0 })).toThrow(/non-negative integer/);
    expect(() => metricsFromConfusion({ tp: 1.5, fp: 0, tn: 0, fn: 0 })).toThrow(RangeError);
  });
});

describe('confusionByGroup', () => {
  it('builds intersectional groups from two features, sorted by their values', () => {
    const yTrue = [1, 0, 1, 0, 1, 1, 0, 0];
    const yPred = [1, 1, 0, 0, 1, 1, 0, 1];
    const sens = [['m', 'old'], ['f', 'young'], ['m', 'old'], ['f', 'old'], ['f', 'young'], ['m', 'young'], ['m', 'young'], ['f', 'old']];
    const byGroup = confusionByGroup(yTrue, yPred, sens);
    expect([...byGroup.keys()]).toEqual(['f × old', 'f × young', 'm × old', 'm × young']);
    expect(byGroup.get('m × old')).toEqual({ values: ['m', 'old'], confusion: { tp: 1, fp: 0, tn: 0, fn: 1 } });
    expect(byGroup.get('f × old')).toEqual({ values: ['f', 'old'], confusion: { tp: 0, fp: 1, tn: 1, fn: 0 } });

    const groups = groupsFromConfusion(byGroup);
    expect(groups.map((g) => g.label)).toEqual([...byGroup.keys()]);
    expect(groups[1]).toMatchObject({ values: ['f', 'young'], count: 2, metrics: { selection_rate: 1 } });
    const report = computeDisparities(groups, NO_EXCLUSION);
    // Selection rates: f×old 0.5, f×young 1, m×old 0.5, m×young 0.5.
    expect(report.measures.demographic_parity_difference).toEqual({ value: 0.5, reason: null, between: ['f × old', 'f × young'] });
    // f×old has no actual positives (no TPR) and m×old no actual negatives (no FPR).
    expect(report.measures.equalized_odds_difference.value).toBeNull();
    expect(report.measures.equalized_odds_difference.reason).toBe(
      'true_positive_rate missing for group f × old; false_positive_rate missing for group m × old',
    );
  });

  it('rejects mismatched lengths and non-binary labels', () => {
    expect(() => confusionByGroup([1, 0], [1], [['a'], ['b']])).toThrow(/same length/);
    expect(() => confusionByGroup([1, 2], [1, 0], [['a'], ['b']])).toThrow(/y_true\[1\] must be 0 or 1/);
    expect(() => confusionByGroup([1, 0], [1, 0], [['a', 'x'], ['b']])).toThrow(/sensitive values/);
  });
});

describe('small groups', () => {
  it('excludes a group below the minimum count, with the numbers', () => {
    const report = computeDisparities([rateGroup('a', 0.5), rateGroup('b', 0.4), rateGroup('c', 0.1, 12)], { minGroupCount: 30, minGroupShare: 0 });
    expect(report.includedGroups).toEqual(['a', 'b']);
    expect(report.excludedGroups).toEqual([{ label: 'c', count: 12, share: 12 / 212, reason: 'n = 12 < minimum 30' }]);
    expect(report.measures.demographic_parity_ratio.value).toBeCloseTo(0.8, 12);
    expect(Object.keys(report.impactRatios)).toEqual(['a', 'b']);
  });

  it('excludes a group below the minimum share, and gives both reasons when both apply', () => {
    const groups = [rateGroup('a', 0.5, 600), rateGroup('b', 0.4, 385), rateGroup('c', 0.1, 15)];
    const byShare = computeDisparities(groups, { minGroupCount: 0, minGroupShare: 0.02 });
    expect(byShare.excludedGroups).toEqual([{ label: 'c', count: 15, share: 0.015, reason: '1.5% of samples < minimum 2%' }]);
    const byBoth = computeDisparities(groups, { minGroupCount: 30, minGroupShare: 0.02 });
    expect(byBoth.excludedGroups[0]!.reason).toBe('n = 15 < minimum 30; 1.5% of samples < minimum 2%');
  });

  it('keeps groups whose size is unknown, and reports no shares then', () => {
    const report = computeDisparities([rateGroup('a', 0.5, null), rateGroup('b', 0.4, 5)], { minGroupCount: 30, minGroupShare: 0.02 });
    expect(report.includedGroups).toEqual(['a']);
    expect(report.excludedGroups).toEqual([{ label: 'b', count: 5, share: null, reason: 'n = 5 < minimum 30' }]);
  });

  it('shows enough digits that a share just under the minimum does not read as equal to it', () => {
    expect(formatAgainst(0.019999, 0.02)).toEqual(['0.019999', '0.02']);
    expect(formatAgainst(2 / 3, 0.8)).toEqual(['0.6667', '0.8']);
  });
});

describe('not-evaluable disparities', () => {
  it('needs two included groups', () => {
    const report = computeDisparities([rateGroup('a', 0.5), rateGroup('b', 0.4, 3)], { minGroupCount: 30, minGroupShare: 0 });
    for (const m of DISPARITY_MEASURES) {
      expect(report.measures[m]).toEqual({ value: null, reason: 'fewer than two groups to compare: 1 included, 1 excluded as too small', between: null });
    }
  });

  it('names the group a metric is missing for', () => {
    const report = computeDisparities(
      [group('a', { tp: 5, fp: 5, tn: 10, fn: 10 }), group('b', { tp: 0, fp: 5, tn: 25, fn: 0 })],
      NO_EXCLUSION,
    );
    expect(report.measures.demographic_parity_difference.value).not.toBeNull();
    expect(report.measures.equalized_odds_difference).toEqual({ value: null, reason: 'true_positive_rate missing for group b', between: null });
    expect(report.measures.equalized_odds_difference_mean.reason).toBe('true_positive_rate missing for group b');
  });

  it('cannot form a ratio when no group was selected', () => {
    const report = computeDisparities([rateGroup('a', 0), rateGroup('b', 0)], NO_EXCLUSION);
    expect(report.measures.demographic_parity_difference.value).toBe(0);
    expect(report.measures.demographic_parity_ratio.value).toBeNull();
    expect(report.measures.demographic_parity_ratio.reason).toMatch(/highest selection rate is 0/);
    expect(report.measures.disparate_impact_ratio.value).toBeNull();
    expect(report.impactRatios).toEqual({ a: null, b: null });
  });
});

const testPolicy = (thresholds: FairnessPolicy['fairness']['thresholds']): FairnessPolicy => ({
  name: 'test',
  version: '1',
  fairness: { minGroupCount: 0, minGroupShare: 0, thresholds },
});

describe('evaluateThresholds', () => {
  const report = computeDisparities([rateGroup('a', 0.5), rateGroup('b', 0.36)], NO_EXCLUSION);
  const policy = testPolicy([
    { measure: 'disparate_impact_ratio', comparison: '>=', bound: 0.8, basis: 'four-fifths' },
    { measure: 'demographic_parity_difference', comparison: '<=', bound: 0.2, basis: 'org' },
    { measure: 'equalized_odds_difference', comparison: '<=', bound: 0.1, basis: 'org' },
  ]);
  const verdicts = evaluateThresholds(report, policy);

  it('gives one verdict per threshold: fail, pass, not-evaluable', () => {
    expect(verdicts.map((v) => v.status)).toEqual(['fail', 'pass', 'not-evaluable']);
    expect(verdicts[0]).toMatchObject({ measure: 'disparate_impact_ratio', comparison: '>=', bound: 0.8, basis: 'four-fifths' });
    expect(verdicts[0]!.value).toBeCloseTo(0.72, 12);
    expect(verdicts[0]!.reason).toBe('0.72 is below the bound 0.8 (lowest: group b vs highest: group a)');
    expect(verdicts[1]!.reason).toBeNull();
    expect(verdicts[2]).toMatchObject({ value: null, reason: 'true_positive_rate missing for groups a, b; false_positive_rate missing for groups a, b' });
    expect(statusOf(verdicts)).toBe('fail');
    expect(statusOf(verdicts.slice(1))).toBe('not-evaluable');
    expect(statusOf(verdicts.slice(1, 2))).toBe('pass');
    expect(statusOf([])).toBe('none');
  });

  it('explains upper-bound failures and treats strict bounds strictly', () => {
    const strict = evaluateThresholds(report, testPolicy([
      { measure: 'demographic_parity_difference', comparison: '<', bound: 0.1, basis: 'x' },
      { measure: 'demographic_parity_ratio', comparison: '>', bound: 0.72, basis: 'x' },
    ]));
    expect(strict[0]!.reason).toBe('0.14 is above the bound 0.1 (lowest: group b vs highest: group a)');
    expect(strict[1]!.status).toBe('fail');
    expect(strict[1]!.reason).toMatch(/^0.72 equals the bound 0.72, which it must exceed/);
  });

  it('counts floating-point noise at the bound as meeting it', () => {
    const edge = computeDisparities([rateGroup('a', 0.5), rateGroup('b', 0.4 - 1e-15)], NO_EXCLUSION);
    expect(edge.measures.disparate_impact_ratio.value).toBeLessThan(0.8);
    const [v] = evaluateThresholds(edge, testPolicy([{ measure: 'disparate_impact_ratio', comparison: '>=', bound: 0.8, basis: 'x' }]));
    expect(v!.status).toBe('pass');
  });

  it('ranks statuses fail > not-evaluable > pass > none', () => {
    expect(worstStatus([])).toBe('none');
    expect(worstStatus(['none', 'pass'])).toBe('pass');
    expect(worstStatus(['pass', 'not-evaluable', 'pass'])).toBe('not-evaluable');
    expect(worstStatus(['not-evaluable', 'fail', 'pass'])).toBe('fail');
  });
});

describe('policy files', () => {
  const yamlText = readFileSync(here('../../../resources/policies/default-policy.yaml'), 'utf8');

  it('parses the default policy', () => {
    const policy = FairnessPolicySchema.parse(parseYaml(yamlText));
    const summary = policySummary(policy);
    expect(summary).toMatchObject({ name: 'Docket default policy', version: '2026.1', minGroupCount: 30, minGroupShare: 0.02 });
    expect(summary.thresholds.map((t) => [t.measure, t.comparison, t.bound])).toEqual([
      ['disparate_impact_ratio', '>=', 0.8],
      ['demographic_parity_difference', '<=', 0.1],
      ['equalized_odds_difference', '<=', 0.1],
    ]);
    expect(summary.thresholds[0]!.basis).toMatch(/29 CFR 1607\.4\(D\)/);
    for (const t of summary.thresholds) expect(t.basis.length).toBeGreaterThan(40);
  });

  it('rejects unknown measures, missing or blank bases and unknown keys', () => {
    const base = parseYaml(yamlText) as FairnessPolicy;
    const withThreshold = (t: Record<string, unknown>) => ({ ...base, fairness: { ...base.fairness, thresholds: [t] } });
    const good = { measure: 'demographic_parity_ratio', comparison: '>=', bound: 0.8, basis: 'why' };
    expect(FairnessPolicySchema.safeParse(withThreshold(good)).success).toBe(true);
    expect(FairnessPolicySchema.safeParse(withThreshold({ ...good, measure: 'theil_index' })).success).toBe(false);
    const { basis: _basis, ...noBasis } = good;
    expect(FairnessPolicySchema.safeParse(withThreshold(noBasis)).success).toBe(false);
    expect(FairnessPolicySchema.safeParse(withThreshold({ ...good, basis: '   ' })).success).toBe(false);
    expect(FairnessPolicySchema.safeParse(withThreshold({ ...good, comparison: '==' })).success).toBe(false);
    expect(FairnessPolicySchema.safeParse(withThreshold({ ...good, bounds: 0.8 })).success).toBe(false);
    expect(FairnessPolicySchema.safeParse({ ...base, fairness: { ...base.fairness, thresholds: [] } }).success).toBe(false);
    expect(FairnessPolicySchema.safeParse({ ...base, fairness: { ...base.fairness, minGroupShare: 2 } }).success).toBe(false);
    expect(FairnessPolicySchema.safeParse({ ...base, fairness: { ...base.fairness, minGroupCount: 2.5 } }).success).toBe(false);
    expect(FairnessPolicySchema.safeParse({ ...base, owner: 'me' }).success).toBe(false);
  });
});

describe('compareDisparities', () => {
  it('marks a grown difference and a fallen ratio as worsened', () => {
    const before = computeDisparities([rateGroup('a', 0.5), rateGroup('b', 0.45)], NO_EXCLUSION);
    const after = computeDisparities([rateGroup('a', 0.5), rateGroup('b', 0.3)], NO_EXCLUSION);
    const changes = compareDisparities(before, after, ['sex']);
    const by = Object.fromEntries(changes.map((c) => [c.measure, c]));
    expect(changes.map((c) => c.measure)).toEqual([...DISPARITY_MEASURES]);
    expect(by.demographic_parity_difference).toMatchObject({ sensitiveFeatures: ['sex'], worsened: true });
    expect(by.demographic_parity_difference!.delta).toBeCloseTo(0.15, 12);
    expect(by.demographic_parity_ratio).toMatchObject({ worsened: true });
    expect(by.equalized_odds_difference).toMatchObject({ previous: null, current: null, delta: null, worsened: false });
    const back = compareDisparities(after, before, ['sex']);
    expect(back.filter((c) => c.worsened)).toEqual([]);
    expect(compareDisparities(before, before, ['sex']).every((c) => !c.worsened)).toBe(true);
  });
});

describe('properties', () => {
  const confusion = fc.record({ tp: fc.nat(40), fp: fc.nat(40), tn: fc.nat(40), fn: fc.nat(40) });
  const groupsArb = fc.array(confusion, { minLength: 2, maxLength: 6 }).map((cs) => cs.map((c, i) => group(`g${i}`, c)));
  const ratios = ['demographic_parity_ratio', 'disparate_impact_ratio'] as const;
  const differences = ['demographic_parity_difference', 'equalized_odds_difference', 'equalized_odds_difference_mean'] as const;

  it('keeps ratios in [0, 1] and differences in [0, 1]', () => {
    fc.assert(fc.property(groupsArb, (groups) => {
      const { measures, impactRatios } = computeDisparities(groups, NO_EXCLUSION);
      for (const m of ratios) if (measures[m].value !== null) expect(measures[m].value).toBeGreaterThanOrEqual(0);
      for (const m of ratios) if (measures[m].value !== null) expect(measures[m].value).toBeLessThanOrEqual(1);
      for (const m of differences) if (measures[m].value !== null) expect(measures[m].value).toBeGreaterThanOrEqual(0);
      for (const m of differences) if (measures[m].value !== null) expect(measures[m].value).toBeLessThanOrEqual(1);
      for (const r of Object.values(impactRatios)) if (r !== null) expect(r >= 0 && r <= 1).toBe(true);
      for (const m of DISPARITY_MEASURES) expect(measures[m].value === null).toBe(measures[m].reason !== null);
    }));
  });

  it('gives difference 0 and ratio 1 when all groups are identical', () => {
    fc.assert(fc.property(confusion, fc.integer({ min: 2, max: 6 }), (c, k) => {
      const { measures } = computeDisparities(Array.from({ length: k }, (_, i) => group(`g${i}`, c)), NO_EXCLUSION);
      for (const m of differences) if (measures[m].value !== null) expect(measures[m].value).toBe(0);
      for (const m of ratios) if (measures[m].value !== null) expect(measures[m].value).toBe(1);
    }));
  });

  it('does not depend on the order of the groups', () => {
    const withPermutation = groupsArb.chain((gs) => fc.tuple(fc.constant(gs), fc.shuffledSubarray(gs, { minLength: gs.length, maxLength: gs.length })));
    fc.assert(fc.property(withPermutation, ([groups, shuffled]) => {
      const a = computeDisparities(groups, { minGroupCount: 20, minGroupShare: 0.1 });
      const b = computeDisparities(shuffled, { minGroupCount: 20, minGroupShare: 0.1 });
      expect(b.measures).toEqual(a.measures);
      expect(b.impactRatios).toEqual(a.impactRatios);
      expect([...b.includedGroups].sort()).toEqual([...a.includedGroups].sort());
    }));
  });

  it('never drops a group silently', () => {
    fc.assert(fc.property(groupsArb, fc.nat(100), fc.double({ min: 0, max: 1, noNaN: true }), (groups, minGroupCount, minGroupShare) => {
      const r = computeDisparities(groups, { minGroupCount, minGroupShare });
      expect(r.includedGroups.length + r.excludedGroups.length).toBe(groups.length);
      for (const e of r.excludedGroups) expect(e.reason).toMatch(/minimum/);
    }));
  });

  it('has the worst-case equalized odds at least the mean', () => {
    fc.assert(fc.property(groupsArb, (groups) => {
      const { measures } = computeDisparities(groups, NO_EXCLUSION);
      const worst = measures.equalized_odds_difference.value;
      const mean = measures.equalized_odds_difference_mean.value;
      expect(worst === null).toBe(mean === null);
      if (worst !== null && mean !== null) expect(worst).toBeGreaterThanOrEqual(mean);
    }));
  });
});
