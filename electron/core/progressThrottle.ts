import { performance } from 'node:perf_hooks';

/** At most one progress event per this many milliseconds and event name; the rest are coalesced. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Progress events ('...Progress') are coalesced before they leave the engine worker: an import
 * reports per file or per batch (5,000 cards, 5,000 events), and each one crosses the Electron main
 * thread on its way to the window. The latest payload wins; it is sent once PROGRESS_INTERVAL_MS has
 * passed since the last one of its name, when the call answers (flush), or on a timer once the
 * engine is free again. Other events pass straight through, after any progress held before them.
 */
export function progressThrottle(send: (event: string, payload: unknown) => void, now: () => number = () => performance.now()) {
  const lastSent = new Map<string, number>();
  const pending = new Map<string, unknown>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const [event, payload] of pending) {
      lastSent.set(event, now());
      send(event, payload);
    }
    pending.clear();
  };
  const emit = (event: string, payload: unknown): void => {
    if (!event.endsWith('Progress')) {
      flush();
      send(event, payload);
      return;
    }
    const last = lastSent.get(event);
    if (last === undefined || now() - last >= PROGRESS_INTERVAL_MS) {
      pending.delete(event);
      lastSent.set(event, now());
      send(event, payload);
    } else {
      pending.set(event, payload);
      timer ??= setTimeout(flush, PROGRESS_INTERVAL_MS);
    }
  };
  return { emit, flush };
}
