// Bundled into the page by the e2e harness as an init script. It builds window.docket with the
// SAME createDocketApi the preload uses; only the transport differs (Playwright bindings).
import { createDocketApi } from '../../shared/ipc/bridge';
import type { IpcResult } from '../../shared/ipc/result';

type Listener = (payload: unknown) => void;
interface HarnessWindow {
  __docketInvoke(channel: string, input: unknown): Promise<string>;
  __docketEmit(event: string, payload: unknown): void;
  docket: unknown;
}
const w = window as unknown as HarnessWindow;
const listeners = new Map<string, Set<Listener>>();

w.__docketEmit = (event, payload) => listeners.get(event)?.forEach((l) => l(payload));
w.docket = createDocketApi({
  invoke: async (channel, input) => {
    const reply = JSON.parse(await w.__docketInvoke(channel, input)) as IpcResult<unknown> | { $harnessAnswer: string };
    // A big answer waits on the harness's loopback server (see test/support/harness.ts).
    if ('$harnessAnswer' in reply) return (await (await fetch(`/__docket/answer/${reply.$harnessAnswer}`)).json()) as IpcResult<unknown>;
    return reply;
  },
  subscribe: (event, listener) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  },
});
