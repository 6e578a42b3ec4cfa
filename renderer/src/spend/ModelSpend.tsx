import { useQuery } from '../ipc';
import { formatMoney } from './format';
import { figureTitle } from './provenance';

/**
 * A model's attributed spend over all imported billing data, per currency, for the model page.
 * Read from the same daily rollup as the Spend view, so the figures agree.
 */
export function ModelSpend({ model }: { model: string }) {
  const summary = useQuery('spend/summary', { by: 'model' });
  if (summary.error) return <span className="muted">unavailable</span>;
  if (!summary.data) return <span className="muted">…</span>;
  const rows = summary.data.rows.filter((r) => r.key === model && (r.effectiveCost !== 0 || r.billedCost !== 0));
  const { firstDay, lastDay } = summary.data.coverage;
  if (rows.length === 0) {
    return <span className="muted">{firstDay ? 'none attributed' : 'no billing data imported'}</span>;
  }
  return (
    <span data-testid="model-spend" title={figureTitle(summary.data.provenance, summary.data.coverage, { what: `Effective cost attributed to ${model}, ${firstDay} to ${lastDay}` })}>
      {rows.map((r, i) => (
        <span key={r.currency}>
          {i > 0 && ', '}
          <strong>{formatMoney(r.effectiveCost, r.currency)}</strong> <span className="muted">effective</span>
        </span>
      ))}{' '}
      <a href="#/spend">
        {firstDay} to {lastDay}
      </a>
    </span>
  );
}
