import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { syncMlflow } from '../../../electron/core/mlflow/syncMlflow';
import { importUserPolicyPack } from '../../../electron/core/reviews/activePolicy';
import { openStore } from '../../../electron/core/store/openStore';
import { generateDataset, startCostExplorerServer, type CostExplorerTestServer } from '../../support/costExplorerServer';
import { generateRegistry, startMlflowServer, type MlflowTestServer } from '../../support/mlflowServer';
import { buildCrashChild, expectedOutcome, killAndRead, readDb, restoreDb, runToEnd, saveDb, type DbReading, type KillCase } from '../../support/crashHarness';

/**
 * The registry and cost syncs through the real CLI in a child process against loopback servers,
 * killed with SIGKILL at exact points. After each kill: integrity_check ok, the audit chain
 * verifies, and every table equals either the state before the sync or the one a complete sync
 * leaves. For MLflow that includes the draft reviews the sync opens for new versions: they land in
 * the sync's transaction, so a kill between the sync and its reviews cannot leave a sync that will
 * never open them. For Cost Explorer nothing is written before the fetch, so a kill while it waits
 * on AWS leaves no source row behind.
 */

const PACK = `
name: Crash pack
version: "1"
tiering: { tagKeys: [risk-tier], default: minimal }
riskTiers:
  minimal:
    title: Minimal
    rules:
      - { id: minimal.approvals, kind: approvals, title: One approval, controls: [DKT-GOV-03], minApprovers: 1, authorMayNotApprove: true }
`;
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLETESTKEY', AWS_SECRET_ACCESS_KEY: 'test-secret-key-not-real', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };

let dir: string;
let child: string;
let dbPath: string;
let mlflow: MlflowTestServer;
let ce: CostExplorerTestServer;
const saved = { mlflow: '', empty: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-crash-sync-'));
  child = await buildCrashChild(dir);
  mkdirSync(join(dir, 'work'));
  dbPath = join(dir, 'work', 'docket.db');

  saved.empty = join(dir, 'empty.db');
  openStore(dbPath).close();
  saveDb(dbPath, saved.empty);

  // A workspace that has synced the registry once; then four models get a new version each.
  mlflow = await startMlflowServer({ registry: generateRegistry({ models: 12, versionsPerModel: 2 }) });
  const store = openStore(dbPath);
  writeFileSync(join(dir, 'pack.yaml'), PACK);
  importUserPolicyPack(store, join(dir, 'pack.yaml'), { resourcesDir: resolve('resources'), actor: 'admin', at: '2026-11-01T09:00:00.000Z' });
  await syncMlflow(store, { url: mlflow.url, actor: 'setup', clock: () => new Date('2026-11-01T10:00:00.000Z'), reviews: { resourcesDir: resolve('resources') } });
  store.close();
  saved.mlflow = join(dir, 'mlflow.db');
  saveDb(dbPath, saved.mlflow);
  for (const model of ['model-0002', 'model-0005', 'model-0007', 'model-0011']) mlflow.addVersion(model, { user_id: 'author@example.com' });

  ce = await startCostExplorerServer({ dataset: generateDataset({ from: '2026-11-01', days: 10, estimatedTail: 2 }), pageSize: 5 });
}, 60_000);
afterAll(async () => {
  await mlflow?.close();
  await ce?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Sync {
  name: string;
  base: () => string;
  argv: () => string[];
  clock: string;
  env?: Record<string, string>;
  cases: KillCase[];
  /** A table the complete sync must have added rows to, and how many. */
  wrote: [table: string, rows: number];
}

const syncs: Sync[] = [
  {
    name: 'docket sync mlflow (4 new versions, each opening a draft review)',
    base: () => saved.mlflow,
    argv: () => ['sync', 'mlflow', '--url', mlflow.url],
    clock: '2026-11-26T09:00:00.000Z',
    wrote: ['reviews', 4],
    cases: [
      { name: 'at its first write', spec: { kind: 'sql', match: '^INSERT INTO sources' }, expect: 'before', inTransaction: true },
      { name: 'midway through the new versions', spec: { kind: 'sql', match: '^INSERT INTO model_versions', nth: 2 }, expect: 'before', inTransaction: true },
      { name: 'after the registry rows, before the first review', spec: { kind: 'sql', match: '^INSERT INTO reviews', nth: 1 }, expect: 'before', inTransaction: true },
      { name: 'midway through the reviews', spec: { kind: 'sql', match: '^INSERT INTO reviews', nth: 3 }, expect: 'before', inTransaction: true },
      { name: 'just before COMMIT', spec: { kind: 'commit', audit: '^mlflow\\.sync$' }, expect: 'before', inTransaction: true },
      { name: 'just after COMMIT', spec: { kind: 'committed', audit: '^mlflow\\.sync$' }, expect: 'after', inTransaction: false },
    ],
  },
  {
    name: 'docket sync aws-ce (10 days)',
    base: () => saved.empty,
    argv: () => ['sync', 'aws-ce', '--from', '2026-11-01', '--to', '2026-11-10', '--endpoint', ce.url],
    clock: '2026-11-11T08:00:00.000Z',
    env: AWS_ENV,
    wrote: ['ce_daily', 60],
    cases: [
      { name: 'at the write transaction\'s first row (after the fetch)', spec: { kind: 'sql', match: '^INSERT INTO sync_runs' }, expect: 'before', inTransaction: true },
      { name: 'midway through the daily costs', spec: { kind: 'sql', match: '^\\s*INSERT INTO ce_daily', nth: 30 }, expect: 'before', inTransaction: true },
      { name: 'just before COMMIT', spec: { kind: 'commit', audit: '^aws-ce\\.sync$' }, expect: 'before', inTransaction: true },
    ],
  },
];

describe.each(syncs)('$name, killed with SIGKILL', (s) => {
  let before: DbReading;
  let after: DbReading;
  beforeAll(async () => {
    restoreDb(s.base(), dbPath);
    before = readDb(dbPath);
    const complete = await runToEnd(child, ['--db', dbPath, '--json', ...s.argv()], { clock: s.clock, env: s.env });
    expect(complete.code, complete.stderr).toBe(0);
    after = readDb(dbPath);
    expect(after.counts[s.wrote[0]]! - (before.counts[s.wrote[0]] ?? 0)).toBe(s.wrote[1]);
  }, 90_000);

  it.each(s.cases)('$name: intact, chain verifies, all or none', async (c) => {
    restoreDb(s.base(), dbPath);
    expect(await killAndRead(child, dbPath, s.argv(), c, { clock: s.clock, env: s.env }, before, after)).toEqual(expectedOutcome(c));
  }, 90_000);
});
