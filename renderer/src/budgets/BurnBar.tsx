import type { BudgetStatusView } from '../../../shared/budgets/budgetViews';
import { formatMoney, formatPercent } from '../../../shared/format/money';
import { shareOf } from './format';

/**
 * How much of the budget is spent: the actual as a solid bar, the forecast of the period end as a
 * lighter extension, the budget's 100% as a line and each threshold as a tick. The scale grows past
 * 100% when the spend or the forecast does, so an overrun is drawn, not clipped. The text beside the
 * bar says the same in words (a bar is never the only carrier of a figure).
 */
export function BurnBar({ status, compact = false }: { status: BudgetStatusView; compact?: boolean }) {
  const { amount, actual, currency, forecast } = status;
  const forecastMean = forecast?.mean ?? null;
  const triggers = status.thresholds.map((t) => t.trigger);
  const scaleMax = Math.max(amount, actual, forecastMean ?? 0, ...triggers, 1e-9);
  const pct = (v: number) => `${Math.min(100, Math.max(0, (v / scaleMax) * 100)).toFixed(2)}%`;
  const spent = shareOf(actual, amount);
  const over = actual > amount;
  const forecastOver = forecastMean !== null && forecastMean > amount;
  const label = `${formatPercent(spent)} of ${formatMoney(amount, currency)} spent${forecastMean !== null && forecastMean > actual ? `; forecast ${formatPercent(shareOf(forecastMean, amount))}` : ''}`;

  return (
    <div className={`burn ${compact ? 'burn-compact' : ''}`} data-testid="budget-burn">
      <div className="burn-track" role="img" aria-label={label} title={label}>
        {forecastMean !== null && forecastMean > actual && <span className={`burn-forecast ${forecastOver ? 'burn-over' : ''}`} style={{ left: pct(actual), width: `calc(${pct(forecastMean)} - ${pct(actual)})` }} />}
        <span className={`burn-actual ${over ? 'burn-over' : ''}`} style={{ width: pct(actual) }} />
        {status.thresholds.map((t) => (
          <span key={t.key} className={`burn-tick ${t.threshold.basis === 'forecasted' ? 'burn-tick-forecast' : ''}`} style={{ left: pct(t.trigger) }} title={t.label} />
        ))}
        <span className="burn-limit" style={{ left: pct(amount) }} title={`Budget ${formatMoney(amount, currency)}`} />
      </div>
      <span className={`burn-text num-inline ${over ? 'text-bad' : ''}`}>{formatPercent(spent)}</span>
    </div>
  );
}
