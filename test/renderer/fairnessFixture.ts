import type { FairnessEvaluationView, FairnessPolicySummary, FairnessVersionView } from '../../shared/domain/fairness';

/** A fake fairness view as the engine would return it: one failing evaluation by sex, with one tiny excluded group. */
export const POLICY: FairnessPolicySummary = {
  name: 'default-fairness',
  version: '1',
  minGroupCount: 30,
  minGroupShare: 0.02,
  thresholds: [
    { measure: 'disparate_impact_ratio', comparison: '>=', bound: 0.8, basis: 'Four-fifths rule (EEOC Uniform Guidelines, 29 CFR 1607.4(D)); NYC Local Law 144 impact ratio' },
    { measure: 'equalized_odds_difference', comparison: '<=', bound: 0.1, basis: 'Organisational policy: error rates within 10 points across groups' },
    { measure: 'demographic_parity_difference', comparison: '<=', bound: 0.2, basis: 'Organisational policy' },
  ],
};

export function evaluation(over: Partial<FairnessEvaluationView> = {}): FairnessEvaluationView {
  return {
    id: 1,
    format: 'fairlearn-metricframe',
    dataset: { name: 'loans-holdout-2025Q4', digest: 'sha256:9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9' },
    producer: 'fairlearn 0.13.0',
    evaluatedAt: '2026-01-10T09:30:00Z',
    importedAt: '2026-01-12T14:02:11Z',
    sourceFile: '/evals/credit-scorer/metricframe-sex.json',
    sha256: 'c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc',
    sensitiveFeatures: ['sex'],
    controlFeatures: [],
    overall: { selection_rate: 0.52, true_positive_rate: 0.8, false_positive_rate: 0.12, precision: 0.77, accuracy: 0.84 },
    groups: [
      {
        values: ['female'],
        label: 'female',
        count: 4200,
        metrics: { selection_rate: 0.41, true_positive_rate: 0.712, false_positive_rate: 0.09, precision: 0.75, accuracy: 0.83 },
        intervals: { true_positive_rate: { lower: 0.68, upper: 0.74 } },
      },
      { values: ['male'], label: 'male', count: 5700, metrics: { selection_rate: 0.6, true_positive_rate: 0.86, false_positive_rate: 0.15, precision: 0.79, accuracy: 0.85 } },
      { values: ['other'], label: 'other', count: 12, metrics: { selection_rate: 0.25, true_positive_rate: 0.5, false_positive_rate: 0.2, precision: 0.6, accuracy: 0.7 } },
    ],
    totalCount: 9912,
    report: {
      includedGroups: ['female', 'male'],
      excludedGroups: [{ label: 'other', count: 12, share: 12 / 9912, reason: 'fewer than 30 samples' }],
      impactRatios: { female: 0.41 / 0.6, male: 1 },
      measures: {
        demographic_parity_difference: { value: 0.19, reason: null, between: ['female', 'male'] },
        demographic_parity_ratio: { value: 0.41 / 0.6, reason: null, between: ['female', 'male'] },
        equalized_odds_difference: { value: 0.148, reason: null, between: ['female', 'male'] },
        equalized_odds_difference_mean: { value: 0.104, reason: null, between: null },
        disparate_impact_ratio: { value: 0.41 / 0.6, reason: null, between: ['female', 'male'] },
      },
    },
    verdicts: [
      {
        measure: 'disparate_impact_ratio',
        comparison: '>=',
        bound: 0.8,
        value: 0.41 / 0.6,
        status: 'fail',
        basis: 'Four-fifths rule (EEOC Uniform Guidelines, 29 CFR 1607.4(D)); NYC Local Law 144 impact ratio',
        reason: 'female is selected at 68% of the rate of male (below 80%)',
      },
      { measure: 'equalized_odds_difference', comparison: '<=', bound: 0.1, value: 0.148, status: 'fail', basis: 'Organisational policy: error rates within 10 points across groups', reason: 'TPR gap 0.148 between female and male exceeds 0.10' },
      { measure: 'demographic_parity_difference', comparison: '<=', bound: 0.2, value: 0.19, status: 'pass', basis: 'Organisational policy', reason: null },
    ],
    status: 'fail',
    ...over,
  };
}

export function fairnessView(over: Partial<FairnessVersionView> = {}): FairnessVersionView {
  return {
    model: 'credit-scorer',
    version: '2.0.0',
    policy: POLICY,
    evaluations: [evaluation()],
    status: 'fail',
    comparison: {
      previousVersion: '1.4.0',
      changes: [
        { measure: 'disparate_impact_ratio', sensitiveFeatures: ['sex'], previous: 0.84, current: 0.41 / 0.6, delta: 0.41 / 0.6 - 0.84, worsened: true },
        { measure: 'equalized_odds_difference', sensitiveFeatures: ['sex'], previous: 0.106, current: 0.148, delta: 0.042, worsened: true },
        { measure: 'demographic_parity_difference', sensitiveFeatures: ['sex'], previous: 0.21, current: 0.19, delta: -0.02, worsened: false },
      ],
    },
    ...over,
  };
}
