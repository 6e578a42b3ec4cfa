import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importCards } from '../../../electron/core/cards/importCards';
import { importUserPolicyPack } from '../../../electron/core/reviews/activePolicy';
import { openReview } from '../../../electron/core/reviews/reviews';
import { createKeyFile, unlockKeyFile, writeKeyFile } from '../../../electron/core/signing/keyFile';
import { addKey } from '../../../electron/core/signing/keyring';
import { exportPublicKeyPem } from '../../../electron/core/signing/keys';
import { openStore } from '../../../electron/core/store/openStore';
import { FRAUD_CARD_PATH, FRAUD_MODEL, TWO_APPROVER_PACK } from '../../support/reviewFixtures';
import { buildCrashChild, expectedOutcome, killAndRead, readDb, restoreDb, runToEnd, saveDb, type DbReading, type KillCase } from '../../support/crashHarness';

/**
 * Signed decisions through the real CLI (`docket review approve … --key FILE`, `docket sunset decide
 * … --plan FILE --key FILE`, passphrase from DOCKET_KEY_PASSPHRASE), killed with SIGKILL at exact
 * points. After each kill: integrity_check ok, the audit chain verifies, and every table equals
 * either the state before the command or the one a complete run leaves. `sunset decide` proposes,
 * decides and (for a plan whose retirement date has passed) retires: all three land together.
 */

const CLOCK = '2026-11-26T09:00:00.000Z';
const PASSPHRASE = 'correct horse battery';
let dir: string;
let child: string;
let dbPath: string;
let base: string;
let adaKey: string;
let planFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-crash-decide-'));
  child = await buildCrashChild(dir);
  mkdirSync(join(dir, 'work', FRAUD_MODEL), { recursive: true });
  dbPath = join(dir, 'work', 'docket.db');

  // A complete card, a two-approver policy, two trusted reviewers, and an open review.
  const at = '2026-11-02T09:00:00.000Z';
  const clock = () => new Date(at);
  const store = openStore(dbPath);
  writeFileSync(join(dir, 'pack.yaml'), TWO_APPROVER_PACK);
  importUserPolicyPack(store, join(dir, 'pack.yaml'), { resourcesDir: resolve('resources'), actor: 'admin', at });
  copyFileSync(FRAUD_CARD_PATH, join(dir, 'work', FRAUD_MODEL, 'README.md'));
  expect(importCards(store, [join(dir, 'work', FRAUD_MODEL, 'README.md')], { actor: 'author', clock, fallbackVersion: '3' }).rejected).toEqual([]);
  for (const [name, role] of [['Ada Lovelace', 'ml-lead'], ['Grace Hopper', 'model-risk']] as const) {
    const { keyFile } = createKeyFile({ name, role }, PASSPHRASE, { at, iterations: 1000 });
    addKey(store.db, { name, role, publicKeyPem: exportPublicKeyPem(unlockKeyFile(keyFile, PASSPHRASE).publicKey), origin: 'local' }, { actor: 'admin', at });
    writeKeyFile(join(dir, `${name.split(' ')[0]!.toLowerCase()}.docket-key.json`), keyFile);
  }
  adaKey = join(dir, 'ada.docket-key.json');
  openReview({ store, resourcesDir: resolve('resources'), actor: 'reviewer', clock }, { model: FRAUD_MODEL, version: '3', assignees: ['reviewer'] });
  store.close();
  base = join(dir, 'base.db');
  saveDb(dbPath, base);

  // Retirement date already passed: the approval deprecates and retires the version at once.
  planFile = join(dir, 'plan.yaml');
  writeFileSync(planFile, ['replacement: null', 'drainDate: 2026-11-10', 'retirementDate: 2026-11-20', 'dataRetention: Keep predictions 10 years.', 'rollback: Redeploy from the registry.', 'owner: ml-platform-oncall', ''].join('\n'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Decision {
  name: string;
  argv: () => string[];
  /** Audit actions the complete run appends, in order. */
  appends: string[];
  cases: KillCase[];
}

const decisions: Decision[] = [
  {
    name: 'docket review approve --key FILE',
    argv: () => ['review', 'approve', `${FRAUD_MODEL}@3`, '--key', adaKey, '--rationale', 'Card complete; evidence reviewed.'],
    appends: ['decision.approve'],
    cases: [
      { name: 'at the first write (the evidence snapshot)', spec: { kind: 'sql', match: '^\\s*(INSERT|UPDATE|DELETE)\\b' }, expect: 'before', inTransaction: true },
      { name: 'at the signed decision row', spec: { kind: 'sql', match: '^\\s*INSERT INTO decisions' }, expect: 'before', inTransaction: true },
      { name: 'just before COMMIT', spec: { kind: 'commit', audit: '^decision\\.approve$' }, expect: 'before', inTransaction: true },
      { name: 'just after COMMIT', spec: { kind: 'committed', audit: '^decision\\.approve$' }, expect: 'after', inTransaction: false },
    ],
  },
  {
    name: 'docket sunset decide --plan FILE --key FILE (proposes, approves, retires)',
    argv: () => ['sunset', 'decide', `${FRAUD_MODEL}@3`, '--plan', planFile, '--key', adaKey, '--rationale', 'Superseded by the rules engine.'],
    appends: ['sunset.proposed', 'sunset.decision.approve', 'lifecycle.deprecated', 'lifecycle.retired'],
    cases: [
      { name: 'at the proposal', spec: { kind: 'sql', match: '^\\s*INSERT INTO sunset_reviews' }, expect: 'before', inTransaction: true },
      { name: 'at the signed decision row, after the proposal', spec: { kind: 'sql', match: '^\\s*INSERT INTO sunset_decisions' }, expect: 'before', inTransaction: true },
      { name: 'at the retirement, after the decision', spec: { kind: 'sql', match: "^UPDATE lifecycle_states SET state = 'retired'" }, expect: 'before', inTransaction: true },
      { name: 'just before COMMIT', spec: { kind: 'commit', audit: '^lifecycle\\.retired$' }, expect: 'before', inTransaction: true },
      { name: 'just after COMMIT', spec: { kind: 'committed', audit: '^lifecycle\\.retired$' }, expect: 'after', inTransaction: false },
    ],
  },
];

describe.each(decisions)('$name, killed with SIGKILL', (d) => {
  let before: DbReading;
  let after: DbReading;
  const env = { DOCKET_KEY_PASSPHRASE: PASSPHRASE };
  beforeAll(async () => {
    restoreDb(base, dbPath);
    before = readDb(dbPath);
    const complete = await runToEnd(child, ['--db', dbPath, '--json', ...d.argv()], { clock: CLOCK, env });
    expect(complete.code, complete.stderr).toBe(0);
    after = readDb(dbPath);
    expect(after.actions.slice(before.actions.length)).toEqual(d.appends);
  }, 90_000);

  it.each(d.cases)('$name: intact, chain verifies, all or none', async (c) => {
    restoreDb(base, dbPath);
    expect(await killAndRead(child, dbPath, d.argv(), c, { clock: CLOCK, env }, before, after)).toEqual(expectedOutcome(c));
  }, 90_000);
});
