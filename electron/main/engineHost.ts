import { Worker } from 'node:worker_threads';
import type { IpcResult } from '../../shared/ipc/result';
import { DocketError } from '../../shared/ipc/result';
import type { EventName } from '../../shared/ipc/contract';
import { CORE_CHANNELS, type CoreChannel } from '../../shared/ipc/channels';
import type { CoreHandlers } from '../core/handlers';

/**
 * Runs the engine in a worker thread and presents it as ordinary handlers, so the main process
 * only routes. Each handler resolves with the worker's value or throws its typed error.
 */
export function startEngineWorker(
  workerPath: string,
  dbPath: string,
  resourcesDir: string,
  onEvent: (event: EventName, payload: unknown) => void,
): { handlers: CoreHandlers; stop: () => Promise<number> } {
  // Load the worker script with require() from a tiny eval'd bootstrap: Electron's module loader
  // reads from inside app.asar, while a Worker given a file path inside the archive cannot.
  const worker = new Worker('require(require("node:worker_threads").workerData.workerPath);', {
    eval: true,
    workerData: { dbPath, resourcesDir, workerPath },
  });
  const pending = new Map<number, { resolve: (r: IpcResult<unknown>) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  worker.on('message', (msg: { id?: number; result?: IpcResult<unknown>; event?: EventName; payload?: unknown }) => {
    if (msg.event) onEvent(msg.event, msg.payload);
    else if (msg.id !== undefined && msg.result) {
      pending.get(msg.id)?.resolve(msg.result);
      pending.delete(msg.id);
    }
  });
  worker.on('error', (err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  const call = (channel: CoreChannel, input: unknown): Promise<unknown> =>
    new Promise<IpcResult<unknown>>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, channel, input });
    }).then((result) => {
      if (result.ok) return result.value;
      throw new DocketError(result.error.code, result.error.message, result.error.issues);
    });
  const handlers = Object.fromEntries(CORE_CHANNELS.map((c) => [c, (input: unknown) => call(c, input)])) as unknown as CoreHandlers;
  return { handlers, stop: () => worker.terminate() };
}
