import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { Status } from '../components/ui';
import { signingKeys, trapTabFocus } from '../components/dialog';
import { fileName, formatBytes } from '../pack/format';

type Exported = ChannelOutput<'budgets/export'>;
type ReportFormat = 'csv' | 'xlsx' | 'pdf';

const FORMATS: { value: ReportFormat; label: string; note: string }[] = [
  { value: 'pdf', label: 'PDF', note: 'for reading and sending: charts, month-by-month plan, anomalies; signed with the workspace certificate' },
  { value: 'xlsx', label: 'XLSX', note: 'for spreadsheets: one sheet per table' },
  { value: 'csv', label: 'CSV', note: 'for tools: one row per budget and month' },
];

/**
 * Exports the signed FinOps budget report (every budget, as of now) in one format, with a manifest
 * signed by a reviewer key. The same UX as the audit pack's export: key, passphrase (kept only in the
 * input and cleared after each try), then the file written, its sha256, and a way to show it.
 */
export function ExportReportPanel({ onClose }: { onClose: () => void }) {
  const keys = useQuery('keys/list', {});
  const usable = useMemo(() => signingKeys(keys.data), [keys.data]);
  const [format, setFormat] = useState<ReportFormat>('pdf');
  const [keyId, setKeyId] = useState('');
  const [hasPassphrase, setHasPassphrase] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const [result, setResult] = useState<Exported | null>(null);
  const [showNote, setShowNote] = useState<string | null>(null);
  const passRef = useRef<HTMLInputElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const ids = useId();

  useEffect(() => {
    if (!keyId && usable.length > 0) setKeyId(usable[0]!.keyId);
  }, [usable, keyId]);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialogRef.current?.focus();
    return () => opener?.focus?.();
  }, []);

  useEffect(() => {
    if (error && !busy) passRef.current?.focus();
  }, [error, busy]);

  useEffect(() => {
    if (result) dialogRef.current?.focus();
  }, [result]);

  const close = useCallback(() => {
    if (passRef.current) passRef.current.value = '';
    if (!busy) onClose();
  }, [busy, onClose]);

  const exportReport = async () => {
    const passphrase = passRef.current?.value ?? '';
    if (!keyId || passphrase === '' || busy) return;
    setBusy(true);
    setError(undefined);
    const outcome = await invoke('budgets/export', { format, keyId, passphrase });
    if (passRef.current) passRef.current.value = '';
    setHasPassphrase(false);
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.error);
      return;
    }
    setResult(outcome.value);
  };

  const showInFolder = async (path: string) => {
    setShowNote(null);
    const shown = await invoke('shell/showItemInFolder', { path });
    if (!shown.ok) setShowNote(shown.error.message);
    else if (!shown.value.shown) setShowNote(`Could not show it: ${shown.value.reason ?? 'refused'}`);
    else setShowNote(`Shown in your file manager: ${fileName(path)}`);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
      return;
    }
    trapTabFocus(event, dialogRef.current);
  };

  const selectedKey = usable.find((k) => k.keyId === keyId);
  const whyDisabled = busy ? null : keys.data && usable.length === 0 ? 'No key in this workspace can sign.' : !hasPassphrase ? 'Type the key’s passphrase to export.' : null;

  return (
    <div className="dialog-backdrop">
      <div ref={dialogRef} className="dialog pack-dialog" role="dialog" aria-modal="true" aria-labelledby={`${ids}-title`} tabIndex={-1} onKeyDown={onKeyDown} data-testid="export-report-panel">
        <header className="dialog-header">
          <h2 id={`${ids}-title`} className="dialog-title">
            Export budget report
          </h2>
          <p className="muted no-margin">Every budget as of today: amount, actual, forecast with its interval, the month-by-month plan, thresholds and anomalies, with a manifest signed by your key.</p>
          <button type="button" className="btn btn-ghost dialog-close" onClick={close} aria-label="Close" disabled={busy}>
            ✕
          </button>
        </header>
        <div className="dialog-body">
          {!result && (
            <div className="dialog-fields">
              {keys.data && usable.length === 0 && (
                <div className="banner banner-error" role="alert" data-testid="report-no-key">
                  <div className="banner-body">
                    <p className="banner-title">No reviewer key in this workspace can sign the report.</p>
                    <p className="banner-meta">
                      Create one in <a href="#/settings">Settings</a> (Reviewer keys), then export again.
                    </p>
                  </div>
                </div>
              )}
              <fieldset className="budget-fieldset report-formats">
                <legend className="field-label">Format</legend>
                {FORMATS.map((f) => (
                  <label key={f.value} className="report-format">
                    <input type="radio" name={`${ids}-format`} value={f.value} checked={format === f.value} onChange={() => setFormat(f.value)} disabled={busy} data-testid={`report-format-${f.value}`} />
                    <span>
                      <strong>{f.label}</strong> <span className="muted">{f.note}</span>
                    </span>
                  </label>
                ))}
              </fieldset>
              <label className="field">
                <span className="field-label">Sign the manifest as</span>
                <select className="input" value={keyId} onChange={(e) => setKeyId(e.target.value)} disabled={usable.length === 0 || busy} data-testid="report-key">
                  {usable.map((k) => (
                    <option key={k.keyId} value={k.keyId}>
                      {k.name} ({k.role}) · {k.keyId.slice(0, 12)}
                    </option>
                  ))}
                </select>
              </label>
              <div className="field">
                <label className="field-label" htmlFor={`${ids}-passphrase`}>
                  Passphrase for {selectedKey ? `${selectedKey.name}’s key` : 'the key'}
                </label>
                <input
                  id={`${ids}-passphrase`}
                  ref={passRef}
                  className="input"
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => setHasPassphrase(e.target.value !== '')}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      void exportReport();
                    }
                  }}
                  disabled={usable.length === 0 || busy}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={`${ids}-pass-note${error ? ` ${ids}-error` : ''}`}
                  data-testid="report-passphrase"
                />
                <span id={`${ids}-pass-note`} className="field-note no-margin">
                  Unlocks the key for this export only; it is not stored.
                </span>
              </div>
            </div>
          )}

          {busy && (
            <p className="loading" role="status" aria-live="polite" data-testid="report-busy">
              <span className="spinner" aria-hidden="true" />
              Building and signing the report…
            </p>
          )}

          {error && (
            <p id={`${ids}-error`} className="dialog-error" role="alert" data-testid="report-error">
              <span aria-hidden="true">✕ </span>
              {error.message}
            </p>
          )}

          {result && (
            <section className="pack-result" aria-label="Exported report" data-testid="report-result">
              <p className="no-margin">
                <Status tone="ok">
                  Budget report written: {result.budgets} budget{result.budgets === 1 ? '' : 's'}, {formatBytes(result.bytes)}
                </Status>
              </p>
              <dl className="pack-paths">
                <dt>Report</dt>
                <dd className="mono" data-testid="report-result-path">
                  {result.path}
                </dd>
                <dt>Signed manifest</dt>
                <dd className="mono" data-testid="report-result-envelope">
                  {result.envelopePath}
                </dd>
                <dt>sha256</dt>
                <dd className="mono pack-hash" data-testid="report-result-sha">
                  {result.sha256}
                </dd>
              </dl>
              <p className="muted no-margin">
                Anyone with your public key can check it: <code>docket verify {fileName(result.path)}</code>, or <a href="#/verify" onClick={() => onClose()}>Verify</a> in this app.
              </p>
              {showNote && (
                <p className="muted no-margin" role="status" data-testid="report-show-note">
                  {showNote}
                </p>
              )}
            </section>
          )}
        </div>
        <footer className="dialog-footer">
          {whyDisabled && !result && (
            <span className="muted dialog-why" data-testid="report-why">
              {whyDisabled}
            </span>
          )}
          {result ? (
            <>
              <button type="button" className="btn btn-secondary" onClick={() => void showInFolder(result.path)} data-testid="report-show-in-folder">
                Show in folder
              </button>
              <button type="button" className="btn btn-primary" onClick={close} data-testid="report-close">
                Done
              </button>
            </>
          ) : (
            <>
              <button type="button" className="btn btn-ghost" onClick={close} disabled={busy}>
                Cancel
              </button>
              <button type="button" className="btn btn-primary" onClick={() => void exportReport()} disabled={whyDisabled !== null || busy} data-testid="report-export">
                {busy ? 'Exporting…' : 'Export and sign'}
              </button>
            </>
          )}
        </footer>
      </div>
    </div>
  );
}
