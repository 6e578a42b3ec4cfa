// The budget report as an Excel workbook (Office Open XML, ECMA-376), written by hand and zipped
// with fflate. Why by hand rather than with exceljs: the subset needed (two sheets of inline
// strings and numbers, one stylesheet, a frozen header, column widths, an autofilter) is small;
// writing it ourselves keeps the bytes deterministic (same report, same bytes: exports are hashed
// and signed) and keeps exceljs' large dependency tree out of the shipped app. exceljs is only a
// devDependency, used by the tests as an independent reader.
//
// Text is written as inline strings (t="inlineStr"), so no sharedStrings part is needed and a
// name such as "=HYPERLINK(...)" stays text: an inline string is never a formula.
import { zipSync, type Zippable } from 'fflate';
import type { BudgetReport, BudgetReportBudget } from '../../../../shared/budgets/types';
import { BUDGET_REPORT_COLUMNS, budgetMonthCells, formatAmount2, type ReportCell } from './reportCsv';

export const XLSX_SHEETS = { months: 'Budgets by month', summary: 'Summary' } as const;

export const SUMMARY_COLUMNS = ['name', 'scope', 'period', 'currency', 'amount', 'actual', 'forecast', 'forecast low', 'forecast high', 'state', 'state changed at', 'forecast method', 'alert forecast'] as const;

/** Style indexes into cellXfs of xl/styles.xml. */
const STYLE = { header: 1, amount: 2, text: 3 } as const;

/** Excel's limit on a cell's text. */
const MAX_CELL_TEXT = 32_767;

const text = (value: string): ReportCell => ({ kind: 'text', value });
const amount = (value: number): ReportCell => ({ kind: 'amount', value });
const orEmpty = (value: number | null): ReportCell => (value === null ? { kind: 'empty' } : amount(value));
const textOrEmpty = (value: string | null): ReportCell => (value === null ? { kind: 'empty' } : text(value));

function summaryCells(b: BudgetReportBudget): ReportCell[] {
  return [
    text(b.name),
    text(b.scopeLabel),
    text(b.periodLabel),
    text(b.currency),
    amount(b.amount),
    amount(b.actual),
    orEmpty(b.forecast),
    orEmpty(b.forecastLow),
    orEmpty(b.forecastHigh),
    text(b.state),
    textOrEmpty(b.stateChangedAt),
    textOrEmpty(b.forecastMethod),
    text(b.alertForecast),
  ];
}

/** Characters XML 1.0 forbids (controls other than tab, LF, CR; lone surrogates; U+FFFE/U+FFFF) are dropped. */
export function stripInvalidXmlChars(value: string): string {
  return value.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
}

export function escapeXml(value: string): string {
  return stripInvalidXmlChars(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** Cell text: Excel reads "_xHHHH_" in a string as an escaped character, so a literal one has its underscore escaped (ST_Xstring). */
function escapeCellText(value: string): string {
  return escapeXml(value.replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1'));
}

/** "A", "B", … "Z", "AA": the column letters of a 0-based index. */
function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** The amount as the CSV writes it, as an xsd:double: the same value, read back as a number. */
function numberText(value: number): string {
  return String(Number(formatAmount2(value)));
}

function cellXml(cell: ReportCell, ref: string, header = false): string {
  switch (cell.kind) {
    case 'empty':
      return '';
    case 'amount':
      return `<c r="${ref}" s="${STYLE.amount}" t="n"><v>${numberText(cell.value)}</v></c>`;
    case 'text': {
      // Cut before escaping, so an entity is never split.
      const value = escapeCellText(stripInvalidXmlChars(cell.value).slice(0, MAX_CELL_TEXT));
      const space = /^\s|\s$/.test(value) ? ' xml:space="preserve"' : '';
      return `<c r="${ref}" s="${header ? STYLE.header : STYLE.text}" t="inlineStr"><is><t${space}>${value}</t></is></c>`;
    }
  }
}

/** Width in characters: the longest value (amounts as displayed, with separators), within 8..60. */
function columnWidths(header: readonly string[], rows: ReportCell[][]): number[] {
  const grouped = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return header.map((h, c) => {
    let longest = h.length + 3; // room for the autofilter button
    for (const row of rows) {
      const cell = row[c];
      if (!cell || cell.kind === 'empty') continue;
      const shown = cell.kind === 'amount' ? grouped.format(cell.value) : cell.value;
      longest = Math.max(longest, [...shown].length);
    }
    return Math.min(60, Math.max(8, longest + 2));
  });
}

function sheetXml(header: readonly string[], rows: ReportCell[][]): string {
  const lastColumn = columnLetter(header.length - 1);
  const lastRow = rows.length + 1;
  const ref = `A1:${lastColumn}${lastRow}`;
  const cols = columnWidths(header, rows)
    .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
    .join('');
  const headerRow = `<row r="1">${header.map((h, c) => cellXml(text(h), `${columnLetter(c)}1`, true)).join('')}</row>`;
  const bodyRows = rows.map((row, r) => `<row r="${r + 2}">${row.map((cell, c) => cellXml(cell, `${columnLetter(c)}${r + 2}`)).join('')}</row>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<dimension ref="${ref}"/>` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    `<cols>${cols}</cols>` +
    `<sheetData>${headerRow}${bodyRows}</sheetData>` +
    `<autoFilter ref="${ref}"/>` +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
    '</worksheet>'
  );
}

/** The filter range as a defined name, which Excel expects beside each sheet's autoFilter. */
function filterName(sheetIndex: number, sheetName: string, columns: number, rows: number): string {
  return `<definedName name="_xlnm._FilterDatabase" localSheetId="${sheetIndex}" hidden="1">'${escapeXml(sheetName.replace(/'/g, "''"))}'!$A$1:$${columnLetter(columns - 1)}$${rows + 1}</definedName>`;
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
  '</Types>';

const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  '</Relationships>';

const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>' +
  '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
  '</Relationships>';

/** cellXfs: 0 default, 1 bold header on a light fill, 2 amount #,##0.00, 3 text ("@", so nothing is read as a date). */
const STYLES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>' +
  '<fill><patternFill patternType="solid"><fgColor rgb="FFEAEEF2"/><bgColor indexed="64"/></patternFill></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="4">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="49" fontId="1" fillId="2" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

function workbookXml(filters: string[]): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets><sheet name="${escapeXml(XLSX_SHEETS.months)}" sheetId="1" r:id="rId1"/><sheet name="${escapeXml(XLSX_SHEETS.summary)}" sheetId="2" r:id="rId2"/></sheets>` +
    `<definedNames>${filters.join('')}</definedNames>` +
    '</workbook>'
  );
}

function coreXml(report: BudgetReport, when: Date): string {
  const w3c = `${when.toISOString().slice(0, 19)}Z`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<dc:title>Docket budget report</dc:title>' +
    `<dc:subject>${escapeXml(`Budgets as of ${report.asOf}`)}</dc:subject>` +
    '<dc:creator>Docket</dc:creator>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${w3c}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${w3c}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

function reportClock(generatedAt: string): Date {
  const ms = Date.parse(generatedAt);
  if (Number.isNaN(ms)) throw new Error(`budgetReportXlsx: report.generatedAt is not a date: ${JSON.stringify(generatedAt)}`);
  return new Date(Math.floor(ms / 1000) * 1000);
}

export function budgetReportXlsx(report: BudgetReport): Buffer {
  const when = reportClock(report.generatedAt);
  const monthRows = report.budgets.flatMap((b) => b.months.map((m) => budgetMonthCells(b, m)));
  const summaryRows = report.budgets.map(summaryCells);
  const enc = (s: string) => new TextEncoder().encode(s);

  // fflate writes the DOS timestamp from local-time getters: shift so the stored time is the report's UTC time
  // whatever the machine's zone (as zipPack does for the audit pack).
  const mtime = new Date(when.getTime() + when.getTimezoneOffset() * 60_000);
  const parts: [string, string][] = [
    ['[Content_Types].xml', CONTENT_TYPES],
    ['_rels/.rels', ROOT_RELS],
    ['docProps/core.xml', coreXml(report, when)],
    ['xl/workbook.xml', workbookXml([filterName(0, XLSX_SHEETS.months, BUDGET_REPORT_COLUMNS.length, monthRows.length), filterName(1, XLSX_SHEETS.summary, SUMMARY_COLUMNS.length, summaryRows.length)])],
    ['xl/_rels/workbook.xml.rels', WORKBOOK_RELS],
    ['xl/styles.xml', STYLES],
    ['xl/worksheets/sheet1.xml', sheetXml(BUDGET_REPORT_COLUMNS, monthRows)],
    ['xl/worksheets/sheet2.xml', sheetXml(SUMMARY_COLUMNS, summaryRows)],
  ];
  const entries: Zippable = {};
  for (const [name, xml] of parts) entries[name] = [enc(xml), { mtime, level: 6 }];
  return Buffer.from(zipSync(entries, { mtime, level: 6 }));
}
