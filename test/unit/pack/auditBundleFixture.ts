// Hand-built audit evidence bundles for the PDF renderer: a realistic one (Unicode names, every
// card section, ~12 lineage nodes, two fairness evaluations with one failing measure, a year of
// spend, pass/fail/missing/waived rules, two signed decisions) and a large one for timing.
// Fairness numbers are computed with the same shared functions the app uses.
import { createHash } from 'node:crypto';
import type { FairnessEvaluationView, FairnessGroup, FairnessPolicySummary } from '../../../shared/domain/fairness';
import type { LineageEdge, LineageNode, LineageView } from '../../../shared/domain/lineage';
import type { AuditEvidenceBundle, SpendEvidence } from '../../../shared/pack/evidenceBundle';
import type { RuleResult } from '../../../shared/policy/evidence';
import { computeDisparities } from '../../../shared/fairness/disparities';
import { groupLabel, metricsFromConfusion } from '../../../shared/fairness/metrics';
import { compareDisparities, evaluateThresholds, statusOf, worstStatus, type FairnessPolicy } from '../../../shared/fairness/policy';
import { mulberry32 } from '../../support/seededRandom';

export const GENERATED_AT = '2026-03-14T09:26:53Z';
export const MODEL = 'kreditprüfung-scorer';
export const OWNERS = ['Zoë Ångström', 'Björn Østergård'];
export const SIGNERS = [
  { name: 'Zoë Ångström', role: 'governance-reviewer' },
  { name: 'Łukasz Żółkiewski', role: 'risk-officer' },
];

export function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
export const KEY_IDS = SIGNERS.map((s) => sha(`spki:${s.name}`));
export const EVIDENCE_SHA256 = sha('evidence.json of the fixture');

const FAIRNESS_POLICY: FairnessPolicy = {
  name: 'eu-high-risk',
  version: '2.1.0',
  fairness: {
    minGroupCount: 50,
    minGroupShare: 0.01,
    thresholds: [
      { measure: 'disparate_impact_ratio', comparison: '>=', bound: 0.8, basis: 'Four-fifths rule (EEOC Uniform Guidelines, 29 CFR 1607.4(D))' },
      { measure: 'demographic_parity_difference', comparison: '<=', bound: 0.1, basis: 'Internal fairness standard FS-3, §2' },
      { measure: 'equalized_odds_difference', comparison: '<=', bound: 0.15, basis: 'Internal fairness standard FS-3, §4 (credit decisions)' },
    ],
  },
};

const POLICY_SUMMARY: FairnessPolicySummary = {
  name: FAIRNESS_POLICY.name,
  version: FAIRNESS_POLICY.version,
  minGroupCount: FAIRNESS_POLICY.fairness.minGroupCount,
  minGroupShare: FAIRNESS_POLICY.fairness.minGroupShare,
  thresholds: FAIRNESS_POLICY.fairness.thresholds,
};

function group(values: string[], tp: number, fp: number, tn: number, fn: number): FairnessGroup {
  const confusion = { tp, fp, tn, fn };
  return { values, label: groupLabel(values), count: tp + fp + tn + fn, metrics: metricsFromConfusion(confusion), confusion };
}

function evaluation(id: number, dataset: string, features: string[], groups: FairnessGroup[], file: string): FairnessEvaluationView {
  const report = computeDisparities(groups, { minGroupCount: FAIRNESS_POLICY.fairness.minGroupCount, minGroupShare: FAIRNESS_POLICY.fairness.minGroupShare });
  const verdicts = evaluateThresholds(report, FAIRNESS_POLICY);
  const total = groups.reduce((s, g) => s + (g.count ?? 0), 0);
  const agg = groups.reduce((s, g) => ({ tp: s.tp + g.confusion!.tp, fp: s.fp + g.confusion!.fp, tn: s.tn + g.confusion!.tn, fn: s.fn + g.confusion!.fn }), { tp: 0, fp: 0, tn: 0, fn: 0 });
  return {
    id,
    format: 'confusion-csv',
    dataset: { name: dataset, digest: sha(dataset).slice(0, 16) },
    producer: 'fairlearn 0.12.0',
    evaluatedAt: '2026-03-01T12:00:00Z',
    importedAt: '2026-03-02T08:15:00Z',
    sourceFile: file,
    sha256: sha(file),
    sensitiveFeatures: features,
    controlFeatures: [],
    overall: metricsFromConfusion(agg),
    groups,
    totalCount: total,
    report,
    verdicts,
    status: statusOf(verdicts),
  };
}

function smallGroups(): { sex: FairnessGroup[]; age: FairnessGroup[] } {
  return {
    // Fails the four-fifths rule: "weiblich" is selected at ~0.62 of "männlich"'s rate.
    sex: [group(['männlich'], 820, 240, 2300, 180), group(['weiblich'], 480, 150, 2650, 260), group(['divers'], 12, 3, 20, 5)],
    age: [group(['18–29'], 300, 90, 1100, 90), group(['30–49'], 560, 160, 1900, 150), group(['50+'], 470, 140, 1950, 160)],
  };
}

function largeGroups(): FairnessGroup[] {
  const r = mulberry32(7);
  const out: FairnessGroup[] = [];
  const regions = ['Nord', 'Süd', 'Ost', 'West', 'Zentrum', 'Küste', 'Alpen', 'Île', 'Øresund', 'Ärmelkanal'];
  const bands = ['18–29', '30–49', '50–64', '65+'];
  for (const region of regions) for (const band of bands) out.push(group([region, band], 80 + Math.floor(r() * 200), 20 + Math.floor(r() * 60), 500 + Math.floor(r() * 900), 20 + Math.floor(r() * 60)));
  return out;
}

function lineage(version: string, nodeCount: number): LineageView {
  const focus = `model:${MODEL}@${version}`;
  const nodes: LineageNode[] = [];
  const edges: LineageEdge[] = [];
  const node = (id: string, kind: LineageNode['kind'], label: string, namespace: string | null) => nodes.push({ id, kind, label, namespace, facets: {}, sources: ['openlineage'] });
  node(focus, 'model_version', `${MODEL} v${version}`, 'mlflow');
  node('run:train-7f3a', 'run', 'train_kreditprüfung_xgboost (run 7f3a91c2)', 'airflow://prod');
  node('run:features-19bc', 'run', 'build_features_daily', 'airflow://prod');
  node('dataset:s3|raw/antraege', 'dataset', 's3://bank-ml/raw/anträge_2020_2025.parquet', 's3://bank-ml');
  node('dataset:s3|raw/schufa', 'dataset', 's3://bank-ml/raw/auskunftei_scores.parquet', 's3://bank-ml');
  node('dataset:s3|features', 'dataset', 'features/kredit_v12', 's3://bank-ml');
  node('dataset:s3|holdout', 'dataset', 'evaluation/holdout_2025Q4 (stratified by Geschlecht × Alter)', 's3://bank-ml');
  node('run:eval-22d0', 'run', 'evaluate_fairness', 'airflow://prod');
  node('run:deploy-a1', 'run', 'deploy_to_sagemaker', 'github-actions');
  node('deployment:eu-central-1', 'deployment', 'endpoint kredit-scorer-prod (eu-central-1)', 'aws');
  node('deployment:shadow', 'deployment', 'endpoint kredit-scorer-shadow', 'aws');
  node(`model:${MODEL}@2`, 'model_version', `${MODEL} v2`, 'mlflow');
  edges.push(
    { from: 'dataset:s3|raw/antraege', to: 'run:features-19bc', kind: 'input' },
    { from: 'dataset:s3|raw/schufa', to: 'run:features-19bc', kind: 'input' },
    { from: 'run:features-19bc', to: 'dataset:s3|features', kind: 'output' },
    { from: 'dataset:s3|features', to: 'run:train-7f3a', kind: 'input' },
    { from: 'run:train-7f3a', to: focus, kind: 'produced' },
    { from: `model:${MODEL}@2`, to: 'run:train-7f3a', kind: 'parent' },
    { from: 'dataset:s3|holdout', to: focus, kind: 'evaluated' },
    { from: focus, to: 'run:eval-22d0', kind: 'input' },
    { from: 'dataset:s3|holdout', to: 'run:eval-22d0', kind: 'input' },
    { from: focus, to: 'run:deploy-a1', kind: 'input' },
    { from: 'run:deploy-a1', to: 'deployment:eu-central-1', kind: 'deployed' },
    { from: 'run:deploy-a1', to: 'deployment:shadow', kind: 'deployed' },
  );
  // The large graph: many more upstream datasets and feature jobs, and downstream consumers.
  const r = mulberry32(11);
  for (let i = 0; nodes.length < nodeCount; i++) {
    const kind = i % 4 === 3 ? 'run' : i % 9 === 8 ? 'deployment' : 'dataset';
    const id = `${kind}:extra-${i}`;
    node(id, kind, `${kind === 'dataset' ? 's3://bank-ml/sources/tabelle_' : kind === 'run' ? 'job_' : 'endpoint-'}${i}_${Math.floor(r() * 1e6)}`, 's3://bank-ml');
    if (kind === 'dataset') edges.push({ from: id, to: i % 2 === 0 ? 'run:features-19bc' : `run:extra-${i - (i % 4) - 1}`, kind: 'input' });
    else if (kind === 'run') edges.push({ from: id, to: 'dataset:s3|features', kind: 'output' });
    else edges.push({ from: 'run:deploy-a1', to: id, kind: 'deployed' });
  }
  const known = new Set(nodes.map((n) => n.id));
  return { model: MODEL, version, focus, nodes, edges: edges.filter((e) => known.has(e.from) && known.has(e.to)), completeness: { trainingData: true, evaluationData: true, producingRun: true, codeLocation: false } };
}

function spend(): SpendEvidence {
  const r = mulberry32(3);
  const daily: SpendEvidence['daily'] = [];
  const end = Date.parse('2026-03-13T00:00:00Z');
  for (let i = 364; i >= 0; i--) {
    const day = new Date(end - i * 86_400_000).toISOString().slice(0, 10);
    const growth = 1 + (364 - i) / 500;
    const weekday = new Date(end - i * 86_400_000).getUTCDay();
    const base = (weekday === 0 || weekday === 6 ? 210 : 340) * growth;
    const effective = Math.round((base + r() * 60) * 100) / 100;
    daily.push({ day, currency: 'USD', effectiveCost: effective, billedCost: Math.round(effective * 1.18 * 100) / 100 });
  }
  const byMonth = new Map<string, { effective: number; billed: number }>();
  for (const d of daily) {
    const m = byMonth.get(d.day.slice(0, 7)) ?? { effective: 0, billed: 0 };
    m.effective += d.effectiveCost;
    m.billed += d.billedCost;
    byMonth.set(d.day.slice(0, 7), m);
  }
  const monthly = [...byMonth].map(([month, m]) => ({ month, currency: 'USD', effectiveCost: Math.round(m.effective * 100) / 100, billedCost: Math.round(m.billed * 100) / 100 }));
  const last30 = daily.slice(-30).reduce((s, d) => s + d.effectiveCost, 0);
  return {
    attributedTo: MODEL,
    daily,
    monthly,
    unitCosts: [{ currency: 'USD', effectiveCost: Math.round(last30 * 100) / 100, requests: 4_812_330, costPer1kPredictions: last30 / 4812.33, tokens: null, costPerMillionTokens: null }],
    provenance: [{ source: 'focus', name: 'aws-cur-focus-1.0 (s3://billing/focus/2026-03/*.parquet, FOCUS 1.0)', lastSyncAt: '2026-03-14T06:00:00Z', estimatedDays: ['2026-03-11', '2026-03-12', '2026-03-13'] }],
  };
}

const CONTROLS: AuditEvidenceBundle['policy']['controls'] = [
  { id: 'DKT-DOC-01', title: 'Model documentation complete', euAiAct: ['Annex IV 1', 'Annex IV 2(b)', 'Article 11'], nistAiRmf: ['MAP 2.1', 'GOVERN 1.4'], iso42001: ['7.5', 'A.6.2.7'] },
  { id: 'DKT-DATA-01', title: 'Training data provenance recorded', euAiAct: ['Annex IV 2(d)', 'Article 10'], nistAiRmf: ['MAP 4.1', 'MEASURE 2.1'], iso42001: ['A.7.5'] },
  { id: 'DKT-FAIR-01', title: 'Bias examined and within thresholds', euAiAct: ['Annex IV 2(g)', 'Article 10'], nistAiRmf: ['MEASURE 2.11'], iso42001: ['A.7.4', '9.1'] },
  { id: 'DKT-MON-01', title: 'Post-market monitoring and cost tracked', euAiAct: ['Annex IV 9', 'Article 72'], nistAiRmf: ['MANAGE 4.1'], iso42001: ['9.1'] },
  { id: 'DKT-OVS-01', title: 'Human oversight and sign-off', euAiAct: ['Annex IV 2(e)', 'Article 14'], nistAiRmf: ['GOVERN 2.1', 'MANAGE 1.3'], iso42001: ['A.9.2', '5.3'] },
];

function rules(): RuleResult[] {
  const r = (id: string, title: string, kind: string, controls: string[], status: RuleResult['status'], reason: string): RuleResult => ({ id, title, kind, controls, status, reason, evidence: [] });
  return [
    r('high.card-sections', 'Model card has every governance section', 'card-sections', ['DKT-DOC-01'], 'pass', 'All 6 governance sections are present (Model details … Evaluation).'),
    r('high.lineage-training', 'Training data lineage recorded', 'lineage', ['DKT-DATA-01'], 'pass', 'Run train_kreditprüfung_xgboost read features/kredit_v12.'),
    r('high.lineage-code', 'Code location recorded', 'lineage', ['DKT-DATA-01', 'DKT-DOC-01'], 'missing', 'No producing run names a source code location (OpenLineage sourceCodeLocation facet or mlflow.source.git.commit tag).'),
    r('high.fairness', 'Fairness within policy thresholds', 'fairness', ['DKT-FAIR-01'], 'fail', 'Disparate impact ratio 0.6246 is below the bound 0.8 (lowest: group weiblich vs highest: group männlich) in holdout_2025Q4.'),
    r('high.fairness-fresh', 'Fairness evaluation at most 90 days old', 'evidence-freshness', ['DKT-FAIR-01'], 'pass', 'Newest evaluation is 13 days old (2026-03-01).'),
    r('high.cost-budget', 'Monthly spend within USD 15,000', 'cost', ['DKT-MON-01'], 'waived', 'Spend over 30 days is $11,874.07, above the 10,000 limit; waived until 2026-04-30.'),
    r('high.approvals', 'Two approvals, one by a risk officer', 'approvals', ['DKT-OVS-01'], 'fail', 'No approval yet: 0 of 2 (needs role risk-officer).'),
  ];
}

export function decisionEnvelope(payload: object, keyid: string): AuditEvidenceBundle['decisions'][number]['envelope'] {
  return { payloadType: 'application/vnd.docket.decision+json', payload: Buffer.from(JSON.stringify(payload)).toString('base64'), signatures: [{ keyid, sig: Buffer.from(sha(JSON.stringify(payload)), 'hex').toString('base64') }] };
}

const CARD_TEXT = {
  details: `**${MODEL}** is a gradient-boosted tree model (XGBoost 2.1) that scores consumer credit applications (\`Kreditanträge\`) for the probability of default within 12 months.\n\n- Owners: ${OWNERS.join(', ')}\n- Framework: XGBoost 2.1, scikit-learn 1.6 pipeline\n- Input: 84 features from the application and the credit bureau\n\n![architecture](docs/arch.png)`,
  intendedUse: '## Primary use\n\nPre-screening of consumer loan applications up to €50,000 in Germany and Austria, with a **human underwriter** taking every final decision. See the [underwriting manual](https://intranet.example/uw) for thresholds.\n\n## Users\n\n1. Underwriters in the retail credit team\n2. The risk-model monitoring team',
  outOfScopeUse: '- Business or mortgage lending\n- Fully automated rejection without human review (Art. 22 GDPR)\n- Any use outside the EU/EEA',
  biasRisksLimitations: 'Applicants with thin credit files (fewer than two bureau entries) are scored with less confidence.\n\n> The disparate impact ratio between **weiblich** and **männlich** applicants fell below 0.8 on the Q4 holdout; see the fairness section. Mitigation (re-weighting, threshold per segment) is under review.\n\n| Risk | Mitigation |\n|---|---|\n| Drift in bureau scores | Monthly PSI check |\n| Proxy variables for sex | Feature audit FA-12 |',
  trainingData: 'Applications 2020–2025 (1.42 million rows) from `s3://bank-ml/raw/anträge_2020_2025.parquet`, joined with credit bureau scores. Personal identifiers are removed before feature building; sex and age are kept for fairness evaluation only and are not model inputs.',
  evaluation: 'Holdout: 2025 Q4 applications, stratified by sex × age band (9,880 rows).\n\n* AUC 0.842 (95% CI 0.836–0.848)\n* Brier score 0.091\n* Calibration slope 0.98\n\n```\nthreshold = 0.37  # approve below\n```',
};

export interface FixtureOptions {
  versions?: number;
  lineageNodes?: number;
  largeFairness?: boolean;
}

export function makeAuditBundle(options: FixtureOptions = {}): AuditEvidenceBundle {
  const versionCount = options.versions ?? 3;
  const version = String(versionCount);
  const groups = smallGroups();
  const evaluations = options.largeFairness
    ? [evaluation(41, 'holdout_2025Q4', ['region', 'age_band'], largeGroups(), 'fairness/holdout_2025Q4_region_age.csv'), evaluation(42, 'holdout_2025Q4', ['age_band'], groups.age, 'fairness/holdout_2025Q4_age.csv')]
    : [evaluation(41, 'holdout_2025Q4', ['sex'], groups.sex, 'fairness/holdout_2025Q4_sex.csv'), evaluation(42, 'holdout_2025Q4', ['age_band'], groups.age, 'fairness/holdout_2025Q4_age.csv')];
  const previous = computeDisparities([group(['männlich'], 800, 250, 2300, 190), group(['weiblich'], 560, 170, 2500, 240)], { minGroupCount: 50, minGroupShare: 0.01 });
  const spendEvidence = spend();
  const checklistRules = rules();
  const evidenceHash = sha('evidence snapshot');
  const decisions: AuditEvidenceBundle['decisions'] = [
    {
      digest: sha('decision-1'),
      kind: 'waive',
      signer: SIGNERS[1]!.name,
      role: SIGNERS[1]!.role,
      keyId: KEY_IDS[1]!,
      signedAt: '2026-03-10T14:02:11Z',
      rationale: 'Spend above the monthly limit is expected during the migration to the new endpoint (dual running until April); waived until 2026-04-30.',
      evidenceHash: sha('evidence snapshot (earlier)'),
      verified: true,
      verification: 'signature valid; key trusted when it signed',
      envelope: decisionEnvelope({ kind: 'waive', ruleId: 'high.cost-budget' }, KEY_IDS[1]!),
    },
    {
      digest: sha('decision-2'),
      kind: 'reject',
      signer: SIGNERS[0]!.name,
      role: SIGNERS[0]!.role,
      keyId: KEY_IDS[0]!,
      signedAt: '2026-03-13T16:45:00Z',
      rationale: 'Rejected for release: the disparate impact ratio for weiblich vs männlich (0.62) is below the four-fifths threshold, and no code location is recorded. Re-submit after the re-weighting experiment (ticket RISK-231) with a fresh evaluation.',
      evidenceHash,
      verified: true,
      verification: 'signature valid; key trusted when it signed',
      envelope: decisionEnvelope({ kind: 'reject' }, KEY_IDS[0]!),
    },
  ];
  const versions = Array.from({ length: versionCount }, (_, i) => ({ version: String(i + 1), importedAt: new Date(Date.parse('2025-01-10T10:00:00Z') + i * 14 * 86_400_000).toISOString() }));
  const last30 = spendEvidence.daily.slice(-30);
  return {
    schema: 'docket.audit-evidence/v1',
    generatedAt: GENERATED_AT,
    generator: { name: 'Docket', version: '0.1.0' },
    model: {
      name: MODEL,
      version,
      versions,
      aliases: ['champion-candidate'],
      tags: [{ key: 'risk-tier', value: 'high' }, { key: 'team', value: 'Kreditrisiko' }],
      registry: {
        version,
        status: 'READY',
        currentStage: 'Staging',
        description: 'XGBoost scorer, re-trained on 2025 data',
        source: `s3://mlflow-artifacts/42/7f3a91c2/artifacts/model`,
        runId: '7f3a91c2e4b94b1c9d0a5e6f7a8b9c0d',
        runLink: null,
        userId: 'zoe.angstrom',
        createdAt: Date.parse('2026-02-27T11:00:00Z'),
        updatedAt: Date.parse('2026-03-02T09:00:00Z'),
        tags: [],
        run: null,
      },
    },
    card: {
      canonical: {
        format: 'huggingface',
        modelName: MODEL,
        version,
        summary: 'Credit default scorer for consumer loan pre-screening (Germany, Austria); a human underwriter decides every application.',
        license: 'proprietary',
        owners: OWNERS.map((name, i) => ({ name, contact: i === 0 ? 'zoe.angstrom@bank.example' : null })),
        tags: ['credit', 'tabular', 'risk-tier:high'],
        datasets: ['anträge_2020_2025', 'holdout_2025Q4'],
        sections: CARD_TEXT,
        metrics: [
          { type: 'roc_auc', name: 'AUC', value: 0.842, dataset: 'holdout_2025Q4', split: 'test' },
          { type: 'brier', name: 'Brier score', value: 0.091, dataset: 'holdout_2025Q4', split: 'test', verified: false },
        ],
      },
      completeness: { present: ['details', 'intendedUse', 'outOfScopeUse', 'biasRisksLimitations', 'trainingData', 'evaluation'], empty: [], missing: [], ratio: 1 },
      source: { file: 'cards/kreditprüfung-scorer/README.md', format: 'huggingface', sha256: sha('README.md'), importedAt: '2026-03-02T08:10:00Z', syncRunId: 17 },
    },
    lineage: lineage(version, options.lineageNodes ?? 12),
    fairness: {
      model: MODEL,
      version,
      policy: POLICY_SUMMARY,
      evaluations,
      status: worstStatus(evaluations.map((e) => e.status)),
      comparison: { previousVersion: String(versionCount - 1), changes: compareDisparities(previous, evaluations[0]!.report, evaluations[0]!.sensitiveFeatures) },
    },
    spend: spendEvidence,
    policy: {
      pack: { name: 'eu-high-risk', version: '2.1.0' },
      controls: CONTROLS,
      checklist: {
        policy: { name: 'eu-high-risk', version: '2.1.0' },
        model: { name: MODEL, version },
        tier: { id: 'high', source: 'card-tag', tag: 'risk-tier:high', note: null },
        asOf: GENERATED_AT,
        result: 'fail',
        evidenceResult: 'fail',
        awaitingApprovals: false,
        rules: checklistRules,
      },
      evidence: {
        schema: 'docket.evidence/v1',
        asOf: GENERATED_AT,
        model: { name: MODEL, version },
        tier: { id: 'high', source: 'card-tag', tag: 'risk-tier:high', note: null },
        card: null,
        lineage: {
          trainingData: { ok: true, nodes: ['dataset:s3|features', 'run:train-7f3a'] },
          evaluationData: { ok: true, nodes: ['dataset:s3|holdout'] },
          producingRun: { ok: true, nodes: ['run:train-7f3a'] },
          codeLocation: { ok: false, nodes: [] },
        },
        fairness: { groupLimits: { minGroupCount: 50, minGroupShare: 0.01 }, evaluations: [] },
        cost: {
          attributedTo: MODEL,
          window: { from: last30[0]!.day, to: last30[last30.length - 1]!.day },
          monthlySpend: [{ currency: 'USD', effectiveCost: Math.round(last30.reduce((s, d) => s + d.effectiveCost, 0) * 100) / 100, billedCost: Math.round(last30.reduce((s, d) => s + d.billedCost, 0) * 100) / 100, source: 'focus' }],
          unitCosts: [],
        },
        approvals: [],
        waivers: [{ ruleId: 'high.cost-budget', reason: 'Dual running during endpoint migration until April.', expiresAt: '2026-04-30T00:00:00Z', decidedBy: SIGNERS[1]!.name, decidedAt: '2026-03-10T14:02:11Z' }],
      },
      evidenceHash,
    },
    reviews: [
      {
        id: 12,
        state: 'rejected',
        trigger: 'new-version',
        openedAt: '2026-03-02T09:00:00Z',
        openedBy: 'docket (registry sync)',
        dueAt: '2026-03-16T09:00:00Z',
        closedAt: '2026-03-13T16:45:00Z',
        comments: [
          { id: 1, author: SIGNERS[1]!.name, at: '2026-03-09T10:30:00Z', body: 'The selection-rate gap for weiblich applicants is larger than in v2. Can we see the re-weighted run before deciding?' },
          { id: 2, author: OWNERS[1]!, at: '2026-03-11T15:05:00Z', body: 'Re-weighting experiment is scheduled (RISK-231); results expected end of March.' },
        ],
      },
    ],
    decisions,
    keys: SIGNERS.map((s, i) => ({ keyId: KEY_IDS[i]!, name: s.name, role: s.role, publicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n', trusted: true, revokedAt: null })),
    audit: {
      entries: [
        { seq: 401, at: '2026-03-02T08:10:00Z', actor: 'docket', action: 'card.import', subject: `${MODEL}@${version}`, hash: sha('401') },
        { seq: 402, at: '2026-03-02T08:15:00Z', actor: 'docket', action: 'fairness.import', subject: `${MODEL}@${version}`, hash: sha('402') },
        { seq: 403, at: '2026-03-02T09:00:00Z', actor: 'docket', action: 'review.open', subject: 'review #12', hash: sha('403') },
        { seq: 417, at: '2026-03-10T14:02:11Z', actor: SIGNERS[1]!.name, action: 'decision.waive', subject: 'review #12', hash: sha('417') },
        { seq: 431, at: '2026-03-13T16:45:00Z', actor: SIGNERS[0]!.name, action: 'decision.reject', subject: 'review #12', hash: sha('431') },
      ],
      head: { seq: 452, hash: sha('452') },
      chainVerified: true,
    },
  };
}

/** 20 versions, 40 fairness groups, a 200-node lineage graph, 365 days of spend. */
export function makeLargeAuditBundle(): AuditEvidenceBundle {
  return makeAuditBundle({ versions: 20, lineageNodes: 200, largeFairness: true });
}
