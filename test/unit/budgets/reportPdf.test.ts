// The budget report PDF: every budget's figures and state are in the text layer (as formatMoney
// writes them), each budget has its own page and bookmark, the anomalies are listed, and the bytes
// are deterministic. Page images go to test-results/budget-report/ for a human look.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetPdfInfo, budgetStateLabel, forecastRangeText, renderBudgetPdf } from '../../../electron/core/budgets/report/renderBudgetPdf';
import { formatMoney, formatSignedMoney } from '../../../shared/format/money';
import { sampleBudgetReport } from '../../support/budgetReportFixture';

const FONTS = resolve('resources/fonts');
const PNG_DIR = resolve('test-results/budget-report');

function tool(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const PDF_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** A PDF text string's bytes: UTF-16BE after a FEFF mark, else PDFDocEncoding (read as latin1 here). */
function decodePdfText(bytes: Buffer): string {
  return bytes[0] === 0xfe && bytes[1] === 0xff ? Buffer.from(bytes.subarray(2)).swap16().toString('utf16le') : bytes.toString('latin1');
}

/** Outline titles: literal "(Title)" strings (UTF-16 ones are binary inside) or hex "<FEFF…>" strings. */
function outlineTitles(pdf: Buffer): string[] {
  const titles: string[] = [];
  for (const m of pdf.toString('latin1').matchAll(/\/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]+>)/g)) {
    const raw = m[1]!;
    if (raw.startsWith('(')) {
      const unescaped = raw.slice(1, -1).replace(/\\([0-7]{1,3}|.)/g, (_, e: string) => (/^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : (PDF_ESCAPES[e] ?? e)));
      titles.push(decodePdfText(Buffer.from(unescaped, 'latin1')));
    } else titles.push(decodePdfText(Buffer.from(raw.slice(1, -1).replace(/\s/g, ''), 'hex')));
  }
  return titles;
}

describe('renderBudgetPdf', () => {
  const report = sampleBudgetReport();
  let pdf: Buffer;
  let tmp: string;
  let file: string;
  let text: string;
  let flat: string;

  beforeAll(async () => {
    pdf = await renderBudgetPdf(report, { fontsDir: FONTS });
    tmp = mkdtempSync(join(tmpdir(), 'docket-budget-pdf-'));
    file = join(tmp, 'budget-report.pdf');
    writeFileSync(file, pdf);
    text = tool('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
    flat = text.replace(/\s+/g, ' ');
  });

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('states every budget’s name, amount, actual, forecast and state', () => {
    expect(flat).toContain('Docket budget report');
    expect(flat).toContain(report.source);
    expect(flat).toContain(`as of ${report.asOf}`);
    for (const b of report.budgets) {
      expect(flat, b.name).toContain(b.name);
      expect(flat).toContain(b.scopeLabel);
      expect(flat).toContain(b.periodLabel);
      expect(flat).toContain(formatMoney(b.amount, b.currency));
      expect(flat).toContain(formatMoney(b.actual, b.currency));
      if (b.forecast !== null) {
        expect(flat).toContain(formatMoney(b.forecast, b.currency));
        expect(flat).toContain(forecastRangeText(b.forecastLow, b.forecastHigh, b.currency)!);
      }
      expect(flat).toContain(b.alertForecast);
      if (b.forecastMethod) expect(flat).toContain(b.forecastMethod);
      for (const t of b.thresholds) expect(flat).toContain(t.label);
      for (const m of b.months) {
        expect(flat).toContain(m.month);
        expect(flat).toContain(formatMoney(m.planned, b.currency));
        expect(flat).toContain(formatSignedMoney(m.variance, b.currency));
      }
    }
    // States with their symbols: one ALARM budget, two OK ones.
    expect(budgetStateLabel('ALARM')).toBe('⚠ ALARM');
    expect(flat).toContain('⚠ ALARM');
    expect(flat).toContain('✓ OK');
    // Euro amounts are written as euros, and the non-ASCII name survives.
    expect(flat).toContain('€45,000.00');
    expect(flat).toContain('Équipe Paiements');
    // AWS's forecast beside Docket's for the budget that has one.
    const aws = report.budgets[0]!.awsForecast!;
    expect(flat).toContain(formatMoney(aws.mean, 'USD'));
    expect(flat).toContain('AWS Cost Explorer');
  });

  it('lists anomalies with day, model, figures, driver and verdict, or says there are none', () => {
    const anomalies = report.budgets.flatMap((b) => b.anomalies.map((a) => ({ ...a, currency: b.currency })));
    expect(anomalies.length).toBe(2);
    for (const a of anomalies) {
      expect(flat).toContain(a.day);
      expect(flat).toContain(formatMoney(a.actual, a.currency));
      expect(flat).toContain(formatMoney(a.expected, a.currency));
      expect(flat).toContain(formatSignedMoney(a.impact, a.currency));
      if (a.driver) expect(flat).toContain(a.driver);
    }
    expect(flat).toContain('unexpected');
    expect(flat).toContain('not reviewed');
    expect(flat.match(/No anomalies in this period/g)?.length).toBe(2);
  });

  it('gives each budget its own pages and bookmark, with "page N of M" and the fixed metadata', () => {
    const info = tool('pdfinfo', [file]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(1 + report.budgets.length);
    expect(flat).toContain(`page 1 of ${pages}`);
    expect(flat).toContain(`page ${pages} of ${pages}`);
    expect(info).toMatch(/Title:\s+Docket budget report/);
    const titles = outlineTitles(pdf);
    expect(titles).toContain('Summary');
    for (const b of report.budgets) expect(titles).toContain(b.name);
    expect(titles.filter((t) => t === 'Cumulative spend').length).toBe(report.budgets.length);
    const fonts = tool('pdffonts', [file]);
    expect(fonts).toMatch(/DejaVuSans/);
    expect(fonts).not.toMatch(/Helvetica/);
  });

  it('is deterministic: same report, same bytes; the clock is the report’s', async () => {
    const again = await renderBudgetPdf(sampleBudgetReport(), { fontsDir: FONTS });
    expect(again.equals(pdf)).toBe(true);
    expect(budgetPdfInfo(report).CreationDate?.toISOString()).toBe('2026-11-20T12:00:00.000Z');
    expect(pdf.toString('latin1')).toContain('(D:20261120120000Z)');
    const later = await renderBudgetPdf({ ...sampleBudgetReport(), generatedAt: '2026-11-21T00:00:00Z' }, { fontsDir: FONTS });
    expect(later.equals(pdf)).toBe(false);
    await expect(renderBudgetPdf(report, { fontsDir: tmp })).rejects.toThrow(/DejaVuSans\.ttf not found/);
  });

  it('renders pages for a visual check', () => {
    rmSync(PNG_DIR, { recursive: true, force: true });
    mkdirSync(PNG_DIR, { recursive: true });
    writeFileSync(join(PNG_DIR, 'budget-report.pdf'), pdf);
    tool('pdftoppm', ['-r', '60', '-png', file, join(PNG_DIR, 'page')]);
    expect(readdirSync(PNG_DIR).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(1 + report.budgets.length);
  });

  it('wraps long names rather than clipping them', async () => {
    const long = 'Shared GPU inference fleet for the fraud, payments, onboarding and customer-support models across every production region, reserved and on-demand capacity included';
    const token = 'budget_'.repeat(14);
    const base = sampleBudgetReport();
    const odd = { ...base, budgets: [{ ...base.budgets[0]!, name: long }, { ...base.budgets[2]!, name: token, scopeLabel: `Model ${token}` }] };
    const out = await renderBudgetPdf(odd, { fontsDir: FONTS });
    const oddFile = join(tmp, 'long-names.pdf');
    writeFileSync(oddFile, out);
    // Every word is in the text layer: nothing was cut off with an ellipsis.
    const plain = tool('pdftotext', ['-enc', 'UTF-8', oddFile, '-']).replace(/\s+/g, ' ');
    for (const word of long.split(' ')) expect(plain).toContain(word);
    expect(plain.replace(/ /g, '')).toContain(token);
    tool('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '2', oddFile, join(PNG_DIR, 'long-names')]);
  });

  it('says a period that has ended in the data has ended, with no interval of one value', async () => {
    const base = sampleBudgetReport();
    const b = base.budgets[1]!;
    const ended = { ...b, periodEnded: true, forecast: b.actual, forecastLow: b.actual, forecastHigh: b.actual, dataThrough: b.periodEnd, cumulative: b.cumulative.map((p) => ({ ...p, forecast: null, low: null, high: null })) };
    const out = await renderBudgetPdf({ ...base, budgets: [ended] }, { fontsDir: FONTS });
    const endedFile = join(tmp, 'period-ended.pdf');
    writeFileSync(endedFile, out);
    const plain = tool('pdftotext', ['-enc', 'UTF-8', endedFile, '-']).replace(/\s+/g, ' ');
    const actual = formatMoney(b.actual, b.currency);
    // The glance table, the key figures and the chart's note each say so.
    expect(plain).toContain('period ended');
    expect(plain).toContain('period ended: actual total');
    // The key figures are labelled as the budget page labels them: a total, not a forecast.
    expect(plain).toContain('PERIOD-END TOTAL');
    expect(plain).toContain('ACTUAL VS BUDGET');
    expect(plain).not.toContain('FORECAST VS BUDGET');
    expect(plain).toContain(`Actual spend through the period’s last day, ${b.periodEnd}: ${actual}`);
    expect(plain).not.toContain(`${actual} – ${actual}`);
    expect(plain).not.toMatch(/interval \S+ – /);
    tool('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '2', endedFile, join(PNG_DIR, 'period-ended')]);
  });
});
