import { useEffect, useState } from 'react';
import type { AnomalyView } from '../../../shared/budgets/budgetViews';
import type { AnomalyVerdict } from '../../../shared/budgets/types';
import { formatMoney, formatSignedMoney } from '../../../shared/format/money';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, formatTimestamp, Loading, PageHeader, Status } from '../components/ui';
import { modelHref } from '../router';
import { BUDGETS_HREF, VERDICT_LABEL, verdictTone } from './format';

const VERDICTS: AnomalyVerdict[] = ['expected', 'unexpected', 'planned'];

function AnomalyItem({ anomaly, onChange }: { anomaly: AnomalyView; onChange: (a: AnomalyView) => void }) {
  const [busy, setBusy] = useState<AnomalyVerdict | null>(null);
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const a = anomaly;

  const give = async (verdict: AnomalyVerdict) => {
    setBusy(verdict);
    setError(undefined);
    const result = await invoke('anomalies/verdict', { id: a.id, verdict });
    setBusy(null);
    if (!result.ok) setError(result.error);
    else onChange(result.value);
  };

  return (
    <li className="anomaly" data-testid="anomaly" data-anomaly-id={a.id} data-verdict={a.verdict ?? ''}>
      <div className="anomaly-head">
        <span className="anomaly-day mono">{a.day}</span>
        <a href={modelHref(a.model)} className="anomaly-model">
          {a.model}
        </a>
        <Status tone={verdictTone(a.verdict)} testId="anomaly-verdict">
          {a.verdict ? VERDICT_LABEL[a.verdict] : 'No verdict yet'}
        </Status>
      </div>
      <dl className="anomaly-figures">
        <div>
          <dt>Actual</dt>
          <dd className="num">{formatMoney(a.actual, a.currency)}</dd>
        </div>
        <div>
          <dt>Expected</dt>
          <dd className="num" title={`Expected band ${formatMoney(a.bandLow, a.currency)}–${formatMoney(a.bandHigh, a.currency)}`}>
            {formatMoney(a.expected, a.currency)}
          </dd>
        </div>
        <div>
          <dt>Impact</dt>
          <dd className="num text-bad">{formatSignedMoney(a.impact, a.currency)}</dd>
        </div>
        <div>
          <dt>Score</dt>
          <dd className="num">{a.score.toFixed(1)} σ</dd>
        </div>
      </dl>
      {a.drivers.length > 0 && (
        <p className="anomaly-line">
          <span className="anomaly-key">Drivers</span>
          {a.drivers.map((d, i) => (
            <span key={`${d.dimension}:${d.key}`}>
              {i > 0 && '; '}
              {d.dimension} <span className="mono">{d.key}</span> ({formatSignedMoney(d.impact, a.currency)})
            </span>
          ))}
        </p>
      )}
      <p className="anomaly-line">
        <span className="anomaly-key">Releases near it</span>
        {a.releases.length === 0 ? (
          <span className="muted">none within a few days</span>
        ) : (
          a.releases.map((r, i) => (
            <span key={`${r.at}:${r.kind}:${r.version ?? ''}`}>
              {i > 0 && '; '}
              {r.version ? <a href={modelHref(a.model, r.version)}>{`${r.kind} v${r.version}`}</a> : r.kind} on {r.at.slice(0, 10)}
              {r.detail ? <span className="muted"> ({r.detail})</span> : null}
            </span>
          ))
        )}
      </p>
      <div className="anomaly-actions" role="group" aria-label={`Verdict on the ${a.day} anomaly of ${a.model}`}>
        <span className="muted anomaly-ask">Was it…</span>
        {VERDICTS.map((v) => (
          <button
            key={v}
            type="button"
            className={`btn ${a.verdict === v ? 'btn-primary' : 'btn-secondary'} btn-small`}
            aria-pressed={a.verdict === v}
            disabled={busy !== null}
            onClick={() => void give(v)}
            data-testid={`anomaly-verdict-${v}`}
          >
            {busy === v ? 'Saving…' : VERDICT_LABEL[v]}
          </button>
        ))}
        {a.verdictBy && a.verdictAt && (
          <span className="muted anomaly-by">
            {VERDICT_LABEL[a.verdict ?? 'expected']} by {a.verdictBy}, {formatTimestamp(a.verdictAt)}
          </span>
        )}
      </div>
      {error && <ErrorBanner error={error} context="The verdict was not saved" onDismiss={() => setError(undefined)} />}
    </li>
  );
}

/** Anomalies with the method that found them and a verdict for each (as AWS's anomaly feedback has it). */
export function AnomaliesPanel({ anomalies, method, title = 'Spend anomalies in scope', limit }: { anomalies: AnomalyView[]; method: string; title?: string; limit?: number }) {
  const [items, setItems] = useState(anomalies);
  const [showAll, setShowAll] = useState(false);
  useEffect(() => setItems(anomalies), [anomalies]);
  const open = items.filter((a) => a.verdict === null || a.verdict === 'unexpected').length;
  const shown = limit && !showAll ? items.slice(0, limit) : items;

  return (
    <section className="panel" aria-labelledby="anomalies-h" data-testid="anomalies-panel">
      <h2 id="anomalies-h" className="panel-title">
        <span>{title}</span>
        <span className="panel-title-note muted">
          {items.length === 0 ? 'none' : `${items.length} found, ${open} open`}
        </span>
      </h2>
      <p className="muted anomaly-method" data-testid="anomaly-method">
        {method}
      </p>
      {items.length === 0 ? (
        <p className="no-margin">
          <Status tone="ok">No day left its expected band.</Status>
        </p>
      ) : (
        <ul className="anomaly-list">
          {shown.map((a) => (
            <AnomalyItem key={a.id} anomaly={a} onChange={(next) => setItems((list) => list.map((x) => (x.id === next.id ? next : x)))} />
          ))}
        </ul>
      )}
      {limit && items.length > limit && (
        <button type="button" className="btn btn-ghost" onClick={() => setShowAll((v) => !v)} aria-expanded={showAll}>
          {showAll ? 'Show fewer' : `Show all ${items.length}`}
        </button>
      )}
    </section>
  );
}

/** #/budgets/anomalies: every spend anomaly found, newest first. */
export function AnomaliesView() {
  const q = useQuery('anomalies/list', {});
  return (
    <div className="page" data-testid="anomalies-view">
      <PageHeader title="Spend anomalies" subtitle="Which days cost more than they should have, and why?" actions={<a className="btn btn-ghost" href={BUDGETS_HREF}>Back to Budgets</a>} />
      {q.error && <ErrorBanner error={q.error} context="Could not load anomalies" onRetry={q.reload} />}
      {!q.data && q.loading && <Loading label="Scanning spend for anomalies…" />}
      {q.data && q.data.anomalies.length === 0 && (
        <EmptyState title="No anomalies" testId="anomalies-empty">
          <p>{q.data.method}</p>
          <p>
            Anomalies are found in imported spend: see <a href="#/spend">Spend</a>.
          </p>
        </EmptyState>
      )}
      {q.data && q.data.anomalies.length > 0 && <AnomaliesPanel anomalies={q.data.anomalies} method={q.data.method} title="All spend anomalies" />}
    </div>
  );
}
