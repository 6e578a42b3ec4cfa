import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { buildDemoWorkspace } from '../../../electron/core/demo/buildDemo';
import { openStore, type Store } from '../../../electron/core/store/openStore';
import { verifyAuditChain } from '../../../electron/core/store/auditLog';
import { importCards } from '../../../electron/core/cards/importCards';
import { importFairness } from '../../../electron/core/fairness/importFairness';
import { importLineage } from '../../../electron/core/lineage/importLineage';
import { importFocus } from '../../../electron/core/spend/importFocus';
import { importUsage } from '../../../electron/core/spend/importUsage';
import { exportDecisions, importDecisionBundle, parseBundle } from '../../../electron/core/reviews/decisionBundles';
import { importUserPolicyPack } from '../../../electron/core/reviews/activePolicy';
import { PolicyFileError } from '../../../electron/core/policy/policyFile';
import { InputFileError } from '../../../electron/core/inputFileError';
import { DocketError } from '../../../shared/ipc/result';
import { fixedClock } from '../../support/tempStore';
import { applyMutations, CRASH_MESSAGE, mutationsArb } from '../../fixtures/hostile/mutate';

/**
 * Issue 10, item 4: every importer, fed real fixtures mutated at random (fast-check), either imports
 * or rejects with a typed error naming the file and a line, JSON path or field; it never throws
 * anything else, and a rejection writes nothing but the record of the refused run (a failed
 * sync_runs row and its "*.rejected" audit entry, by design): every other table keeps its row count,
 * the audit chain still verifies, and importers that keep no such record leave the audit head as it was.
 */

const RESOURCES = resolve('resources');
const clock = fixedClock();
let base: string;
let store: Store;
let counter = 0;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'docket-hostile-import-'));
  const demo = await buildDemoWorkspace({ outDir: join(base, 'workspace'), resourcesDir: RESOURCES, clock, actor: 'demo' });
  store = openStore(demo.machine.dbPath);
}, 60_000);
afterAll(() => {
  store?.close();
  rmSync(base, { recursive: true, force: true });
});

interface StoreState {
  counts: Record<string, number>;
  head: { seq: number; hash: string } | undefined;
}

function state(): StoreState {
  const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
  const counts = Object.fromEntries(tables.map((t) => [t, (store.db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
  const head = store.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  return { counts, head };
}

/** After a refused import: nothing written except, at most, the failed run and its ".rejected" audit entry. */
function expectNoPartialWrite(before: StoreState, context: string, allowed: { auditEntries: number; actions: RegExp } = { auditEntries: 1, actions: /\.rejected$/ }): void {
  const after = state();
  const { sync_runs: runsBefore = 0, audit_log: auditBefore = 0, ...restBefore } = before.counts;
  const { sync_runs: runsAfter = 0, audit_log: auditAfter = 0, ...restAfter } = after.counts;
  expect(restAfter, context).toEqual(restBefore);
  expect(runsAfter - runsBefore, context).toBeLessThanOrEqual(1);
  expect(auditAfter - auditBefore, context).toBeLessThanOrEqual(allowed.auditEntries);
  const newRuns = store.db.prepare('SELECT status FROM sync_runs ORDER BY id DESC LIMIT ?').all(runsAfter - runsBefore) as { status: string }[];
  for (const r of newRuns) expect(r.status, context).toBe('failed');
  const newAudit = store.db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT ?').all(auditAfter - auditBefore) as { action: string }[];
  for (const a of newAudit) expect(a.action, context).toMatch(allowed.actions);
  expect(verifyAuditChain(store.db).ok, context).toBe(true);
}

function expectUnchanged(before: StoreState, context: string): void {
  expect(state(), context).toEqual(before);
}

/** A rejection names its file and where in it, with a reason that is not a JavaScript crash. */
function expectTypedRejection(r: { file: string; location: string; reason: string }, path: string, context: string): void {
  expect(r.file, context).toBe(path);
  expect(typeof r.location, context).toBe('string');
  expect(r.location.length, context).toBeGreaterThan(0);
  expect(r.reason.trim().length, context).toBeGreaterThan(0);
  expect(r.reason, context).not.toMatch(CRASH_MESSAGE);
}

function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((p) => accept(basename(p)))
    .map((p) => join(dir, p));
}

/** Writes a mutant beside a fresh folder, keeping the fixture's file name (importers judge by it). */
function writeMutant(fixture: string, bytes: Buffer): string {
  const dir = join(base, 'mutants', String((counter += 1)));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, basename(fixture));
  writeFileSync(path, bytes);
  return path;
}

const head = (file: string, lines: number) => Buffer.from(readFileSync(file, 'utf8').split('\n').slice(0, lines).join('\n'));
const describeRun = (fixture: string, mutated: Buffer) => `${fixture} mutated to ${mutated.length} bytes: ${JSON.stringify(mutated.subarray(0, 160).toString('utf8'))}`;
// Runs per importer in `npm test`; FUZZ_RUNS=600 (or more) for a longer hunt with a fresh seed.
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

describe('every importer under random and mutated input', () => {
  it('cards: imported, or rejected with file and location; a rejection writes nothing', () => {
    const fixtures = [
      ...filesUnder(resolve('test/fixtures/model-cards'), (n) => /readme\.md$|\.json$/i.test(n)),
      ...filesUnder(join(RESOURCES, 'demo/cards'), (n) => /readme\.md$|\.cdx\.json$|\.model_card\.json$/i.test(n)),
    ].map((f) => ({ f, bytes: readFileSync(f) }));
    fc.assert(
      fc.property(fc.nat(), mutationsArb, (pick, mutations) => {
        const { f, bytes } = fixtures[pick % fixtures.length]!;
        const mutated = applyMutations(bytes, mutations);
        const path = writeMutant(f, mutated);
        const context = describeRun(f, mutated);
        const before = state();
        const result = importCards(store, [path], { actor: 'fuzz', clock, fallbackVersion: `fuzz-${counter}` });
        if (result.rejected.length > 0) {
          for (const r of result.rejected) expectTypedRejection(r, path, context);
          expect(result.imported, context).toBe(0);
          expectNoPartialWrite(before, context);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('fairness: imported, or rejected with file and location; a rejection writes nothing', () => {
    const fixtures = [...filesUnder(resolve('test/fixtures/fairness'), (n) => /\.(json|csv)$/.test(n)), ...filesUnder(join(RESOURCES, 'demo/fairness'), (n) => /\.(json|csv)$/.test(n) && n !== 'manifest.json')].map((f) => ({ f, bytes: readFileSync(f) }));
    fc.assert(
      fc.property(fc.nat(), mutationsArb, (pick, mutations) => {
        const { f, bytes } = fixtures[pick % fixtures.length]!;
        const mutated = applyMutations(bytes, mutations);
        const path = writeMutant(f, mutated);
        const context = describeRun(f, mutated);
        const before = state();
        const result = importFairness(store, [path], { target: { name: 'claims-triage-nlp', version: '3' }, actor: 'fuzz', clock });
        if (result.rejected.length > 0) {
          for (const r of result.rejected) expectTypedRejection(r, path, context);
          expectNoPartialWrite(before, context);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('lineage: imported, or rejected with file and location; a rejection writes nothing', () => {
    const fixtures = [...filesUnder(resolve('test/fixtures/openlineage'), (n) => /\.(json|ndjson)$/.test(n)), join(RESOURCES, 'demo/lineage/halden-pipelines.ndjson')].map((f) => ({ f, bytes: readFileSync(f) }));
    fc.assert(
      fc.property(fc.nat(), mutationsArb, (pick, mutations) => {
        const { f, bytes } = fixtures[pick % fixtures.length]!;
        const mutated = applyMutations(bytes, mutations);
        const path = writeMutant(f, mutated);
        const context = describeRun(f, mutated);
        const before = state();
        const result = importLineage(store, [path], { actor: 'fuzz', clock });
        if (result.rejected.length > 0) {
          for (const r of result.rejected) expectTypedRejection(r, path, context);
          expectNoPartialWrite(before, context);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('usage: imported, or rejected with file and location; a rejection writes nothing', () => {
    const fixture = join(RESOURCES, 'demo/usage/halden-usage-2026q1.csv');
    const bytes = head(fixture, 40);
    fc.assert(
      fc.property(mutationsArb, (mutations) => {
        const mutated = applyMutations(bytes, mutations);
        const path = writeMutant(fixture, mutated);
        const context = describeRun(fixture, mutated);
        const before = state();
        const result = importUsage(store, path, { actor: 'fuzz', clock });
        if (result.rejected.length > 0) {
          for (const r of result.rejected) expectTypedRejection(r, path, context);
          expectNoPartialWrite(before, context);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('FOCUS billing files: imported, or each file rejected with line and reason; a rejected file writes nothing', async () => {
    const fixtures = [
      { f: resolve('test/fixtures/focus/focus-1.0-sample-1000.csv'), bytes: head(resolve('test/fixtures/focus/focus-1.0-sample-1000.csv'), 25) },
      { f: join(RESOURCES, 'demo/spend/halden-focus-2026q1.csv'), bytes: head(join(RESOURCES, 'demo/spend/halden-focus-2026q1.csv'), 25) },
      ...filesUnder(resolve('test/fixtures/focus/broken'), (n) => /\.csv(\.gz)?$/.test(n)).map((f) => ({ f, bytes: readFileSync(f) })),
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutationsArb, async (pick, mutations) => {
        const { f, bytes } = fixtures[pick % fixtures.length]!;
        const mutated = applyMutations(bytes, mutations);
        const path = writeMutant(f, mutated);
        const context = describeRun(f, mutated);
        const before = state();
        const result = await importFocus(store, [path], { actor: 'fuzz', clock });
        expect(result.files, context).toHaveLength(1);
        const file = result.files[0]!;
        if (file.status === 'rejected') {
          expect(file.file, context).toBe(path);
          expect(file.rejected.length, context).toBeGreaterThan(0);
          for (const p of file.rejected) {
            expect(p.reason.trim().length, context).toBeGreaterThan(0);
            expect(p.reason, context).not.toMatch(CRASH_MESSAGE);
            expect(p.line === null || (Number.isInteger(p.line) && p.line >= 1), context).toBe(true);
          }
          // By design a refused FOCUS file leaves its "focus.import.rejected" entry and the run's own "focus.import" summary.
          expectNoPartialWrite(before, context, { auditEntries: 2, actions: /^focus\.import(\.rejected)?$/ });
        }
      }),
      { numRuns: 30 },
    );
  });

  it('signed decision bundles: imported or refused per decision, or a typed error that writes nothing', () => {
    const bundle = Buffer.from(JSON.stringify(exportDecisions(store, clock), null, 2));
    fc.assert(
      fc.property(mutationsArb, (mutations) => {
        const mutated = applyMutations(bundle, mutations);
        const context = describeRun('decisions bundle', mutated);
        const before = state();
        try {
          const parsed = parseBundle(mutated.toString('utf8'), 'bundle.json');
          const result = importDecisionBundle({ store, resourcesDir: RESOURCES, actor: 'fuzz', clock }, parsed, 'bundle.json');
          for (const r of result.refused) expect(r.detail, context).not.toMatch(CRASH_MESSAGE);
        } catch (error) {
          expect(error, `${context}: ${String(error)}`).toBeInstanceOf(DocketError);
          expect((error as Error).message, context).toMatch(/^bundle\.json: /);
          expect((error as Error).message, context).not.toMatch(CRASH_MESSAGE);
          expectUnchanged(before, context);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('policy packs: stored, or a typed error naming file, line or field that writes nothing', () => {
    const pack = readFileSync(join(RESOURCES, 'policies/default-pack.yaml'));
    const fixtures = [
      { f: 'fuzz-pack.yaml', bytes: pack },
      { f: 'fuzz-pack.json', bytes: Buffer.from(JSON.stringify(parseYaml(pack.toString('utf8')), null, 2)) },
    ];
    fc.assert(
      fc.property(fc.nat(), mutationsArb, (pick, mutations) => {
        const { f, bytes } = fixtures[pick % fixtures.length]!;
        const mutated = applyMutations(bytes, mutations);
        const path = writeMutant(f, mutated);
        const context = describeRun(f, mutated);
        const before = state();
        try {
          importUserPolicyPack(store, path, { resourcesDir: RESOURCES, actor: 'fuzz', at: clock().toISOString(), activate: false });
        } catch (error) {
          const typed = error instanceof PolicyFileError || error instanceof DocketError || error instanceof InputFileError;
          expect(typed, `${context}: ${String(error)}`).toBe(true);
          expect((error as Error).message, context).toContain(path);
          expect((error as Error).message, context).not.toMatch(CRASH_MESSAGE);
          expectUnchanged(before, context);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
