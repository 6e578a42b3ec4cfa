import { startWorkerScript } from '../core/workerScripts';
import type { IpcResult } from '../../shared/ipc/result';
import { DocketError } from '../../shared/ipc/result';
import { readAnswer } from '../../shared/ipc/jsonAnswer';
import type { EventName } from '../../shared/ipc/contract';
import { CORE_CHANNELS, type CoreChannel } from '../../shared/ipc/channels';
import type { CoreHandlers } from '../core/handlers';
import type { RecoveryOffer } from '../core/store/backup';
import type { KeySealer } from '../core/signing/keys';
import type { KeychainRequest } from '../core/signing/keychainPort';
import { serveKeychainRequest } from './keychainHost';

/** Asks what to do about a damaged database: the backup file to restore, or null (the app quits). */
export type OnDamaged = (offer: RecoveryOffer) => Promise<string | null>;

// Loaded only when needed: storeRecovery imports electron, which plain Node (tests) cannot load.
const askWithDialog: OnDamaged = async (offer) => (await import('./storeRecovery')).askToRestore(offer);

/**
 * Runs the engine in a worker thread and presents it as ordinary handlers, so the main process
 * only routes. Each handler resolves with the worker's value or throws its typed error.
 */
export function startEngineWorker(
  workerPath: string,
  dbPath: string,
  resourcesDir: string,
  onEvent: (event: EventName, payload: unknown) => void,
  onDamaged: OnDamaged = askWithDialog,
  /** The OS keychain (safeStorage) the engine may ask to seal and open reviewer keys; absent, it refuses to. */
  keychain?: KeySealer,
): { handlers: CoreHandlers; routes: CoreHandlers; stop: () => Promise<number> } {
  // From inside app.asar too (see startWorkerScript).
  const worker = startWorkerScript(workerPath, { workerData: { dbPath, resourcesDir } });
  const pending = new Map<number, { resolve: (r: IpcResult<unknown>) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  // Set once the user declined to restore: later calls fail at once instead of waiting on a worker that holds them.
  let refused: Error | null = null;
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (msg: { id?: number; result?: IpcResult<unknown>; event?: EventName; payload?: unknown; damaged?: RecoveryOffer; keychain?: KeychainRequest }) => {
    if (msg.keychain) serveKeychainRequest(keychain, msg.keychain, (keychainReply) => worker.postMessage({ keychainReply }));
    else if (msg.damaged) {
      // The worker holds every call until it is told which backup to restore.
      const offer = msg.damaged;
      void onDamaged(offer).then(
        (file) => {
          if (file) worker.postMessage({ control: 'restore', file });
          else failAll((refused = new DocketError('INTERNAL', offer.message)));
        },
        (err: unknown) => failAll(err instanceof Error ? err : new Error(String(err))),
      );
    } else if (msg.event) onEvent(msg.event, msg.payload);
    else if (msg.id !== undefined && msg.result) {
      pending.get(msg.id)?.resolve(msg.result);
      pending.delete(msg.id);
    }
  });
  worker.on('error', failAll);
  const call = (channel: CoreChannel, input: unknown): Promise<unknown> =>
    new Promise<IpcResult<unknown>>((resolve, reject) => {
      if (refused) return reject(refused);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, channel, input });
    }).then((result) => {
      if (result.ok) return result.value;
      throw new DocketError(result.error.code, result.error.message, result.error.issues);
    });
  // `routes` hand the renderer the engine's answers as they came (big ones as JSON text, parsed in the
  // window: see shared/ipc/jsonAnswer.ts); `handlers` give the main process's own calls plain values.
  const routes = Object.fromEntries(CORE_CHANNELS.map((c) => [c, (input: unknown) => call(c, input)])) as unknown as CoreHandlers;
  const handlers = Object.fromEntries(CORE_CHANNELS.map((c) => [c, (input: unknown) => call(c, input).then(readAnswer)])) as unknown as CoreHandlers;
  // A clean close lets SQLite checkpoint and Docket stamp the file, so the next start skips quick_check.
  const stop = () =>
    new Promise<number>((done) => {
      const timer = setTimeout(() => void worker.terminate().then(done), 2000);
      worker.once('exit', (code) => {
        clearTimeout(timer);
        done(code);
      });
      worker.postMessage({ control: 'close' });
    });
  return { handlers, routes, stop };
}
