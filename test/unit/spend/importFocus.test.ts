import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ImportCancelledError, importFocus } from '../../../electron/core/spend/importFocus';
import { generateFocusCsv } from '../../bench/focusData';
import { verifyAuditChain } from '../../../electron/core/store/auditLog';
import { reapplyAttribution } from '../../../electron/core/spend/attribution';
import { fixedClock, tempStore } from '../../support/tempStore';
import { decimalTotals, floatToCents, unitsToCents } from './decimalSum';
import type { Store } from '../../../electron/core/store/openStore';

const SAMPLE = resolve('test/fixtures/focus/focus-1.0-sample-1000.csv');
const BROKEN = resolve('test/fixtures/focus/broken');
const opts = { actor: 'tester', clock: fixedClock() };

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function fresh() {
  const t = tempStore();
  cleanups.push(t.cleanup);
  return t;
}

function spendState(store: Store) {
  const count = (table: string) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { files: count('spend_files'), items: count('spend_line_items'), daily: count('spend_daily') };
}

describe('importFocus', () => {
  it('imports the real FOCUS 1.0 sample; totals per currency equal an independent decimal sum to the cent', async () => {
    const { store } = fresh();
    const result = await importFocus(store, [SAMPLE], opts);
    const [file] = result.files;
    expect(file).toMatchObject({ status: 'imported', focusVersion: '1.0', rows: 1000, rejected: [] });
    const expected = decimalTotals(SAMPLE);
    expect(file!.totals.map((t) => t.currency)).toEqual([...expected.keys()].sort());
    for (const t of file!.totals) {
      const exact = expected.get(t.currency)!;
      expect(floatToCents(t.billedCost)).toBe(unitsToCents(exact.billed));
      expect(floatToCents(t.effectiveCost)).toBe(unitsToCents(exact.effective));
    }
    // The rollup holds the same money as the line items.
    const daily = store.db.prepare('SELECT currency, SUM(billed_cost) AS b, SUM(line_items) AS n FROM spend_daily GROUP BY currency').all() as { currency: string; b: number; n: number }[];
    expect(daily).toHaveLength(1);
    expect(daily[0]!.n).toBe(1000);
    expect(floatToCents(daily[0]!.b)).toBe(unitsToCents(expected.get('USD')!.billed));
    const run = store.db.prepare('SELECT kind, status, imported FROM sync_runs WHERE id = ?').get(result.syncRunId);
    expect(run).toEqual({ kind: 'focus', status: 'ok', imported: 1 });
    expect(verifyAuditChain(store.db).ok).toBe(true);
  });

  it('keeps NULL as null, normalizes timestamps to ISO UTC and keeps tags as JSON', async () => {
    const { store } = fresh();
    await importFocus(store, [SAMPLE], opts);
    const first = store.db.prepare('SELECT * FROM spend_line_items WHERE line = 2').get() as Record<string, unknown>;
    expect(first).toMatchObject({ provider: 'AWS', charge_class: null, charge_period_start: '2024-09-18T22:00:00Z', charge_period_end: '2024-09-18T23:00:00Z', resource_name: null, tags_json: null, billed_cost: 0.0000008 });
    const tagged = store.db.prepare('SELECT tags_json FROM spend_line_items WHERE line = 3').get() as { tags_json: string };
    expect(JSON.parse(tagged.tags_json)).toMatchObject({ application: 'BrightLensMatrix' });
    const nullContracted = store.db.prepare('SELECT count(*) AS n FROM spend_line_items WHERE contracted_cost IS NULL').get() as { n: number };
    expect(nullContracted.n).toBe(7);
  });

  it('re-importing the same file (by sha256, even gzipped elsewhere under another name) changes nothing', async () => {
    const { store, dir } = fresh();
    await importFocus(store, [SAMPLE], opts);
    const before = spendState(store);
    const copy = join(dir, 'again.csv');
    copyFileSync(SAMPLE, copy);
    const again = await importFocus(store, [copy], opts);
    expect(again.files[0]).toMatchObject({ status: 'unchanged', rows: 1000, rejected: [] });
    expect(again.files[0]!.totals).toHaveLength(1);
    expect(spendState(store)).toEqual(before);
  });

  it('reads gzip CSV by its magic bytes, whatever the name', async () => {
    const { store, dir } = fresh();
    const gz = join(dir, 'export.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(SAMPLE)));
    const result = await importFocus(store, [gz], opts);
    expect(result.files[0]).toMatchObject({ status: 'imported', rows: 1000 });
    const expected = decimalTotals(gz);
    expect(floatToCents(result.files[0]!.totals[0]!.billedCost)).toBe(unitsToCents(expected.get('USD')!.billed));
  });

  const broken: [string, { line: number | null; column: string | null; reason: RegExp }][] = [
    ['missing-billedcost.csv', { line: 1, column: 'BilledCost', reason: /missing mandatory column BilledCost/ }],
    ['non-numeric-cost.csv', { line: 17, column: 'BilledCost', reason: /'abc' is not a number/ }],
    ['bad-timestamp.csv', { line: 9, column: 'ChargePeriodStart', reason: /'2024-09-31 25:00:00' is not a valid date-time/ }],
    ['truncated.csv.gz', { line: null, column: null, reason: /truncated/ }],
  ];
  for (const [name, problem] of broken) {
    it(`rejects ${name} with line and reason, and leaves the spend tables unchanged`, async () => {
      const { store } = fresh();
      await importFocus(store, [SAMPLE], opts);
      const before = spendState(store);
      const result = await importFocus(store, [join(BROKEN, name)], opts);
      const file = result.files[0]!;
      expect(file.status).toBe('rejected');
      expect(file.rows).toBe(0);
      expect(file.rejected[0]).toMatchObject({ line: problem.line, column: problem.column });
      expect(file.rejected[0]!.reason).toMatch(problem.reason);
      expect(spendState(store)).toEqual(before);
      const run = store.db.prepare('SELECT status, rejected FROM sync_runs WHERE id = ?').get(result.syncRunId);
      expect(run).toEqual({ status: 'failed', rejected: 1 });
      const audit = store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'focus.import.rejected'").get() as { n: number };
      expect(audit.n).toBe(1);
      expect(verifyAuditChain(store.db).ok).toBe(true);
    });
  }

  it('rejects a file with bad rows, reporting every one; with skipBadRows imports the rest and lists each skipped row', async () => {
    const { store } = fresh();
    const file = join(BROKEN, 'three-bad-rows.csv');
    const strict = await importFocus(store, [file], opts);
    expect(strict.files[0]!.status).toBe('rejected');
    const expectedProblems = [
      { line: 5, column: 'BilledCost', reason: "'12,5' is not a number" },
      { line: 11, column: 'BillingCurrency', reason: 'is empty; FOCUS requires a value' },
      { line: 21, column: 'ChargePeriodEnd', reason: expect.stringMatching(/is before ChargePeriodStart/) as unknown as string },
    ];
    expect(strict.files[0]!.rejected).toEqual(expectedProblems);
    expect(spendState(store).items).toBe(0);

    const lenient = await importFocus(store, [file], { ...opts, skipBadRows: true });
    expect(lenient.files[0]).toMatchObject({ status: 'imported', rows: 21, rejected: expectedProblems });
    const lines = (store.db.prepare('SELECT line FROM spend_line_items ORDER BY line').all() as { line: number }[]).map((r) => r.line);
    expect(lines).toHaveLength(21);
    expect(lines).not.toContain(5);
    expect(lines).not.toContain(11);
    expect(lines).not.toContain(21);
  });

  it('detects FOCUS 1.2 from its columns, reads ServiceProviderName, ISO timestamps with offsets, x_ columns, and keeps corrections in totals', async () => {
    const { store, dir } = fresh();
    const header = 'BilledCost,BillingAccountId,BillingAccountName,BillingAccountType,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,ChargeCategory,ChargeClass,ChargeDescription,ChargePeriodEnd,ChargePeriodStart,ContractedCost,EffectiveCost,InvoiceIssuerName,ListCost,PricingQuantity,PricingUnit,ServiceProviderName,HostProviderName,ServiceCategory,ServiceName,SubAccountId,Tags,x_Discounts';
    const rows = [
      '10.10,acct,Acme,Billing Profile,EUR,2026-02-01T00:00:00Z,2026-01-01T00:00:00Z,Usage,,GPU hours,2026-01-05T01:00:00+01:00,2026-01-05T00:00:00+01:00,10.10,9.00,Acme Cloud,10.10,1,Hours,Acme Cloud,Acme Cloud,Compute,GPU,sub-1,"{""ml:model"": ""ranker"", ""team"": ""search""}",0.5',
      '-1.05,acct,Acme,Billing Profile,EUR,2026-02-01T00:00:00Z,2026-01-01T00:00:00Z,Usage,Correction,restated,2026-01-03T00:00:00Z,2026-01-02T00:00:00Z,-1.05,-1.00,Acme Cloud,-1.05,1,Hours,Acme Cloud,Acme Cloud,Compute,GPU,sub-1,NULL,',
    ];
    const path = join(dir, 'focus-1.2.csv');
    writeFileSync(path, `\ufeff${header}\r\n${rows.join('\r\n')}\r\n`);
    const result = await importFocus(store, [path], opts);
    expect(result.files[0]).toMatchObject({ status: 'imported', focusVersion: '1.2', rows: 2 });
    expect(result.files[0]!.totals).toEqual([{ currency: 'EUR', billedCost: expect.closeTo(9.05, 9) as unknown as number, effectiveCost: expect.closeTo(8, 9) as unknown as number }]);
    const item = store.db.prepare('SELECT provider, charge_period_start, provider_columns_json, tag_model, tag_team FROM spend_line_items WHERE line = 2').get();
    expect(item).toEqual({ provider: 'Acme Cloud', charge_period_start: '2026-01-04T23:00:00Z', provider_columns_json: '{"x_Discounts":"0.5"}', tag_model: 'ranker', tag_team: 'search' });
    const correction = store.db.prepare("SELECT charge_class FROM spend_line_items WHERE line = 3").get();
    expect(correction).toEqual({ charge_class: 'Correction' });
  });

  it('imports good files and rejects bad ones independently, each all or nothing', async () => {
    const { store } = fresh();
    const result = await importFocus(store, [join(BROKEN, 'non-numeric-cost.csv'), SAMPLE, 'no/such/file.csv'], opts);
    expect(result.files.map((f) => f.status).sort()).toEqual(['imported', 'rejected', 'rejected']);
    expect(spendState(store).items).toBe(1000);
  });

  it('reports progress with rows and bytes', async () => {
    const { store } = fresh();
    const seen: { rows: number; bytesRead: number; totalBytes: number }[] = [];
    await importFocus(store, [SAMPLE], { ...opts, onProgress: (p) => seen.push(p) });
    const last = seen[seen.length - 1]!;
    expect(last.rows).toBe(1000);
    expect(last.bytesRead).toBe(last.totalBytes);
  });

  it('cancelling rolls the file back and records the run as failed', async () => {
    const { store, dir } = fresh();
    const path = join(dir, 'gen.csv');
    writeFileSync(path, generateFocusCsv(20_000));
    const controller = new AbortController();
    await expect(importFocus(store, [path], { ...opts, signal: controller.signal, onProgress: () => controller.abort() })).rejects.toBeInstanceOf(ImportCancelledError);
    expect(spendState(store)).toEqual({ files: 0, items: 0, daily: 0 });
    const run = store.db.prepare("SELECT status, detail_json FROM sync_runs WHERE kind = 'focus'").get() as { status: string; detail_json: string };
    expect(run.status).toBe('failed');
    expect(JSON.parse(run.detail_json)).toMatchObject({ cancelled: path });
  });
});

function lineItems(store: Store) {
  return store.db.prepare('SELECT * FROM spend_line_items ORDER BY line').all().map((row) => ({ ...(row as Record<string, unknown>), id: undefined, file_id: undefined }));
}
function daily(store: Store) {
  return store.db.prepare('SELECT * FROM spend_daily ORDER BY day, provider, service_name, sub_account_id, tag_team, tag_model, currency').all() as { billed_cost: number; effective_cost: number; list_cost: number; line_items: number }[];
}

describe('the rollup and totals summed while importing', () => {
  it('equal what SQL sums over the stored line items', async () => {
    const { store, dir } = fresh();
    const path = join(dir, 'gen.csv');
    writeFileSync(path, generateFocusCsv(20_000));
    const result = await importFocus(store, [path], opts);
    const imported = daily(store);
    const sql = store.db.prepare('SELECT billing_currency AS currency, SUM(billed_cost) AS billedCost, SUM(effective_cost) AS effectiveCost FROM spend_line_items GROUP BY 1 ORDER BY 1').all();
    expect(result.files[0]!.totals).toEqual(sql);
    reapplyAttribution(store.db);
    const rebuilt = daily(store);
    expect(imported.map((d) => ({ ...d, billed_cost: 0, effective_cost: 0, list_cost: 0 }))).toEqual(rebuilt.map((d) => ({ ...d, billed_cost: 0, effective_cost: 0, list_cost: 0 })));
    imported.forEach((d, i) => {
      expect(d.billed_cost).toBeCloseTo(rebuilt[i]!.billed_cost, 8);
      expect(d.effective_cost).toBeCloseTo(rebuilt[i]!.effective_cost, 8);
      expect(d.list_cost).toBeCloseTo(rebuilt[i]!.list_cost, 8);
    });
  });
});

// The CLI and the app parse in a worker thread (a script built beside their bundles); the tests above
// run the sources, which parse in the importing thread. These run the same imports through the worker.
describe('importFocus through the parse worker', () => {
  const workerScript = resolve('out/test-worker/focusParseWorker.cjs');
  beforeAll(async () => {
    await build({ entryPoints: ['electron/core/spend/focusParseWorker.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: workerScript, logLevel: 'warning' });
    process.env.DOCKET_FOCUS_PARSE_WORKER = workerScript;
  }, 60_000);
  afterAll(() => {
    delete process.env.DOCKET_FOCUS_PARSE_WORKER;
  });

  it('stores the same line items, rollup and totals as parsing in this thread', async () => {
    const inWorker = fresh();
    const inThread = fresh();
    const path = join(inWorker.dir, 'gen.csv.gz');
    writeFileSync(path, gzipSync(generateFocusCsv(20_000)));
    // Plain CSV bytes are hashed in the importing thread, handed over chunk by chunk (several here).
    const plain = join(inWorker.dir, 'gen-plain.csv');
    writeFileSync(plain, generateFocusCsv(9_000));
    const files = [path, SAMPLE, plain];
    const a = await importFocus(inWorker.store, files, opts);
    process.env.DOCKET_FOCUS_PARSE_WORKER = '0';
    try {
      const b = await importFocus(inThread.store, files, opts);
      expect(a.files).toEqual(b.files);
    } finally {
      process.env.DOCKET_FOCUS_PARSE_WORKER = workerScript;
    }
    expect(lineItems(inWorker.store)).toEqual(lineItems(inThread.store));
    expect(daily(inWorker.store)).toEqual(daily(inThread.store));
    const hashes = (store: Store) => store.db.prepare('SELECT path, sha256 FROM spend_files ORDER BY id').all();
    expect(hashes(inWorker.store)).toEqual(files.map((file) => ({ path: file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') })));
    expect(hashes(inThread.store)).toEqual(hashes(inWorker.store));
  });

  it('rejects bad files with the same problems, and a truncated gzip', async () => {
    const { store } = fresh();
    const result = await importFocus(store, [join(BROKEN, 'three-bad-rows.csv'), join(BROKEN, 'truncated.csv.gz'), join(BROKEN, 'bad-timestamp.csv')], opts);
    expect(result.files.map((f) => f.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(result.files[0]!.rejected.map((p) => p.line)).toEqual([5, 11, 21]);
    expect(result.files[1]!.rejected[0]!.reason).toMatch(/truncated/);
    expect(result.files[2]!.rejected[0]).toMatchObject({ line: 9, column: 'ChargePeriodStart' });
    expect(spendState(store)).toEqual({ files: 0, items: 0, daily: 0 });
  });

  it('is cancelled midway, rolling the file back, and leaves nothing running', async () => {
    const { store, dir } = fresh();
    const path = join(dir, 'gen.csv');
    writeFileSync(path, generateFocusCsv(20_000));
    const controller = new AbortController();
    await expect(importFocus(store, [path], { ...opts, signal: controller.signal, onProgress: () => controller.abort() })).rejects.toBeInstanceOf(ImportCancelledError);
    expect(spendState(store)).toEqual({ files: 0, items: 0, daily: 0 });
    const again = await importFocus(store, [path], opts);
    expect(again.files[0]).toMatchObject({ status: 'imported', rows: 20_000 });
    const unchanged = await importFocus(store, [path], opts);
    expect(unchanged.files[0]).toMatchObject({ status: 'unchanged', rows: 20_000 });
  });
});
