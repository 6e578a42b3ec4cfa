import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { formatMoney } from '../../../shared/format/money';
import type { IpcErrorBody } from '../../../shared/ipc/result';
import type { SunsetView } from '../../../shared/lifecycle/lifecycleViews';
import type { SunsetDecisionKind } from '../../../shared/lifecycle/sunsetPlan';
import { invoke, useQuery } from '../ipc';
import { Loading } from '../components/ui';
import { signingKeys, trapTabFocus } from '../components/dialog';
import { KeyUnlockField, useKeyUnlock } from '../components/KeyUnlock';
import { shortKeyId } from '../reviews/format';
import { DECISION_ACTION_LABEL } from './format';

const TITLE: Record<SunsetDecisionKind, string> = {
  approve: 'Approve this sunset',
  reject: 'Reject this sunset',
  withdraw: 'Withdraw this sunset',
};

const RATIONALE_HINT: Record<SunsetDecisionKind, string> = {
  approve: 'Why the plan is sound and the saving worth it.',
  reject: 'Why the version must keep running.',
  withdraw: 'Why this proposal is no longer needed.',
};

const EFFECT: Record<SunsetDecisionKind, string> = {
  approve: 'The version becomes deprecated now and retired on the retirement date.',
  reject: 'The version stays active; the plan is closed.',
  withdraw: 'The version stays active; the proposal is closed.',
};

/**
 * Signs a sunset decision with a workspace key, as the release DecisionDialog does: key, rationale, a
 * statement of what is signed, then the passphrase. The passphrase lives only in the input element:
 * read at signing, cleared right after, and a wrong one is refused inline.
 */
export function SunsetDecisionDialog({ sunset, kind, onClose, onDecided }: { sunset: SunsetView; kind: SunsetDecisionKind; onClose: () => void; onDecided: (state: string, lifecycle: string) => void }) {
  const keys = useQuery('keys/list', {});
  const usable = useMemo(() => signingKeys(keys.data), [keys.data]);
  const [keyId, setKeyId] = useState('');
  const [rationale, setRationale] = useState('');
  const [hasPassphrase, setHasPassphrase] = useState(false);
  const [signError, setSignError] = useState<IpcErrorBody | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const passRef = useRef<HTMLInputElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const firstFieldRef = useRef<HTMLSelectElement>(null);
  const ids = useId();
  const unlock = useKeyUnlock(usable.find((k) => k.keyId === keyId), keyId);

  useEffect(() => {
    if (!keyId && usable.length > 0) setKeyId(usable[0]!.keyId);
  }, [usable, keyId]);

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

  const whyDisabled = busy
    ? 'Signing…'
    : usable.length === 0
      ? 'No key in this workspace can sign.'
      : !keyId
        ? 'Choose a key.'
        : rationale.trim() === ''
          ? 'Write a rationale first.'
          : !hasPassphrase && !unlock.byKeychain
            ? "Type the key's passphrase."
            : null;

  const sign = async () => {
    const credentials = unlock.credentials(passRef.current?.value ?? '');
    if (whyDisabled || !credentials) return;
    setBusy(true);
    setSignError(undefined);
    const result = await invoke('sunsets/decide', { id: sunset.id, kind, rationale, keyId, ...credentials });
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
    onDecided(result.value.state, result.value.lifecycle);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
      return;
    }
    trapTabFocus(event, dialogRef.current);
  };

  const selectedKey = usable.find((k) => k.keyId === keyId);
  const plan = sunset.plan;

  return (
    <div className="dialog-backdrop">
      <div ref={dialogRef} className="dialog decision-dialog" role="dialog" aria-modal="true" aria-labelledby={`${ids}-title`} aria-describedby={`${ids}-subject`} tabIndex={-1} onKeyDown={onKeyDown} data-testid="sunset-decision-dialog">
        <header className="dialog-header">
          <h2 id={`${ids}-title`} className="dialog-title">
            {TITLE[kind]}
          </h2>
          <p id={`${ids}-subject`} className="muted no-margin">
            Sunset #{sunset.id} · {sunset.model}
            <span className="mono">@{sunset.version}</span> · a signed decision, recorded in the audit log
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
              <select ref={firstFieldRef} className="input" value={keyId} onChange={(e) => setKeyId(e.target.value)} disabled={usable.length === 0} data-testid="sunset-decision-key">
                {usable.length === 0 && <option value="">{keys.data ? 'No usable key' : 'Loading keys…'}</option>}
                {usable.map((k) => (
                  <option key={k.keyId} value={k.keyId}>
                    {k.name} ({k.role}) · key {shortKeyId(k.keyId)}
                  </option>
                ))}
              </select>
            </label>
            <div className="field">
              <label className="field-label" htmlFor={`${ids}-rationale`}>
                Rationale <span className="muted">(required)</span>
              </label>
              <textarea id={`${ids}-rationale`} className="input textarea" rows={3} value={rationale} onChange={(e) => setRationale(e.target.value)} required aria-describedby={`${ids}-hint`} data-testid="sunset-decision-rationale" />
              <span id={`${ids}-hint`} className="field-note no-margin">
                {RATIONALE_HINT[kind]} It is signed and kept with the decision.
              </span>
            </div>
          </div>

          <section className="decision-preview" aria-labelledby={`${ids}-preview`} data-testid="sunset-decision-preview">
            <h3 id={`${ids}-preview`} className="block-title">
              What will be signed
            </h3>
            <dl className="kv decision-summary">
              <dt>Decision</dt>
              <dd>
                <strong>{DECISION_ACTION_LABEL[kind]}</strong> <span className="muted">· {EFFECT[kind]}</span>
              </dd>
              <dt>Subject</dt>
              <dd>
                {sunset.model}
                <span className="mono">@{sunset.version}</span>
              </dd>
              <dt>Plan sha256</dt>
              <dd className="mono break-word" title={sunset.planSha256}>
                {sunset.planSha256}
              </dd>
              <dt>Plan</dt>
              <dd>
                {plan.replacement ? (
                  <>
                    replaced by {plan.replacement.model}
                    <span className="mono">@{plan.replacement.version}</span>
                  </>
                ) : (
                  'no replacement'
                )}
                ; drained by <span className="mono">{plan.drainDate}</span>, retired from <span className="mono">{plan.retirementDate}</span>; owner {plan.owner}
              </dd>
              <dt>Saving</dt>
              <dd>{formatMoney(sunset.saving.net, sunset.saving.currency)} per month (net)</dd>
              <dt>Signer</dt>
              <dd>{selectedKey ? `${selectedKey.name} (${selectedKey.role}) · key ${shortKeyId(selectedKey.keyId)}` : <span className="muted">choose a key</span>}</dd>
              <dt>Time</dt>
              <dd>set at signing, with the head of the audit log</dd>
              {rationale.trim() === '' && (
                <>
                  <dt>Rationale</dt>
                  <dd className="text-bad">not written yet</dd>
                </>
              )}
            </dl>
          </section>

          <div className="field">
            <KeyUnlockField
              unlock={unlock}
              idBase={ids}
              testIdPrefix="sunset-decision"
              passRef={passRef}
              selectedKey={selectedKey}
              disabled={usable.length === 0}
              onPassphraseChange={setHasPassphrase}
              onEnter={() => void sign()}
              describedBy={signError ? `${ids}-sign-error` : undefined}
              invalid={Boolean(signError)}
            />
            {signError && (
              <p id={`${ids}-sign-error`} className="dialog-error" role="alert" data-testid="sunset-decision-error">
                <span aria-hidden="true">✕ </span>
                {signError.message}
              </p>
            )}
          </div>
        </div>

        <footer className="dialog-footer">
          {whyDisabled && (
            <span id={`${ids}-why`} className="muted dialog-why" data-testid="sunset-decision-why">
              {whyDisabled}
            </span>
          )}
          <button type="button" className="btn btn-ghost" onClick={close}>
            Cancel
          </button>
          <button type="button" className={`btn ${kind === 'approve' ? 'btn-primary' : 'btn-danger'}`} onClick={() => void sign()} disabled={whyDisabled !== null} aria-describedby={whyDisabled ? `${ids}-why` : undefined} data-testid="sunset-decision-sign">
            {busy ? 'Signing…' : `Sign: ${DECISION_ACTION_LABEL[kind].toLowerCase()}`}
          </button>
        </footer>
      </div>
    </div>
  );
}
