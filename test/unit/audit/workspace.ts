import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { importCards } from '../../../electron/core/cards/importCards';
import { importUserPolicyPack } from '../../../electron/core/reviews/activePolicy';
import { commentOnReview, decide, openReview, type ReviewDeps } from '../../../electron/core/reviews/reviews';
import { createKeyFile, unlockKeyFile, writeKeyFile, type DocketKeyFile } from '../../../electron/core/signing/keyFile';
import { addKey } from '../../../electron/core/signing/keyring';
import { exportPublicKeyPem, type ReviewerKeyPair } from '../../../electron/core/signing/keys';
import { tempStore } from '../../support/tempStore';
import { TWO_APPROVER_PACK } from '../../support/reviewFixtures';

/**
 * A real workspace for the audit tests: a card, a policy pack, two reviewer keys (key files on
 * disk too), one review with two signed decisions and activity around them. Built by the engine
 * itself, so tampering tests start from exactly what Docket writes.
 */

export const MODEL = 'fraud-score-card-txn';
export const PASSPHRASE = 'correct horse battery';
const CARD = resolve('resources/demo/cards/fraud-score-card-txn/v3/README.md');
const PACK = TWO_APPROVER_PACK;

export interface AuditWorkspace {
  t: ReturnType<typeof tempStore>;
  deps: ReviewDeps;
  ada: { pair: ReviewerKeyPair; file: DocketKeyFile; path: string };
  grace: { pair: ReviewerKeyPair; file: DocketKeyFile; path: string };
  reviewId: number;
  /** Seqs of the two decisions' audit entries, and of the comment between them. */
  firstDecisionSeq: number;
  commentSeq: number;
  secondDecisionSeq: number;
  /** Set to move the workspace clock. */
  advance(minutes: number): void;
  now(): Date;
}

export async function buildAuditWorkspace(): Promise<AuditWorkspace> {
  const t = tempStore();
  let now = new Date('2026-11-02T09:00:00.000Z');
  const advance = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));
  const deps: ReviewDeps = { store: t.store, resourcesDir: resolve('resources'), actor: 'reviewer', clock: () => now };
  mkdirSync(join(t.dir, MODEL));
  const cardFile = join(t.dir, MODEL, 'README.md');
  writeFileSync(cardFile, readFileSync(CARD, 'utf8'));
  const packFile = join(t.dir, 'pack.yaml');
  writeFileSync(packFile, PACK);
  importUserPolicyPack(t.store, packFile, { resourcesDir: deps.resourcesDir, actor: 'admin', at: now.toISOString() });
  expect(importCards(t.store, [cardFile], { actor: 'author', clock: () => now, fallbackVersion: '3' }).rejected).toEqual([]);

  const newKey = (name: string, role: string) => {
    const { keyFile } = createKeyFile({ name, role }, PASSPHRASE, { at: now.toISOString(), iterations: 1000 });
    const pair = unlockKeyFile(keyFile, PASSPHRASE);
    addKey(t.store.db, { name, role, publicKeyPem: exportPublicKeyPem(pair.publicKey), origin: 'local' }, { actor: 'admin', at: now.toISOString() });
    const path = join(t.dir, `${name.split(' ')[0]!.toLowerCase()}.docket-key.json`);
    writeKeyFile(path, keyFile);
    return { pair, file: keyFile, path };
  };
  const ada = newKey('Ada Lovelace', 'ml-lead');
  const grace = newKey('Grace Hopper', 'model-risk');

  advance(1);
  const reviewId = openReview(deps, { model: MODEL, version: '3', assignees: ['reviewer'] });
  advance(5);
  await decide(deps, { reviewId, kind: 'approve', rationale: 'Card complete.', key: ada.pair });
  const firstDecisionSeq = headSeq(t);
  advance(5);
  commentOnReview(deps, reviewId, 'Risk view pending.');
  const commentSeq = headSeq(t);
  advance(5);
  await decide(deps, { reviewId, kind: 'approve', rationale: 'Risk view: acceptable.', key: grace.pair });
  const secondDecisionSeq = headSeq(t);
  advance(5);
  commentOnReview(deps, reviewId, 'Closed.');
  return { t, deps, ada, grace, reviewId, firstDecisionSeq, commentSeq, secondDecisionSeq, advance, now: () => now };
}

function headSeq(t: ReturnType<typeof tempStore>): number {
  return (t.store.db.prepare('SELECT max(seq) AS s FROM audit_log').get() as { s: number }).s;
}

/** Runs SQL against the database file with the sqlite3 shell in a child process: tampering as an attacker would. */
export function sqlite3(dbPath: string, sql: string): string {
  return execFileSync('sqlite3', ['-bail', dbPath], { input: sql, encoding: 'utf8' });
}
