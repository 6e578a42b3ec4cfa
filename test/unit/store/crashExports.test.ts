import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { setBudget } from '../../../electron/core/budgets/budgetStore';
import { refreshBudgetStates } from '../../../electron/core/budgets/budgetStatus';
import { WORKSPACE_PKI_DIR } from '../../../electron/core/pack/packHandlers';
import { loadOrCreateWorkspaceCertificate } from '../../../electron/core/pack/workspaceCertificate';
import { KEY_PASSPHRASE, MODEL, seedWorkspace, VERSION } from '../pack/auditPackFixtures';
import { buildCrashChild, readDb, restoreDb, runToEnd, runUntilKilled, saveDb, whichState, type DbReading, type KillCase } from '../../support/crashHarness';

/**
 * The exports through the real CLI (`docket export audit-pack`, `docket budget export`, `docket
 * audit export`), killed with SIGKILL while a file is half written, before it is renamed into
 * place, before the audit entry commits and after. After each kill: integrity_check ok, the audit
 * chain verifies, the database is exactly as before the export or as a complete export leaves it,
 * no file under a final name is partial (each is absent or byte for byte the complete export's),
 * and the export's audit entry exists only when every file of the export is in place.
 */

const CLOCK = '2026-11-26T09:00:00.000Z';
let dir: string;
let child: string;
let dbPath: string;
let base: string;
let adaKeyFile: string;
let out: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-crash-export-'));
  child = await buildCrashChild(dir);
  // The audit pack workspace: a card, fairness, lineage, two keys and an approved review.
  const w = await seedWorkspace({ spend: false });
  adaKeyFile = join(dir, 'ada.docket-key.json');
  copyFileSync(w.adaKeyFile, adaKeyFile);
  const clock = () => new Date(CLOCK);
  setBudget(w.t.store, { name: 'All inference', scope: { kind: 'all' }, period: { kind: 'monthly' }, amount: 5000, currency: 'USD' }, { actor: 'finops', clock });
  // Judged once already, so the export's own refresh records nothing new.
  refreshBudgetStates(w.t.store, { clock, actor: 'finops' });
  w.t.store.close();
  mkdirSync(join(dir, 'work'));
  dbPath = join(dir, 'work', 'docket.db');
  base = join(dir, 'base.db');
  saveDb(w.t.dbPath, base);
  w.t.cleanup();
  // The workspace certificate exists before the runs (creating it draws a random key).
  loadOrCreateWorkspaceCertificate(join(dirname(dbPath), WORKSPACE_PKI_DIR), clock);
  out = join(dir, 'out');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under the output folder, by path relative to it. */
function filesUnder(root: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  if (!existsSync(root)) return found;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return found;
}

interface Export {
  name: string;
  argv: () => string[];
  action: string;
  /** The export's files under their final names (relative to the output folder). */
  finals: string[];
  cases: KillCase[];
}

const PACK_DIR = `${MODEL}-${VERSION}-audit-pack`;
const exportsUnderTest: Export[] = [
  {
    name: 'docket export audit-pack --zip',
    argv: () => ['export', 'audit-pack', `${MODEL}@${VERSION}`, '--out', out, '--zip', '--key', adaKeyFile],
    action: 'pack.exported',
    finals: ['audit-pack.pdf', 'evidence.json', 'decisions.json', 'manifest.json', 'VERIFY.txt'].map((f) => `${PACK_DIR}/${f}`).concat(`${PACK_DIR}.zip`),
    cases: [
      { name: 'while a pack file is half written', spec: { kind: 'write', match: '\\.partial-\\d+/', nth: 3 }, expect: 'before', inTransaction: false },
      { name: 'while the zip is half written', spec: { kind: 'write', match: '\\.zip' }, expect: 'before', inTransaction: false },
      { name: 'before the audit entry commits', spec: { kind: 'commit', audit: '^pack\\.exported$' }, expect: 'before', inTransaction: true },
      { name: 'just after the audit entry commits', spec: { kind: 'committed', audit: '^pack\\.exported$' }, expect: 'after', inTransaction: false },
    ],
  },
  {
    name: 'docket budget export --format csv',
    argv: () => ['budget', 'export', '--format', 'csv', '--out', join(out, 'budgets.csv'), '--key', adaKeyFile],
    action: 'budget.report.exported',
    finals: ['budgets.csv', 'budgets.csv.dsse.json'],
    cases: [
      { name: 'while the report is half written', spec: { kind: 'write', match: 'budgets\\.csv' }, expect: 'before', inTransaction: false },
      { name: 'between the report and its signed manifest', spec: { kind: 'rename', match: 'dsse\\.json$' }, expect: 'before', inTransaction: false },
      { name: 'before the audit entry commits', spec: { kind: 'commit', audit: '^budget\\.report\\.exported$' }, expect: 'before', inTransaction: true },
    ],
  },
  {
    name: 'docket audit export (signed JSON Lines)',
    argv: () => ['audit', 'export', '--out', join(out, 'audit.jsonl'), '--key', adaKeyFile],
    action: 'audit.exported',
    finals: ['audit.jsonl', 'audit.jsonl.dsse.json'],
    cases: [
      { name: 'while the log is half written', spec: { kind: 'write', match: 'audit\\.jsonl' }, expect: 'before', inTransaction: true },
      { name: 'between the log and its signature', spec: { kind: 'rename', match: 'dsse\\.json$' }, expect: 'before', inTransaction: true },
      { name: 'before the audit entry commits', spec: { kind: 'commit', audit: '^audit\\.exported$' }, expect: 'before', inTransaction: true },
    ],
  },
];

describe.each(exportsUnderTest)('$name, killed with SIGKILL', (e) => {
  let before: DbReading;
  let after: DbReading;
  let complete: Map<string, Buffer>;
  const env = { DOCKET_KEY_PASSPHRASE: KEY_PASSPHRASE };
  const reset = () => {
    restoreDb(base, dbPath);
    rmSync(out, { recursive: true, force: true });
  };
  beforeAll(async () => {
    reset();
    before = readDb(dbPath);
    const run = await runToEnd(child, ['--db', dbPath, '--json', ...e.argv()], { clock: CLOCK, env });
    expect(run.code, run.stderr).toBe(0);
    after = readDb(dbPath);
    expect(after.actions.slice(before.actions.length)).toEqual([e.action]);
    complete = filesUnder(out);
    for (const f of e.finals) expect(complete.has(f), f).toBe(true);
  }, 90_000);

  it.each(e.cases)('$name: intact, no partial file, the entry only with the files', async (c) => {
    reset();
    const stop = await runUntilKilled(child, ['--db', dbPath, '--json', ...e.argv()], c.spec, { clock: CLOCK, env });
    expect(stop.inTransaction).toBe(c.inTransaction);
    const reading = readDb(dbPath);
    expect(reading.integrity).toBe('ok');
    expect(reading.chain).toMatchObject({ ok: true });
    const state = whichState(reading, before, after);
    expect(state).toBe(c.expect);

    const left = filesUnder(out);
    const finalNames = [...left.keys()].filter((f) => !f.split('/').some((part) => /\.partial-\d+$/.test(part)));
    for (const f of finalNames) expect(left.get(f)!.equals(complete.get(f) ?? Buffer.alloc(0)), `${f} is not the complete export's file`).toBe(true);
    if (state === 'after') expect(finalNames.sort()).toEqual([...complete.keys()].sort());
  }, 90_000);
});
