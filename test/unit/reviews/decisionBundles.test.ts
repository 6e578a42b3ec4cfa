import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importCards } from '../../../electron/core/cards/importCards';
import { importUserPolicyPack } from '../../../electron/core/reviews/activePolicy';
import { exportDecisions, importDecisionBundle, parseBundle, verifyBundle } from '../../../electron/core/reviews/decisionBundles';
import { reviewDetail } from '../../../electron/core/reviews/reviewQueries';
import { decide, openReview, type ReviewDeps } from '../../../electron/core/reviews/reviews';
import { createKeyFile, unlockKeyFile } from '../../../electron/core/signing/keyFile';
import { addKey, trustKey } from '../../../electron/core/signing/keyring';
import { exportPublicKeyPem, type ReviewerKeyPair } from '../../../electron/core/signing/keys';
import { tempStore } from '../../support/tempStore';

const CARD = resolve('resources/demo/cards/fraud-score-card-txn/v3/README.md');
const MODEL = 'fraud-score-card-txn';
const PACK = `
name: Bundle pack
version: "1"
tiering: { tagKeys: [risk-tier], default: high }
riskTiers:
  high:
    title: High
    rules:
      - { id: high.card-sections, kind: card-sections, title: Card, controls: [DKT-DOC-01], sections: [intendedUse] }
      - { id: high.approvals, kind: approvals, title: Two approvals, controls: [DKT-GOV-03], minApprovers: 2, authorMayNotApprove: true }
`;

interface Workspace {
  t: ReturnType<typeof tempStore>;
  deps: ReviewDeps;
}

let now: Date;
let a: Workspace;
let b: Workspace;

function workspace(actor: string): Workspace {
  const t = tempStore();
  const deps = { store: t.store, resourcesDir: resolve('resources'), actor, clock: () => now };
  writeFileSync(join(t.dir, 'pack.yaml'), PACK);
  importUserPolicyPack(t.store, join(t.dir, 'pack.yaml'), { resourcesDir: deps.resourcesDir, actor, at: now.toISOString() });
  mkdirSync(join(t.dir, MODEL));
  // Each workspace imports the same card from its own path: provenance differs, substance does not.
  writeFileSync(join(t.dir, MODEL, 'README.md'), readCard());
  expect(importCards(t.store, [join(t.dir, MODEL, 'README.md')], { actor, clock: () => now, fallbackVersion: '3' }).rejected).toEqual([]);
  return { t, deps };
}

function readCard(): string {
  return readFileSync(CARD, 'utf8');
}

function localKey(w: Workspace, name: string, role: string): ReviewerKeyPair {
  const { keyFile } = createKeyFile({ name, role }, 'pass phrase here', { at: now.toISOString(), iterations: 1000 });
  const pair = unlockKeyFile(keyFile, 'pass phrase here');
  addKey(w.t.store.db, { name, role, publicKeyPem: exportPublicKeyPem(pair.publicKey), origin: 'local' }, { actor: w.deps.actor, at: now.toISOString() });
  return pair;
}

beforeEach(() => {
  now = new Date('2026-11-03T10:00:00.000Z');
  a = workspace('alice');
  now = new Date('2026-11-03T10:05:00.000Z');
  b = workspace('bob');
});
afterEach(() => {
  a.t.cleanup();
  b.t.cleanup();
});

describe('decision bundles', () => {
  it('refuses a bundle from an unknown key until the key is trusted, then counts the approval toward the review', async () => {
    const ada = localKey(a, 'Ada Lovelace', 'ml-lead');
    const reviewA = openReview(a.deps, { model: MODEL, version: '3' });
    now = new Date('2026-11-03T11:00:00.000Z');
    await decide(a.deps, { reviewId: reviewA, kind: 'approve', rationale: 'Reviewed on my machine.', key: ada });
    const text = JSON.stringify(exportDecisions(a.t.store, a.deps.clock));

    const grace = localKey(b, 'Grace Hopper', 'model-risk');
    const reviewB = openReview(b.deps, { model: MODEL, version: '3' });
    const first = importDecisionBundle(b.deps, parseBundle(text, 'ada.json'), 'ada.json');
    expect(first).toMatchObject({ imported: 0, keysAdded: [ada.keyId] });
    expect(first.refused[0]?.detail).toMatch(/nobody has trusted it.*docket keys trust/);
    expect(b.t.store.db.prepare('SELECT count(*) AS n FROM decisions').get()).toEqual({ n: 0 });

    trustKey(b.t.store.db, ada.keyId, { actor: 'bob', at: now.toISOString() });
    const second = importDecisionBundle(b.deps, parseBundle(text, 'ada.json'), 'ada.json');
    expect(second).toMatchObject({ imported: 1, refused: [] });
    expect(importDecisionBundle(b.deps, parseBundle(text, 'ada.json'), 'ada.json')).toMatchObject({ imported: 0, unchanged: 1 });

    let detail = reviewDetail(b.t.store, b.deps.resourcesDir, reviewB, now);
    expect(detail.decisions).toEqual([expect.objectContaining({ kind: 'approve', signer: 'Ada Lovelace', origin: 'imported', verified: true, current: true })]);
    expect(detail.state).toBe('in_review');
    now = new Date('2026-11-03T12:00:00.000Z');
    const done = await decide(b.deps, { reviewId: reviewB, kind: 'approve', rationale: 'Second pair of eyes.', key: grace });
    expect(done.state).toBe('approved');
    detail = reviewDetail(b.t.store, b.deps.resourcesDir, reviewB, now);
    expect(detail.checklist.result).toBe('pass');
  });

  it('fails verification when any single byte of a signed envelope is altered', async () => {
    const ada = localKey(a, 'Ada Lovelace', 'ml-lead');
    const reviewA = openReview(a.deps, { model: MODEL, version: '3' });
    await decide(a.deps, { reviewId: reviewA, kind: 'request-changes', rationale: 'Needs more evaluation data.', key: ada });
    const bundle = exportDecisions(a.t.store, a.deps.clock);
    expect(verifyBundle(a.t.store, bundle).map((c) => c.ok)).toEqual([true]);
    const envelope = bundle.decisions[0]!;
    const payload = Buffer.from(envelope.payload, 'base64');
    for (const position of [0, Math.floor(payload.length / 2), payload.length - 2]) {
      const altered = Buffer.from(payload);
      altered[position] = altered[position]! ^ 0x01;
      const tampered = { ...bundle, decisions: [{ ...envelope, payload: altered.toString('base64') }] };
      const [check] = verifyBundle(a.t.store, tampered);
      expect(check?.ok).toBe(false);
    }
    const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64');
    sig[10] = sig[10]! ^ 0x80;
    const badSig = { ...bundle, decisions: [{ ...envelope, signatures: [{ ...envelope.signatures[0]!, sig: sig.toString('base64') }] }] };
    expect(verifyBundle(a.t.store, badSig)[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/signature/i) });
  });

  it('names the JSON path of a malformed bundle', () => {
    expect(() => parseBundle('{"format":"docket-decisions/1","exportedAt":"2026-01-01T00:00:00Z","keys":[],"decisions":[{"payloadType":"x"}]}', 'bad.json')).toThrow(/bad\.json: \$\.decisions\.0\.payload/);
    expect(() => parseBundle('not json', 'bad.json')).toThrow(/bad\.json: not JSON/);
  });
});
