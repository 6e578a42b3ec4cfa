// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../shared/ipc/contract';
import { completenessCounts, filterAndSort, filterModels, matchesQuery, nextSort, sortModels } from '../../shared/models/filterSort';
import { modelHref, parseHash } from '../../renderer/src/router';

function model(name: string, over: Partial<ModelSummary> = {}): ModelSummary {
  return {
    name,
    owners: [],
    tags: [],
    license: null,
    latestVersion: '1.0.0',
    versionCount: 1,
    completeness: { present: ['details', 'intendedUse', 'outOfScopeUse', 'biasRisksLimitations', 'trainingData', 'evaluation'], empty: [], missing: [], ratio: 1 },
    fairnessStatus: 'none',
    updatedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

const models: ModelSummary[] = [
  model('fraud-detector', { owners: ['Risk Team'], tags: ['tabular', 'finance'], license: 'Apache-2.0', latestVersion: '2.10.0', versionCount: 4 }),
  model('Churn-Predictor', {
    owners: ['growth@example.com'],
    tags: ['tabular'],
    license: 'MIT',
    latestVersion: '2.9.1',
    versionCount: 2,
    completeness: { present: ['details', 'intendedUse', 'trainingData', 'evaluation'], empty: ['outOfScopeUse'], missing: ['biasRisksLimitations'], ratio: 4 / 6 },
  }),
  model('bert-sentiment', {
    owners: ['NLP Guild', 'Ana Souza'],
    tags: ['nlp', 'text-classification'],
    latestVersion: '10.0',
    versionCount: 12,
    completeness: { present: ['details'], empty: [], missing: ['intendedUse', 'outOfScopeUse', 'biasRisksLimitations', 'trainingData', 'evaluation'], ratio: 1 / 6 },
  }),
  model('alpha-vision', { owners: [], tags: ['vision'], license: 'cc-by-4.0', latestVersion: '0.1', versionCount: 1 }),
];

const names = (ms: ModelSummary[]) => ms.map((m) => m.name);

describe('filterModels', () => {
  it('returns everything for an empty or blank query', () => {
    expect(filterModels(models, '')).toHaveLength(4);
    expect(filterModels(models, '   ')).toHaveLength(4);
  });
  it('matches name, owner, tag and license, case-insensitively', () => {
    expect(names(filterModels(models, 'CHURN'))).toEqual(['Churn-Predictor']);
    expect(names(filterModels(models, 'risk team'))).toEqual(['fraud-detector']);
    expect(names(filterModels(models, 'souza'))).toEqual(['bert-sentiment']);
    expect(names(filterModels(models, 'Tabular'))).toEqual(['fraud-detector', 'Churn-Predictor']);
    expect(names(filterModels(models, 'apache'))).toEqual(['fraud-detector']);
    expect(names(filterModels(models, 'CC-BY'))).toEqual(['alpha-vision']);
  });
  it('requires every term to match (AND)', () => {
    expect(names(filterModels(models, 'tabular mit'))).toEqual(['Churn-Predictor']);
    expect(filterModels(models, 'tabular vision')).toEqual([]);
  });
  it('does not search fields outside name, owners, tags and license', () => {
    expect(matchesQuery(models[0]!, '2.10.0')).toBe(false);
  });
  it('does not mutate its input', () => {
    const copy = models.slice();
    filterModels(models, 'x');
    sortModels(models, { key: 'versionCount', direction: 'desc' });
    expect(models).toEqual(copy);
  });
});

describe('sortModels', () => {
  it('sorts by name case-insensitively in both directions', () => {
    expect(names(sortModels(models, { key: 'name', direction: 'asc' }))).toEqual(['alpha-vision', 'bert-sentiment', 'Churn-Predictor', 'fraud-detector']);
    expect(names(sortModels(models, { key: 'name', direction: 'desc' }))).toEqual(['fraud-detector', 'Churn-Predictor', 'bert-sentiment', 'alpha-vision']);
  });
  it('sorts version counts numerically', () => {
    expect(names(sortModels(models, { key: 'versionCount', direction: 'desc' }))).toEqual(['bert-sentiment', 'fraud-detector', 'Churn-Predictor', 'alpha-vision']);
  });
  it('sorts latest versions in natural (numeric) order', () => {
    expect(names(sortModels(models, { key: 'latestVersion', direction: 'asc' }))).toEqual(['alpha-vision', 'Churn-Predictor', 'fraud-detector', 'bert-sentiment']);
  });
  it('puts models without a license last in either direction', () => {
    expect(sortModels(models, { key: 'license', direction: 'asc' }).at(-1)!.name).toBe('bert-sentiment');
    expect(sortModels(models, { key: 'license', direction: 'desc' }).at(-1)!.name).toBe('bert-sentiment');
  });
  it('puts models without owners last', () => {
    expect(sortModels(models, { key: 'owners', direction: 'asc' }).at(-1)!.name).toBe('alpha-vision');
  });
  it('sorts by completeness, least complete first when ascending, ties broken by name', () => {
    expect(names(sortModels(models, { key: 'completeness', direction: 'asc' }))).toEqual(['bert-sentiment', 'Churn-Predictor', 'alpha-vision', 'fraud-detector']);
  });
  it('filterAndSort combines both', () => {
    expect(names(filterAndSort(models, 'tabular', { key: 'versionCount', direction: 'asc' }))).toEqual(['Churn-Predictor', 'fraud-detector']);
  });
  it('handles 5,000 models quickly', () => {
    const many = Array.from({ length: 5000 }, (_, i) => model(`model-${i}`, { versionCount: i % 17, tags: [i % 2 ? 'odd' : 'even'] }));
    const t0 = performance.now();
    const out = filterAndSort(many, 'odd', { key: 'versionCount', direction: 'desc' });
    expect(out).toHaveLength(2500);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('nextSort and completeness', () => {
  it('flips direction on the same column and starts ascending on a new one', () => {
    expect(nextSort({ key: 'name', direction: 'asc' }, 'name')).toEqual({ key: 'name', direction: 'desc' });
    expect(nextSort({ key: 'name', direction: 'desc' }, 'name')).toEqual({ key: 'name', direction: 'asc' });
    expect(nextSort({ key: 'name', direction: 'desc' }, 'license')).toEqual({ key: 'license', direction: 'asc' });
  });
  it('counts present sections out of all sections', () => {
    expect(completenessCounts(models[1]!)).toEqual({ present: 4, total: 6 });
    expect(completenessCounts(models[2]!)).toEqual({ present: 1, total: 6 });
  });
});

describe('hash routes', () => {
  it('round-trips model names and versions with slashes and @', () => {
    const href = modelHref('org/bert@large', '1.0+build@2');
    expect(parseHash(href)).toEqual({ view: 'model', name: 'org/bert@large', version: '1.0+build@2', tab: 'card' });
    expect(parseHash('#/models/fraud')).toEqual({ view: 'model', name: 'fraud', version: undefined, tab: 'card' });
    expect(parseHash('#/models')).toEqual({ view: 'models' });
    expect(parseHash('')).toEqual({ view: 'overview' });
    expect(parseHash('#/nope')).toEqual({ view: 'notFound', hash: '#/nope' });
  });
});

describe('model tab routes', () => {
  it('parses the /fairness suffix and round-trips it', () => {
    expect(parseHash('#/models/fraud@2.0/fairness')).toEqual({ view: 'model', name: 'fraud', version: '2.0', tab: 'fairness' });
    expect(parseHash('#/models/fraud/fairness')).toEqual({ view: 'model', name: 'fraud', version: undefined, tab: 'fairness' });
    expect(parseHash('#/models/fraud@2.0/card')).toEqual({ view: 'model', name: 'fraud', version: '2.0', tab: 'card' });
    const href = modelHref('org/fair@x', '1.0/rc@1', 'fairness');
    expect(href).toBe('#/models/org%2Ffair%40x@1.0%2Frc%401/fairness');
    expect(parseHash(href)).toEqual({ view: 'model', name: 'org/fair@x', version: '1.0/rc@1', tab: 'fairness' });
    expect(modelHref('fraud', '2.0', 'card')).toBe('#/models/fraud@2.0');
    expect(parseHash('#/models//fairness')).toEqual({ view: 'notFound', hash: '#/models//fairness' });
  });
  it('parses and round-trips the /lineage and /history suffixes', () => {
    expect(parseHash('#/models/fraud@3/lineage')).toEqual({ view: 'model', name: 'fraud', version: '3', tab: 'lineage' });
    expect(parseHash('#/models/fraud@3/history')).toEqual({ view: 'model', name: 'fraud', version: '3', tab: 'history' });
    expect(modelHref('fraud', '3', 'lineage')).toBe('#/models/fraud@3/lineage');
    expect(modelHref('fraud', '3', 'history')).toBe('#/models/fraud@3/history');
    const href = modelHref('org/lin@x', '1/rc', 'history');
    expect(parseHash(href)).toEqual({ view: 'model', name: 'org/lin@x', version: '1/rc', tab: 'history' });
    expect(parseHash('#/models/history-model@1')).toEqual({ view: 'model', name: 'history-model', version: '1', tab: 'card' });
    expect(parseHash('#/models/fraud@3/unknown')).toEqual({ view: 'model', name: 'fraud', version: '3/unknown', tab: 'card' });
    expect(parseHash('#/sources')).toEqual({ view: 'sources' });
  });
  it('keeps names that merely contain "fairness"', () => {
    expect(parseHash('#/models/fairness-scorer@1')).toEqual({ view: 'model', name: 'fairness-scorer', version: '1', tab: 'card' });
  });
});

describe('fairness column', () => {
  const fair: ModelSummary[] = [
    model('a-pass', { fairnessStatus: 'pass' }),
    model('b-none', { fairnessStatus: 'none' }),
    model('c-fail', { fairnessStatus: 'fail' }),
    model('d-ne', { fairnessStatus: 'not-evaluable' }),
    model('e-fail', { fairnessStatus: 'fail' }),
  ];
  it('sorts worst first when ascending, models without an evaluation last either way', () => {
    expect(names(sortModels(fair, { key: 'fairness', direction: 'asc' }))).toEqual(['c-fail', 'e-fail', 'd-ne', 'a-pass', 'b-none']);
    expect(names(sortModels(fair, { key: 'fairness', direction: 'desc' }))).toEqual(['a-pass', 'd-ne', 'c-fail', 'e-fail', 'b-none']);
  });
  it('finds models by fairness status from the search box', () => {
    expect(names(filterModels(fair, 'fail'))).toEqual(['c-fail', 'e-fail']);
    expect(names(filterModels(fair, 'fairness:pass'))).toEqual(['a-pass']);
    expect(names(filterModels(fair, 'not-evaluable'))).toEqual(['d-ne']);
    expect(names(filterModels(fair, 'fairness'))).toEqual(['a-pass', 'c-fail', 'd-ne', 'e-fail']);
  });
});
