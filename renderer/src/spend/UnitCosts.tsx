import { useQuery } from '../ipc';
import { ErrorBanner, Loading } from '../components/ui';
import { formatMoney } from './format';
import { markEstimated } from './provenance';

/** A unit cost: to 4 decimals, since a cost per prediction is often a fraction of a cent. */
function formatUnit(amount: number | null, currency: string): string {
  if (amount === null) return '—';
  if (Math.abs(amount) >= 1) return formatMoney(amount, currency);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 4, maximumFractionDigits: 4 }).format(amount);
  } catch {
    return `${amount.toFixed(4)} ${currency}`;
  }
}

/**
 * Unit economics per model over the view's range and source: effective cost per 1,000 predictions
 * and per million tokens. `title(what)` gives each figure its provenance; usage comes from the
 * imported usage logs, whatever the spend source.
 */
export function UnitCosts({
  revision,
  source,
  from,
  to,
  estimated,
  title,
}: {
  /** Changes when stored spend changed (an import, an attribution rule). */
  revision: number;
  source: string;
  from: string | undefined;
  to: string | undefined;
  estimated: boolean;
  title: (what: string) => string;
}) {
  const query = useQuery('spend/unitCosts', { ...(source !== 'focus' ? { source } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) }, `${revision}|${source}|${from ?? ''}|${to ?? ''}`);
  const rows = query.data ?? [];
  const withUsage = rows.filter((u) => u.requests > 0 || u.tokens !== null);
  const usageNote = 'Usage: requests and tokens from the imported usage logs (docket import usage).';
  return (
    <section className="panel" aria-labelledby="spend-units-h" data-testid="spend-unit-costs">
      <h2 id="spend-units-h" className="panel-title">
        Unit costs per model
        <span className="panel-title-note muted">effective cost per use</span>
      </h2>
      {query.error && <ErrorBanner error={query.error} context="Could not load unit costs" onRetry={query.reload} />}
      {!query.data && !query.error && <Loading label="Loading unit costs…" />}
      {query.data && withUsage.length === 0 && (
        <p className="muted">
          No usage for the attributed models in this range. Import daily usage with <code>docket import usage &lt;file.csv&gt;</code> (columns day, model, requests, and optionally
          input_tokens, output_tokens) to see cost per 1,000 predictions and per million tokens.
        </p>
      )}
      {withUsage.length > 0 && (
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" className="num">
                Effective cost
              </th>
              <th scope="col" className="num">
                Per 1k predictions
              </th>
              <th scope="col" className="num">
                Per 1M tokens
              </th>
            </tr>
          </thead>
          <tbody>
            {withUsage.map((u) => (
              <tr key={`${u.currency}:${u.model}`} data-testid="spend-unit-cost" title={`${title(`${u.model}: unit costs in ${u.currency}`)}\n${usageNote}`}>
                <td className="wrap">{u.model}</td>
                <td className="num">{markEstimated(formatMoney(u.effectiveCost, u.currency), estimated)}</td>
                <td className="num">
                  {markEstimated(formatUnit(u.costPer1kPredictions, u.currency), estimated && u.costPer1kPredictions !== null)}{' '}
                  <span className="muted">({u.requests.toLocaleString('en-US')} req.)</span>
                </td>
                <td className="num">{markEstimated(formatUnit(u.costPerMillionTokens, u.currency), estimated && u.costPerMillionTokens !== null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
