import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createDocketApi } from '../../shared/ipc/bridge';
import type { IpcResult } from '../../shared/ipc/result';

// Literal names, not imports from electron/main: the sandboxed preload bundles only what it needs.
const INVOKE_CHANNEL = 'docket:invoke';
const EVENT_CHANNEL = 'docket:event';

/** window.docket: the renderer's only way to the engine. Same builder as the e2e harness. */
const api = createDocketApi({
  invoke: (channel, input) => ipcRenderer.invoke(INVOKE_CHANNEL, channel, input) as Promise<IpcResult<unknown>>,
  subscribe: (event, listener) => {
    const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
});

contextBridge.exposeInMainWorld('docket', api);
