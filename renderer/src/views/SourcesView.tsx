import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import type { SyncRunView } from '../../../shared/domain/lineage';
import type { ChannelOutput, EventPayload } from '../../../shared/ipc/contract';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, Loading, PageHeader, Status, formatTimestamp, type Tone } from '../components/ui';
import { ScrollRegion } from '../components/ScrollRegion';

type TestResult = ChannelOutput<'mlflow/test'>;
type SyncResult = ChannelOutput<'mlflow/sync'>;
type Progress = EventPayload<'mlflow/syncProgress'>;
type SourcesList = ChannelOutput<'sources/list'>;

const PHASE_LABELS: Record<Progress['phase'], string> = { models: 'Reading registered models', versions: 'Reading model versions', runs: 'Reading runs' };
const PHASES: Progress['phase'][] = ['models', 'versions', 'runs'];

const RUN_STATUS: Record<SyncRunView['status'], { tone: Tone; label: string }> = {
  ok: { tone: 'ok', label: 'ok' },
  failed: { tone: 'bad', label: 'failed' },
  running: { tone: 'info', label: 'running' },
};

function statusTone(status: string | null): Tone {
  if (status === 'ok') return 'ok';
  if (status === 'failed') return 'bad';
  if (status === 'running') return 'info';
  return 'neutral';
}

/** The finish time; the date is left out when it is the start's (UTC) date. */
export function formatFinished(startedAt: string, finishedAt: string): string {
  const full = formatTimestamp(finishedAt);
  return full.slice(0, 10) === formatTimestamp(startedAt).slice(0, 10) ? full.slice(11) : full;
}

/** "2026-01-29 00:00:00 UTC" on two lines: the date, then the time. */
function Stamp({ text }: { text: string }) {
  if (text.length < 20) return <>{text}</>;
  return (
    <>
      {text.slice(0, 10)}
      <span className="cell-sub">{text.slice(11)}</span>
    </>
  );
}

function sumRequests(requests: Record<string, number>): number {
  return Object.values(requests).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
}

function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

type SyncState = { phase: 'idle' } | { phase: 'syncing'; progress: Progress | null } | { phase: 'done'; result: SyncResult };

export function SourcesView() {
  const list = useQuery('sources/list', {});
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [test, setTest] = useState<TestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const [sync, setSync] = useState<SyncState>({ phase: 'idle' });
  const [error, setError] = useState<{ context: string; error: IpcErrorBody } | null>(null);
  const unsubscribe = useRef<(() => void) | undefined>(undefined);
  useEffect(() => () => unsubscribe.current?.(), []);

  const input = () => (token.trim() ? { url: url.trim(), token } : { url: url.trim() });
  const busy = testing || sync.phase === 'syncing';

  const onTest = async () => {
    setTesting(true);
    setTest(null);
    setError(null);
    const r = await invoke('mlflow/test', input());
    setTesting(false);
    if (!r.ok) setError({ context: 'Connection test failed', error: r.error });
    else setTest(r.value);
  };

  const onSync = async (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    setSync({ phase: 'syncing', progress: null });
    try {
      unsubscribe.current = window.docket.on('mlflow/syncProgress', (p) => setSync((s) => (s.phase === 'syncing' ? { phase: 'syncing', progress: p } : s)));
    } catch {
      // No progress events: the indeterminate bar stays until the sync ends.
    }
    const r = await invoke('mlflow/sync', input());
    unsubscribe.current?.();
    unsubscribe.current = undefined;
    if (!r.ok) {
      setSync({ phase: 'idle' });
      setError({ context: 'Sync failed', error: r.error });
    } else {
      setSync({ phase: 'done', result: r.value });
    }
    list.reload();
  };

  return (
    <div className="page" data-testid="sources-view">
      <PageHeader title="Sources" subtitle="Where does Docket read from, and when did it last sync?" />

      <section className="panel source-form-panel" aria-labelledby="mlflow-h">
        <h2 id="mlflow-h" className="panel-title">
          MLflow model registry
        </h2>
        <form className="source-form" onSubmit={(e) => void onSync(e)}>
          <label className="field">
            <span className="field-label">Tracking URL</span>
            <input
              type="url"
              className="input"
              required
              placeholder="https://mlflow.example.com"
              value={url}
              onChange={(e) => {
                setUrl(e.target.value);
                setTest(null);
              }}
              aria-label="MLflow tracking URL"
              data-testid="mlflow-url"
              autoComplete="url"
              spellCheck={false}
            />
          </label>
          <label className="field">
            <span className="field-label">
              Access token <span className="muted">(optional)</span>
            </span>
            <input
              type="password"
              className="input"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              aria-label="Access token"
              aria-describedby="token-note"
              data-testid="mlflow-token"
              autoComplete="off"
              spellCheck={false}
            />
          </label>
          <div className="source-form-actions">
            <button type="button" className="btn btn-secondary" onClick={() => void onTest()} disabled={busy || url.trim() === ''} data-testid="mlflow-test">
              {testing ? 'Testing…' : 'Test connection'}
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy || url.trim() === ''} data-testid="mlflow-sync">
              {sync.phase === 'syncing' ? 'Syncing…' : 'Sync now'}
            </button>
          </div>
        </form>
        <p id="token-note" className="field-note">
The token is kept in memory for this sync only and never written to the database. Docket reads the registry; it never
          writes to MLflow.
        </p>
        {test && (
          <p className="test-result" data-testid="mlflow-test-result" role="status">
            <Status tone={test.ok ? 'ok' : 'bad'}>{test.ok ? 'Connected' : 'Not connected'}</Status> <span>{test.message}</span>
            {test.ok && test.models !== null && (
              <span className="muted">
                {' '}
                · {test.models.toLocaleString('en-US')} registered model{test.models === 1 ? '' : 's'}
              </span>
            )}
          </p>
        )}
        {error && <ErrorBanner error={error.error} context={error.context} onDismiss={() => setError(null)} />}
        {sync.phase === 'syncing' && <SyncProgress progress={sync.progress} />}
        {sync.phase === 'done' && <SyncSummary result={sync.result} onDismiss={() => setSync({ phase: 'idle' })} />}
      </section>

      {list.error && <ErrorBanner error={list.error} context="Could not load sources" onRetry={list.reload} />}
      {!list.data && list.loading && <Loading label="Loading sources…" />}
      {list.data && <SourcesList data={list.data} reload={list.reload} />}
    </div>
  );
}

function SyncProgress({ progress }: { progress: Progress | null }) {
  const known = progress !== null && progress.total !== null && progress.total > 0;
  const phaseIndex = progress ? PHASES.indexOf(progress.phase) : -1;
  const text = !progress
    ? 'Connecting…'
    : `${PHASE_LABELS[progress.phase]}: ${progress.done.toLocaleString('en-US')}${progress.total !== null ? ` / ${progress.total.toLocaleString('en-US')}` : ''}`;
  return (
    <section className="sync-progress" data-testid="sync-progress" aria-label="Sync progress">
      <ol className="sync-phases" aria-label="Sync phases">
        {PHASES.map((p, i) => (
          <li key={p} className={i < phaseIndex ? 'done' : i === phaseIndex ? 'current' : ''} aria-current={i === phaseIndex ? 'step' : undefined}>
            <span aria-hidden="true">{i < phaseIndex ? '✓' : i === phaseIndex ? '●' : '○'}</span> {p}
            {i < PHASES.length - 1 && (
              <span aria-hidden="true" className="phase-sep">
                ›
              </span>
            )}
          </li>
        ))}
      </ol>
      <div className="progress-row">
        {known ? <progress max={progress.total ?? 0} value={progress.done} aria-label="Sync progress" /> : <progress aria-label="Sync progress" />}
        <span className="progress-count num" data-testid="sync-progress-count" aria-live="polite">
          {text}
        </span>
      </div>
    </section>
  );
}

function SyncSummary({ result, onDismiss }: { result: SyncResult; onDismiss: () => void }) {
  const requests = sumRequests(result.requests);
  const breakdown = Object.entries(result.requests)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return (
    <section className="sync-summary" data-testid="sync-result" aria-label="Sync result">
      <div className="import-summary">
        <Status tone={result.warnings.length ? 'warn' : 'ok'}>
          Synced {result.url} {result.warnings.length ? `with ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}` : ''}
        </Status>
        <span className="muted">Sync run #{result.syncRunId}</span>
        <button type="button" className="btn btn-ghost" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <dl className="sync-counts">
        <div>
          <dt>Models</dt>
          <dd className="num-inline">{count(result.models)}</dd>
        </div>
        <div>
          <dt>Versions</dt>
          <dd className="num-inline">{count(result.versions)}</dd>
        </div>
        <div>
          <dt>Added</dt>
          <dd className="num-inline">
            {count(result.modelsAdded + result.versionsAdded)}{' '}
            <span className="muted count-sub">
              ({count(result.modelsAdded)} model{result.modelsAdded === 1 ? '' : 's'}, {count(result.versionsAdded)} version{result.versionsAdded === 1 ? '' : 's'})
            </span>
          </dd>
        </div>
        <div>
          <dt>Changed</dt>
          <dd className="num-inline">{count(result.changed)}</dd>
        </div>
        <div>
          <dt>Unchanged</dt>
          <dd className="num-inline">{count(result.unchanged)}</dd>
        </div>
        <div>
          <dt>History events</dt>
          <dd className="num-inline">{count(result.events)}</dd>
        </div>
        <div>
          <dt>Requests</dt>
          <dd className="num-inline" title={breakdown}>
            {count(requests)}
          </dd>
        </div>
      </dl>
      {result.warnings.length > 0 && (
        <ul className="sync-warnings" data-testid="sync-warnings">
          {result.warnings.map((w, i) => (
            <li key={i} className="wrap">
              {w}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SourcesList({ data, reload }: { data: SourcesList; reload: () => void }) {
  return (
    <>
      <section className="panel" aria-labelledby="sources-h">
        <h2 id="sources-h" className="panel-title">
          Connected sources <span className="num muted">{data.sources.length}</span>
        </h2>
        {data.sources.length === 0 ? (
          <EmptyState title="No connected sources yet" testId="sources-empty">
            <p>Enter an MLflow tracking URL above and sync: the registry’s models, versions, aliases, stages and runs become visible here and in Models.</p>
            <p>
              Cards still come from files: <strong>Import model cards…</strong> in <a href="#/models">Models</a> or <code>docket import cards &lt;path&gt;</code>.
            </p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="data-table" data-testid="sources-table">
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">URL</th>
                  <th scope="col">Last sync</th>
                  <th scope="col">Status</th>
                  <th scope="col">Sync by itself</th>
                </tr>
              </thead>
              <tbody>
                {data.sources.map((s) => (
                  <tr key={s.id} data-testid="source-row">
                    <td>{s.kind}</td>
                    <td className="mono wrap">{s.url}</td>
                    <td className="nowrap">{s.lastSyncAt ? formatTimestamp(s.lastSyncAt) : <span className="muted">never</span>}</td>
                    <td>{s.lastStatus ? <Status tone={statusTone(s.lastStatus)}>{s.lastStatus}</Status> : <span className="muted">—</span>}</td>
                    <td>
                      <ScheduleSelect url={s.url} everyMinutes={s.scheduleMinutes} onChanged={reload} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="runs-h">
        <h2 id="runs-h" className="panel-title">
          Sync and import runs <span className="num muted">{data.runs.length}</span>
        </h2>
        {data.runs.length === 0 ? (
          <p className="muted no-margin">No sync or import has run yet.</p>
        ) : (
          <ScrollRegion className="table-wrap table-scroll" labelledBy="runs-h">
            <table className="data-table compact sticky sync-runs-table" data-testid="sync-runs">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">Kind</th>
                  <th scope="col">Source</th>
                  <th scope="col">Started</th>
                  <th scope="col">Finished</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Added
                  </th>
                  <th scope="col" className="num">
                    Changed
                  </th>
                  <th scope="col" className="num">
                    Unchanged
                  </th>
                  <th scope="col" className="num">
                    Rejected
                  </th>
                  <th scope="col" className="num">
                    Requests
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.runs.map((r) => {
                  const st = RUN_STATUS[r.status] ?? { tone: 'neutral' as Tone, label: r.status };
                  return (
                    <Fragment key={r.id}>
                    <tr data-testid="sync-run-row" data-status={r.status} className={r.error ? 'has-error' : undefined}>
                      <td className="num">{r.id}</td>
                      <td className="nowrap">{r.kind}</td>
                      <td className="mono source-cell" title={r.source ?? undefined}>
                        {r.source ?? <span className="muted">—</span>}
                      </td>
                      <td className="nowrap" title={formatTimestamp(r.startedAt)}>
                        <Stamp text={formatTimestamp(r.startedAt)} />
                      </td>
                      <td className="nowrap" title={r.finishedAt ? formatTimestamp(r.finishedAt) : undefined}>
                        {r.finishedAt ? <Stamp text={formatFinished(r.startedAt, r.finishedAt)} /> : <span className="muted">—</span>}
                      </td>
                      <td>
                        <Status tone={st.tone}>{st.label}</Status>
                      </td>
                      <td className="num">{count(r.added)}</td>
                      <td className="num">{count(r.changed)}</td>
                      <td className="num">{count(r.unchanged)}</td>
                      <td className={`num ${r.rejected > 0 ? 'text-bad' : ''}`}>{count(r.rejected)}</td>
                      <td className="num">{count(r.requests)}</td>
                    </tr>
                    {r.error && (
                      <tr className="error-row" data-testid="sync-run-error">
                        <td />
                        <td colSpan={10} className="wrap">
                          <span className="error-label">Error</span> {r.error}
                        </td>
                      </tr>
                    )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
    </>
  );
}

const SCHEDULES: { label: string; minutes: number | null }[] = [
  { label: 'Off (only when asked)', minutes: null },
  { label: 'Every hour', minutes: 60 },
  { label: 'Every 6 hours', minutes: 360 },
  { label: 'Every day', minutes: 1440 },
];

/**
 * How often the app syncs a source by itself while it runs. Scheduled syncs read the token from
 * MLFLOW_TRACKING_TOKEN in the app's environment: a typed token is never kept.
 */
function ScheduleSelect({ url, everyMinutes, onChanged }: { url: string; everyMinutes: number | null; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const known = SCHEDULES.some((o) => o.minutes === everyMinutes);
  return (
    <>
      <select
        aria-label={`Sync ${url} by itself`}
        data-testid="source-schedule"
        value={everyMinutes === null ? '' : String(everyMinutes)}
        title="Scheduled syncs use the token in MLFLOW_TRACKING_TOKEN, if set"
        onChange={(e) => {
          const minutes = e.target.value === '' ? null : Number(e.target.value);
          void invoke('sources/schedule', { url, everyMinutes: minutes }).then((r) => {
            if (r.ok) {
              setError(null);
              onChanged();
            } else setError(r.error.message);
          });
        }}
      >
        {!known && everyMinutes !== null && <option value={String(everyMinutes)}>Every {everyMinutes} minutes</option>}
        {SCHEDULES.map((o) => (
          <option key={o.label} value={o.minutes === null ? '' : String(o.minutes)}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <p className="inline-notice" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
