import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { dispatch, type Handlers } from '../../shared/ipc/dispatch';
import type { IpcResult } from '../../shared/ipc/result';
import { isTrustedSenderUrl } from '../../shared/security/appOrigin';

/** The single IPC entry point name; the channel travels as the first argument. */
export const INVOKE_CHANNEL = 'docket:invoke';
export const EVENT_CHANNEL = 'docket:event';

/**
 * Registers the whole contract through one handler: the sender frame must come from the app's
 * own origin, then the shared dispatch validates the channel and its input and calls the engine.
 * Nothing in here knows about any particular channel.
 */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, handlers: Handlers, trustedOrigins: readonly string[]): void {
  ipcMain.handle(INVOKE_CHANNEL, (event: IpcMainInvokeEvent, channel: unknown, input: unknown): Promise<IpcResult<unknown>> => {
    const senderUrl = event.senderFrame?.url;
    if (!isTrustedSenderUrl(senderUrl, trustedOrigins)) {
      return Promise.resolve({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: `Calls from ${senderUrl ?? 'an unknown frame'} are refused` } });
    }
    return dispatch(handlers, channel, input);
  });
}

