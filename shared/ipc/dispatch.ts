import { contract, isChannel, type Channel, type ChannelOutput, type ChannelParsedInput } from './contract';
import { DocketError, type IpcResult } from './result';

/** The engine side of every channel: one async function per channel, typed by the contract. */
export type Handlers = { [C in Channel]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> | ChannelOutput<C> };

/**
 * Runs one call from an untrusted caller: checks the channel exists, parses the input with the
 * channel's schema, calls the handler and wraps whatever happens in an IpcResult.
 * Nothing here is channel-specific; the Electron registration and the test harness both use it.
 */
export async function dispatch(handlers: Handlers, channel: unknown, rawInput: unknown): Promise<IpcResult<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `No such channel: ${String(channel).slice(0, 100)}` } };
  }
  const parsed = contract[channel].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: `Invalid input for ${channel}`,
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
      },
    };
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (err) {
    if (err instanceof DocketError) {
      return { ok: false, error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } };
    }
    const message = err instanceof Error ? err.message : String(err);
    // SQLite's SQLITE_FULL, which the store raises as a StoreFullError saying what happened (and
    // that nothing was written): not a fault in Docket, so not INTERNAL.
    if ((err as { code?: unknown } | null)?.code === 'SQLITE_FULL') {
      const said = err instanceof Error && err.name === 'StoreFullError';
      return { ok: false, error: { code: 'DISK_FULL', message: said ? message : `The disk holding the workspace database is full (${message}). Free some disk space and try again.` } };
    }
    return { ok: false, error: { code: 'INTERNAL', message } };
  }
}
