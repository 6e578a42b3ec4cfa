// A seeded workspace for the audit pack tests: one card, fairness, lineage, spend, usage, two
// reviewer keys and an approved review of fraud-score-card-txn@3.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importCards } from '../../../electron/core/cards/importCards';
import { importFairness } from '../../../electron/core/fairness/importFairness';
import { importLineage } from '../../../electron/core/lineage/importLineage';
import { importUserPolicyPack } from '../../../electron/core/reviews/activePolicy';
import { decide, openReview, type ReviewDeps } from '../../../electron/core/reviews/reviews';
import { createKeyFile, unlockKeyFile } from '../../../electron/core/signing/keyFile';
import { addKey } from '../../../electron/core/signing/keyring';
import { exportPublicKeyPem, type ReviewerKeyPair } from '../../../electron/core/signing/keys';
import { importFocus } from '../../../electron/core/spend/importFocus';
import { importUsage } from '../../../electron/core/spend/importUsage';
import { tempStore } from '../../support/tempStore';
import { TWO_APPROVER_PACK } from '../../support/reviewFixtures';

export const RESOURCES = resolve('resources');
export const MODEL = 'fraud-score-card-txn';
export const VERSION = '3';
export const PACK_TIME = new Date('2026-11-26T09:00:00Z');
export const KEY_PASSPHRASE = 'correct horse battery';

const POLICY = TWO_APPROVER_PACK;

export interface SeededWorkspace {
  t: ReturnType<typeof tempStore>;
  deps: ReviewDeps;
  ada: ReviewerKeyPair;
  grace: ReviewerKeyPair;
  /** Ada's key file (passphrase KEY_PASSPHRASE), for the CLI. */
  adaKeyFile: string;
  reviewId: number;
}

export async function seedWorkspace(options: { spend?: boolean } = {}): Promise<SeededWorkspace> {
  const t = tempStore();
  let now = new Date('2026-11-02T09:00:00.000Z');
  const clock = () => now;
  const deps: ReviewDeps = { store: t.store, resourcesDir: RESOURCES, actor: 'reviewer', clock };
  const at = () => now.toISOString();
  const packFile = join(t.dir, 'pack.yaml');
  writeFileSync(packFile, POLICY);
  importUserPolicyPack(t.store, packFile, { resourcesDir: RESOURCES, actor: 'admin', at: at() });
  mkdirSync(join(t.dir, MODEL));
  cpSync(join(RESOURCES, 'demo/cards', MODEL, 'v3/README.md'), join(t.dir, MODEL, 'README.md'));
  const cards = importCards(t.store, [join(t.dir, MODEL, 'README.md')], { actor: 'author', clock, fallbackVersion: VERSION });
  if (cards.rejected.length > 0) throw new Error(JSON.stringify(cards.rejected));
  importFairness(t.store, [join(RESOURCES, 'demo/fairness/fraud-score-card-txn-v3.confusion.csv')], {
    target: { name: MODEL, version: VERSION },
    dataset: { name: 'halden-txn-2025q3-holdout', digest: null },
    producer: 'halden-ml-eval 1.5 (confusion counts)',
    actor: 'author',
    clock,
  });
  importLineage(t.store, [join(RESOURCES, 'demo/lineage')], { actor: 'author', clock });
  if (options.spend !== false) {
    await importFocus(t.store, [join(RESOURCES, 'demo/spend')], { actor: 'finops', clock });
    importUsage(t.store, join(RESOURCES, 'demo/usage/halden-usage-2026q1.csv'), { actor: 'finops', clock });
  }
  const newKey = (name: string, role: string) => {
    const { keyFile } = createKeyFile({ name, role }, KEY_PASSPHRASE, { at: at(), iterations: 1000 });
    const pair = unlockKeyFile(keyFile, KEY_PASSPHRASE);
    addKey(t.store.db, { name, role, publicKeyPem: exportPublicKeyPem(pair.publicKey), origin: 'local' }, { actor: 'admin', at: at() });
    return { pair, keyFile };
  };
  const ada = newKey('Ada Lovelace', 'ml-lead');
  const grace = newKey('Grace Hopper', 'model-risk');
  const adaKeyFile = join(t.dir, 'ada.docket-key.json');
  writeFileSync(adaKeyFile, JSON.stringify(ada.keyFile, null, 2));
  now = new Date('2026-11-03T10:00:00.000Z');
  const reviewId = openReview(deps, { model: MODEL, version: VERSION, assignees: ['reviewer'] });
  now = new Date('2026-11-03T11:00:00.000Z');
  await decide(deps, { reviewId, kind: 'approve', rationale: 'Card complete; lineage and fairness evidence reviewed.', key: ada.pair });
  now = new Date('2026-11-03T12:00:00.000Z');
  await decide(deps, { reviewId, kind: 'approve', rationale: 'Risk view: acceptable.', key: grace.pair });
  now = PACK_TIME;
  return { t, deps, ada: ada.pair, grace: grace.pair, adaKeyFile, reviewId };
}
