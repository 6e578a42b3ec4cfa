import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { ChannelOutput, EventPayload, SpendSummary } from '../../../shared/ipc/contract';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, Loading, PageHeader, Status } from '../components/ui';
import { modelHref } from '../router';
import { spendChartData } from './chartData';
import { formatMoney, formatPercent, formatSignedMoney } from './format';
import { addDays, daySpan, weekOverWeek } from './movers';
import { LineItems } from './LineItems';
import { AttributionRules } from './AttributionRules';

const SpendChart = lazy(() => import('./SpendChart'));

export type SpendGroupBy = SpendSummary['by'];
export const GROUPINGS: { value: SpendGroupBy; label: string }[] = [
  { value: 'model', label: 'Model' },
  { value: 'team', label: 'Team' },
  { value: 'service', label: 'Service' },
  { value: 'provider', label: 'Provider' },
  { value: 'account', label: 'Account' },
];
const UNATTRIBUTED = 'unattributed';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type SpendImportOutput = ChannelOutput<'spend/import'>;
type ImportState =
  | { phase: 'idle' }
  | { phase: 'picking' }
  | { phase: 'importing'; paths: string[]; progress: EventPayload<'spend/importProgress'> | null }
  | { phase: 'finished'; result: SpendImportOutput; paths: string[]; skipped: boolean }
  | { phase: 'failed'; error: IpcErrorBody };

/** The default range: the last 30 days of the coverage, or all of it when shorter. */
export function defaultRange(coverage: SpendSummary['coverage']): { from: string; to: string } | null {
  if (!coverage.firstDay || !coverage.lastDay) return null;
  const from = addDays(coverage.lastDay, -29);
  return { from: from < coverage.firstDay ? coverage.firstDay : from, to: coverage.lastDay };
}

function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** "Source: FOCUS files (N) imported <date>", the latest import date. */
export function sourceLine(coverage: SpendSummary['coverage']): string {
  const n = coverage.files.length;
  const latest = coverage.files.map((f) => f.importedAt).sort().pop();
  return `Source: FOCUS files (${n}) imported ${latest ? latest.slice(0, 10) : 'never'}`;
}

function SpendImportPanel({ state, onDismiss, onRetry, onSkipBadRows }: { state: ImportState; onDismiss: () => void; onRetry: () => void; onSkipBadRows: () => void }) {
  if (state.phase === 'idle' || state.phase === 'picking') return null;
  if (state.phase === 'importing') {
    const p = state.progress;
    return (
      <section className="panel import-progress" data-testid="import-progress" aria-label="Import progress">
        <div className="progress-row">
          {p && p.totalBytes > 0 ? <progress aria-label="Import progress" max={p.totalBytes} value={p.bytesRead} /> : <progress aria-label="Import progress" />}
          <span className="progress-count num" aria-live="polite" data-testid="spend-import-count">
            {p
              ? `File ${p.fileIndex + 1} of ${p.files}: ${p.rows.toLocaleString('en-US')} rows, ${(p.bytesRead / 1e6).toFixed(1)} of ${(p.totalBytes / 1e6).toFixed(1)} MB`
              : `Reading ${state.paths.length} file${state.paths.length === 1 ? '' : 's'}…`}
          </span>
          <button type="button" className="btn btn-secondary" data-testid="spend-import-cancel" onClick={() => void invoke('spend/cancelImport', {})}>
            Cancel
          </button>
        </div>
      </section>
    );
  }
  if (state.phase === 'failed') return <ErrorBanner error={state.error} context="Import failed" onRetry={onRetry} onDismiss={onDismiss} />;

  const files = state.result.files;
  const refused = files.filter((f) => f.rows === 0 && f.rejected.length > 0);
  const problems = files.flatMap((f) => f.rejected.map((r) => ({ ...r, file: f.file, refused: f.rows === 0 })));
  const rowLevel = refused.some((f) => f.rejected.some((r) => r.line !== null && r.column !== null));
  return (
    <section className="panel import-result" aria-label="Import result">
      <div className="import-summary" data-testid="import-result">
        {refused.length === 0 ? (
          <Status tone="ok">
            Imported {files.length} file{files.length === 1 ? '' : 's'}
          </Status>
        ) : (
          <Status tone="bad">
            Import rejected: {refused.length} file{refused.length === 1 ? '' : 's'} could not be read
          </Status>
        )}
        {!state.skipped && rowLevel && (
          <button type="button" className="btn btn-secondary" onClick={onSkipBadRows} data-testid="spend-import-skip-bad-rows">
            Import again, skipping bad rows
          </button>
        )}
        <button type="button" className="btn btn-ghost" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <table className="data-table compact spend-import-files" data-testid="spend-import-files">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col">Totals</th>
          </tr>
        </thead>
        <tbody>
          {files.map((f, i) => (
            <tr key={i}>
              <td className="mono wrap" title={f.file}>
                {fileName(f.file)}
              </td>
              <td className="num">{f.rows.toLocaleString('en-US')}</td>
              <td>
                {f.rows === 0 && f.rejected.length > 0
                  ? 'Rejected: nothing written'
                  : f.totals.map((t) => `${formatMoney(t.effectiveCost, t.currency)} effective (${formatMoney(t.billedCost, t.currency)} billed)`).join('; ') || '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {problems.length > 0 && (
        <div className="import-errors" role={refused.length > 0 ? 'alert' : undefined} data-testid="import-errors">
          <p className="import-errors-lead">
            {refused.length > 0 ? (
              <>
                <strong>Nothing from a rejected file was written.</strong> Fix the rows below and import again{rowLevel && !state.skipped ? ', or import skipping the bad rows' : ''}.
              </>
            ) : (
              <strong>These rows were skipped; the rest of each file was imported.</strong>
            )}
          </p>
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col" className="num">
                  Line
                </th>
                <th scope="col">Column</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((r, i) => (
                <tr key={i} data-testid="import-error">
                  <td className="mono wrap" title={r.file}>
                    {fileName(r.file)}
                  </td>
                  <td className="num mono">{r.line ?? '—'}</td>
                  <td className="mono nowrap">{r.column ?? '—'}</td>
                  <td className="wrap">{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function SpendEmpty({ onImport, busy }: { onImport: () => void; busy: boolean }) {
  return (
    <EmptyState
      title="No spend data yet"
      testId="spend-empty"
      actions={
        <button type="button" className="btn btn-primary" onClick={onImport} disabled={busy}>
          Import FOCUS billing file…
        </button>
      }
    >
      <p>
        Docket reads cost exports in the FinOps <strong>FOCUS</strong> format (CSV, optionally gzipped). Every major cloud can write one:
      </p>
      <ul>
        <li>
          <strong>AWS</strong>: Billing and Cost Management → Data Exports → create a “FOCUS 1.0” export to S3.
        </li>
        <li>
          <strong>Azure</strong>: Cost Management → Exports → “Cost and usage (FOCUS)”.
        </li>
        <li>
          <strong>Google Cloud</strong>: the FOCUS BigQuery view over the billing export, saved as CSV.
        </li>
        <li>
          <strong>Oracle Cloud (OCI)</strong>: the FOCUS cost reports in the tenancy’s usage-report bucket.
        </li>
      </ul>
      <p>
        Import a file with the button below, or from a terminal with <code>docket import focus &lt;file&gt;</code>. Tag resources with <code>ml:model</code> and <code>team</code> to attribute
        spend to models and teams; untagged spend shows as “unattributed”.
      </p>
    </EmptyState>
  );
}

export function SpendView() {
  const [by, setBy] = useState<SpendGroupBy>('model');
  /** The group whose line items are shown, if any. */
  const [drill, setDrill] = useState<string | null>(null);
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [draft, setDraft] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const input = range ? { by, from: range.from, to: range.to } : { by };
  const summary = useQuery('spend/summary', input, `${by}|${range?.from ?? ''}|${range?.to ?? ''}`);
  const reloadSummary = summary.reload;
  const models = useQuery('models/list', {});
  const [importState, setImportState] = useState<ImportState>({ phase: 'idle' });

  const data = summary.data;
  const coverage = data?.coverage;

  // First load: once the coverage is known, default to its last 30 days.
  useEffect(() => {
    if (range || !coverage) return;
    const r = defaultRange(coverage);
    if (r) {
      setRange(r);
      setDraft(r);
    }
  }, [coverage, range]);

  const runImport = useCallback(
    async (given: string[] | null, skipBadRows: boolean) => {
      let paths = given;
      if (!paths) {
        setImportState({ phase: 'picking' });
        const picked = await invoke('dialog/pickSpendPaths', {});
        if (!picked.ok) {
          setImportState({ phase: 'failed', error: picked.error });
          return;
        }
        paths = picked.value.paths;
      }
      if (paths.length === 0) {
        setImportState({ phase: 'idle' });
        return;
      }
      setImportState({ phase: 'importing', paths, progress: null });
      const unsubscribe = window.docket.on('spend/importProgress', (progress) =>
        setImportState((st) => (st.phase === 'importing' ? { ...st, progress } : st)),
      );
      const result = await invoke('spend/import', skipBadRows ? { paths, skipBadRows: true } : { paths });
      unsubscribe();
      if (!result.ok) {
        setImportState({ phase: 'failed', error: result.error });
        return;
      }
      setImportState({ phase: 'finished', result: result.value, paths, skipped: skipBadRows });
      setRange(null); // re-derive the default range from the new coverage
      reloadSummary();
    },
    [reloadSummary],
  );
  const busy = importState.phase === 'picking' || importState.phase === 'importing';
  const startImport = useCallback(() => void runImport(null, false), [runImport]);

  const applyDraft = (next: { from: string; to: string }) => {
    setDraft(next);
    if (DAY.test(next.from) && DAY.test(next.to) && next.from <= next.to) setRange(next);
  };
  const draftInvalid = draft.from !== '' && draft.to !== '' && (!DAY.test(draft.from) || !DAY.test(draft.to) || draft.from > draft.to);

  const totals = useMemo(() => {
    const map = new Map<string, { currency: string; billed: number; effective: number; unattributed: number }>();
    for (const r of data?.rows ?? []) {
      const t = map.get(r.currency) ?? { currency: r.currency, billed: 0, effective: 0, unattributed: 0 };
      t.billed += r.billedCost;
      t.effective += r.effectiveCost;
      if (r.key === UNATTRIBUTED) t.unattributed += r.effectiveCost;
      map.set(r.currency, t);
    }
    return [...map.values()].sort((a, b) => b.effective - a.effective || a.currency.localeCompare(b.currency));
  }, [data]);

  const rangeFrom = data?.from ?? coverage?.firstDay ?? null;
  const rangeTo = data?.to ?? coverage?.lastDay ?? null;
  const chart = useMemo(() => (data ? spendChartData(data, rangeFrom, rangeTo) : null), [data, rangeFrom, rangeTo]);
  const movers = useMemo(() => (data && rangeTo ? weekOverWeek(data.daily, rangeTo).slice(0, 8) : []), [data, rangeTo]);
  const span = daySpan(rangeFrom, rangeTo);
  const modelNames = useMemo(() => new Set((models.data ?? []).map((m) => m.name)), [models.data]);
  const groupLabel = GROUPINGS.find((g) => g.value === by)?.label.toLowerCase() ?? by;
  const showUnattributed = by === 'model' || by === 'team';
  const source = coverage ? sourceLine(coverage) : '';
  const hasSpend = !!coverage && coverage.files.length > 0 && coverage.firstDay !== null;

  const importButton = (
    <button type="button" className="btn btn-primary" onClick={startImport} disabled={busy} data-testid="spend-import-button">
      {busy ? 'Importing…' : 'Import FOCUS billing file…'}
    </button>
  );

  return (
    <div className="page" data-testid="spend-view">
      <PageHeader title="Spend" subtitle="Where does the money go, and is it growing?" actions={importButton} />
      <SpendImportPanel
        state={importState}
        onDismiss={() => setImportState({ phase: 'idle' })}
        onRetry={startImport}
        onSkipBadRows={() => {
          if (importState.phase === 'finished') void runImport(importState.paths, true);
        }}
      />
      {summary.error && <ErrorBanner error={summary.error} context="Could not load spend" onRetry={summary.reload} />}
      {!data && summary.loading && <Loading label="Loading spend…" />}
      {data && !hasSpend && <SpendEmpty onImport={startImport} busy={busy} />}
      {data && hasSpend && (
        <>
          <div className="toolbar spend-controls" role="group" aria-label="Spend filters">
            <label className="field-inline">
              Group by
              <select aria-label="Group spend by" data-testid="spend-group-by" value={by} onChange={(e) => {
                setBy(e.target.value as SpendGroupBy);
                setDrill(null);
              }}>
                {GROUPINGS.map((g) => (
                  <option key={g.value} value={g.value}>
                    {g.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="field-inline">
              From
              <input
                type="date"
                className="date-input"
                aria-label="From"
                data-testid="spend-from"
                value={draft.from}
                min={coverage?.firstDay ?? undefined}
                max={coverage?.lastDay ?? undefined}
                aria-invalid={draftInvalid || undefined}
                onChange={(e) => applyDraft({ ...draft, from: e.target.value })}
              />
            </label>
            <label className="field-inline">
              To
              <input
                type="date"
                className="date-input"
                aria-label="To"
                data-testid="spend-to"
                value={draft.to}
                min={coverage?.firstDay ?? undefined}
                max={coverage?.lastDay ?? undefined}
                aria-invalid={draftInvalid || undefined}
                onChange={(e) => applyDraft({ ...draft, to: e.target.value })}
              />
            </label>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                if (coverage?.firstDay && coverage.lastDay) applyDraft({ from: coverage.firstDay, to: coverage.lastDay });
              }}
            >
              All data
            </button>
            <span className="muted spend-coverage">
              Data covers {coverage?.firstDay} to {coverage?.lastDay}
            </span>
            {summary.loading && <span className="spinner" role="status" aria-label="Updating" />}
          </div>
          {draftInvalid && (
            <p className="text-bad" role="alert">
              “From” must be on or before “To”.
            </p>
          )}

          <section className="stat-grid spend-totals" data-testid="spend-totals" aria-label="Totals">
            {totals.length === 0 && <p className="muted">No spend between {rangeFrom} and {rangeTo}.</p>}
            {totals.map((t) => (
              <div className="stat spend-total" key={t.currency} data-testid={`spend-total-${t.currency}`}>
                <span className="stat-label">
                  {t.currency} · {rangeFrom} to {rangeTo}
                </span>
                <dl className="spend-total-grid">
                  <dt>Effective</dt>
                  <dd className="num spend-total-effective">{formatMoney(t.effective, t.currency)}</dd>
                  <dt>Billed</dt>
                  <dd className="num">{formatMoney(t.billed, t.currency)}</dd>
                  {showUnattributed && (
                    <>
                      <dt>Unattributed</dt>
                      <dd className="num" data-testid={`spend-unattributed-${t.currency}`}>
                        {t.effective !== 0 ? formatPercent(t.unattributed / t.effective) : '—'} <span className="muted">of effective</span>
                      </dd>
                    </>
                  )}
                </dl>
                {showUnattributed && <span className="stat-note">Unattributed: spend without a {by === 'model' ? 'ml:model' : 'team'} tag.</span>}
              </div>
            ))}
          </section>

          {chart && chart.series.length > 0 && (
            <Suspense fallback={<Loading label="Loading chart…" />}>
              <SpendChart data={chart} source={source} groupLabel={groupLabel} />
            </Suspense>
          )}

          <div className="spend-grid">
            <section className="panel" aria-labelledby="spend-movers-h" data-testid="spend-movers">
              <h2 id="spend-movers-h" className="panel-title">
                Top movers, week over week
                <span className="panel-title-note muted">
                  {rangeTo ? `${addDays(rangeTo, -6)} to ${rangeTo} vs the 7 days before` : ''}
                </span>
              </h2>
              {span < 14 && <p className="field-note">The range has {span} day{span === 1 ? '' : 's'}; a full comparison needs 14. Missing days count as no spend.</p>}
              {movers.length === 0 ? (
                <p className="muted">No spend in the last two weeks of the range.</p>
              ) : (
                <table className="data-table compact">
                  <thead>
                    <tr>
                      <th scope="col">{GROUPINGS.find((g) => g.value === by)?.label}</th>
                      <th scope="col" className="num">
                        Previous 7 days
                      </th>
                      <th scope="col" className="num">
                        Last 7 days
                      </th>
                      <th scope="col" className="num">
                        Change
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {movers.map((m) => (
                      <tr key={`${m.currency}:${m.key}`} data-testid="spend-mover">
                        <td className="wrap">{m.key}</td>
                        <td className="num">{formatMoney(m.previous, m.currency)}</td>
                        <td className="num">{formatMoney(m.current, m.currency)}</td>
                        <td className={`num nowrap ${m.delta > 0 ? 'delta-up' : m.delta < 0 ? 'delta-down' : ''}`}>
                          <span aria-hidden="true">{m.delta > 0 ? '▲ ' : m.delta < 0 ? '▼ ' : ''}</span>
                          {formatSignedMoney(m.delta, m.currency)} <span className="muted">({m.pct === null ? 'new' : formatPercent(m.pct, true)})</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>

            <section className="panel" aria-labelledby="spend-table-h">
              <h2 id="spend-table-h" className="panel-title">
                Spend by {groupLabel}
                <span className="panel-title-note muted">{data.rows.length} rows</span>
              </h2>
              <div className="table-scroll spend-table-scroll">
                <table className="data-table compact sticky" data-testid="spend-table">
                  <thead>
                    <tr>
                      <th scope="col">{GROUPINGS.find((g) => g.value === by)?.label}</th>
                      <th scope="col">Currency</th>
                      <th scope="col" className="num">
                        Billed
                      </th>
                      <th scope="col" className="num">
                        Effective
                      </th>
                      <th scope="col" className="num">
                        Share
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.rows.map((r) => {
                      const total = totals.find((t) => t.currency === r.currency)?.effective ?? 0;
                      const linked = by === 'model' && modelNames.has(r.key);
                      return (
                        <tr
                          key={`${r.currency}:${r.key}`}
                          data-testid="spend-row"
                          className="spend-row-link"
                          title="Show the line items behind this figure"
                          onClick={() => setDrill(r.key)}
                        >
                          <td className="wrap">
                            {linked ? (
                              <a href={modelHref(r.key)} onClick={(e) => e.stopPropagation()}>
                                {r.key}
                              </a>
                            ) : r.key === UNATTRIBUTED ? (
                              <em>{r.key}</em>
                            ) : (
                              r.key
                            )}
                          </td>
                          <td className="mono">{r.currency}</td>
                          <td className="num">{formatMoney(r.billedCost, r.currency)}</td>
                          <td className="num">{formatMoney(r.effectiveCost, r.currency)}</td>
                          <td className="num">{total !== 0 ? formatPercent(r.effectiveCost / total) : '—'}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <p className="field-note">Click a row for the line items behind it{by === 'model' ? '; model names link to their pages' : ''}.</p>
            </section>
            <AttributionRules onChanged={reloadSummary} />
            {drill !== null && <LineItems key={`${by}:${drill}:${rangeFrom}:${rangeTo}`} by={by} groupKey={drill} from={rangeFrom ?? undefined} to={rangeTo ?? undefined} onClose={() => setDrill(null)} />}
          </div>
        </>
      )}
    </div>
  );
}
