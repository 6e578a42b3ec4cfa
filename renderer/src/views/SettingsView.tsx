import { useRef, useState, type FormEvent } from 'react';
import type { ReviewerKey } from '../../../shared/signing/reviewerKey';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { EmptyState, ErrorBanner, formatTimestamp, Loading, PageHeader, Status } from '../components/ui';

type KeyRow = ReviewerKey & { hasPrivateKey: boolean; inKeychain?: boolean };

const ROLE_SUGGESTIONS = ['model-risk', 'compliance', 'model-owner', 'data-science', 'security'];

/** Settings: who can sign reviews here, and which policy pack judges them. */
export function SettingsView() {
  return (
    <div className="page" data-testid="settings-view">
      <PageHeader title="Settings" subtitle="Who can sign release decisions here, and which policy judges them?" />
      <KeysSection />
      <PolicySection />
    </div>
  );
}

function KeysSection() {
  const keys = useQuery('keys/list', {});
  const [showGenerate, setShowGenerate] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const [revoking, setRevoking] = useState<string | null>(null);

  const forget = async (key: KeyRow) => {
    setError(undefined);
    const result = await invoke('keys/forget', { keyId: key.keyId });
    if (!result.ok) setError(result.error);
    else setNotice(`The OS keychain no longer holds ${key.name}'s key ${key.keyId.slice(0, 12)}: signing with it needs its passphrase again.`);
    keys.reload();
  };

  const trust = async (key: KeyRow) => {
    setError(undefined);
    const result = await invoke('keys/trust', { keyId: key.keyId });
    if (!result.ok) setError(result.error);
    else setNotice(`Trusted ${key.name}'s key ${key.keyId.slice(0, 12)}.`);
    keys.reload();
  };

  return (
    <section className="panel" aria-labelledby="keys-h" data-testid="keys-section">
      <h2 id="keys-h" className="panel-title">
        Reviewer keys
        <button type="button" className="btn btn-secondary settings-title-btn" onClick={() => setShowGenerate((v) => !v)} aria-expanded={showGenerate} data-testid="key-generate-toggle">
          {showGenerate ? 'Cancel' : 'Generate a key'}
        </button>
      </h2>
      <p className="muted settings-lead">
        A release decision is signed with a reviewer key. Keys generated here keep their private half in this workspace, encrypted under a passphrase you choose, and are trusted on creation. Keys imported from colleagues
        (<code>docket keys import</code>) verify their decisions once you trust them.
      </p>
      {showGenerate && (
        <GenerateKeyForm
          onDone={(key) => {
            setShowGenerate(false);
            setNotice(`Generated ${key.name}'s key ${key.keyId.slice(0, 12)} (${key.role}). It can sign here now.`);
            keys.reload();
          }}
        />
      )}
      {notice && (
        <p role="status" className="settings-notice" data-testid="keys-notice">
          <Status tone="ok">{notice}</Status>
        </p>
      )}
      {error && <ErrorBanner error={error} context="Key change refused" onDismiss={() => setError(undefined)} />}
      {keys.error && <ErrorBanner error={keys.error} context="Could not load keys" onRetry={keys.reload} />}
      {!keys.data && keys.loading && <Loading label="Loading keys…" />}
      {keys.data && keys.data.length === 0 && !showGenerate && (
        <EmptyState
          title="No reviewer keys yet"
          testId="keys-empty"
          actions={
            <button type="button" className="btn btn-primary" onClick={() => setShowGenerate(true)}>
              Generate your first key
            </button>
          }
        >
          <p>Generate a key with your name and review role (for example model-risk or compliance) to sign approvals and other decisions.</p>
        </EmptyState>
      )}
      {keys.data && keys.data.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-testid="keys-table" aria-label="Reviewer keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Key id</th>
                <th scope="col">Origin</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => (
                <tr key={k.keyId} data-testid="key-row" data-key-id={k.keyId}>
                  <td>{k.name}</td>
                  <td>{k.role}</td>
                  <td>
                    <span className="mono" title={k.keyId}>
                      {k.keyId.slice(0, 12)}…
                    </span>
                  </td>
                  <td>
                    {k.origin === 'local' ? 'generated here' : 'imported'}
                    <br />
                    <span className="muted key-added">added {formatTimestamp(k.addedAt)}</span>
                  </td>
                  <td>
                    <span className="key-badges">
                      {k.revokedAt ? (
                        <Status tone="bad" title={`revoked ${formatTimestamp(k.revokedAt)} by ${k.revokedBy ?? 'unknown'}: ${k.revokeReason ?? ''}`}>
                          Revoked
                        </Status>
                      ) : k.trusted ? (
                        <Status tone="ok" title={k.trustedAt ? `trusted ${formatTimestamp(k.trustedAt)} by ${k.trustedBy ?? 'unknown'}` : undefined}>
                          Trusted
                        </Status>
                      ) : (
                        <Status tone="warn">Not trusted</Status>
                      )}
                      {k.hasPrivateKey && !k.revokedAt && <Status tone="info">can sign here</Status>}
                      {k.inKeychain && <Status tone="info">in the OS keychain</Status>}
                    </span>
                    {k.revokedAt && k.revokeReason && <span className="muted key-added">reason: {k.revokeReason}</span>}
                  </td>
                  <td className="key-actions">
                    {!k.trusted && !k.revokedAt && (
                      <button type="button" className="btn btn-secondary" onClick={() => void trust(k)} data-testid="key-trust">
                        Trust
                      </button>
                    )}
                    {k.inKeychain && (
                      <button type="button" className="btn btn-ghost" onClick={() => void forget(k)} data-testid="key-forget">
                        Forget from keychain
                      </button>
                    )}
                    {!k.revokedAt && revoking !== k.keyId && (
                      <button type="button" className="btn btn-ghost" onClick={() => setRevoking(k.keyId)} data-testid="key-revoke">
                        Revoke…
                      </button>
                    )}
                    {revoking === k.keyId && (
                      <RevokeForm
                        keyRow={k}
                        onCancel={() => setRevoking(null)}
                        onDone={(msg) => {
                          setRevoking(null);
                          setNotice(msg);
                          keys.reload();
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Name, role and the passphrase twice; the passphrase is read from the inputs at submit and cleared. */
function GenerateKeyForm({ onDone }: { onDone: (key: ReviewerKey) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const pass1 = useRef<HTMLInputElement>(null);
  const pass2 = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const keychain = useQuery('keys/keychain', {});
  const [remember, setRemember] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const a = pass1.current?.value ?? '';
    const b = pass2.current?.value ?? '';
    if (a.length < 8) return setProblem('Use a passphrase of at least 8 characters.');
    if (a !== b) return setProblem('The two passphrases differ: type the same passphrase twice.');
    setProblem(null);
    setBusy(true);
    const result = await invoke('keys/generate', { name, role, passphrase: a, ...(remember && keychain.data?.usable ? { remember: true } : {}) });
    if (pass1.current) pass1.current.value = '';
    if (pass2.current) pass2.current.value = '';
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onDone(result.value);
  };

  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} aria-label="Generate a reviewer key" data-testid="key-generate-form">
      {error && <ErrorBanner error={error} context="Could not generate the key" onDismiss={() => setError(undefined)} />}
      <div className="review-form-grid">
        <label className="field">
          <span className="field-label">Name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} required maxLength={128} placeholder="e.g. Maria Lopez" data-testid="key-name" />
        </label>
        <label className="field">
          <span className="field-label">Review role</span>
          <input className="input" value={role} onChange={(e) => setRole(e.target.value)} required maxLength={64} list="key-role-suggestions" placeholder="e.g. model-risk" data-testid="key-role" />
          <datalist id="key-role-suggestions">
            {ROLE_SUGGESTIONS.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
        </label>
        <label className="field">
          <span className="field-label">Passphrase (8+ characters)</span>
          <input ref={pass1} className="input" type="password" autoComplete="new-password" required data-testid="key-pass1" />
        </label>
        <label className="field">
          <span className="field-label">Passphrase again</span>
          <input ref={pass2} className="input" type="password" autoComplete="new-password" required data-testid="key-pass2" />
        </label>
      </div>
      {problem && (
        <p className="dialog-error" role="alert">
          {problem}
        </p>
      )}
      <p className="field-note">The passphrase is never stored: if it is lost, the key cannot sign again and a new one must be generated.</p>
      <label className="field-inline">
        <input type="checkbox" checked={remember && Boolean(keychain.data?.usable)} onChange={(e) => setRemember(e.target.checked)} disabled={!keychain.data?.usable} aria-describedby={keychain.data?.reason ? 'key-keychain-reason' : undefined} data-testid="key-remember" />
        Remember this key in the OS keychain (sign on this machine without the passphrase)
      </label>
      {keychain.data && !keychain.data.usable && keychain.data.reason && (
        <p id="key-keychain-reason" className="field-note" data-testid="key-keychain-reason">
          Not available: {keychain.data.reason}
        </p>
      )}
      <div className="review-form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || name.trim() === '' || role.trim() === ''} data-testid="key-generate-submit">
          {busy ? 'Generating…' : 'Generate key'}
        </button>
      </div>
    </form>
  );
}

function RevokeForm({ keyRow, onCancel, onDone }: { keyRow: KeyRow; onCancel: () => void; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await invoke('keys/revoke', { keyId: keyRow.keyId, reason });
    if (!result.ok) return setError(result.error);
    onDone(`Revoked ${keyRow.name}'s key ${keyRow.keyId.slice(0, 12)}. Decisions it signed before now still verify; it cannot sign again.`);
  };
  return (
    <form className="revoke-form" onSubmit={(e) => void submit(e)} aria-label={`Revoke ${keyRow.name}'s key`}>
      <label className="field">
        <span className="field-label">Reason for revoking</span>
        <input className="input" value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus placeholder="e.g. laptop lost" data-testid="key-revoke-reason" />
      </label>
      {error && (
        <p className="dialog-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="review-form-actions">
        <button type="submit" className="btn btn-danger" disabled={reason.trim() === ''} data-testid="key-revoke-confirm">
          Revoke key
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function PolicySection() {
  const packs = useQuery('policy/list', {});
  return (
    <section className="panel" aria-labelledby="policy-h" data-testid="policy-section">
      <h2 id="policy-h" className="panel-title">
        Policy pack
      </h2>
      <p className="muted settings-lead">
        Reviews are judged by the active pack. Import your own with <code>docket policy import &lt;pack.yaml&gt;</code>; every decision records the pack name and version it was judged by.
      </p>
      {packs.error && <ErrorBanner error={packs.error} context="Could not load policy packs" onRetry={packs.reload} />}
      {!packs.data && packs.loading && <Loading label="Loading policy packs…" />}
      {packs.data && (
        <div className="table-wrap">
          <table className="data-table" data-testid="policy-table" aria-label="Policy packs">
            <thead>
              <tr>
                <th scope="col">Pack</th>
                <th scope="col">Version</th>
                <th scope="col">Source</th>
                <th scope="col">Imported</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {packs.data.map((p) => (
                <tr key={p.id ?? 'shipped'} data-testid="policy-row" data-active={p.active}>
                  <td>{p.name}</td>
                  <td className="mono">{p.version}</td>
                  <td className="mono break-word">{p.sourcePath}</td>
                  <td>{p.importedAt ? formatTimestamp(p.importedAt) : <span className="muted">shipped with Docket</span>}</td>
                  <td>{p.active ? <Status tone="ok">Active</Status> : <span className="muted">inactive</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
