import type { Database } from 'better-sqlite3';
import type { BudgetDefinition, BudgetScope } from '../../../shared/budgets/budgetSchema';
import type { DailyCost } from '../../../shared/budgets/types';
import { parseSpendSource } from '../spend/ceSpendQueries';

/**
 * The spend a budget tracks, per day, read from the daily rollup (FOCUS) or from one Cost Explorer
 * source: O(days), whatever the number of line items. Only the budget's currency counts: costs in
 * other currencies are reported beside it, never converted or added.
 */

/** The rollup column and value a scope filters on (model = the attributed model). */
function focusScope(scope: BudgetScope): { sql: string; params: string[] } {
  switch (scope.kind) {
    case 'all':
      return { sql: '', params: [] };
    case 'model':
      return { sql: ' AND tag_model = ?', params: [scope.value] };
    case 'team':
      return { sql: ' AND tag_team = ?', params: [scope.value] };
    case 'provider':
      // Providers are written differently across exports ("AWS", "aws"): match without case.
      return { sql: ' AND provider = ? COLLATE NOCASE', params: [scope.value] };
  }
}

function ceScope(scope: BudgetScope): { sql: string; params: string[] } {
  if (scope.kind === 'model') return { sql: ' AND tag_value = ?', params: [scope.value] };
  return { sql: '', params: [] };
}

/** Daily cost in the budget's currency and metric over [from, to]; days without spend are absent. */
export function budgetDailySpend(db: Database, budget: BudgetDefinition, from: string, to: string): DailyCost[] {
  const source = parseSpendSource(budget.source);
  if (source.kind === 'aws-ce') {
    const column = budget.metric === 'effective' ? 'amortized_cost' : 'unblended_cost';
    const scope = ceScope(budget.scope);
    return db
      .prepare(`SELECT day, SUM(${column}) AS cost FROM ce_daily WHERE source_id = ? AND day >= ? AND day <= ? AND currency = ?${scope.sql} GROUP BY day ORDER BY day`)
      .all(source.sourceId, from, to, budget.currency, ...scope.params) as DailyCost[];
  }
  const column = budget.metric === 'effective' ? 'effective_cost' : 'billed_cost';
  const scope = focusScope(budget.scope);
  return db
    .prepare(`SELECT day, SUM(${column}) AS cost FROM spend_daily WHERE day >= ? AND day <= ? AND currency = ?${scope.sql} GROUP BY day ORDER BY day`)
    .all(from, to, budget.currency, ...scope.params) as DailyCost[];
}

/** Spend in the scope over [from, to] in currencies other than the budget's (they do not count). */
export function otherCurrencySpend(db: Database, budget: BudgetDefinition, from: string, to: string): { currency: string; cost: number }[] {
  const source = parseSpendSource(budget.source);
  if (source.kind === 'aws-ce') {
    const column = budget.metric === 'effective' ? 'amortized_cost' : 'unblended_cost';
    const scope = ceScope(budget.scope);
    return db
      .prepare(`SELECT currency, SUM(${column}) AS cost FROM ce_daily WHERE source_id = ? AND day >= ? AND day <= ? AND currency != ?${scope.sql} GROUP BY currency ORDER BY currency`)
      .all(source.sourceId, from, to, budget.currency, ...scope.params) as { currency: string; cost: number }[];
  }
  const column = budget.metric === 'effective' ? 'effective_cost' : 'billed_cost';
  const scope = focusScope(budget.scope);
  return db
    .prepare(`SELECT currency, SUM(${column}) AS cost FROM spend_daily WHERE day >= ? AND day <= ? AND currency != ?${scope.sql} GROUP BY currency ORDER BY currency`)
    .all(from, to, budget.currency, ...scope.params) as { currency: string; cost: number }[];
}

/**
 * The last day the source has any spend for: the data's horizon. A budget's scope may simply have
 * spent nothing on a later day, so the horizon is the source's, not the scope's.
 */
export function spendDataThrough(db: Database, sourceRef: string): string | null {
  const source = parseSpendSource(sourceRef);
  if (source.kind === 'aws-ce') return (db.prepare('SELECT max(day) AS day FROM ce_days WHERE source_id = ?').get(source.sourceId) as { day: string | null }).day;
  return (db.prepare('SELECT max(day) AS day FROM spend_daily').get() as { day: string | null }).day;
}

/** "Model fraud-score-card-txn", "Team payments", "Provider AWS", "All spend". */
export function scopeLabel(scope: BudgetScope): string {
  switch (scope.kind) {
    case 'all':
      return 'All spend';
    case 'model':
      return `Model ${scope.value}`;
    case 'team':
      return `Team ${scope.value}`;
    case 'provider':
      return `Provider ${scope.value}`;
  }
}
