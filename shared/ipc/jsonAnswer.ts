import type { Channel } from './contract';
import type { IpcResult } from './result';

/**
 * Big answers cross the process boundaries as JSON text. In the app an answer is copied twice on its
 * way to the window: engine worker -> main process (postMessage) and main process -> renderer (IPC),
 * each a structured clone. For a 10 MB object graph (20,000 models, the sunset candidates of a large
 * registry) each clone costs the Electron main thread hundreds of milliseconds, during which the
 * window cannot be served. Text is copied flat: the engine serializes once on its own thread, the
 * main process only routes the string, and the renderer parses it once on its own thread.
 *
 * Only channels whose answers are plain JSON data are sent this way (no Date, no bytes, no NaN):
 * test/unit/ipc/jsonAnswer.test.ts round-trips each one's real answer and fails if that changes.
 */
export const JSON_ANSWER_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  'models/list',
  'models/page',
  'models/stats',
  'models/names',
  'lifecycle/candidates',
  'spend/summary',
  'spend/unitCosts',
  'spend/lineItems',
  'audit/list',
  'lineage/show',
  'models/history',
]);

const KEY = '$docketJson';

/** An answer in transit as JSON text. */
export interface JsonAnswer {
  readonly [KEY]: string;
}

export function isJsonAnswer(value: unknown): value is JsonAnswer {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[KEY] === 'string';
}

/** The result as the engine sends it: a successful answer of a JSON channel becomes its text. */
export function answerForTransport(channel: string, result: IpcResult<unknown>): IpcResult<unknown> {
  if (!result.ok || !JSON_ANSWER_CHANNELS.has(channel as Channel)) return result;
  return { ok: true, value: { [KEY]: JSON.stringify(result.value) } satisfies JsonAnswer };
}

/** The answer itself, wherever it is finally used (the renderer, or the main process for its own calls). */
export function readAnswer<T>(value: unknown): T {
  return (isJsonAnswer(value) ? JSON.parse(value[KEY]) : value) as T;
}
