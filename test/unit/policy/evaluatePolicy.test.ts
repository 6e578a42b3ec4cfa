import { describe, expect, it } from 'vitest';
import type { DisparityMeasure, DisparityValue } from '../../../shared/domain/fairness';
import { evaluatePolicy, PolicyEvaluationError } from '../../../shared/policy/evaluatePolicy';
import type { EvidenceSnapshot, FairnessEvaluationEvidence } from '../../../shared/policy/evidence';
import { PolicyPackSchema, type PolicyPack } from '../../../shared/policy/policyPack';

const T = { measure: 'disparate_impact_ratio', comparison: '>=', bound: 0.8, basis: 'four-fifths screen' } as const;

const pack: PolicyPack = PolicyPackSchema.parse({
  name: 'Test pack',
  version: '1',
  tiering: { tagKeys: ['risk-tier'], default: 'high' },
  riskTiers: {
    high: {
      title: 'High',
      rules: [
        { id: 'high.card-sections', kind: 'card-sections', title: 'Card', controls: ['DKT-DOC-01'], sections: ['details', 'intendedUse'] },
        { id: 'high.evidence-freshness', kind: 'evidence-freshness', title: 'Fresh', controls: ['DKT-EVID-01'], maxAgeDays: 90 },
        { id: 'high.fairness', kind: 'fairness', title: 'Fair', controls: ['DKT-FAIR-01'], minGroupCount: 30, minGroupShare: 0.02, thresholds: [T] },
        { id: 'high.cost', kind: 'cost', title: 'Cost', controls: ['DKT-COST-01'], currency: 'USD', maxCostPer1kPredictions: 0.5, maxMonthlyEffectiveSpend: 1000 },
        { id: 'high.approvals', kind: 'approvals', title: 'Approvals', controls: ['DKT-GOV-03'], minApprovers: 2, requiredRoles: { mode: 'all-of', roles: ['model-risk', 'compliance'] } },
      ],
    },
  },
});

const measures = (dir: number | null): Record<DisparityMeasure, DisparityValue> => {
  const v = (value: number | null): DisparityValue => ({ value, reason: value === null ? 'no groups' : null, between: value === null ? null : ['female', 'male'] });
  return { demographic_parity_difference: v(0.05), demographic_parity_ratio: v(0.9), equalized_odds_difference: v(0.04), equalized_odds_difference_mean: v(0.03), disparate_impact_ratio: v(dir) };
};

const evaluation = (over: Partial<FairnessEvaluationEvidence> = {}): FairnessEvaluationEvidence => ({
  id: 1,
  format: 'confusion-csv',
  sourceFile: '/data/eval.csv',
  sha256: 'ab'.repeat(32),
  dataset: 'holdout',
  evaluatedAt: '2026-10-01T00:00:00Z',
  importedAt: '2026-10-02T00:00:00Z',
  sensitiveFeatures: ['sex'],
  includedGroups: ['female', 'male'],
  excludedGroups: [],
  measures: measures(0.9),
  ...over,
});

const approval = (role: string, key: string, signerIsAuthor = false) => ({ signerKeyId: key.repeat(64).slice(0, 64), signerName: role, role, signerIsAuthor, signedAt: '2026-11-20T00:00:00Z' });

function snapshot(over: Partial<EvidenceSnapshot> = {}): EvidenceSnapshot {
  return {
    schema: 'docket.evidence/v1',
    asOf: '2026-11-26T09:00:00.000Z',
    model: { name: 'credit-default-pd', version: '3' },
    tier: { id: 'high', source: 'card-tag', tag: 'risk-tier:high', note: null },
    card: {
      format: 'huggingface',
      sourceFile: '/cards/README.md',
      sha256: 'cd'.repeat(32),
      importedAt: '2026-11-01T00:00:00Z',
      syncRunId: 1,
      sections: { details: 'present', intendedUse: 'present', outOfScopeUse: 'missing', biasRisksLimitations: 'present', trainingData: 'present', evaluation: 'present' },
      completeness: 5 / 6,
    },
    lineage: {
      trainingData: { ok: true, nodes: ['dataset:s3|train'] },
      evaluationData: { ok: true, nodes: ['dataset:s3|holdout'] },
      producingRun: { ok: true, nodes: ['run:1'] },
      codeLocation: { ok: true, nodes: ['run:1'] },
    },
    fairness: { groupLimits: { minGroupCount: 30, minGroupShare: 0.02 }, evaluations: [evaluation()] },
    cost: {
      attributedTo: 'credit-default-pd',
      window: { from: '2026-03-02', to: '2026-03-31' },
      monthlySpend: [{ currency: 'USD', effectiveCost: 400, billedCost: 450, source: 'focus' }],
      unitCosts: [{ currency: 'USD', costPer1kPredictions: 0.2, requests: 2_000_000, effectiveCost: 400 }],
    },
    approvals: [approval('model-risk', 'a'), approval('compliance', 'b')],
    waivers: [],
    ...over,
  };
}

const rule = (result: ReturnType<typeof evaluatePolicy>, id: string) => result.rules.find((r) => r.id === id)!;

describe('evaluatePolicy', () => {
  it('passes when every rule passes, with linkable evidence', () => {
    const result = evaluatePolicy(pack, snapshot());
    expect(result.rules.map((r) => [r.id, r.status])).toEqual([
      ['high.card-sections', 'pass'],
      ['high.evidence-freshness', 'pass'],
      ['high.fairness', 'pass'],
      ['high.cost', 'pass'],
      ['high.approvals', 'pass'],
    ]);
    expect(result).toMatchObject({ result: 'pass', evidenceResult: 'pass', awaitingApprovals: false, policy: { name: 'Test pack', version: '1' } });
    expect(rule(result, 'high.card-sections').evidence[0]).toMatchObject({ kind: 'card', ref: '#/models/credit-default-pd@3/card' });
    expect(rule(result, 'high.fairness').evidence[0]).toMatchObject({ kind: 'fairness', ref: '#/models/credit-default-pd@3/fairness' });
    expect(rule(result, 'high.fairness').controls).toEqual(['DKT-FAIR-01']);
  });

  it('fails a fairness rule when a measure is outside its threshold, naming the value and bound', () => {
    const result = evaluatePolicy(pack, snapshot({ fairness: { groupLimits: { minGroupCount: 30, minGroupShare: 0.02 }, evaluations: [evaluation({ measures: measures(0.62) })] } }));
    const fairness = rule(result, 'high.fairness');
    expect(fairness.status).toBe('fail');
    expect(fairness.reason).toMatch(/disparate_impact_ratio: 0\.62 is below the bound 0\.8/);
    expect(fairness.reason).toMatch(/female vs .*male/);
    expect(result.result).toBe('fail');
    expect(result.awaitingApprovals).toBe(false);
  });

  it('treats a stale evaluation as missing evidence, and says how old it is', () => {
    const stale = evaluation({ evaluatedAt: '2026-01-15T00:00:00Z' });
    const result = evaluatePolicy(pack, snapshot({ fairness: { groupLimits: { minGroupCount: 30, minGroupShare: 0.02 }, evaluations: [stale] } }));
    for (const id of ['high.evidence-freshness', 'high.fairness']) {
      expect(rule(result, id).status).toBe('missing');
      expect(rule(result, id).reason).toMatch(/evaluated 2026-01-15, 315 days before 2026-11-26: older than the 90-day limit/);
    }
    // An undated evaluation cannot show it is recent under the default 'stale' reading.
    const undated = evaluatePolicy(pack, snapshot({ fairness: { groupLimits: { minGroupCount: 30, minGroupShare: 0.02 }, evaluations: [evaluation({ evaluatedAt: null })] } }));
    expect(rule(undated, 'high.fairness')).toMatchObject({ status: 'missing', reason: expect.stringMatching(/states no evaluation date/) });
  });

  it('a fresh failing evaluation is not hidden by a stale passing one, and vice versa', () => {
    const evaluations = [evaluation({ id: 1, evaluatedAt: '2025-01-01T00:00:00Z', measures: measures(0.95) }), evaluation({ id: 2, measures: measures(0.5) })];
    expect(rule(evaluatePolicy(pack, snapshot({ fairness: { groupLimits: { minGroupCount: 30, minGroupShare: 0.02 }, evaluations } })), 'high.fairness').status).toBe('fail');
  });

  it('reports missing fairness evidence, and evidence computed under other group limits', () => {
    const none = evaluatePolicy(pack, snapshot({ fairness: { groupLimits: { minGroupCount: 30, minGroupShare: 0.02 }, evaluations: [] } }));
    expect(rule(none, 'high.fairness')).toMatchObject({ status: 'missing', reason: expect.stringMatching(/No fairness evaluation/) });
    const other = evaluatePolicy(pack, snapshot({ fairness: { groupLimits: { minGroupCount: 10, minGroupShare: 0 }, evaluations: [evaluation()] } }));
    expect(rule(other, 'high.fairness')).toMatchObject({ status: 'missing', reason: expect.stringMatching(/gather the evidence again/) });
  });

  it('fails a card rule that lacks a section, and reports no card as missing', () => {
    const tight: PolicyPack = structuredClone(pack);
    const cardRule = tight.riskTiers.high!.rules[0]!;
    if (cardRule.kind === 'card-sections') cardRule.sections = ['details', 'outOfScopeUse'];
    expect(rule(evaluatePolicy(tight, snapshot()), 'high.card-sections')).toMatchObject({ status: 'fail', reason: 'The card lacks: Out-of-scope use (absent).' });
    expect(rule(evaluatePolicy(pack, snapshot({ card: null })), 'high.card-sections').status).toBe('missing');
  });

  it('applies an unexpired waiver, and falls back with a note once it has expired', () => {
    const failing = { fairness: { groupLimits: { minGroupCount: 30, minGroupShare: 0.02 }, evaluations: [evaluation({ measures: measures(0.7) })] } };
    const waiver = { ruleId: 'high.fairness', reason: 'retraining with reweighed data, due in Q1', expiresAt: '2027-01-31T00:00:00Z', decidedBy: 'Head of Model Risk' };
    const waived = evaluatePolicy(pack, snapshot({ ...failing, waivers: [waiver] }));
    expect(rule(waived, 'high.fairness').status).toBe('waived');
    expect(rule(waived, 'high.fairness').reason).toMatch(/^Waived by Head of Model Risk until 2027-01-31: retraining.*Without the waiver: fail/);
    expect(rule(waived, 'high.fairness').evidence[0]).toMatchObject({ kind: 'waiver' });
    expect(waived.result).toBe('pass');

    const expired = evaluatePolicy(pack, snapshot({ ...failing, waivers: [{ ...waiver, expiresAt: '2026-11-01T00:00:00Z' }] }));
    expect(rule(expired, 'high.fairness').status).toBe('fail');
    expect(rule(expired, 'high.fairness').reason).toMatch(/waiver by Head of Model Risk expired on 2026-11-01, so it no longer applies/);
    expect(expired.result).toBe('fail');
  });

  it('judges cost with and without usage data, and never converts currencies', () => {
    const noUsage = evaluatePolicy(pack, snapshot({ cost: { ...snapshot().cost, unitCosts: [{ currency: 'USD', costPer1kPredictions: null, requests: 0, effectiveCost: 400 }] } }));
    expect(rule(noUsage, 'high.cost')).toMatchObject({ status: 'missing', reason: expect.stringMatching(/no usage \(prediction counts\)/) });
    expect(rule(noUsage, 'high.cost').evidence.map((e) => e.kind)).toEqual(['spend']);

    const expensive = evaluatePolicy(pack, snapshot({ cost: { ...snapshot().cost, unitCosts: [{ currency: 'USD', costPer1kPredictions: 0.75, requests: 1000, effectiveCost: 0.75 }] } }));
    expect(rule(expensive, 'high.cost')).toMatchObject({ status: 'fail', reason: expect.stringMatching(/0\.75 USD is above the limit of 0\.50 USD/) });

    const noSpend = evaluatePolicy(pack, snapshot({ cost: { attributedTo: 'credit-default-pd', window: null, monthlySpend: [], unitCosts: [] } }));
    expect(rule(noSpend, 'high.cost').status).toBe('missing');

    const euros = evaluatePolicy(pack, snapshot({ cost: { ...snapshot().cost, monthlySpend: [{ currency: 'EUR', effectiveCost: 10, billedCost: 10, source: 'focus' }], unitCosts: [] } }));
    expect(rule(euros, 'high.cost')).toMatchObject({ status: 'missing', reason: expect.stringMatching(/only in EUR.*does not convert/) });
  });

  it('keeps approvals apart: evidence passing with approvals pending is its own state', () => {
    const pending = evaluatePolicy(pack, snapshot({ approvals: [approval('model-risk', 'a'), approval('compliance', 'c', true)] }));
    const approvals = rule(pending, 'high.approvals');
    expect(approvals.status).toBe('missing');
    expect(approvals.reason).toMatch(/1 of 2 required approver\(s\).*still needed: an approval from each of compliance.*authored this version/);
    expect(pending).toMatchObject({ result: 'fail', evidenceResult: 'pass', awaitingApprovals: true });
    // The same key signing twice is one approver.
    expect(rule(evaluatePolicy(pack, snapshot({ approvals: [approval('model-risk', 'a'), approval('compliance', 'a')] })), 'high.approvals').status).toBe('missing');
    // Approvals cannot be waived.
    const waived = evaluatePolicy(pack, snapshot({ approvals: [], waivers: [{ ruleId: 'high.approvals', reason: 'x', expiresAt: '2030-01-01T00:00:00Z', decidedBy: 'me' }] }));
    expect(rule(waived, 'high.approvals').status).toBe('missing');
  });

  it('refuses a snapshot whose tier the pack does not define', () => {
    expect(() => evaluatePolicy(pack, snapshot({ tier: { id: 'limited', source: 'default', tag: null, note: null } }))).toThrow(PolicyEvaluationError);
  });
});
