// The budget report's CSV: RFC 4180 framing, one row per budget per month, amounts as plain
// 2-decimal numbers, and text that a spreadsheet would run as a formula defused.
import { describe, expect, it } from 'vitest';
import { budgetReportCsv, guardFormula, quoteCsvField } from '../../../electron/core/budgets/report/reportCsv';
import { parseCsvForTest, sampleBudgetReport } from '../../support/budgetReportFixture';

const HEADER = ['budget', 'scope', 'period', 'currency', 'month', 'planned', 'planned_source', 'actual', 'forecast', 'variance', 'status', 'state'];

describe('budgetReportCsv', () => {
  const report = sampleBudgetReport();
  const csv = budgetReportCsv(report);
  const rows = parseCsvForTest(csv);

  it('writes the header, then one row per budget per month, CRLF-terminated', () => {
    expect(rows[0]).toEqual(HEADER);
    const months = report.budgets.reduce((n, b) => n + b.months.length, 0);
    expect(months).toBe(1 + 3 + 3);
    expect(rows.length).toBe(1 + months);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const row of rows) expect(row.length).toBe(HEADER.length);
  });

  it('writes each month’s values, amounts as plain numbers with 2 decimals', () => {
    let r = 1;
    for (const b of report.budgets) {
      for (const m of b.months) {
        const row = rows[r++]!;
        const cell = (name: string) => row[HEADER.indexOf(name)];
        expect(cell('scope')).toBe(b.scopeLabel);
        expect(cell('period')).toBe(b.periodLabel);
        expect(cell('currency')).toBe(b.currency);
        expect(cell('month')).toBe(m.month);
        expect(cell('planned')).toBe(m.planned.toFixed(2));
        expect(cell('planned_source')).toBe(m.plannedSource);
        expect(cell('actual')).toBe(m.actual.toFixed(2));
        expect(cell('forecast')).toBe(m.forecast === null ? '' : m.forecast.toFixed(2));
        expect(cell('variance')).toBe(m.variance.toFixed(2));
        expect(cell('status')).toBe(m.status);
        expect(cell('state')).toBe(m.state ?? '');
        for (const name of ['planned', 'actual', 'variance']) expect(cell(name)).toMatch(/^-?\d+\.\d{2}$/);
      }
    }
    // Spot checks against the fixture's shape: the quarter's user plan, a future month with no state, no forecast for budget 3.
    const payments = rows.filter((row) => row[0]!.startsWith('Équipe Paiements'));
    expect(payments.map((row) => row[5])).toEqual(['15000.00', '15500.00', '14500.00']);
    expect(payments.map((row) => row[10])).toEqual(['closed', 'current', 'future']);
    expect(payments[2]![11]).toBe('');
    const allSpend = rows.filter((row) => row[1] === 'All spend');
    expect(allSpend.map((row) => row[8])).toEqual(['', '', '']);
    expect(allSpend.map((row) => row[6])).toEqual(['pro-rata', 'pro-rata', 'pro-rata']);
    // A negative variance stays a number (not defused as a formula).
    expect(allSpend.some((row) => row[9]!.startsWith('-'))).toBe(true);
    expect(csv).not.toMatch(/[$€]/);
  });

  it('quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    // Budget 1's name holds commas: it is quoted and reads back whole.
    const fraud = report.budgets[0]!.name;
    expect(fraud).toContain(',');
    expect(csv).toContain(`"${fraud}"`);
    expect(rows[1]![0]).toBe(fraud);
    expect(quoteCsvField('plain')).toBe('plain');
    expect(quoteCsvField('a,b')).toBe('"a,b"');
    expect(quoteCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCsvField('two\nlines')).toBe('"two\nlines"');
    expect(quoteCsvField('cr\rhere')).toBe('"cr\rhere"');
    const multi = budgetReportCsv({ ...report, budgets: [{ ...report.budgets[1]!, name: 'line one\r\nline "two"' }] });
    expect(parseCsvForTest(multi)[1]![0]).toBe('line one\r\nline "two"');
  });

  it('defuses text a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    const raw = '=HYPERLINK("http://x")';
    expect(report.budgets[2]!.name).toBe(raw);
    // Quoted (it holds quotes) and prefixed with a single quote, so it is text, not a live link.
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    for (const row of rows.filter((r) => r[1] === 'All spend')) expect(row[0]).toBe(`'${raw}`);
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(guardFormula(`${lead}1+1`)).toBe(`'${lead}1+1`);
    expect(guardFormula('Team payments')).toBe('Team payments');
    expect(guardFormula("'quoted")).toBe("'quoted");
    const scoped = budgetReportCsv({ ...report, budgets: [{ ...report.budgets[0]!, scopeLabel: '@SUM(A1:A9)', periodLabel: '+cmd|calc' }] });
    const row = parseCsvForTest(scoped)[1]!;
    expect(row[1]).toBe("'@SUM(A1:A9)");
    expect(row[2]).toBe("'+cmd|calc");
  });

  it('writes only the header for a report without budgets', () => {
    expect(budgetReportCsv({ ...report, budgets: [] })).toBe(`${HEADER.join(',')}\r\n`);
  });
});
