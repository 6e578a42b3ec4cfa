import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importCards } from '../../../electron/core/cards/importCards';
import { importUserPolicyPack } from '../../../electron/core/reviews/activePolicy';
import { reviewDetail, listReviews } from '../../../electron/core/reviews/reviewQueries';
import { decide, openReview, refreshOpenReviews, type ReviewDeps } from '../../../electron/core/reviews/reviews';
import { createKeyFile, unlockKeyFile } from '../../../electron/core/signing/keyFile';
import { addKey, revokeKey } from '../../../electron/core/signing/keyring';
import { exportPublicKeyPem, type ReviewerKeyPair } from '../../../electron/core/signing/keys';
import { listAudit, verifyAuditChain } from '../../../electron/core/store/auditLog';
import { tempStore } from '../../support/tempStore';
import { fraudCardWithoutOutOfScope, TWO_APPROVER_PACK } from '../../support/reviewFixtures';

const CARD = resolve('resources/demo/cards/fraud-score-card-txn/v3/README.md');
const MODEL = 'fraud-score-card-txn';

const PACK = TWO_APPROVER_PACK;

let t: ReturnType<typeof tempStore>;
let now: Date;
let deps: ReviewDeps;
let cardFile: string;

function advance(minutes: number): void {
  now = new Date(now.getTime() + minutes * 60_000);
}

function newKey(name: string, role: string, origin: 'local' | 'imported' = 'local'): ReviewerKeyPair {
  const { keyFile } = createKeyFile({ name, role }, 'correct horse battery', { at: now.toISOString(), iterations: 1000 });
  const pair = unlockKeyFile(keyFile, 'correct horse battery');
  addKey(t.store.db, { name, role, publicKeyPem: exportPublicKeyPem(pair.publicKey), origin }, { actor: 'admin', at: now.toISOString() });
  return pair;
}

function importCard(text: string): void {
  writeFileSync(cardFile, text);
  const result = importCards(t.store, [cardFile], { actor: 'author', clock: () => now, fallbackVersion: '3' });
  expect(result.rejected).toEqual([]);
}

const complete = readFileSync(CARD, 'utf8');
const withoutOutOfScope = fraudCardWithoutOutOfScope();

beforeEach(() => {
  t = tempStore();
  now = new Date('2026-11-02T09:00:00.000Z');
  deps = { store: t.store, resourcesDir: resolve('resources'), actor: 'reviewer', clock: () => now };
  mkdirSync(join(t.dir, MODEL));
  cardFile = join(t.dir, MODEL, 'README.md');
  const packFile = join(t.dir, 'pack.yaml');
  writeFileSync(packFile, PACK);
  importUserPolicyPack(t.store, packFile, { resourcesDir: deps.resourcesDir, actor: 'admin', at: now.toISOString() });
});
afterEach(() => t.cleanup());

describe('a release review', () => {
  it('refuses approval while a section is missing, records changes requested, shows the diff, and closes after both roles approve', async () => {
    importCard(withoutOutOfScope);
    const ada = newKey('Ada Lovelace', 'ml-lead');
    const grace = newKey('Grace Hopper', 'model-risk');
    const id = openReview(deps, { model: MODEL, version: '3', assignees: ['reviewer'] });
    let detail = reviewDetail(t.store, deps.resourcesDir, id, now);
    expect(detail.checklist.rules.find((r) => r.id === 'high.card-sections')?.status).toBe('fail');
    expect(listReviews(t.store.db, 'mine', 'reviewer', now).map((r) => r.id)).toEqual([id]);

    await expect(decide(deps, { reviewId: id, kind: 'approve', rationale: 'looks fine', key: ada })).rejects.toThrow(/cannot approve while 1 rule\(s\) do not pass: high.card-sections/);
    advance(5);
    const changes = await decide(deps, { reviewId: id, kind: 'request-changes', rationale: 'Add the out-of-scope uses.', key: ada });
    expect(changes.state).toBe('changes_requested');

    advance(60);
    importCard(complete);
    // The inbox's cached verdict catches up with the new evidence when it is refreshed.
    expect(listReviews(t.store.db, 'open', 'reviewer', now)[0]).toMatchObject({ evidenceResult: 'fail' });
    refreshOpenReviews(deps);
    expect(listReviews(t.store.db, 'open', 'reviewer', now)[0]).toMatchObject({ evidenceResult: 'pass', checklistResult: 'fail' });
    detail = reviewDetail(t.store, deps.resourcesDir, id, now);
    expect(detail.checklist.evidenceResult).toBe('pass');
    expect(detail.checklist.awaitingApprovals).toBe(true);
    expect(detail.diff?.baseline).toMatch(/since Ada Lovelace chose "request-changes"/);
    expect(detail.diff?.sectionsChanged).toContain('card');
    expect(detail.diff?.changes).toContainEqual(expect.objectContaining({ path: 'card.sections.outOfScopeUse', kind: 'changed', before: 'missing', after: 'present' }));

    advance(5);
    const first = await decide(deps, { reviewId: id, kind: 'approve', rationale: 'Card complete now.', key: ada });
    expect(first.state).toBe('in_review');
    await expect(decide(deps, { reviewId: id, kind: 'approve', rationale: 'again', key: ada })).rejects.toThrow(/already approved/);
    advance(5);
    const second = await decide(deps, { reviewId: id, kind: 'approve', rationale: 'Risk view: acceptable.', key: grace });
    expect(second.state).toBe('approved');
    expect(second.writeBack).toBeNull();

    detail = reviewDetail(t.store, deps.resourcesDir, id, now);
    expect(detail.state).toBe('approved');
    expect(detail.checklist.result).toBe('pass');
    // Closed: the diff compares with the evidence before the closing decision, not with itself.
    expect(detail.diff?.baseline).toMatch(/since Ada Lovelace chose "approve"/);
    expect(detail.decisions.map((d) => [d.kind, d.signer, d.verified])).toEqual([
      ['request-changes', 'Ada Lovelace', true],
      ['approve', 'Ada Lovelace', true],
      ['approve', 'Grace Hopper', true],
    ]);
    const actions = listAudit(t.store.db, 100).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['review.opened', 'decision.request-changes', 'decision.approve']));
    expect(verifyAuditChain(t.store.db).ok).toBe(true);
  });

  it("refuses an approval by the model's author", async () => {
    importCard(complete);
    const author = newKey('Zoë Ångström', 'ml-lead');
    const id = openReview(deps, { model: MODEL, version: '3' });
    await expect(decide(deps, { reviewId: id, kind: 'approve', rationale: 'mine, and good', key: author })).rejects.toThrow(/Zoë Ångström is an author of fraud-score-card-txn@3/);
    expect(t.store.db.prepare('SELECT count(*) AS n FROM decisions').get()).toEqual({ n: 0 });
  });

  it('refuses a revoked key and a key nobody trusted', async () => {
    importCard(complete);
    const revoked = newKey('Ada Lovelace', 'ml-lead');
    revokeKey(t.store.db, revoked.keyId, 'laptop stolen', { actor: 'admin', at: now.toISOString() });
    const stranger = newKey('Mallory', 'model-risk', 'imported');
    advance(1);
    const id = openReview(deps, { model: MODEL, version: '3' });
    await expect(decide(deps, { reviewId: id, kind: 'approve', rationale: 'ok', key: revoked })).rejects.toThrow(/cannot sign: .*laptop stolen/);
    await expect(decide(deps, { reviewId: id, kind: 'approve', rationale: 'ok', key: stranger })).rejects.toThrow(/Mallory\) cannot sign/);
    expect(t.store.db.prepare('SELECT count(*) AS n FROM decisions').get()).toEqual({ n: 0 });
  });

  it('counts a waiver until it expires, and never lets approvals be waived', async () => {
    importCard(withoutOutOfScope);
    const ada = newKey('Ada Lovelace', 'ml-lead');
    const id = openReview(deps, { model: MODEL, version: '3' });
    await expect(decide(deps, { reviewId: id, kind: 'waive', rationale: 'no', key: ada, waiver: { ruleId: 'high.approvals', expiresAt: '2026-12-01' } })).rejects.toThrow('approvals cannot be waived');
    await decide(deps, { reviewId: id, kind: 'waive', rationale: 'Section follows next sprint.', key: ada, waiver: { ruleId: 'high.card-sections', expiresAt: '2026-11-10T00:00:00Z' } });
    expect(reviewDetail(t.store, deps.resourcesDir, id, now).checklist.rules.find((r) => r.id === 'high.card-sections')?.status).toBe('waived');
    now = new Date('2026-11-11T00:00:00Z');
    expect(reviewDetail(t.store, deps.resourcesDir, id, now).checklist.rules.find((r) => r.id === 'high.card-sections')?.status).toBe('fail');
  });

  it('keeps one open review per version', () => {
    importCard(complete);
    openReview(deps, { model: MODEL, version: '3' });
    expect(() => openReview(deps, { model: MODEL, version: '3' })).toThrow(/already has an open review/);
  });
});
