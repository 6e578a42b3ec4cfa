import { useCallback, useEffect, useRef, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload } from '../../shared/ipc/contract';
import type { IpcErrorBody, IpcResult } from '../../shared/ipc/result';
import { readAnswer } from '../../shared/ipc/jsonAnswer';

/**
 * Calls the engine through window.docket. Never throws: a missing bridge or a transport failure
 * becomes an `{ ok: false }` result the UI shows in an error banner.
 */
export async function invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelOutput<C>>> {
  const api = typeof window === 'undefined' ? undefined : window.docket;
  if (!api || typeof api.invoke !== 'function') {
    return { ok: false, error: { code: 'INTERNAL', message: 'The Docket engine is not connected (window.docket is missing). Restart the app.' } };
  }
  try {
    const result = await api.invoke(channel, input);
    if (!result || typeof result !== 'object' || typeof (result as { ok?: unknown }).ok !== 'boolean') {
      return { ok: false, error: { code: 'INTERNAL', message: `Unexpected reply from the engine for ${channel}.` } };
    }
    // Big answers arrive as JSON text (shared/ipc/jsonAnswer.ts): parsed here, on the window's own thread.
    return result.ok ? { ok: true, value: readAnswer<ChannelOutput<C>>(result.value) } : result;
  } catch (err) {
    return { ok: false, error: { code: 'INTERNAL', message: `${channel} failed: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

export interface Query<T> {
  data: T | undefined;
  error: IpcErrorBody | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads a channel's value when `key` changes; keeps the last good value while reloading. */
export function useQuery<C extends Channel>(channel: C, input: ChannelInput<C>, key: string = ''): Query<ChannelOutput<C>> {
  const [data, setData] = useState<ChannelOutput<C> | undefined>(undefined);
  const [error, setError] = useState<IpcErrorBody | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const inputRef = useRef(input);
  inputRef.current = input;

  useEffect(() => {
    let live = true;
    setLoading(true);
    void invoke(channel, inputRef.current).then((result) => {
      if (!live) return;
      if (result.ok) {
        setData(result.value);
        setError(undefined);
      } else {
        setError(result.error);
      }
      setLoading(false);
    });
    return () => {
      live = false;
    };
  }, [channel, key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/**
 * Calls `listener` for each `event` the engine sends while the component is mounted. A window
 * without the bridge (a test, a broken preload) simply hears nothing.
 */
export function useEngineEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  const listenerRef = useRef(listener);
  listenerRef.current = listener;
  useEffect(() => {
    let off: (() => void) | undefined;
    try {
      off = window.docket?.on(event, (payload) => listenerRef.current(payload));
    } catch {
      off = undefined;
    }
    return () => off?.();
  }, [event]);
}
