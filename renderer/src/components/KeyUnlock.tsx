import { useEffect, useState, type RefObject } from 'react';
import type { KeychainStatusView } from '../../../shared/ipc/contract';
import { useQuery } from '../ipc';
import { Status } from './ui';

/**
 * How a signing dialog unlocks its key: the passphrase (read from the input at signing, never kept
 * in state), optionally remembering the key in the OS keychain; or, for a key remembered there, the
 * keychain alone. The engine decides whether the keychain can hold a key (Linux's 'basic_text'
 * backend cannot) and says why not; the option is then shown disabled with that reason.
 */

interface UnlockableKey {
  name: string;
  inKeychain?: boolean;
}

export interface KeyUnlock {
  keychain: KeychainStatusView | undefined;
  /** The selected key will be opened by the OS keychain: no passphrase is asked. */
  byKeychain: boolean;
  remember: boolean;
  setRemember(remember: boolean): void;
  /** Type the passphrase after all (e.g. the keychain could not open the key). */
  usePassphrase(): void;
  /** What the signing call carries: nothing for the keychain, else the passphrase (null when none was typed). */
  credentials(passphrase: string): { passphrase?: string; remember?: boolean } | null;
}

export function useKeyUnlock(selectedKey: UnlockableKey | undefined, keyId: string): KeyUnlock {
  const status = useQuery('keys/keychain', {});
  const [passphraseFor, setPassphraseFor] = useState<string | null>(null);
  const [remember, setRemember] = useState(false);
  const keychain = status.data;
  const byKeychain = Boolean(selectedKey?.inKeychain && keychain?.usable && passphraseFor !== keyId);
  // A choice made for one key does not carry over to another.
  useEffect(() => setRemember(false), [keyId]);
  return {
    keychain,
    byKeychain,
    remember: remember && Boolean(keychain?.usable) && !byKeychain,
    setRemember,
    usePassphrase: () => setPassphraseFor(keyId),
    credentials(passphrase) {
      if (byKeychain) return {};
      if (passphrase === '') return null;
      return remember && keychain?.usable ? { passphrase, remember: true } : { passphrase };
    },
  };
}

/** The passphrase field with "Remember this key in the OS keychain", or the note that the keychain unlocks the key. */
export function KeyUnlockField({
  unlock,
  idBase,
  testIdPrefix,
  passRef,
  selectedKey,
  disabled,
  onPassphraseChange,
  onEnter,
  describedBy,
  invalid,
}: {
  unlock: KeyUnlock;
  idBase: string;
  testIdPrefix: string;
  passRef: RefObject<HTMLInputElement | null>;
  selectedKey: UnlockableKey | undefined;
  disabled: boolean;
  onPassphraseChange(hasPassphrase: boolean): void;
  onEnter(): void;
  /** More ids describing the passphrase input (e.g. the signing error). */
  describedBy?: string;
  invalid?: boolean;
}) {
  const keyLabel = selectedKey ? `${selectedKey.name}'s key` : 'the key';
  if (unlock.byKeychain) {
    return (
      <div className="field" data-testid={`${testIdPrefix}-keychain`}>
        <span className="field-label">Unlocking {keyLabel}</span>
        <p className="no-margin" role="status" data-testid={`${testIdPrefix}-keychain-note`}>
          <Status tone="ok">Unlocked by the OS keychain</Status> <span className="muted">no passphrase needed on this machine</span>
        </p>
        <button type="button" className="btn btn-ghost" onClick={unlock.usePassphrase} data-testid={`${testIdPrefix}-use-passphrase`}>
          Type the passphrase instead
        </button>
      </div>
    );
  }
  const keychain = unlock.keychain;
  const rememberDisabled = disabled || !keychain?.usable;
  return (
    <div className="field">
      <label className="field-label" htmlFor={`${idBase}-passphrase`}>
        Passphrase for {keyLabel}
      </label>
      <input
        id={`${idBase}-passphrase`}
        ref={passRef}
        className="input"
        type="password"
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onPassphraseChange(e.target.value !== '')}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onEnter();
          }
        }}
        disabled={disabled}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={`${idBase}-pass-note${describedBy ? ` ${describedBy}` : ''}`}
        data-testid={`${testIdPrefix}-passphrase`}
      />
      <span id={`${idBase}-pass-note`} className="field-note no-margin">
        {unlock.remember ? 'Unlocks the key for this signature; then the OS keychain keeps it, so this machine signs without the passphrase.' : 'Unlocks the key for this one signature; it is not stored.'}
      </span>
      <label className="field-inline">
        <input
          type="checkbox"
          checked={unlock.remember}
          onChange={(e) => unlock.setRemember(e.target.checked)}
          disabled={rememberDisabled}
          aria-describedby={keychain && !keychain.usable ? `${idBase}-keychain-reason` : undefined}
          data-testid={`${testIdPrefix}-remember`}
        />
        Remember this key in the OS keychain
      </label>
      {keychain && !keychain.usable && keychain.reason && (
        <span id={`${idBase}-keychain-reason`} className="field-note no-margin" data-testid={`${testIdPrefix}-keychain-reason`}>
          Not available: {keychain.reason}
        </span>
      )}
    </div>
  );
}
