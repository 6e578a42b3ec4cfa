import type { Channel } from '../../shared/ipc/contract';
import type { Handlers } from '../../shared/ipc/dispatch';
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import type { Store } from './store/openStore';
import type { Clock } from './store/clock';
import { importCards } from './cards/importCards';
import { listModels, showModel } from './models/modelQueries';
import { listAudit, verifyAuditChain } from './store/auditLog';
import { dbInfo } from './store/dbInfo';

/** Channels that need the desktop shell (dialogs, the OS browser, app metadata); each host supplies them. */
export type ShellChannel = 'app/info' | 'dialog/pickCardPaths' | 'shell/openExternal';
export type CoreChannel = Exclude<Channel, ShellChannel>;
export type CoreHandlers = Pick<Handlers, CoreChannel>;
export type ShellHandlers = Pick<Handlers, ShellChannel>;

export interface EngineContext {
  store: Store;
  actor: string;
  clock: Clock;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/** The engine's side of the IPC contract: thin adapters from channels to core functions. */
export function createCoreHandlers(ctx: EngineContext): CoreHandlers {
  const { store } = ctx;
  return {
    'models/list': () => listModels(store.db),
    'models/show': ({ name, version }) => showModel(store.db, name, version),
    'cards/import': ({ paths, version }) =>
      importCards(store, paths, {
        fallbackVersion: version,
        actor: ctx.actor,
        clock: ctx.clock,
        onProgress: (p) => ctx.emit('cards/importProgress', p),
      }),
    'audit/list': ({ limit }) => listAudit(store.db, limit),
    'audit/verify': () => verifyAuditChain(store.db),
    'db/info': () => dbInfo(store),
  };
}
