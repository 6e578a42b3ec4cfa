import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importCards } from '../../../electron/core/cards/importCards';
import { importFairness } from '../../../electron/core/fairness/importFairness';
import { evidenceHash, gatherEvidence } from '../../../electron/core/policy/gatherEvidence';
import { loadDefaultPolicyPack } from '../../../electron/core/policy/loadPolicyPack';
import { importFocus } from '../../../electron/core/spend/importFocus';
import { importUsage } from '../../../electron/core/spend/importUsage';
import { evaluatePolicy } from '../../../shared/policy/evaluatePolicy';
import type { ChecklistResult } from '../../../shared/policy/evidence';
import { fixedClock, tempStore } from '../../support/tempStore';

const DEMO = resolve('resources/demo');
const CARD = join(DEMO, 'cards/fraud-score-card-txn/v3/README.md');
const pack = loadDefaultPolicyPack(resolve('resources'));
const clock = fixedClock('2026-04-15T09:00:00.000Z');
const options = { actor: 'test', clock };

let t: ReturnType<typeof tempStore>;
let cardFile: string;
beforeEach(() => {
  t = tempStore();
  const folder = join(t.dir, 'fraud-score-card-txn');
  mkdirSync(folder);
  cardFile = join(folder, 'README.md');
});
afterEach(() => t.cleanup());

const rule = (result: ChecklistResult, id: string) => result.rules.find((r) => r.id === id)!;

/** The demo card with its "Out-of-Scope Use" section cut out. */
function writeCardWithoutOutOfScope(): void {
  const text = readFileSync(CARD, 'utf8');
  const start = text.indexOf('### Out-of-Scope Use');
  const end = text.indexOf('## Bias, Risks, and Limitations');
  expect(start).toBeGreaterThan(0);
  writeFileSync(cardFile, text.slice(0, start) + text.slice(end));
}

function importCard(): void {
  const result = importCards(t.store, [cardFile], { ...options, fallbackVersion: '3' });
  expect(result.rejected).toEqual([]);
}

describe('gatherEvidence + evaluatePolicy over a real store', () => {
  it('fails the card rule while a required section is missing, and passes once the complete card is re-imported', () => {
    writeCardWithoutOutOfScope();
    importCard();
    const before = gatherEvidence(t.store, 'fraud-score-card-txn', '3', pack, { asOf: clock() });
    expect(before.tier).toEqual({ id: 'high', source: 'card-tag', tag: 'risk-tier:high', note: null });
    expect(before.card?.sections.outOfScopeUse).toBe('missing');
    const failed = evaluatePolicy(pack, before);
    expect(rule(failed, 'high.card-sections')).toMatchObject({ status: 'fail', reason: 'The card lacks: Out-of-scope use (absent).' });
    expect(rule(failed, 'high.card-sections').evidence[0]).toMatchObject({ kind: 'card', ref: '#/models/fraud-score-card-txn@3/card' });
    expect(failed.result).toBe('fail');

    copyFileSync(CARD, cardFile);
    importCard();
    const after = gatherEvidence(t.store, 'fraud-score-card-txn', '3', pack, { asOf: clock() });
    expect(rule(evaluatePolicy(pack, after), 'high.card-sections').status).toBe('pass');
    expect(evidenceHash(after)).not.toBe(evidenceHash(before));
  });

  it('reports absent lineage and undated fairness evidence as missing, not failed', () => {
    copyFileSync(CARD, cardFile);
    importCard();
    const csv = join(DEMO, 'fairness/fraud-score-card-txn-v3.confusion.csv');
    expect(importFairness(t.store, [csv], { ...options, target: { name: 'fraud-score-card-txn', version: '3' }, dataset: { name: 'halden-txn-2025q3-holdout', digest: null } }).rejected).toEqual([]);
    const result = evaluatePolicy(pack, gatherEvidence(t.store, 'fraud-score-card-txn', '3', pack, { asOf: clock() }));
    expect(rule(result, 'high.lineage')).toMatchObject({ status: 'missing', reason: expect.stringMatching(/No lineage records training data/) });
    // The CSV states no date; the default pack's high tier does not let an undated file count as recent.
    expect(rule(result, 'high.evidence-freshness')).toMatchObject({ status: 'missing', reason: expect.stringMatching(/states no evaluation date/) });
    expect(rule(result, 'high.fairness').status).toBe('missing');
    expect(rule(result, 'high.approvals').status).toBe('missing');
    expect(result).toMatchObject({ result: 'fail', evidenceResult: 'fail', awaitingApprovals: false });
  });

  it('judges cost from FOCUS spend, first without usage data, then with it', async () => {
    copyFileSync(CARD, cardFile);
    importCard();
    const focus = await importFocus(t.store, [join(DEMO, 'spend')], options);
    expect(focus.files.map((f) => f.status)).toEqual(['imported']);
    const withoutUsage = gatherEvidence(t.store, 'fraud-score-card-txn', '3', pack, { asOf: clock() });
    expect(withoutUsage.cost.window).not.toBeNull();
    expect(withoutUsage.cost.monthlySpend[0]).toMatchObject({ currency: 'USD', source: 'focus' });
    expect(rule(evaluatePolicy(pack, withoutUsage), 'high.cost')).toMatchObject({ status: 'missing', reason: expect.stringMatching(/no usage \(prediction counts\)/) });

    expect(importUsage(t.store, join(DEMO, 'usage/halden-usage-2026q1.csv'), options).rejected).toEqual([]);
    const withUsage = gatherEvidence(t.store, 'fraud-score-card-txn', '3', pack, { asOf: clock() });
    const unit = withUsage.cost.unitCosts.find((u) => u.currency === 'USD')!;
    expect(unit.costPer1kPredictions).toBeGreaterThan(0);
    const cost = rule(evaluatePolicy(pack, withUsage), 'high.cost');
    // March 2026 in the demo data: about 155 USD over 68 million predictions, well inside the high tier's limits.
    expect(withUsage.cost.window).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(unit.costPer1kPredictions!).toBeCloseTo(0.00227, 5);
    expect(cost).toMatchObject({ status: 'pass', reason: expect.stringMatching(/^30-day effective spend 155\.09 USD is within the limit of 5,000\.00 USD; cost per 1,000 predictions 0\.0023 USD/) });
    expect(cost.evidence.map((e) => e.kind)).toEqual(['spend', 'usage']);
  });

  it('hashes the canonical snapshot: stable for the same store and clock, different for another clock', () => {
    copyFileSync(CARD, cardFile);
    importCard();
    const a = gatherEvidence(t.store, 'fraud-score-card-txn', '3', pack, { asOf: clock() });
    const b = gatherEvidence(t.store, 'fraud-score-card-txn', '3', pack, { asOf: clock() });
    expect(evidenceHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(evidenceHash(a)).toBe(evidenceHash(b));
    // Key order does not matter to RFC 8785.
    expect(evidenceHash(Object.fromEntries(Object.entries(a).reverse()) as typeof a)).toBe(evidenceHash(a));
    expect(evidenceHash(gatherEvidence(t.store, 'fraud-score-card-txn', '3', pack, { asOf: new Date('2026-04-16T00:00:00Z') }))).not.toBe(evidenceHash(a));
  });
});
