import { useState } from 'react';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke } from '../ipc';
import { EmptyState, ErrorBanner, Loading, PageHeader, Status } from '../components/ui';
import { fileName } from './format';

type Verification = ChannelOutput<'pack/verify'>;

const KIND_LABEL: Record<Verification['kind'], string> = { folder: 'pack folder', zip: 'pack zip', pdf: 'PDF alone', 'budget-report': 'signed budget report' };
const TRUST_LABEL: Record<string, string> = {
  keyring: "the signer's key is trusted in this workspace's keyring",
  'trust-key': 'the signer is a key you named',
  'self-asserted': 'the signer is trusted only on the pack’s own word (its key is not in this workspace)',
};

/** "Is this pack what it says it is?": open a pack (folder, .zip or PDF) and see each check, offline. */
export function VerifyPackView() {
  const [path, setPath] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const [result, setResult] = useState<Verification | null>(null);
  const [showNote, setShowNote] = useState<string | null>(null);

  const verify = async (target: string) => {
    setBusy(true);
    setError(undefined);
    setShowNote(null);
    const outcome = await invoke('pack/verify', { path: target });
    setBusy(false);
    if (!outcome.ok) {
      setResult(null);
      setError(outcome.error);
      return;
    }
    setResult(outcome.value);
  };

  const open = async (kind: 'folder' | 'file') => {
    const picked = await invoke('dialog/pickPack', { kind });
    if (!picked.ok) {
      setError(picked.error);
      return;
    }
    const first = picked.value.paths[0];
    if (!first) return;
    setPath(first);
    await verify(first);
  };

  const showInFolder = async () => {
    if (!path) return;
    const shown = await invoke('shell/showItemInFolder', { path });
    setShowNote(!shown.ok ? shown.error.message : shown.value.shown ? `Shown in your file manager: ${fileName(path)}` : `Could not show it: ${shown.value.reason ?? 'refused'}`);
  };

  const failed = result ? result.checks.filter((c) => !c.ok).length : 0;
  const actions = (
    <>
      {path && result && (
        <button type="button" className="btn btn-secondary" onClick={() => void verify(path)} disabled={busy} data-testid="verify-again">
          Verify again
        </button>
      )}
      <button type="button" className="btn btn-secondary" onClick={() => void open('file')} disabled={busy} data-testid="verify-open-file">
        Open .zip or PDF…
      </button>
      <button type="button" className="btn btn-primary" onClick={() => void open('folder')} disabled={busy} data-testid="verify-open">
        Open pack folder…
      </button>
    </>
  );

  return (
    <div className="page verify-page" data-testid="verify-page">
      <PageHeader title="Verify an audit pack" subtitle="Checks a pack’s files, its signed manifest and the PDF signature offline, against this workspace’s keyring." actions={actions} />
      {error && <ErrorBanner error={error} context={path ? `Could not verify ${fileName(path)}` : 'Could not open the pack'} onDismiss={() => setError(undefined)} />}
      {busy && <Loading label={`Verifying ${path ? fileName(path) : 'the pack'}…`} />}
      {!result && !busy && !error && (
        <EmptyState title="No pack opened yet" testId="verify-empty">
          <p>
            Choose <strong>Open pack folder…</strong> for an exported folder (<span className="mono">…-audit-pack</span>), or <strong>Open .zip or PDF…</strong> for its{' '}
            <span className="mono">.zip</span> or <span className="mono">audit-pack.pdf</span> alone. Each check is listed with what it found.
          </p>
          <p className="muted">From a terminal: <code>docket verify &lt;path&gt;</code></p>
        </EmptyState>
      )}
      {result && !busy && (
        <section className={`pack-verdict ${result.ok ? 'pack-verdict-ok' : 'pack-verdict-bad'}`} aria-label="Verdict" data-testid="verify-result">
          <div className="pack-verdict-head" data-testid="verify-verdict">
            <span className="pack-verdict-icon" aria-hidden="true">
              {result.ok ? '✓' : '✕'}
            </span>
            <div>
              <h2 className="pack-verdict-title">
                {result.ok ? 'Verified' : 'NOT verified'}
                {result.subject && (
                  <span className="mono pack-verdict-subject">
                    {' '}
                    {result.subject.model}@{result.subject.version}
                  </span>
                )}
              </h2>
              <p className="no-margin">
                {result.ok ? `All ${result.checks.length} checks passed` : `${failed} of ${result.checks.length} checks failed`} · {KIND_LABEL[result.kind]}
                {result.trust ? ` · ${TRUST_LABEL[result.trust] ?? result.trust}` : ''}
              </p>
              {path && (
                <p className="no-margin muted pack-verdict-path">
                  <span className="mono">{path}</span>{' '}
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => void showInFolder()} data-testid="verify-show-in-folder">
                    Show in folder
                  </button>
                </p>
              )}
              {showNote && (
                <p className="muted no-margin" role="status">
                  {showNote}
                </p>
              )}
            </div>
          </div>
          <ul className="pack-checks" data-testid="verify-checks">
            {result.checks.map((c, i) => (
              <li key={`${c.name}-${i}`} className={`pack-check ${c.ok ? 'pack-check-ok' : 'pack-check-bad'}`} data-testid="verify-check" data-check={c.name} data-ok={c.ok ? 'true' : 'false'}>
                <Status tone={c.ok ? 'ok' : 'bad'}>{c.ok ? 'Pass' : 'Fail'}</Status>
                <span className="pack-check-name">{c.name}</span>
                <span className="pack-check-detail">{c.detail}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
