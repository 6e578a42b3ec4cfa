import { parentPort, workerData } from 'node:worker_threads';
import { userInfo } from 'node:os';
import { dispatch, type Handlers } from '../../shared/ipc/dispatch';
import { openStore } from './store/openStore';
import { systemClock } from './store/clock';
import { createCoreHandlers, type CoreChannel } from './handlers';

/**
 * The engine in a worker thread: the Electron main process forwards every trusted core call here,
 * so long imports never block the window. Messages: {id, channel, input} in, {id, result} or {event} out.
 */
export interface EngineRequest {
  id: number;
  channel: CoreChannel;
  input: unknown;
}

const port = parentPort;
if (port) {
  const { dbPath, resourcesDir } = workerData as { dbPath: string; resourcesDir: string };
  const store = openStore(dbPath);
  const handlers = createCoreHandlers({
    store,
    resourcesDir,
    actor: userInfo().username,
    clock: systemClock,
    emit: (event, payload) => port.postMessage({ event, payload }),
  });
  port.on('message', (request: EngineRequest) => {
    void dispatch(handlers as Handlers, request.channel, request.input).then((result) => port.postMessage({ id: request.id, result }));
  });
  port.postMessage({ ready: true, dbPath });
}
