import { useState } from 'react';
import type { BudgetStatusView } from '../../../shared/budgets/budgetViews';
import { periodEndedInData } from '../../../shared/budgets/periods';
import { formatMoney } from '../../../shared/format/money';
import { useEngineEvent, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, formatTimestamp, Loading, PageHeader, Status } from '../components/ui';
import { BurnBar } from './BurnBar';
import { ExportReportPanel } from './ExportReportPanel';
import { ANOMALIES_HREF, budgetHref, formatInterval, NEW_BUDGET_HREF, timestampParts } from './format';

/** OK or ALARM as text, colour and icon (⚠ for ALARM, ✓ for OK): never colour alone. */
export function BudgetState({ status, testId }: { status: Pick<BudgetStatusView, 'state'>; testId?: string }) {
  const alarm = status.state === 'ALARM';
  return (
    <span className={`status ${alarm ? 'status-bad' : 'status-ok'}`} data-testid={testId}>
      <span className="status-icon budget-state-icon" aria-hidden="true">
        {alarm ? '⚠' : '✓'}
      </span>
      <span className="status-text">{status.state}</span>
    </span>
  );
}

/** "since 2026-11-26 12:34:13 UTC", breaking only between the date and the time. */
export function Since({ iso }: { iso: string }) {
  const [day, time] = timestampParts(iso);
  return (
    <span title={formatTimestamp(iso)}>
      since <span className="nowrap">{day}</span> <span className="nowrap">{time}</span>
    </span>
  );
}

function ForecastCell({ b }: { b: BudgetStatusView }) {
  if (!b.forecast) return <span className="muted">no forecast yet</span>;
  const f = b.forecast;
  const settled = periodEndedInData(b.dataThrough, b.periodEnd);
  return (
    <span className="budget-forecast-cell" title={f.method}>
      <span>{formatMoney(f.mean, b.currency)}</span>
      {!settled && <span className="cell-sub muted budget-interval">{formatInterval(f.low, f.high, b.currency)}</span>}
      {settled && <span className="cell-sub muted">period ended</span>}
    </span>
  );
}

/** Budgets: will we overrun? Every budget's amount, spend so far and forecast, with its alert state. */
export function BudgetsView() {
  const list = useQuery('budgets/list', {});
  // A threshold that changed state (after spend arrived from a sync, say) is announced: the figures
  // behind it have moved, so the table is read again rather than left beside a toast it contradicts.
  useEngineEvent('notifications/new', list.reload);
  // budgets/list scans for anomalies before it counts the open ones.
  const openAnomalies = list.data?.openAnomalies ?? 0;
  const [exporting, setExporting] = useState(false);
  const budgets = list.data?.budgets ?? [];
  const alarms = budgets.filter((b) => b.state === 'ALARM').length;

  const actions = (
    <>
      {budgets.length > 0 && (
        <button type="button" className="btn btn-secondary" onClick={() => setExporting(true)} data-testid="budgets-export">
          Export report
        </button>
      )}
      <a className="btn btn-primary" href={NEW_BUDGET_HREF} data-testid="budget-new">
        New budget
      </a>
    </>
  );

  return (
    <div className="page" data-testid="budgets-view">
      <PageHeader title="Budgets" subtitle="Will we overrun?" actions={actions} />
      {list.error && <ErrorBanner error={list.error} context="Could not load budgets" onRetry={list.reload} />}
      {!list.data && list.loading && <Loading label="Judging budgets…" />}

      {list.data && budgets.length === 0 && (
        <EmptyState title="No budgets yet" testId="budgets-empty" actions={<a className="btn btn-primary" href={NEW_BUDGET_HREF}>Create a budget</a>}>
          <p>A budget sets an amount for a scope (all spend, a model, a team or a provider) over a period, forecasts the period-end total and raises an alert when a threshold is passed.</p>
          <p>
            Budgets read imported spend: import a FOCUS file or connect Cost Explorer in <a href="#/spend">Spend</a> first, or create the budget now and it will be judged as soon as spend arrives.
          </p>
        </EmptyState>
      )}

      {list.data && budgets.length > 0 && (
        <>
          <p className="budgets-summary" data-testid="budgets-summary">
            {alarms > 0 ? (
              <span className="status status-bad">
                <span className="status-icon budget-state-icon" aria-hidden="true">
                  ⚠
                </span>
                <span className="status-text">
                  {alarms} of {budgets.length} in ALARM
                </span>
              </span>
            ) : (
              <Status tone="ok">All {budgets.length} OK</Status>
            )}
            <span className="muted">
              As of {list.data.asOf} (UTC).{' '}
              {openAnomalies > 0 ? (
                <a href={ANOMALIES_HREF} data-testid="budgets-anomalies-link">
                  {openAnomalies} open spend anomal{openAnomalies === 1 ? 'y' : 'ies'}
                </a>
              ) : (
                <a href={ANOMALIES_HREF}>No open spend anomalies</a>
              )}
            </span>
          </p>
          <section className="panel table-wrap budgets-panel" aria-label="Budgets">
            <div className="table-scroll">
              <table className="data-table sticky budgets-table" data-testid="budgets-table">
                <caption className="visually-hidden">Budgets with their amount, spend so far, forecast and alert state</caption>
                <thead>
                  <tr>
                    <th scope="col" className="budgets-name-col">
                      Budget
                    </th>
                    <th scope="col" className="budgets-period-col">
                      Period
                    </th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col" className="num">
                      Actual
                    </th>
                    <th scope="col" className="num">
                      Forecast (interval)
                    </th>
                    <th scope="col" className="budgets-burn-col">
                      Spent of budget
                    </th>
                    <th scope="col" className="budgets-state-col">
                      State
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {budgets.map((b) => (
                    <tr key={b.id} data-testid="budget-row" data-budget-id={b.id} data-state={b.state}>
                      <td>
                        <a href={budgetHref(b.id)} className="budget-name-link" data-testid="budget-link">
                          {b.name}
                        </a>
                        <span className="cell-sub muted">
                          {b.scopeLabel} · {b.definition.metric} cost
                        </span>
                      </td>
                      <td>
                        {b.periodLabel}
                        <span className="cell-sub muted">{b.dataThrough ? `data through ${b.dataThrough}` : 'no spend data yet'}</span>
                      </td>
                      <td className="num">{formatMoney(b.amount, b.currency)}</td>
                      <td className="num" data-testid="budget-actual">
                        {formatMoney(b.actual, b.currency)}
                      </td>
                      <td className="num">
                        <ForecastCell b={b} />
                      </td>
                      <td className="budgets-burn-col">
                        <BurnBar status={b} compact />
                      </td>
                      <td className="budgets-state-col">
                        <BudgetState status={b} testId="budget-state" />
                        <span className="cell-sub muted">{b.stateChangedAt ? <Since iso={b.stateChangedAt} /> : 'not judged yet'}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="table-note muted">
              Bar: spend so far (solid), forecast of the period end (light), the budget (line) and each threshold (tick). Forecast intervals are Docket’s prediction intervals; open a budget for the method and how well it held.
            </p>
          </section>
        </>
      )}
      {exporting && <ExportReportPanel onClose={() => setExporting(false)} />}
    </div>
  );
}
