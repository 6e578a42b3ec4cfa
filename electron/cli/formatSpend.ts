import type { Database } from 'better-sqlite3';
import type { FocusFileResult } from '../core/spend/importFocus';
import { listSpendSources, parseSpendSource, SpendQueryError, type SpendGrouping, type SpendProvenance, type SpendRow } from '../core/spend/spendQueries';
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

/**
 * `--source` as typed -> the source id spend queries take: "focus", "aws-ce:<id>", or "aws-ce" for
 * the only Cost Explorer source (an error listing them when there are several, or none).
 */
export function resolveSpendSource(db: Database, typed: string): string {
  const wanted = typed.trim();
  if (wanted !== 'aws-ce') {
    parseSpendSource(wanted);
    return wanted;
  }
  const ce = listSpendSources(db).filter((s) => s.kind === 'aws-ce');
  if (ce.length === 1) return ce[0]!.id;
  if (ce.length === 0) throw new SpendQueryError('--source aws-ce: no Cost Explorer source yet; sync one with: docket sync aws-ce --from YYYY-MM-DD --to YYYY-MM-DD');
  const list = ce.map((s) => `  ${s.id}  ${s.label}, ${s.firstDay ?? '—'} to ${s.lastDay ?? '—'}`).join('\n');
  throw new SpendQueryError(`--source aws-ce: there are ${ce.length} Cost Explorer sources; pick one with --source aws-ce:<id>:\n${list}`);
}

/** "Source: ..., synced ...; Estimated: ..." under the table, so a printed figure says where it came from. */
export function formatProvenance(p: SpendProvenance): string {
  const lines = [`Source: ${p.name}`, `${p.kind === 'focus' ? 'Imported' : 'Synced'}: ${p.lastSyncAt ? `${p.lastSyncAt.slice(0, 19).replace('T', ' ')} UTC` : 'never'}${p.syncRunId !== null ? ` (sync run ${p.syncRunId})` : ''}`];
  if (p.estimatedDayCount > 0) {
    const days = p.estimatedDays.length > 6 ? `${p.estimatedDays.slice(0, 6).join(', ')}, …` : p.estimatedDays.join(', ');
    lines.push(`Estimated: ${p.estimatedDayCount} day${p.estimatedDayCount === 1 ? '' : 's'} in range (${days}); AWS may still restate them.`);
  }
  return lines.join('\n');
}

export function formatSpend(by: SpendGrouping, rows: SpendRow[], provenance?: SpendProvenance): string {
  const ce = provenance?.kind === 'aws-ce';
  if (rows.length === 0) {
    const hint = ce ? 'Sync the range with: docket sync aws-ce --from YYYY-MM-DD --to YYYY-MM-DD' : 'Import FOCUS files with: docket import focus <file...>';
    return [`No spend in this range. ${hint}`, ...(provenance ? [formatProvenance(provenance)] : [])].join('\n');
  }
  const table = formatTable(
    [by.toUpperCase(), 'CURRENCY', 'BILLED', 'EFFECTIVE', ...(ce ? ['STATUS'] : [])],
    rows.map((r) => [r.key, r.currency, formatMoney(r.billedCost), formatMoney(r.effectiveCost), ...(ce ? [r.estimated ? 'Estimated' : 'final'] : [])]),
  );
  return provenance ? `${table}\n\n${formatProvenance(provenance)}` : table;
}
