import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ChannelOutput, EventPayload } from '../../../shared/ipc/contract';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { ErrorBanner, Loading, Status } from '../components/ui';
import { EXPORT_STEP_LABEL, fileName, formatBytes } from './format';
import { PackPreviewView } from './PackPreview';
import { signingKeys, trapTabFocus } from '../components/dialog';

type Progress = EventPayload<'pack/exportProgress'>;
type Exported = ChannelOutput<'pack/export'>;


/**
 * Exports the signed audit pack of one model version: a preview of what its cover and summary
 * state, the reviewer key that signs the manifest, progress, then the files written and a way to
 * open their folder. The passphrase lives only in the input element and is cleared after each try.
 */
export function ExportPackPanel({ model, version, onClose }: { model: string; version: string; onClose: () => void }) {
  const preview = useQuery('pack/preview', { model, version }, `${model}@${version}`);
  const keys = useQuery('keys/list', {});
  const usable = useMemo(() => signingKeys(keys.data), [keys.data]);
  const [keyId, setKeyId] = useState('');
  const [zip, setZip] = useState(true);
  const [hasPassphrase, setHasPassphrase] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
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

  // The field was disabled while exporting (and so lost focus): after a refusal, put the reviewer back in it.
  useEffect(() => {
    if (error && !busy) passRef.current?.focus();
  }, [error, busy]);

  // After a successful export the form is gone: keep focus (and Escape) inside the dialog.
  useEffect(() => {
    if (result) dialogRef.current?.focus();
  }, [result]);

  const close = useCallback(() => {
    if (passRef.current) passRef.current.value = '';
    if (!busy) onClose();
  }, [busy, onClose]);

  const exportPack = async () => {
    const passphrase = passRef.current?.value ?? '';
    if (!keyId || passphrase === '' || busy) return;
    setBusy(true);
    setError(undefined);
    setProgress({ step: 'evidence', done: 0, total: 8 });
    let unsubscribe: (() => void) | undefined;
    try {
      unsubscribe = window.docket.on('pack/exportProgress', (p) => setProgress(p));
    } catch {
      // No progress events: the bar stays at its first step until the export ends.
    }
    const outcome = await invoke('pack/export', { model, version, keyId, passphrase, zip });
    unsubscribe?.();
    if (passRef.current) passRef.current.value = '';
    setHasPassphrase(false);
    setBusy(false);
    if (!outcome.ok) {
      setProgress(null);
      setError(outcome.error);
      return;
    }
    setProgress({ step: 'done', done: 8, total: 8 });
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
  const percent = progress ? Math.round((progress.done / Math.max(progress.total, 1)) * 100) : 0;

  return (
    <div className="dialog-backdrop">
      <div ref={dialogRef} className="dialog pack-dialog" role="dialog" aria-modal="true" aria-labelledby={`${ids}-title`} tabIndex={-1} onKeyDown={onKeyDown} data-testid="export-pack-panel">
        <header className="dialog-header">
          <h2 id={`${ids}-title`} className="dialog-title">
            Export audit pack
          </h2>
          <p className="muted no-margin">
            <span className="mono">
              {model}@{version}
            </span>
            : a signed PDF, the evidence, a CycloneDX ML-BOM and the signed decisions, with a manifest signed by your key.
          </p>
          <button type="button" className="btn btn-ghost dialog-close" onClick={close} aria-label="Close" disabled={busy}>
            ✕
          </button>
        </header>
        <div className="dialog-body">
          {preview.error && <ErrorBanner error={preview.error} context="Could not prepare the preview" onRetry={preview.reload} />}
          {!preview.data && !preview.error && <Loading label="Preparing the preview…" />}
          {preview.data && !result && <PackPreviewView preview={preview.data} />}

          {!result && (
            <div className="dialog-fields pack-fields">
              {keys.data && usable.length === 0 && (
                <div className="banner banner-error" role="alert" data-testid="pack-no-key">
                  <div className="banner-body">
                    <p className="banner-title">No reviewer key in this workspace can sign the manifest.</p>
                    <p className="banner-meta">
                      Create one in <a href="#/settings">Settings</a> (Reviewer keys), then export again.
                    </p>
                  </div>
                </div>
              )}
              <div className="dialog-row">
                <label className="field">
                  <span className="field-label">Sign the manifest as</span>
                  <select className="input" value={keyId} onChange={(e) => setKeyId(e.target.value)} disabled={usable.length === 0 || busy} data-testid="pack-key">
                    {usable.map((k) => (
                      <option key={k.keyId} value={k.keyId}>
                        {k.name} ({k.role}) · {k.keyId.slice(0, 12)}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="field pack-zip">
                  <span className="field-label">Also write</span>
                  <span className="field-inline">
                    <input type="checkbox" checked={zip} onChange={(e) => setZip(e.target.checked)} disabled={busy} data-testid="pack-zip" /> a .zip of the pack
                  </span>
                </label>
              </div>
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
                      void exportPack();
                    }
                  }}
                  disabled={usable.length === 0 || busy}
                  aria-describedby={`${ids}-pass-note`}
                  data-testid="pack-passphrase"
                />
                <span id={`${ids}-pass-note`} className="field-note no-margin">
                  Unlocks the key for this export only; it is not stored. The PDF is signed with this workspace’s certificate.
                </span>
              </div>
            </div>
          )}

          {progress && (
            <div className="pack-progress" data-testid="pack-progress">
              <div className="progress-row">
                <progress max={progress.total} value={progress.done} aria-label="Export progress" aria-valuetext={`${percent}%`} />
                <span className="progress-count num-inline" data-testid="pack-progress-count">
                  {progress.done} of {progress.total} steps
                </span>
              </div>
              <p className="progress-file" role="status" aria-live="polite" data-testid="pack-progress-step">
                {progress.step === 'done' ? <Status tone="ok">Done</Status> : `${EXPORT_STEP_LABEL[progress.step] ?? progress.step}…`}
              </p>
            </div>
          )}

          {error && (
            <p className="dialog-error" role="alert" data-testid="pack-error">
              <span aria-hidden="true">✕ </span>
              {error.message}
            </p>
          )}

          {result && (
            <section className="pack-result" aria-label="Exported pack" data-testid="pack-result">
              <p className="no-margin">
                <Status tone="ok">Audit pack written</Status>
              </p>
              <dl className="pack-paths">
                <dt>Folder</dt>
                <dd className="mono" data-testid="pack-result-folder">
                  {result.folder}
                </dd>
                {result.zip && (
                  <>
                    <dt>Zip</dt>
                    <dd className="mono" data-testid="pack-result-zip">
                      {result.zip}
                    </dd>
                  </>
                )}
                <dt>Evidence sha256</dt>
                <dd className="mono pack-hash" data-testid="pack-result-sha">
                  {result.evidenceSha256}
                </dd>
              </dl>
              <table className="data-table pack-files" data-testid="pack-files">
                <caption className="visually-hidden">Files in the pack</caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col" className="num">
                      Size
                    </th>
                    <th scope="col">sha256</th>
                  </tr>
                </thead>
                <tbody>
                  {result.files.map((f) => (
                    <tr key={f.name}>
                      <td className="mono">{f.name}</td>
                      <td className="num">{formatBytes(f.bytes)}</td>
                      <td className="mono muted" title={f.sha256}>
                        {f.sha256.slice(0, 16)}…
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="muted no-margin pack-files-note">Plus manifest.json (listing these with their hashes) and manifest.dsse.json (the manifest, signed with your key).</p>
              {showNote && (
                <p className="muted no-margin" role="status" data-testid="pack-show-note">
                  {showNote}
                </p>
              )}
            </section>
          )}
        </div>
        <footer className="dialog-footer">
          {whyDisabled && !result && (
            <span className="muted dialog-why" data-testid="pack-why">
              {whyDisabled}
            </span>
          )}
          {result ? (
            <>
              <a className="btn btn-ghost" href="#/verify" onClick={() => onClose()}>
                Verify a pack…
              </a>
              <button type="button" className="btn btn-secondary" onClick={() => void showInFolder(result.folder)} data-testid="pack-show-in-folder">
                Show in folder
              </button>
              <button type="button" className="btn btn-primary" onClick={close} data-testid="pack-close">
                Done
              </button>
            </>
          ) : (
            <>
              <button type="button" className="btn btn-ghost" onClick={close} disabled={busy}>
                Cancel
              </button>
              <button type="button" className="btn btn-primary" onClick={() => void exportPack()} disabled={whyDisabled !== null || busy} data-testid="pack-export">
                {busy ? 'Exporting…' : 'Export and sign'}
              </button>
            </>
          )}
        </footer>
      </div>
    </div>
  );
}
