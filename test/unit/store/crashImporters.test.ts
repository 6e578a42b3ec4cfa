import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importCards } from '../../../electron/core/cards/importCards';
import { openStore } from '../../../electron/core/store/openStore';
import { generateOpenLineageNdjson } from '../../bench/lineageEvents';
import { fixedClock } from '../../support/tempStore';
import { buildCrashChild, expectedOutcome, killAndRead, readDb, restoreDb, runToEnd, saveDb, type DbReading, type KillCase } from '../../support/crashHarness';

/**
 * Every importer run through the real CLI in a child process, killed with SIGKILL at exact points
 * (the child stops there and waits for the kill): at the transaction's first write, in the middle of
 * its rows, after its last statement but before COMMIT (and, for cards, just after COMMIT). After each kill the
 * database passes integrity_check, its audit chain verifies, and every table equals, row for row,
 * either the state before the import or the state a complete run of the same import leaves.
 */

const CLOCK = '2026-11-26T09:00:00.000Z';
const DEMO = resolve('resources/demo');
let dir: string;
let child: string;
let dbPath: string;
let cardsDir: string;
let lineageFile: string;
const saved = { empty: '', withCards: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-crash-import-'));
  child = await buildCrashChild(dir);
  dbPath = join(dir, 'work', 'docket.db');
  mkdirSync(join(dir, 'work'));

  // 23 JSON cards (CycloneDX and Model Card Toolkit), each naming its model and version.
  cardsDir = join(dir, 'cards');
  mkdirSync(cardsDir);
  for (const model of readdirSync(join(DEMO, 'cards'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
    for (const file of readdirSync(join(DEMO, 'cards', model.name)).filter((f) => f.endsWith('.json'))) copyFileSync(join(DEMO, 'cards', model.name, file), join(cardsDir, `${model.name}-${file}`));
  }
  lineageFile = join(dir, 'events.ndjson');
  writeFileSync(lineageFile, generateOpenLineageNdjson(3000, { models: 20 }));

  saved.empty = join(dir, 'empty.db');
  openStore(dbPath).close();
  saveDb(dbPath, saved.empty);
  saved.withCards = join(dir, 'with-cards.db');
  const store = openStore(dbPath);
  expect(importCards(store, [cardsDir], { actor: 'setup', clock: fixedClock('2026-11-01T09:00:00.000Z') }).rejected).toEqual([]);
  store.close();
  saveDb(dbPath, saved.withCards);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Writer {
  name: string;
  base: () => string;
  argv: () => string[];
  auditAction: string;
  early: string;
  middle: { match: string; nth: number };
  /** Work the complete run must have done (a table and its row count), so "after" is not "before". */
  wrote: [table: string, rows: number];
  /** Also kill just after COMMIT (once per family is enough: it shows a committed import survives whole). */
  afterCommit?: boolean;
}

const writers: Writer[] = [
  {
    name: 'model cards (a folder of 23)',
    base: () => saved.empty,
    argv: () => ['import', 'cards', cardsDir],
    auditAction: '^cards\\.import$',
    early: '^INSERT INTO sync_runs',
    middle: { match: '^\\s*INSERT INTO model_cards', nth: 12 },
    wrote: ['model_cards', 23],
    afterCommit: true,
  },
  {
    name: 'fairness evaluations (five files)',
    base: () => saved.withCards,
    argv: () => [
      'import', 'fairness',
      ...['credit-default-pd-v2.confusion.csv', 'credit-default-pd-v3.confusion.csv', 'fraud-score-card-txn-v3.confusion.csv', 'churn-propensity-v3.by-group.csv', 'next-best-offer-v3.metricframe.json'].map((f) => join(DEMO, 'fairness', f)),
      '--model', 'credit-default-pd@3', '--dataset', 'holdout',
    ],
    auditAction: '^fairness\\.import$',
    early: '^INSERT INTO sync_runs',
    middle: { match: '^\\s*INSERT INTO fairness_evaluations', nth: 3 },
    wrote: ['fairness_evaluations', 5],
  },
  {
    name: 'OpenLineage events (3,000)',
    base: () => saved.withCards,
    argv: () => ['import', 'lineage', lineageFile],
    auditAction: '^lineage\\.import$',
    early: '^INSERT INTO sync_runs',
    middle: { match: '^\\s*INSERT INTO lineage_events', nth: 1500 },
    wrote: ['lineage_events', 3000],
  },
  {
    name: 'usage (540 rows)',
    base: () => saved.empty,
    argv: () => ['import', 'usage', join(DEMO, 'usage/halden-usage-2026q1.csv')],
    auditAction: '^usage\\.import$',
    early: '^INSERT INTO sync_runs',
    middle: { match: '^\\s*INSERT INTO usage_daily', nth: 270 },
    wrote: ['usage_daily', 540],
  },
];

function cases(w: Writer): KillCase[] {
  return [
    { name: 'at the first write', spec: { kind: 'sql', match: w.early }, expect: 'before', inTransaction: true },
    { name: `midway (${w.middle.match.replace(/[\\^]|\s\*/g, '')} #${w.middle.nth})`, spec: { kind: 'sql', ...w.middle }, expect: 'before', inTransaction: true },
    { name: 'just before COMMIT', spec: { kind: 'commit', audit: w.auditAction }, expect: 'before', inTransaction: true },
    ...(w.afterCommit ? [{ name: 'just after COMMIT', spec: { kind: 'committed', audit: w.auditAction }, expect: 'after', inTransaction: false } as const] : []),
  ];
}

describe.each(writers)('$name, killed with SIGKILL', (w) => {
  let before: DbReading;
  let after: DbReading;
  beforeAll(async () => {
    restoreDb(w.base(), dbPath);
    before = readDb(dbPath);
    restoreDb(w.base(), dbPath);
    const complete = await runToEnd(child, ['--db', dbPath, '--json', ...w.argv()], { clock: CLOCK });
    expect(complete.code, complete.stderr).toBe(0);
    after = readDb(dbPath);
    expect(after.counts[w.wrote[0]]! - (before.counts[w.wrote[0]] ?? 0)).toBe(w.wrote[1]);
  }, 90_000);

  it.each(cases(w))('$name: intact, chain verifies, all or none', async (c) => {
    restoreDb(w.base(), dbPath);
    expect(await killAndRead(child, dbPath, w.argv(), c, { clock: CLOCK }, before, after)).toEqual(expectedOutcome(c));
  }, 90_000);
});
