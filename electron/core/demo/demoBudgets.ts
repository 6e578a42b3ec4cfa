import { scanAnomalies, listAnomalies, setAnomalyVerdict } from '../budgets/anomalyScan';
import { allBudgetStatuses, refreshBudgetStates } from '../budgets/budgetStatus';
import { setBudget } from '../budgets/budgetStore';
import type { BudgetDefinitionInput } from '../../../shared/budgets/budgetSchema';
import { formatMoney } from '../../../shared/format/money';
import type { Clock } from '../store/clock';
import type { Store } from '../store/openStore';

/**
 * The demo's budgets, over its Q1 2026 spend: the platform's quarter (over its 80% alert), one
 * model's and one team's (within budget), and the anomalies found in the quarter with one verdict.
 */
const Q1 = { kind: 'custom', from: '2026-01-01', to: '2026-03-31' } as const;

const DEMO_BUDGETS: BudgetDefinitionInput[] = [
  { name: 'ML platform, Q1 2026', scope: { kind: 'all' }, period: Q1, amount: 5000, currency: 'USD', thresholds: [{ basis: 'actual', kind: 'percent', value: 80 }, { basis: 'forecasted', kind: 'percent', value: 100 }] },
  { name: 'Fraud scoring, Q1 2026', scope: { kind: 'model', value: 'fraud-score-card-txn' }, period: Q1, amount: 600, currency: 'USD', thresholds: [{ basis: 'actual', kind: 'percent', value: 90 }] },
  {
    name: 'Risk ML team, Q1 2026',
    scope: { kind: 'team', value: 'risk-ml' },
    period: Q1,
    amount: 1500,
    currency: 'USD',
    planned: [{ month: '2026-01', amount: 450 }, { month: '2026-02', amount: 500 }, { month: '2026-03', amount: 550 }],
    thresholds: [{ basis: 'actual', kind: 'percent', value: 100 }, { basis: 'actual', kind: 'absolute', value: 1400 }],
  },
];

export function addDemoBudgets(store: Store, options: { clock: Clock; actor: string }): string[] {
  for (const definition of DEMO_BUDGETS) setBudget(store, definition, { actor: 'ml-platform-lead', clock: options.clock, reason: 'Q1 2026 plan' });
  refreshBudgetStates(store, { clock: options.clock, actor: options.actor });
  scanAnomalies(store, { clock: options.clock, from: Q1.from, to: Q1.to });
  const anomalies = listAnomalies(store.db, { from: Q1.from, to: Q1.to });
  const biggest = [...anomalies].sort((a, b) => b.impact - a.impact)[0];
  if (biggest) setAnomalyVerdict(store, biggest.id, 'planned', { actor: 'ml-platform-lead', clock: options.clock, note: 'Re-scoring backfill agreed with the fraud team' });
  const statuses = allBudgetStatuses(store.db, options.clock().toISOString().slice(0, 10));
  return [
    `  budgets:         ${statuses.map((s) => `${s.name} ${s.state} (${formatMoney(s.actual, s.currency)} of ${formatMoney(s.amount, s.currency)})`).join('; ')}`,
    `  spend anomalies: ${anomalies.length} in Q1 2026${biggest ? ` (largest: ${biggest.model} on ${biggest.day}, +${formatMoney(biggest.impact, biggest.currency)}, marked planned)` : ''}`,
  ];
}
