import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { syncMlflow } from '../../../electron/core/mlflow/syncMlflow';
import { importUserPolicyPack } from '../../../electron/core/reviews/activePolicy';
import { REVIEW_DECISION_TAG, REVIEW_STATE_TAG } from '../../../electron/core/reviews/mlflowWriteBack';
import { reviewDetail } from '../../../electron/core/reviews/reviewQueries';
import { setWriteBack } from '../../../electron/core/reviews/reviewWriteBack';
import { decide, moveReview, type ReviewDeps } from '../../../electron/core/reviews/reviews';
import { createKeyFile, unlockKeyFile } from '../../../electron/core/signing/keyFile';
import { addKey } from '../../../electron/core/signing/keyring';
import { exportPublicKeyPem } from '../../../electron/core/signing/keys';
import { listAudit } from '../../../electron/core/store/auditLog';
import { startMlflowServer, type MlflowTestServer } from '../../support/mlflowServer';
import { tempStore } from '../../support/tempStore';

const PACK = `
name: Registry pack
version: "1"
tiering: { tagKeys: [risk-tier], default: minimal }
riskTiers:
  minimal:
    title: Minimal
    rules:
      - { id: minimal.approvals, kind: approvals, title: One approval, controls: [DKT-GOV-03], minApprovers: 1, authorMayNotApprove: true }
`;
const fastRetry = { backoffMs: 1, maxBackoffMs: 2, maxRetryAfterMs: 5, maxServerErrorRetries: 0 };

let t: ReturnType<typeof tempStore>;
let server: MlflowTestServer;
let now: Date;
let deps: ReviewDeps;

async function sync() {
  now = new Date(now.getTime() + 60_000);
  return syncMlflow(t.store, { url: server.url, actor: 'sync', clock: () => now, clientOptions: { retry: fastRetry }, reviews: { resourcesDir: deps.resourcesDir } });
}

beforeEach(async () => {
  t = tempStore();
  server = await startMlflowServer();
  now = new Date('2026-11-05T08:00:00.000Z');
  deps = { store: t.store, resourcesDir: resolve('resources'), actor: 'reviewer', clock: () => now };
  writeFileSync(join(t.dir, 'pack.yaml'), PACK);
  importUserPolicyPack(t.store, join(t.dir, 'pack.yaml'), { resourcesDir: deps.resourcesDir, actor: 'admin', at: now.toISOString() });
  server.addVersion('fraud', { user_id: 'marcus@halden.example' });
});
afterEach(async () => {
  await server.close();
  t.cleanup();
});

function reviewer() {
  const { keyFile } = createKeyFile({ name: 'Ada Lovelace', role: 'ml-lead' }, 'a long passphrase', { at: now.toISOString(), iterations: 1000 });
  const pair = unlockKeyFile(keyFile, 'a long passphrase');
  addKey(t.store.db, { name: 'Ada Lovelace', role: 'ml-lead', publicKeyPem: exportPublicKeyPem(pair.publicKey), origin: 'local' }, { actor: 'admin', at: now.toISOString() });
  return pair;
}

async function approveNewVersion(): Promise<{ reviewId: number; outcome: Awaited<ReturnType<typeof decide>> }> {
  expect((await sync()).reviewsOpened).toEqual([]); // the first sync is the baseline
  server.addVersion('fraud', { user_id: 'marcus@halden.example' });
  server.setAlias('fraud', 'champion', '2');
  const second = await sync();
  expect(second.reviewsOpened).toEqual([{ id: expect.any(Number), model: 'fraud', version: '2', trigger: 'new-version' }]);
  expect((await sync()).reviewsOpened).toEqual([]);
  const reviewId = second.reviewsOpened[0]!.id;
  expect(reviewDetail(t.store, deps.resourcesDir, reviewId, now)).toMatchObject({ state: 'draft', trigger: 'new-version', authors: ['marcus@halden.example'] });
  setWriteBack(deps, server.url, true);
  moveReview(deps, reviewId, 'submit');
  const outcome = await decide(deps, { reviewId, kind: 'approve', rationale: 'Shadow metrics are fine.', key: reviewer() });
  return { reviewId, outcome };
}

describe('reviews driven by the registry', () => {
  it('opens a draft review when a sync sees a new version, and writes the approval back as model-version tags', async () => {
    const { outcome } = await approveNewVersion();
    expect(outcome.state).toBe('approved');
    expect(outcome.writeBack).toEqual({ ok: true, url: server.url, error: null });
    const tags = Object.fromEntries((server.version('fraud', '2').tags ?? []).map((tag) => [tag.key, tag.value]));
    expect(tags).toMatchObject({ [REVIEW_STATE_TAG]: 'approved', [REVIEW_DECISION_TAG]: `sha256:${outcome.digest}` });
    expect(listAudit(t.store.db, 5).map((e) => e.action)).toContain('review.written-back');
  });

  it('keeps the decision when the write-back fails, and says so on the review and in the audit log', async () => {
    server.inject('model-versions/set-tag', { status: 403, times: Infinity });
    const { reviewId, outcome } = await approveNewVersion();
    expect(outcome.state).toBe('approved');
    expect(outcome.writeBack?.ok).toBe(false);
    expect(outcome.writeBack?.error).toMatch(/fraud v2.*403/);
    const detail = reviewDetail(t.store, deps.resourcesDir, reviewId, now);
    expect(detail.state).toBe('approved');
    expect(detail.decisions).toEqual([expect.objectContaining({ kind: 'approve', verified: true })]);
    expect(detail.writeBack).toMatchObject({ ok: false, error: expect.stringMatching(/403/) });
    expect(listAudit(t.store.db, 5).map((e) => e.action)).toContain('review.write-back-failed');
    expect(server.version('fraud', '2').tags ?? []).toEqual([]);
  });
});
