import { useEffect, useRef } from 'react';
import { useQuery } from '../ipc';
import { ErrorBanner, Loading } from '../components/ui';
import { formatMoney } from './format';
import { ScrollRegion } from '../components/ScrollRegion';

type GroupBy = 'model' | 'team' | 'service' | 'provider' | 'account';

/** The line items behind one group's figure, each with the file and line it came from. */
export function LineItems({ by, groupKey, from, to, onClose }: { by: GroupBy; groupKey: string; from: string | undefined; to: string | undefined; onClose: () => void }) {
  const query = useQuery('spend/lineItems', { by, key: groupKey, ...(from ? { from } : {}), ...(to ? { to } : {}), limit: 200 });
  // Opened from a row far above: focus (and so scroll to) the panel, where Close and the items are.
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <section ref={ref} className="panel" aria-labelledby="spend-items-h" tabIndex={-1} data-testid="spend-line-items">
      <h2 id="spend-items-h" className="panel-title">
        Line items: {groupKey}
        {query.data && (
          <span className="panel-title-note muted">
            {query.data.items.length < query.data.total ? `largest ${query.data.items.length} of ${query.data.total.toLocaleString('en-US')}` : `${query.data.total.toLocaleString('en-US')} rows`}
          </span>
        )}
        <button type="button" className="btn btn-secondary" onClick={onClose} aria-label="Close line items">
          Close
        </button>
      </h2>
      {query.error && <ErrorBanner error={query.error} />}
      {!query.data && !query.error && <Loading label="Reading line items…" />}
      {query.data && (
        <ScrollRegion className="table-scroll" labelledBy="spend-items-h">
          <table className="data-table compact sticky">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Service</th>
                <th scope="col">Resource</th>
                <th scope="col">Charge</th>
                <th scope="col" className="num">
                  Billed
                </th>
                <th scope="col" className="num">
                  Effective
                </th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {query.data.items.map((item) => (
                <tr key={`${item.file}:${item.line}`} data-testid="spend-line-item">
                  <td className="nowrap">{item.day}</td>
                  <td>{item.serviceName ?? '—'}</td>
                  <td className="mono wrap" title={item.resourceId ?? undefined}>
                    {item.resourceId ?? '—'}
                  </td>
                  <td>{[item.chargeCategory, item.chargeClass].filter(Boolean).join(' · ') || '—'}</td>
                  <td className="num">{formatMoney(item.billedCost, item.currency)}</td>
                  <td className="num">{formatMoney(item.effectiveCost, item.currency)}</td>
                  <td className="mono muted" title={item.file}>
                    {item.file.split(/[\\/]/).pop()}:{item.line}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
