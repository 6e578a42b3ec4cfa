import type { FocusFileResult } from '../core/spend/importFocus';
import type { SpendGrouping, SpendRow } from '../core/spend/spendQueries';
import { formatTable } from './output';

/** Money for people: two decimals, thousands separated; amounts under a cent keep their first significant digits. */
export function formatMoney(amount: number): string {
  if (amount !== 0 && Math.abs(amount) < 0.01) return amount.toFixed(6);
  return amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function formatFocusImport(files: FocusFileResult[]): string {
  const lines: string[] = [];
  for (const f of files) {
    const where = (p: FocusFileResult['rejected'][number]) => [p.line === null ? 'file' : `line ${p.line}`, p.column ? `column ${p.column}` : null].filter(Boolean).join(', ');
    if (f.status === 'rejected') {
      lines.push(`${f.file}: REJECTED, nothing from it was written. Fix it and import again:`);
      for (const p of f.rejected) lines.push(`  ${where(p)}: ${p.reason}`);
      continue;
    }
    const totals = f.totals.map((t) => `${t.currency} billed ${formatMoney(t.billedCost)}, effective ${formatMoney(t.effectiveCost)}`).join('; ');
    lines.push(`${f.file}: ${f.status === 'unchanged' ? 'already imported (unchanged)' : 'imported'}, FOCUS ${f.focusVersion}, ${f.rows} rows${totals ? `: ${totals}` : ''}`);
    if (f.rejected.length > 0) {
      lines.push(`  skipped ${f.rejected.length} bad row${f.rejected.length === 1 ? '' : 's'}:`);
      for (const p of f.rejected) lines.push(`    ${where(p)}: ${p.reason}`);
    }
  }
  return lines.join('\n');
}

export function formatSpend(by: SpendGrouping, rows: SpendRow[]): string {
  if (rows.length === 0) return 'No spend in this range. Import FOCUS files with: docket import focus <file...>';
  return formatTable(
    [by.toUpperCase(), 'CURRENCY', 'BILLED', 'EFFECTIVE'],
    rows.map((r) => [r.key, r.currency, formatMoney(r.billedCost), formatMoney(r.effectiveCost)]),
  );
}
