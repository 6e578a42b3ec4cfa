import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dispatch, type Handlers } from '../../shared/ipc/dispatch';
import type { Channel, ChannelOutput } from '../../shared/ipc/contract';
import { createCoreHandlers } from '../../electron/core/handlers';
import { buildDemoWorkspace } from '../../electron/core/demo/buildDemo';
import { openStore, type Store } from '../../electron/core/store/openStore';
import { fixedClock } from './tempStore';

/** The engine's handlers over a freshly built demo workspace, for tests that ask it real questions. */
export interface DemoHandlers {
  store: Store;
  handlers: Handlers;
  /** The channel's value; throws with the error's code and message when it answers an error. */
  value<C extends Channel>(channel: C, input?: unknown): Promise<ChannelOutput<C>>;
  close(): void;
}

export async function demoHandlers(name: string, actor = 'demo'): Promise<DemoHandlers> {
  const base = mkdtempSync(join(tmpdir(), `docket-${name}-`));
  const demo = await buildDemoWorkspace({ outDir: join(base, 'workspace'), resourcesDir: resolve('resources'), clock: fixedClock(), actor: 'demo' });
  const store = openStore(demo.machine.dbPath);
  const handlers = createCoreHandlers({ store, resourcesDir: resolve('resources'), actor, clock: fixedClock(), emit: () => undefined }) as unknown as Handlers;
  return {
    store,
    handlers,
    async value(channel, input = {}) {
      const result = await dispatch(handlers, channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value as never;
    },
    close() {
      store.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
