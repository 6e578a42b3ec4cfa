// The budget report as CSV (RFC 4180): one row per budget per month of its period, for anyone who
// wants the figures in a spreadsheet. Amounts are plain decimals with 2 places (no symbol, no
// thousands separator) so spreadsheets read them as numbers; the currency has its own column.
import type { BudgetReport, BudgetReportBudget, BudgetReportMonth } from '../../../../shared/budgets/types';

/** The columns, in order; the XLSX "Budgets by month" sheet uses the same. */
export const BUDGET_REPORT_COLUMNS = ['budget', 'scope', 'period', 'currency', 'month', 'planned', 'planned_source', 'actual', 'forecast', 'variance', 'status', 'state'] as const;

/** A cell before writing: text, an amount, or nothing (a forecast that could not be made, a future month's state). */
export type ReportCell = { kind: 'text'; value: string } | { kind: 'amount'; value: number } | { kind: 'empty' };

const text = (value: string): ReportCell => ({ kind: 'text', value });
const amount = (value: number): ReportCell => ({ kind: 'amount', value });
const orEmpty = (value: number | null): ReportCell => (value === null ? { kind: 'empty' } : amount(value));

/** One row's cells, in BUDGET_REPORT_COLUMNS order: shared by the CSV and the XLSX writers so they cannot disagree. */
export function budgetMonthCells(budget: BudgetReportBudget, month: BudgetReportMonth): ReportCell[] {
  return [
    text(budget.name),
    text(budget.scopeLabel),
    text(budget.periodLabel),
    text(budget.currency),
    text(month.month),
    amount(month.planned),
    text(month.plannedSource),
    amount(month.actual),
    orEmpty(month.forecast),
    amount(month.variance),
    text(month.status),
    month.state === null ? { kind: 'empty' } : text(month.state),
  ];
}

/** An amount to 2 decimals, as text ("1234.50"); never "-0.00". */
export function formatAmount2(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`budget report: amount is not a finite number: ${String(value)}`);
  const fixed = value.toFixed(2);
  return fixed === '-0.00' ? '0.00' : fixed;
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or CR that they strip first) as a
 * formula, so a budget named "=HYPERLINK(...)" would become a live link. OWASP's advice: prefix
 * such text cells with a single quote, which makes them plain text. Only text cells are guarded:
 * a negative amount stays a number.
 */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: quote a field holding a comma, a quote or a line break, doubling the quotes inside. */
export function quoteCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvCell(cell: ReportCell): string {
  switch (cell.kind) {
    case 'text':
      return quoteCsvField(guardFormula(cell.value));
    case 'amount':
      return formatAmount2(cell.value);
    case 'empty':
      return '';
  }
}

export function budgetReportCsv(report: BudgetReport): string {
  const lines = [BUDGET_REPORT_COLUMNS.join(',')];
  for (const budget of report.budgets) {
    for (const month of budget.months) lines.push(budgetMonthCells(budget, month).map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
