import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { formatMoney } from '../../../shared/format/money';
import { listAudit, verifyAuditChain } from '../../../electron/core/store/auditLog';
import { parseCsvForTest } from '../../support/budgetReportFixture';
import { runDocket } from '../../support/runDocket';
import { KEY_PASSPHRASE, seedWorkspace, type SeededWorkspace } from '../pack/auditPackFixtures';

/**
 * The budget commands end to end through the real CLI: set (and refusals), status --json, the
 * signed report in each format, and `docket verify` on it, untouched and tampered with.
 */

const OUT = join('test-results', 'budget-report-cli');
let w: SeededWorkspace;
const docket = (...args: string[]) => runDocket(['--db', w.t.dbPath, ...args]);

beforeAll(async () => {
  w = await seedWorkspace();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
}, 120_000);
afterAll(() => w.t.cleanup());
afterEach(() => {
  delete process.env.DOCKET_KEY_PASSPHRASE;
});

describe('docket budget', () => {
  it.each([
    [['--amount', '-5'], /amount: the amount must be greater than 0/],
    [['--amount', '100', '--period', '2026-03-31..2026-01-01'], /period\.to: the end \(2026-01-01\) is before the start/],
    [['--amount', '100', '--currency', 'XYZ'], /currency: unknown currency "XYZ"/],
    [['--amount', '100', '--threshold', 'actual:1500%'], /thresholds\.0\.value: a percentage threshold cannot exceed 1000%/],
    [['--amount', '100', '--threshold', 'sideways:10'], /--threshold "sideways:10": use actual:80%/],
  ])('refuses an invalid budget %j with exit 2, naming the field, and stores nothing', async (args, message) => {
    const result = await docket('budget', 'set', '--name', 'bad', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect((w.t.store.db.prepare('SELECT count(*) AS n FROM budgets').get() as { n: number }).n).toBe(0);
  });

  it('sets budgets and reports their status as JSON with the documented keys', async () => {
    expect((await docket('budget', 'set', '--name', 'Q1 all spend', '--period', '2026-01-01..2026-03-31', '--amount', '1000', '--threshold', 'actual:80%', '--threshold', 'forecasted:100%')).code).toBe(0);
    expect((await docket('budget', 'set', '--name', 'Fraud scoring', '--scope', 'model:fraud-score-card-txn', '--period', '2026-01-01..2026-06-30', '--amount', '250000', '--threshold', 'forecasted:100%', '--planned', '2026-01:30000')).code).toBe(0);
    const changed = await docket('budget', 'set', '--name', 'Fraud scoring', '--scope', 'model:fraud-score-card-txn', '--period', '2026-01-01..2026-06-30', '--amount', '240000', '--threshold', 'forecasted:100%', '--planned', '2026-01:30000');
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/needs a reason/);
    const withReason = await docket('budget', 'set', '--name', 'Fraud scoring', '--scope', 'model:fraud-score-card-txn', '--period', '2026-01-01..2026-06-30', '--amount', '240000', '--threshold', 'forecasted:100%', '--planned', '2026-01:30000', '--reason', 'H1 plan revised');
    expect(withReason.stdout).toMatch(/Changed \(amount\)/);

    const status = await runDocket(['--db', w.t.dbPath, '--json', 'budget', 'status']);
    expect(status.code).toBe(0);
    const rows = status.json() as Record<string, unknown>[];
    expect(rows.map((r) => Object.keys(r).sort())).toEqual(Array(2).fill(['actual', 'amount', 'forecast', 'forecastHigh', 'forecastLow', 'name', 'period', 'state']));
    const q1 = rows.find((r) => r.name === 'Q1 all spend')!;
    expect(q1).toMatchObject({ period: '2026-01-01..2026-03-31', amount: 1000, state: 'ALARM' });
    const fraud = rows.find((r) => r.name === 'Fraud scoring')!;
    expect(fraud.period).toBe('2026-01-01..2026-06-30');
    expect(fraud.forecastLow as number).toBeLessThanOrEqual(fraud.forecast as number);
    expect(fraud.forecastHigh as number).toBeGreaterThanOrEqual(fraud.forecast as number);

    const human = await docket('budget', 'status');
    expect(human.stdout).toMatch(/Q1 all spend[\s\S]*⚠ ALARM/);
    expect(human.stdout).toMatch(/Actual > 80% of budget \(\$800\.00\) is in ALARM since 2026-11-26T09:00:00/);
    const entry = listAudit(w.t.store.db, 50).find((e) => e.action === 'budget.changed')!;
    expect(entry.detail).toMatchObject({ oldAmount: 250000, newAmount: 240000, reason: 'H1 plan revised' });
  });

  it('lists anomalies with the method stated', async () => {
    const result = await docket('anomalies', '--from', '2026-01-01', '--to', '2026-03-31');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Scanned 2026-01-01 to 2026-03-31\. A day is anomalous when/);
  });
});

describe('docket budget export and docket verify', () => {
  const exported: Record<string, string> = {};

  it.each(['csv', 'xlsx', 'pdf'] as const)('exports a signed %s report that docket verify accepts', async (format) => {
    process.env.DOCKET_KEY_PASSPHRASE = KEY_PASSPHRASE;
    const out = join(OUT, `budgets.${format}`);
    const result = await docket('budget', 'export', '--format', format, '--out', out, '--key', w.adaKeyFile);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(`${out}.dsse.json`)).toBe(true);
    exported[format] = out;
    const verified = await runDocket(['verify', out, '--json', '--trust-key', w.ada.keyId.slice(0, 16)]);
    expect(verified.code, verified.stdout).toBe(0);
    const checks = (verified.json() as { checks: { name: string; ok: boolean }[] }).checks;
    expect(checks.map((c) => c.name)).toEqual(['manifest signature', `file budgets.${format}`, ...(format === 'pdf' ? ['pdf signature'] : [])]);
  }, 60_000);

  it('holds the same numbers in the XLSX as in the CSV, and every budget figure in the PDF text', async () => {
    const csv = parseCsvForTest(readFileSync(exported.csv!, 'utf8'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(exported.xlsx!) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(csv.length);
    csv.forEach((row, r) => {
      row.forEach((cell, c) => {
        const value = sheet.getRow(r + 1).getCell(c + 1).value;
        if (r > 0 && /^-?\d+\.\d\d$/.test(cell)) expect(value, `row ${r + 1} col ${c + 1}`).toBeCloseTo(Number(cell), 2);
        else expect(String(value ?? ''), `row ${r + 1} col ${c + 1}`).toBe(cell.replace(/^'/, ''));
      });
    });
    // Two budgets: Q1 over three months, Fraud scoring over six.
    expect(csv.length).toBe(1 + 3 + 6);

    const text = spawnSync('pdftotext', ['-layout', exported.pdf!, '-'], { encoding: 'utf8' }).stdout;
    const status = (await runDocket(['--db', w.t.dbPath, '--json', 'budget', 'status'])).json() as { name: string; amount: number; actual: number; forecast: number | null }[];
    for (const b of status) {
      expect(text).toContain(b.name);
      expect(text).toContain(formatMoney(b.amount, 'USD'));
      expect(text).toContain(formatMoney(b.actual, 'USD'));
      if (b.forecast !== null) expect(text).toContain(formatMoney(b.forecast, 'USD'));
    }
    const pdfsig = spawnSync('pdfsig', [exported.pdf!], { encoding: 'utf8' });
    expect(pdfsig.stdout).toMatch(/Signature is Valid/);
  });

  it('names the file when a byte of it changed, and the signature when the manifest was re-signed', async () => {
    const copy = join(OUT, 'tampered.csv');
    const bytes = readFileSync(exported.csv!);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 1;
    writeFileSync(copy, bytes);
    writeFileSync(`${copy}.dsse.json`, readFileSync(`${exported.csv!}.dsse.json`));
    const result = await runDocket(['verify', copy, '--json']);
    expect(result.code).toBe(1);
    const checks = (result.json() as { checks: { name: string; ok: boolean; detail: string }[] }).checks;
    expect(checks.find((c) => c.name === 'file tampered.csv')).toMatchObject({ ok: false, detail: expect.stringMatching(/the manifest is for budgets\.csv/) });

    // Renamed back to its own name, the changed byte is named as a hash difference.
    const same = join(OUT, 'other', 'budgets.csv');
    mkdirSync(join(OUT, 'other'), { recursive: true });
    writeFileSync(same, bytes);
    writeFileSync(`${same}.dsse.json`, readFileSync(`${exported.csv!}.dsse.json`));
    const named = (await runDocket(['verify', same, '--json'])).json() as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    expect(named.ok).toBe(false);
    expect(named.checks.find((c) => c.name === 'file budgets.csv')!.detail).toMatch(/sha256 differs from the manifest/);

    // A manifest whose signature bytes were altered does not verify.
    const envelope = JSON.parse(readFileSync(`${exported.csv!}.dsse.json`, 'utf8')) as { signatures: { sig: string }[] };
    const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64');
    sig[0] = sig[0]! ^ 1;
    envelope.signatures[0]!.sig = sig.toString('base64');
    const forged = join(OUT, 'forged', 'budgets.csv');
    mkdirSync(join(OUT, 'forged'), { recursive: true });
    writeFileSync(forged, readFileSync(exported.csv!));
    writeFileSync(`${forged}.dsse.json`, JSON.stringify(envelope));
    const forgedResult = (await runDocket(['verify', forged, '--json'])).json() as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(forgedResult.ok).toBe(false);
    expect(forgedResult.checks[0]).toMatchObject({ name: 'manifest signature', ok: false });
  });

  it('records every export in the audit log, and the chain holds', () => {
    const entries = listAudit(w.t.store.db, 100).filter((e) => e.action === 'budget.report.exported');
    expect(entries.map((e) => (e.detail as { format: string }).format).sort()).toEqual(['csv', 'pdf', 'xlsx']);
    expect(verifyAuditChain(w.t.store.db).ok).toBe(true);
  });
});
