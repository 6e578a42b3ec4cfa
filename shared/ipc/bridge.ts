import { isChannel, isEventName, type Channel, type EventName } from './channels';
import type { ChannelInput, ChannelOutput, EventPayload } from './contract';
import type { IpcErrorBody, IpcResult } from './result';

/**
 * How `window.docket` reaches the engine. The preload passes ipcRenderer-backed functions;
 * the e2e harness passes functions bound with page.exposeBinding. Same API either way.
 */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<IpcResult<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export interface DocketApi {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createDocketApi(transport: Transport): DocketApi {
  return Object.freeze({
    invoke(channel, input) {
      if (!isChannel(channel)) {
        const error: IpcErrorBody = { code: 'UNKNOWN_CHANNEL', message: `No such channel: ${String(channel)}` };
        return Promise.resolve({ ok: false, error });
      }
      return transport.invoke(channel, input) as never;
    },
    on(event, listener) {
      if (!isEventName(event)) throw new Error(`No such event: ${String(event)}`);
      return transport.subscribe(event, listener as (payload: unknown) => void);
    },
  } satisfies DocketApi);
}
