import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DecisionStatement } from '../../../shared/reviews/decision';
import type { DecisionKind } from '../../../shared/reviews/reviewState';
import type { DecisionPreview, ReviewDetail } from '../../../shared/reviews/reviewViews';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import { invoke, useQuery } from '../ipc';
import { formatTimestamp, Loading, Status } from '../components/ui';
import { ACTION_LABEL, RULE_LABEL, shortKeyId } from './format';
import { signingKeys, trapTabFocus } from '../components/dialog';
import { KeyUnlockField, useKeyUnlock } from '../components/KeyUnlock';

const TITLE: Record<DecisionKind, string> = {
  approve: 'Approve this release',
  'request-changes': 'Request changes',
  reject: 'Reject this release',
  withdraw: 'Withdraw this review',
  waive: 'Waive a rule',
};

const RATIONALE_HINT: Record<DecisionKind, string> = {
  approve: 'Why the evidence is enough for release.',
  'request-changes': 'What the authors must change before you look again.',
  reject: 'Why this version must not be released.',
  withdraw: 'Why this review is no longer needed.',
  waive: 'Why this rule may be set aside, and what mitigates the risk meanwhile.',
};


function defaultExpiry(): string {
  return new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Signs a decision. The preview is asked for as the inputs change, so the reviewer sees what will be
 * signed (or what blocks it) before typing a passphrase. The passphrase lives only in the input
 * element: it is read at the moment of signing and the field is cleared right after. A key the
 * reviewer remembered in the OS keychain signs without one (see components/KeyUnlock.tsx).
 */
export function DecisionDialog({ review, kind, onClose, onDecided }: { review: ReviewDetail; kind: DecisionKind; onClose: () => void; onDecided: (state: string) => void }) {
  const keys = useQuery('keys/list', {});
  const usable = useMemo(() => signingKeys(keys.data), [keys.data]);
  const [keyId, setKeyId] = useState('');
  const [rationale, setRationale] = useState('');
  const waivable = useMemo(() => review.checklist.rules.filter((r) => r.kind !== 'approvals'), [review.checklist.rules]);
  const [ruleId, setRuleId] = useState(() => waivable.find((r) => r.status === 'fail' || r.status === 'missing')?.id ?? '');
  const [expiry, setExpiry] = useState(defaultExpiry);
  const [preview, setPreview] = useState<DecisionPreview | undefined>(undefined);
  const [previewError, setPreviewError] = useState<IpcErrorBody | undefined>(undefined);
  const [previewing, setPreviewing] = useState(false);
  const [hasPassphrase, setHasPassphrase] = useState(false);
  const [signError, setSignError] = useState<IpcErrorBody | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const passRef = useRef<HTMLInputElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const firstFieldRef = useRef<HTMLSelectElement>(null);
  const ids = useId();
  const unlock = useKeyUnlock(usable.find((k) => k.keyId === keyId), keyId);

  // Pick the first usable key once keys arrive.
  useEffect(() => {
    if (!keyId && usable.length > 0) setKeyId(usable[0]!.keyId);
  }, [usable, keyId]);

  // Focus the first field on open; give focus back to whatever opened the dialog on close.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const first = firstFieldRef.current;
    (first && !first.disabled ? first : dialogRef.current)?.focus();
    return () => opener?.focus?.();
  }, []);

  const close = useCallback(() => {
    if (passRef.current) passRef.current.value = '';
    onClose();
  }, [onClose]);

  const waiver = kind === 'waive' && ruleId && expiry ? { ruleId, expiresAt: `${expiry}T23:59:59Z` } : undefined;
  const inputKey = JSON.stringify([keyId, rationale, waiver ?? null, kind]);

  useEffect(() => {
    if (!keyId) {
      setPreview(undefined);
      return;
    }
    let live = true;
    setPreviewing(true);
    const timer = setTimeout(() => {
      void invoke('reviews/preview', { id: review.id, kind, rationale, keyId, ...(waiver ? { waiver } : {}) }).then((result) => {
        if (!live) return;
        setPreviewing(false);
        if (result.ok) {
          setPreview(result.value);
          setPreviewError(undefined);
        } else {
          setPreview(undefined);
          setPreviewError(result.error);
        }
      });
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // inputKey stands for every input the preview depends on.
  }, [inputKey, review.id]);

  const blockers = preview?.blockers ?? [];
  const whyDisabled = busy
    ? 'Signing…'
    : usable.length === 0
      ? 'No key in this workspace can sign.'
      : !keyId
        ? 'Choose a key.'
        : previewError
          ? 'The preview failed; see the error above.'
          : blockers.length > 0
            ? 'This decision is blocked; see why above.'
            : rationale.trim() === ''
              ? 'Write a rationale first.'
              : kind === 'waive' && !waiver
                ? 'Choose the rule to waive and its expiry.'
                : !preview || previewing
                  ? 'Preparing the preview…'
                  : !hasPassphrase && !unlock.byKeychain
                    ? "Type the key's passphrase."
                    : null;

  const sign = async () => {
    const credentials = unlock.credentials(passRef.current?.value ?? '');
    if (whyDisabled || !credentials) return;
    setBusy(true);
    setSignError(undefined);
    const result = await invoke('reviews/decide', { id: review.id, kind, rationale, keyId, ...(waiver ? { waiver } : {}), ...credentials });
    if (passRef.current) passRef.current.value = '';
    setHasPassphrase(false);
    setBusy(false);
    if (!result.ok) {
      setSignError(result.error);
      // The keychain could not open the key: the passphrase still can.
      if (unlock.byKeychain) unlock.usePassphrase();
      passRef.current?.focus();
      return;
    }
    onDecided(result.value.state);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
      return;
    }
    trapTabFocus(event, dialogRef.current);
  };

  const statement = (preview?.statement ?? null) as DecisionStatement | null;
  const selectedKey = usable.find((k) => k.keyId === keyId);

  return (
    <div className="dialog-backdrop">
      <div ref={dialogRef} className="dialog decision-dialog" role="dialog" aria-modal="true" aria-labelledby={`${ids}-title`} aria-describedby={`${ids}-subject`} tabIndex={-1} onKeyDown={onKeyDown} data-testid="decision-dialog">
        <header className="dialog-header">
          <h2 id={`${ids}-title`} className="dialog-title">
            {TITLE[kind]}
          </h2>
          <p id={`${ids}-subject`} className="muted no-margin">
            Review #{review.id} · {review.model}
            <span className="mono">@{review.version}</span> · a signed decision, recorded in the audit log
          </p>
          <button type="button" className="btn btn-ghost dialog-close" onClick={close} aria-label="Close dialog">
            ✕
          </button>
        </header>

        <div className="dialog-body">
          {keys.error && <p className="dialog-error" role="alert">Could not load keys: {keys.error.message}</p>}
          {keys.data && usable.length === 0 && (
            <div className="banner banner-error" role="alert" data-testid="no-signing-key">
              <div className="banner-body">
                <p className="banner-title">No key in this workspace can sign.</p>
                <p className="banner-meta">
                  A signing key must be trusted, not revoked, and have its private key here. Create one in <a href="#/settings">Settings → Reviewer keys</a>.
                </p>
              </div>
            </div>
          )}
          {!keys.data && keys.loading && <Loading label="Loading keys…" />}

          <div className="dialog-fields">
            <label className="field">
              <span className="field-label">Sign as</span>
              <select ref={firstFieldRef} className="input" value={keyId} onChange={(e) => setKeyId(e.target.value)} disabled={usable.length === 0} data-testid="decision-key">
                {usable.length === 0 && <option value="">{keys.data ? 'No usable key' : 'Loading keys…'}</option>}
                {usable.map((k) => (
                  <option key={k.keyId} value={k.keyId}>
                    {k.name} ({k.role}) · key {shortKeyId(k.keyId)}
                  </option>
                ))}
              </select>
            </label>

            {kind === 'waive' && (
              <div className="dialog-row">
                <label className="field">
                  <span className="field-label">Rule to waive</span>
                  <select className="input" value={ruleId} onChange={(e) => setRuleId(e.target.value)} data-testid="decision-rule">
                    <option value="">Choose a rule…</option>
                    {waivable.map((r) => (
                      <option key={r.id} value={r.id}>
                        {r.id}: {r.title} ({RULE_LABEL[r.status].toLowerCase()})
                      </option>
                    ))}
                  </select>
                </label>
                <label className="field">
                  <span className="field-label">Waiver expires (UTC, end of day)</span>
                  <input className="input" type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} required data-testid="decision-expiry" />
                </label>
              </div>
            )}

            <div className="field">
              <label className="field-label" htmlFor={`${ids}-rationale`}>
                Rationale <span className="muted">(required)</span>
              </label>
              <textarea id={`${ids}-rationale`} className="input textarea" rows={3} value={rationale} onChange={(e) => setRationale(e.target.value)} required aria-describedby={`${ids}-hint`} data-testid="decision-rationale" />
              <span id={`${ids}-hint`} className="field-note no-margin">
                {RATIONALE_HINT[kind]} It is signed and kept with the decision.
              </span>
            </div>
          </div>

          <section className="decision-preview" aria-labelledby={`${ids}-preview`} aria-live="polite" data-testid="decision-preview">
            <h3 id={`${ids}-preview`} className="block-title">
              What will be signed
            </h3>
            {previewError && (
              <p className="dialog-error" role="alert">
                {previewError.message}
              </p>
            )}
            {blockers.length > 0 && (
              <div className="decision-blockers" data-testid="decision-blockers">
                <Status tone="bad">Blocked: this decision cannot be signed</Status>
                <ul>
                  {blockers.map((b, i) => (
                    <li key={i}>{b}</li>
                  ))}
                </ul>
              </div>
            )}
            {!keyId && !keys.loading && <p className="muted no-margin">Choose a key to see what would be signed.</p>}
            {keyId && !preview && !previewError && <Loading label="Preparing the preview…" />}
            {statement && blockers.length === 0 && (
              <>
                <dl className="kv decision-summary" data-testid="decision-summary">
                  <dt>Decision</dt>
                  <dd>
                    <strong>{ACTION_LABEL[statement.decision]}</strong>
                    {statement.waiver && (
                      <>
                        {' '}
                        rule <code>{statement.waiver.ruleId}</code> until {formatTimestamp(statement.waiver.expiresAt)}
                      </>
                    )}
                  </dd>
                  <dt>Subject</dt>
                  <dd>
                    {statement.subject.model}
                    <span className="mono">@{statement.subject.version}</span>
                  </dd>
                  <dt>Evidence sha256</dt>
                  <dd className="mono break-word" title={statement.evidence.sha256}>
                    {statement.evidence.sha256}
                  </dd>
                  <dt>Policy</dt>
                  <dd>
                    {statement.checklist.policy.name} <span className="mono">v{statement.checklist.policy.version}</span> · tier {statement.checklist.tier}
                  </dd>
                  <dt>Checklist</dt>
                  <dd>
                    <Status tone={statement.checklist.result === 'pass' ? 'ok' : 'bad'}>{statement.checklist.result}</Status>{' '}
                    <span className="muted">
                      evidence {statement.checklist.evidenceResult}; {statement.checklist.rules.map((r) => `${r.id} ${r.status}`).join(', ')}
                    </span>
                  </dd>
                  <dt>Signer</dt>
                  <dd>
                    {statement.signer.name} ({statement.signer.role}) · key <span className="mono" title={statement.signer.keyId}>{shortKeyId(statement.signer.keyId)}</span>
                  </dd>
                  <dt>Time</dt>
                  <dd>{formatTimestamp(statement.signedAt)} (set again at signing)</dd>
                  {rationale.trim() === '' && (
                    <>
                      <dt>Rationale</dt>
                      <dd className="text-bad">not written yet</dd>
                    </>
                  )}
                </dl>
                <details className="decision-raw">
                  <summary>Raw statement (JSON, {preview?.payloadType})</summary>
                  <pre className="mono" data-testid="decision-raw">
                    {JSON.stringify(statement, null, 2)}
                  </pre>
                </details>
              </>
            )}
          </section>

          <KeyUnlockField
            unlock={unlock}
            idBase={ids}
            testIdPrefix="decision"
            passRef={passRef}
            selectedKey={selectedKey}
            disabled={usable.length === 0}
            onPassphraseChange={setHasPassphrase}
            onEnter={() => void sign()}
          />

          {signError && (
            <p className="dialog-error" role="alert" data-testid="decision-error">
              <span aria-hidden="true">✕ </span>
              {signError.message}
            </p>
          )}
        </div>

        <footer className="dialog-footer">
          {whyDisabled && (
            <span id={`${ids}-why`} className="muted dialog-why" data-testid="decision-why">
              {whyDisabled}
            </span>
          )}
          <button type="button" className="btn btn-ghost" onClick={close}>
            Cancel
          </button>
          <button type="button" className={`btn ${kind === 'reject' || kind === 'withdraw' ? 'btn-danger' : 'btn-primary'}`} onClick={() => void sign()} disabled={whyDisabled !== null} aria-describedby={whyDisabled ? `${ids}-why` : undefined} data-testid="decision-sign">
            {busy ? 'Signing…' : `Sign: ${ACTION_LABEL[kind].toLowerCase()}`}
          </button>
        </footer>
      </div>
    </div>
  );
}
