/** What every IPC call returns: a value, or a typed error the renderer can show. */
export type IpcErrorCode =
  | 'UNKNOWN_CHANNEL'
  | 'INVALID_INPUT'
  | 'FORBIDDEN_SENDER'
  | 'NOT_FOUND'
  | 'REJECTED'
  /** The disk holding the workspace database is full: the change was rolled back. */
  | 'DISK_FULL'
  | 'INTERNAL';

export interface IpcErrorBody {
  code: IpcErrorCode;
  message: string;
  /** For INVALID_INPUT: which fields failed and why. */
  issues?: { path: string; message: string }[];
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcErrorBody };

/** An error a handler throws on purpose: its code and message reach the renderer unchanged. */
export class DocketError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'DocketError';
  }
}
