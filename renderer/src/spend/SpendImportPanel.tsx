import type { ChannelOutput, EventPayload } from '../../../shared/ipc/contract';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke } from '../ipc';
import { EmptyState, ErrorBanner, Status } from '../components/ui';
import { formatMoney } from './format';

type SpendImportOutput = ChannelOutput<'spend/import'>;
export type ImportState =
  | { phase: 'idle' }
  | { phase: 'picking' }
  | { phase: 'importing'; paths: string[]; progress: EventPayload<'spend/importProgress'> | null }
  | { phase: 'finished'; result: SpendImportOutput; paths: string[]; skipped: boolean }
  | { phase: 'failed'; error: IpcErrorBody };

function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** A FOCUS import: progress with a cancel button, then per-file totals and any rejected rows. */
export function SpendImportPanel({ state, onDismiss, onRetry, onSkipBadRows }: { state: ImportState; onDismiss: () => void; onRetry: () => void; onSkipBadRows: () => void }) {
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

/** No spend yet: how to get a FOCUS export from each cloud, and the import button. */
export function SpendEmpty({ onImport, busy }: { onImport: () => void; busy: boolean }) {
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
