import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName, ImportResult } from '../../../shared/ipc/contract';
import type { IpcErrorBody, IpcResult } from '../../../shared/ipc/result';
import { ErrorBanner, Status } from './ui';

export type ImportState =
  | { phase: 'idle' }
  | { phase: 'picking' }
  | { phase: 'importing'; done: number; total: number; file: string; paths: number }
  | { phase: 'finished'; result: ImportResult }
  | { phase: 'failed'; error: IpcErrorBody };

/** How one kind of import picks its files and runs; everything else (state, panel) is shared. */
export interface ImportSource {
  pick: () => Promise<IpcResult<{ paths: string[] }>>;
  run: (paths: string[]) => Promise<IpcResult<ImportResult>>;
  /** Progress events, when the engine sends them for this import (file imports only). */
  progressEvent?: Extract<EventName, 'cards/importProgress'>;
}

/** Pick files, import them (with live progress when available), then report. `onImported` runs after every finished import. */
export function useImporter(source: ImportSource, onImported: () => void) {
  const [state, setState] = useState<ImportState>({ phase: 'idle' });
  const unsubscribe = useRef<(() => void) | undefined>(undefined);
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const onImportedRef = useRef(onImported);
  onImportedRef.current = onImported;

  useEffect(() => () => unsubscribe.current?.(), []);

  const start = useCallback(async () => {
    const src = sourceRef.current;
    setState({ phase: 'picking' });
    const picked = await src.pick();
    if (!picked.ok) {
      setState({ phase: 'failed', error: picked.error });
      return;
    }
    const paths = picked.value.paths;
    if (paths.length === 0) {
      setState({ phase: 'idle' });
      return;
    }
    setState({ phase: 'importing', done: 0, total: 0, file: '', paths: paths.length });
    if (src.progressEvent) {
      try {
        unsubscribe.current = window.docket.on(src.progressEvent, (p) => {
          setState((s) => (s.phase === 'importing' ? { ...s, done: p.done, total: p.total, file: p.file } : s));
        });
      } catch {
        // No progress events available: the indeterminate bar stays up until the import finishes.
      }
    }
    const result = await src.run(paths);
    unsubscribe.current?.();
    unsubscribe.current = undefined;
    if (!result.ok) {
      setState({ phase: 'failed', error: result.error });
      return;
    }
    setState({ phase: 'finished', result: result.value });
    onImportedRef.current();
  }, []);

  const dismiss = useCallback(() => setState({ phase: 'idle' }), []);
  const busy = state.phase === 'picking' || state.phase === 'importing';
  return { state, start, dismiss, busy };
}

function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Progress while importing, then the result: counts, or the rejected files and why (nothing was written). */
export function ImportResultPanel({ state, onDismiss, onRetry }: { state: ImportState; onDismiss: () => void; onRetry: () => void }) {
  if (state.phase === 'idle' || state.phase === 'picking') return null;

  if (state.phase === 'importing') {
    const known = state.total > 0;
    return (
      <section className="panel import-progress" data-testid="import-progress" aria-label="Import progress">
        <div className="progress-row">
          {known ? (
            <progress max={state.total} value={state.done} aria-label="Import progress" />
          ) : (
            <progress aria-label="Import progress" />
          )}
          <span className="progress-count num" data-testid="import-progress-count" aria-live="polite">
            {known ? `${state.done} / ${state.total} files` : `Preparing ${state.paths} path${state.paths === 1 ? '' : 's'}…`}
          </span>
        </div>
        {state.file && (
          <p className="progress-file" title={state.file}>
            Reading {fileName(state.file)}
          </p>
        )}
      </section>
    );
  }

  if (state.phase === 'failed') {
    return <ErrorBanner error={state.error} context="Import failed" onRetry={onRetry} onDismiss={onDismiss} />;
  }

  const { result } = state;
  const rejected = result.rejected;
  return (
    <section className="panel import-result" aria-label="Import result">
      <div className="import-summary" data-testid="import-result">
        {rejected.length === 0 ? (
          <Status tone="ok">
            Imported {result.imported}, unchanged {result.unchanged}
          </Status>
        ) : (
          <Status tone="bad">
            Import rejected: {rejected.length} file{rejected.length === 1 ? '' : 's'} could not be read
          </Status>
        )}
        {rejected.length > 0 && (
          <span className="muted">
            Imported {result.imported}, unchanged {result.unchanged}
          </span>
        )}
        {result.syncRunId !== null && <span className="muted">Sync run #{result.syncRunId}</span>}
        <button type="button" className="btn btn-ghost" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      {rejected.length > 0 && (
        <div className="import-errors" role="alert" data-testid="import-errors">
          <p className="import-errors-lead">
            <strong>Nothing from this import was written.</strong> Docket imports all files or none. Fix the{' '}
            {rejected.length === 1 ? 'file' : 'files'} below and import again.
          </p>
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Location</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {rejected.map((r, i) => (
                <tr key={i} data-testid="import-error">
                  <td className="mono wrap" title={r.file}>
                    {r.file}
                  </td>
                  <td className="mono nowrap">{r.location}</td>
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
