import { useState, type FormEvent } from 'react';
import { periodEndedInData } from '../../../shared/budgets/periods';
import { formatMoney, formatPercent, formatSignedMoney } from '../../../shared/format/money';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useEngineEvent, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, formatTimestamp, Loading, PageHeader, Status } from '../components/ui';
import { navigate } from '../router';
import { AnomaliesPanel } from './AnomaliesPanel';
import { BudgetForm } from './BudgetForm';
import { BudgetState } from './BudgetsView';
import { BurnBar } from './BurnBar';
import { ForecastChart } from './ForecastChart';
import { backtestSentence, BUDGETS_HREF, formatInterval, historyLine, levelLabel, shareOf } from './format';

/** #/budgets/new */
export function NewBudgetPage() {
  return (
    <div className="page" data-testid="budget-new-page">
      <p className="breadcrumb">
        <a href={BUDGETS_HREF}>Budgets</a> / New budget
      </p>
      <PageHeader title="New budget" subtitle="An amount for a scope and period, with the thresholds that alert." />
      <BudgetForm onSaved={(id) => navigate(`#/budgets/${id}`)} onCancel={() => navigate(BUDGETS_HREF)} />
    </div>
  );
}

function DeleteForm({ id, name, onCancel }: { id: number; name: string; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim() === '' || busy) return;
    setBusy(true);
    const result = await invoke('budgets/delete', { id, reason: reason.trim() });
    setBusy(false);
    if (!result.ok) setError(result.error);
    else navigate(BUDGETS_HREF);
  };
  return (
    <form className="panel budget-delete" onSubmit={(e) => void submit(e)} aria-label="Delete the budget" data-testid="budget-delete-form">
      <label className="field">
        <span className="field-label">Why does “{name}” go? (recorded in the audit log)</span>
        <input className="input" value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus maxLength={2000} placeholder="e.g. replaced by the FY27 budget" data-testid="budget-delete-reason" />
      </label>
      {error && <ErrorBanner error={error} context="The budget was not deleted" />}
      <div className="review-form-actions">
        <button type="submit" className="btn btn-danger" disabled={reason.trim() === '' || busy} data-testid="budget-delete-confirm">
          {busy ? 'Deleting…' : 'Delete budget'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** #/budgets/<id>: will this budget overrun, how sure is the forecast, and what drove the spend? */
export function BudgetPage({ id }: { id: number }) {
  const q = useQuery('budgets/show', { id }, String(id));
  // As on the Budgets list: an announced state change means this budget's figures may have moved.
  useEngineEvent('notifications/new', q.reload);
  const [mode, setMode] = useState<'view' | 'edit' | 'delete'>('view');
  const [notice, setNotice] = useState<string | null>(null);

  if (q.error && !q.data) {
    return (
      <div className="page" data-testid="budget-page">
        <p className="breadcrumb">
          <a href={BUDGETS_HREF}>Budgets</a>
        </p>
        {q.error.code === 'NOT_FOUND' ? (
          <EmptyState title="No such budget" testId="budget-not-found">
            <p>{q.error.message}</p>
            <p>
              It may have been deleted: see <a href={BUDGETS_HREF}>Budgets</a>.
            </p>
          </EmptyState>
        ) : (
          <ErrorBanner error={q.error} context="Could not load the budget" onRetry={q.reload} />
        )}
      </div>
    );
  }
  if (!q.data) {
    return (
      <div className="page" data-testid="budget-page">
        <Loading label="Judging the budget…" />
      </div>
    );
  }

  const { status: s, anomalies, anomalyMethod, history } = q.data;
  const cur = s.currency;
  const f = s.forecast;
  const settled = f !== null && periodEndedInData(s.dataThrough, s.periodEnd);

  return (
    <div className="page" data-testid="budget-page" data-state={s.state}>
      <p className="breadcrumb">
        <a href={BUDGETS_HREF}>Budgets</a> / {s.name}
      </p>
      <PageHeader
        title={s.name}
        subtitle={`${s.scopeLabel} · ${s.periodLabel} · ${s.definition.metric} cost from ${s.definition.source === 'focus' ? 'FOCUS files' : s.definition.source}`}
        actions={
          mode === 'view' ? (
            <>
              <button type="button" className="btn btn-secondary" onClick={() => setMode('edit')} data-testid="budget-edit">
                Edit
              </button>
              <button type="button" className="btn btn-danger-outline" onClick={() => setMode('delete')} data-testid="budget-delete">
                Delete…
              </button>
            </>
          ) : undefined
        }
      />
      {notice && (
        <p className="settings-notice" role="status" data-testid="budget-notice">
          <Status tone="ok">{notice}</Status>
        </p>
      )}
      {q.error && <ErrorBanner error={q.error} context="Could not refresh the budget" onRetry={q.reload} />}
      {mode === 'delete' && <DeleteForm id={id} name={s.name} onCancel={() => setMode('view')} />}
      {mode === 'edit' && (
        <BudgetForm
          id={id}
          initial={s.definition}
          onSaved={(_, outcome) => {
            setMode('view');
            setNotice(outcome === 'unchanged' ? 'Nothing changed.' : 'Budget changed; the change is in its history below.');
            q.reload();
          }}
          onCancel={() => setMode('view')}
        />
      )}

      <section className={`budget-headline budget-headline-${s.state.toLowerCase()}`} aria-label="Where the budget stands" data-testid="budget-headline">
        <div className="budget-headline-state">
          <span className={`budget-big-state budget-big-${s.state.toLowerCase()}`} data-testid="budget-page-state">
            <span aria-hidden="true">{s.state === 'ALARM' ? '⚠' : '✓'}</span> {s.state}
          </span>
          <span className="muted">{s.stateChangedAt ? `since ${formatTimestamp(s.stateChangedAt)}` : 'not judged yet'}</span>
        </div>
        <dl className="budget-figures">
          <div>
            <dt>Actual so far</dt>
            <dd className="num" data-testid="budget-page-actual">
              {formatMoney(s.actual, cur)}
            </dd>
            <dd className="cell-sub muted">
              {formatPercent(shareOf(s.actual, s.amount))} of the budget{s.dataThrough ? `, data through ${s.dataThrough}` : ', no data yet'}
            </dd>
          </div>
          <div>
            <dt>Budget</dt>
            <dd className="num">{formatMoney(s.amount, cur)}</dd>
            <dd className="cell-sub muted">
              {s.periodStart} to {s.periodEnd}
            </dd>
          </div>
          <div>
            <dt>{settled ? 'Period-end total' : 'Forecast at period end'}</dt>
            <dd className="num" data-testid="budget-page-forecast">
              {f ? formatMoney(f.mean, cur) : '—'}
            </dd>
            <dd className="cell-sub muted">{f ? (settled ? 'the period has ended in the data' : `${levelLabel(f.level)} ${formatInterval(f.low, f.high, cur)}`) : 'no forecast yet'}</dd>
          </div>
          <div>
            <dt>{f && !settled ? 'Forecast vs budget' : 'Actual vs budget'}</dt>
            <dd className={`num ${(f?.mean ?? s.actual) > s.amount ? 'text-bad' : ''}`}>{formatSignedMoney((f?.mean ?? s.actual) - s.amount, cur)}</dd>
            <dd className="cell-sub muted">{(f?.mean ?? s.actual) > s.amount ? 'over' : 'under or at'} the budget</dd>
          </div>
          {s.awsForecast && (
            <div data-testid="budget-aws-forecast">
              <dt>AWS forecast</dt>
              <dd className="num">{formatMoney(s.awsForecast.mean, cur)}</dd>
              <dd className="cell-sub muted">
                {s.awsForecast.low !== null && s.awsForecast.high !== null ? `${formatInterval(s.awsForecast.low, s.awsForecast.high, cur)}; ` : ''}GetCostForecast, {formatTimestamp(s.awsForecast.fetchedAt)}
              </dd>
            </div>
          )}
        </dl>
        <BurnBar status={s} />
      </section>

      <div className="budget-detail-grid">
        <div className="budget-detail-main">
          <section className="panel">
            <ForecastChart status={s} />
            <div className="budget-method" data-testid="budget-method">
              {f && <p className="no-margin">{f.method}</p>}
              {f?.backtest && (
                <p className="no-margin" data-testid="budget-backtest">
                  {backtestSentence(f.backtest)}
                </p>
              )}
              <p className="no-margin" data-testid="budget-alert-forecast">
                {s.alertForecast}
              </p>
            </div>
            {(s.notes.length > 0 || s.otherCurrencies.length > 0) && (
              <ul className="budget-notes" data-testid="budget-notes">
                {s.notes.map((n) => (
                  <li key={n}>
                    <Status tone="warn">{n}</Status>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="panel" aria-labelledby="thresholds-h" data-testid="budget-thresholds-panel">
            <h2 id="thresholds-h" className="panel-title">
              Thresholds
            </h2>
            {s.thresholds.length === 0 ? (
              <p className="muted no-margin">No thresholds: this budget never alerts.</p>
            ) : (
              <table className="data-table compact" data-testid="budget-thresholds-table">
                <caption className="visually-hidden">Alert thresholds and their states</caption>
                <thead>
                  <tr>
                    <th scope="col">Threshold</th>
                    <th scope="col" className="num">
                      Figure
                    </th>
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  {s.thresholds.map((t) => (
                    <tr key={t.key} data-testid="budget-threshold" data-state={t.state}>
                      <td>
                        {t.label}
                        {t.note && <span className="cell-sub muted">{t.note}</span>}
                      </td>
                      <td className="num">{t.value === null ? '—' : formatMoney(t.value, cur)}</td>
                      <td className="nowrap">
                        <BudgetState status={t} />
                        <span className="cell-sub muted">{t.changedAt ? `since ${formatTimestamp(t.changedAt)}` : 'not recorded yet'}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <AnomaliesPanel anomalies={anomalies} method={anomalyMethod} limit={10} />
        </div>

        <div className="budget-detail-side">
          <section className="panel" aria-labelledby="history-h" data-testid="budget-history">
            <h2 id="history-h" className="panel-title">
              Change history
            </h2>
            {history.length === 0 ? (
              <p className="muted no-margin">No recorded changes.</p>
            ) : (
              <ol className="budget-history">
                {history.map((h) => {
                  const line = historyLine(h.action, h.detail);
                  return (
                    <li key={h.seq} data-testid="budget-history-row">
                      <span className="budget-history-what">{line.what}</span>
                      {line.amount && (
                        <span className="num-inline">
                          {line.amount.from === null && line.amount.to !== null
                            ? `Amount ${formatMoney(line.amount.to, line.toCurrency ?? cur)}`
                            : line.amount.to === null && line.amount.from !== null
                              ? `Amount was ${formatMoney(line.amount.from, line.fromCurrency ?? cur)}`
                              : `Amount ${line.amount.from === null ? '—' : formatMoney(line.amount.from, line.fromCurrency ?? cur)} → ${line.amount.to === null ? '—' : formatMoney(line.amount.to, line.toCurrency ?? cur)}`}
                        </span>
                      )}
                      {line.reason && <span className="budget-history-reason">“{line.reason}”</span>}
                      <span className="muted budget-history-meta">
                        {h.actor}, {formatTimestamp(h.at)} · <a href={`#/audit`}>audit #{h.seq}</a>
                      </span>
                    </li>
                  );
                })}
              </ol>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
