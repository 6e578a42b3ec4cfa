// The budget report's workbook, opened with exceljs (a real spreadsheet reader, independent of the
// hand-written writer): "Budgets by month" holds exactly the CSV's values with amounts as numeric
// cells, "Summary" one row per budget; the zip holds the expected parts; the bytes are deterministic.
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { budgetReportCsv } from '../../../electron/core/budgets/report/reportCsv';
import { budgetReportXlsx, escapeXml, stripInvalidXmlChars } from '../../../electron/core/budgets/report/reportXlsx';
import { parseCsvForTest, sampleBudgetReport } from '../../support/budgetReportFixture';

const PARTS = ['[Content_Types].xml', '_rels/.rels', 'docProps/core.xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml'];
const AMOUNT_COLUMNS = new Set(['planned', 'actual', 'forecast', 'variance']);

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

/** The CSV prefixes formula-like text with a quote (OWASP); the workbook keeps the text as is, as an inline string. */
function unguard(csvText: string): string {
  return /^'[=+\-@\t\r]/.test(csvText) ? csvText.slice(1) : csvText;
}

describe('budgetReportXlsx', () => {
  const report = sampleBudgetReport();
  const buffer = budgetReportXlsx(report);

  it('is a zip with the workbook’s parts, each well-formed enough to declare XML', () => {
    expect(buffer.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    const files = unzipSync(new Uint8Array(buffer));
    expect(Object.keys(files).sort()).toEqual([...PARTS].sort());
    for (const name of PARTS) expect(strFromU8(files[name]!)).toMatch(/^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?>\n</);
    const sheet1 = strFromU8(files['xl/worksheets/sheet1.xml']!);
    expect(sheet1).not.toContain('sharedStrings');
    expect(sheet1).toContain('t="inlineStr"');
    expect(sheet1).toMatch(/<c r="F2" s="2" t="n"><v>12000<\/v><\/c>/);
    expect(strFromU8(files['docProps/core.xml']!)).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-20T12:00:00Z</dcterms:created>');
  });

  it('"Budgets by month" holds the CSV’s rows and values, amounts as numeric cells', async () => {
    const wb = await load(buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Budgets by month', 'Summary']);
    const ws = wb.getWorksheet('Budgets by month')!;
    const csvRows = parseCsvForTest(budgetReportCsv(report));
    const header = csvRows[0]!;
    expect(ws.rowCount).toBe(csvRows.length);
    expect(ws.actualColumnCount).toBe(header.length);
    let numericCells = 0;
    csvRows.forEach((csvRow, r) => {
      const row = ws.getRow(r + 1);
      csvRow.forEach((csvText, c) => {
        const cell = row.getCell(c + 1);
        const where = `${cell.address} (${header[c]})`;
        if (r > 0 && AMOUNT_COLUMNS.has(header[c]!) && csvText !== '') {
          expect(cell.type, where).toBe(ExcelJS.ValueType.Number);
          expect(cell.value, where).toBe(Number(csvText));
          expect(cell.numFmt, where).toBe('#,##0.00');
          numericCells++;
        } else if (csvText === '') {
          expect(cell.type, where).toBe(ExcelJS.ValueType.Null);
        } else {
          expect(cell.type, where).toBe(ExcelJS.ValueType.String);
          expect(cell.value, where).toBe(unguard(csvText));
        }
      });
    });
    expect(numericCells).toBe(7 * 3 + 4); // planned, actual, variance everywhere; forecast for budgets 1 and 2
    // The formula-like name is text in the workbook, never a formula.
    const injected = ws.getRow(csvRows.length).getCell(1);
    expect(injected.type).toBe(ExcelJS.ValueType.String);
    expect(injected.value).toBe('=HYPERLINK("http://x")');
    expect(ws.getRow(3).getCell(1).value).toBe('Équipe Paiements — inférence & entraînement');
  });

  it('has a bold frozen header, column widths and an autofilter on both sheets', async () => {
    const wb = await load(buffer);
    for (const [name, lastColumn, rows] of [['Budgets by month', 'L', 8], ['Summary', 'M', 4]] as const) {
      const ws = wb.getWorksheet(name)!;
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter).toBe(`A1:${lastColumn}${rows}`);
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
      for (let c = 1; c <= ws.actualColumnCount; c++) expect(ws.getColumn(c).width, `${name} column ${c}`).toBeGreaterThanOrEqual(8);
    }
    // The budget column is wide enough for its longest name (capped at 60).
    expect(wb.getWorksheet('Budgets by month')!.getColumn(1).width).toBe(60);
  });

  it('"Summary" has one row per budget with its figures', async () => {
    const ws = (await load(buffer)).getWorksheet('Summary')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['name', 'scope', 'period', 'currency', 'amount', 'actual', 'forecast', 'forecast low', 'forecast high', 'state', 'state changed at', 'forecast method', 'alert forecast']);
    expect(ws.rowCount).toBe(1 + report.budgets.length);
    report.budgets.forEach((b, i) => {
      const row = ws.getRow(i + 2);
      const at = (name: string) => row.getCell(header.indexOf(name) + 1);
      expect(at('name').value).toBe(b.name);
      expect(at('scope').value).toBe(b.scopeLabel);
      expect(at('period').value).toBe(b.periodLabel);
      expect(at('currency').value).toBe(b.currency);
      expect(at('amount').type).toBe(ExcelJS.ValueType.Number);
      expect(at('amount').value).toBe(b.amount);
      expect(at('actual').value).toBe(Number(b.actual.toFixed(2)));
      for (const [name, v] of [['forecast', b.forecast], ['forecast low', b.forecastLow], ['forecast high', b.forecastHigh]] as const) {
        if (v === null) expect(at(name).type).toBe(ExcelJS.ValueType.Null);
        else expect(at(name).value).toBe(Number(v.toFixed(2)));
      }
      expect(at('state').value).toBe(b.state);
      expect(at('state changed at').value ?? null).toBe(b.stateChangedAt);
      expect(at('forecast method').value ?? null).toBe(b.forecastMethod);
      expect(at('alert forecast').value).toBe(b.alertForecast);
    });
  });

  it('is deterministic: same report, same bytes; the clock is the report’s', () => {
    expect(budgetReportXlsx(sampleBudgetReport()).equals(buffer)).toBe(true);
    const later = budgetReportXlsx({ ...sampleBudgetReport(), generatedAt: '2026-11-21T08:00:00Z' });
    expect(later.equals(buffer)).toBe(false);
    expect(() => budgetReportXlsx({ ...report, generatedAt: 'soon' })).toThrow(/not a date/);
  });

  it('escapes XML and drops characters XML 1.0 forbids', async () => {
    expect(escapeXml(`a & b <c> "d" 'e'`)).toBe('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;');
    expect(stripInvalidXmlChars('ok\u0000\u0008\u000b\uFFFE\uD800 tab\tnl\n 😀')).toBe('ok tab\tnl\n 😀');
    const nasty = { ...report, budgets: [{ ...report.budgets[1]!, name: 'R&D <ml> "q" \u0001bell\u0007 😀', scopeLabel: ' padded ' }] };
    const ws = (await load(budgetReportXlsx(nasty))).getWorksheet('Budgets by month')!;
    expect(ws.getRow(2).getCell(1).value).toBe('R&D <ml> "q" bell 😀');
    expect(ws.getRow(2).getCell(2).value).toBe(' padded ');
  });
});
