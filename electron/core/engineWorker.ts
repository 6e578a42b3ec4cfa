import { parentPort, workerData } from 'node:worker_threads';
import { userInfo } from 'node:os';
import { dispatch, type Handlers } from '../../shared/ipc/dispatch';
import { answerForTransport } from '../../shared/ipc/jsonAnswer';
import { openStore, StoreDamagedError, type Store } from './store/openStore';
import { planRecovery, restoreBackup } from './store/backup';
import { systemClock } from './store/clock';
import { createCoreHandlers, type CoreChannel } from './handlers';
import { warmEngine } from './engineWarmup';
import { progressThrottle } from './progressThrottle';
import { remoteKeychain, type KeychainReply } from './signing/keychainPort';

/**
 * The engine in a worker thread: the Electron main process forwards every trusted core call here,
 * so long imports never block the window. Messages: {id, channel, input} in, {id, result} or {event} out.
 * A damaged database is not opened: the worker sends {damaged: RecoveryOffer} and holds calls until
 * the shell answers {control: 'restore', file} (or quits). {control: 'close'} closes the store cleanly.
 */
export interface EngineRequest {
  id: number;
  channel: CoreChannel;
  input: unknown;
}

export type EngineControl = { control: 'restore'; file: string } | { control: 'close' };

const port = parentPort;
if (port) {
  const { dbPath, resourcesDir } = workerData as { dbPath: string; resourcesDir: string };
  let store: Store | null = null;
  let handlers: Handlers | null = null;
  const waiting: EngineRequest[] = [];
  // The OS keychain lives in the main process: requests go out as {keychain}, answers come back as {keychainReply}.
  const keychain = remoteKeychain((request) => port.postMessage({ keychain: request }));
  // Progress is coalesced (see progressThrottle): a flood of it would queue up on the main thread.
  const progress = progressThrottle((event, payload) => port.postMessage({ event, payload }));
  const serve = (request: EngineRequest, h: Handlers) =>
    void dispatch(h, request.channel, request.input).then((result) => {
      progress.flush(); // a call's last progress arrives before its answer
      // Big answers leave as JSON text, so the main process routes a string instead of cloning a graph.
      port.postMessage({ id: request.id, result: answerForTransport(request.channel, result) });
    });
  const start = (): void => {
    try {
      store = openStore(dbPath);
    } catch (err) {
      if (!(err instanceof StoreDamagedError)) throw err;
      port.postMessage({ damaged: planRecovery(dbPath, err.reason) });
      return;
    }
    const h = createCoreHandlers({
      store,
      resourcesDir,
      actor: userInfo().username,
      clock: systemClock,
      emit: (event, payload) => progress.emit(event, payload),
      keychain: keychain.sealer,
    }) as Handlers;
    handlers = h;
    for (const request of waiting.splice(0)) serve(request, h);
    port.postMessage({ ready: true, dbPath });
    // The audit verdict, the sunset judgement and the model figures, begun before the window asks (see engineWarmup).
    warmEngine(h);
  };
  port.on('message', (msg: EngineRequest | EngineControl | { keychainReply: KeychainReply }) => {
    if ('keychainReply' in msg) keychain.receive(msg.keychainReply);
    else if ('control' in msg) {
      if (msg.control === 'close') {
        store?.close();
        port.postMessage({ closed: true });
        port.close();
      } else if (!store) {
        try {
          restoreBackup(dbPath, msg.file, { force: true });
        } catch (err) {
          port.postMessage({ damaged: planRecovery(dbPath, `the restore failed: ${(err as Error).message}`) });
          return;
        }
        start();
      }
    } else if (handlers) serve(msg, handlers);
    else waiting.push(msg);
  });
  start();
}
