import { DocketError, type IpcErrorCode } from '../../../shared/ipc/result';

/**
 * One error type for the signing layer. It is a DocketError, so over IPC its message reaches the
 * renderer unchanged; `reason` lets the CLI and UI tell failures apart (e.g. re-prompt on
 * 'wrong-passphrase'); `field` names the offending key-file field. Messages never contain a
 * passphrase or key material, and never carry OpenSSL's stack of internal error strings.
 */
export type SigningErrorReason =
  | 'empty-passphrase'
  | 'wrong-passphrase'
  | 'not-a-key'
  | 'unsupported-key-type'
  | 'invalid-key-file'
  | 'key-mismatch'
  | 'key-file-exists'
  | 'unseal-failed'
  | 'no-passphrase'
  | 'keychain-unavailable';

const IPC_CODE: Record<SigningErrorReason, IpcErrorCode> = {
  'empty-passphrase': 'INVALID_INPUT',
  'wrong-passphrase': 'REJECTED',
  'not-a-key': 'INVALID_INPUT',
  'unsupported-key-type': 'INVALID_INPUT',
  'invalid-key-file': 'INVALID_INPUT',
  'key-mismatch': 'REJECTED',
  'key-file-exists': 'REJECTED',
  'unseal-failed': 'REJECTED',
  'no-passphrase': 'INVALID_INPUT',
  'keychain-unavailable': 'REJECTED',
};

export class SigningError extends DocketError {
  readonly reason: SigningErrorReason;
  readonly field: string | undefined;

  constructor(reason: SigningErrorReason, message: string, field?: string) {
    super(IPC_CODE[reason], message, field ? [{ path: field, message }] : undefined);
    this.name = 'SigningError';
    this.reason = reason;
    this.field = field;
  }
}
