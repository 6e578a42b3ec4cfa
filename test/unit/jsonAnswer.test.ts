import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../shared/ipc/dispatch';
import { answerForTransport, isJsonAnswer, JSON_ANSWER_CHANNELS, readAnswer } from '../../shared/ipc/jsonAnswer';
import { demoHandlers, type DemoHandlers } from '../support/demoHandlers';

/**
 * The channels whose answers travel as JSON text (shared/ipc/jsonAnswer.ts) must lose nothing on the
 * way: each one's real answer over the demo workspace is sent as the engine sends it, cloned as the
 * main process forwards it, parsed as the window reads it, and compared with the original. A Date,
 * bytes, a NaN or an Infinity in an answer would come back different and fail here.
 */
let demo: DemoHandlers;
let handlers: Handlers;

beforeAll(async () => {
  demo = await demoHandlers('json-answer');
  handlers = demo.handlers;
}, 60_000);
afterAll(() => demo?.close());

/** Inputs that reach real data in the demo workspace, for every JSON channel. */
async function inputs(): Promise<Record<string, unknown[]>> {
  const models = await demo.value('models/list');
  const spend = await demo.value('spend/summary', { by: 'model' });
  const spentOn = spend.rows[0]!.key;
  return {
    'models/list': [{}],
    'models/page': [{}, { query: 'fraud', sort: { key: 'completeness', direction: 'desc' }, offset: 1, limit: 3 }],
    'models/stats': [{}],
    'models/names': [{}],
    'lifecycle/candidates': [{}],
    'spend/summary': [{ by: 'model' }, { by: 'team' }, { by: 'service', from: spend.coverage.firstDay }],
    'spend/unitCosts': [{}],
    'spend/lineItems': [{ by: 'model', key: spentOn, limit: 50 }],
    'audit/list': [{ limit: 500, offset: 0 }],
    'lineage/show': models.map((m) => ({ name: m.name, version: m.latestVersion })),
    'models/history': models.map((m) => ({ name: m.name })),
  };
}

describe('answers sent as JSON text', () => {
  it('has real inputs for every JSON channel', async () => {
    expect(Object.keys(await inputs()).sort()).toEqual([...JSON_ANSWER_CHANNELS].sort());
  });

  it('arrive in the window equal to what the engine answered', async () => {
    let nonEmpty = 0;
    for (const [channel, list] of Object.entries(await inputs())) {
      for (const input of list) {
        const result = await dispatch(handlers, channel, input);
        if (!result.ok) {
          // Some demo models have no lineage: a typed answer, not a JSON one.
          expect(result.error.code, `${channel} ${JSON.stringify(input)}`).toBe('NOT_FOUND');
          continue;
        }
        const sent = answerForTransport(channel, result);
        expect(sent.ok && isJsonAnswer(sent.value), channel).toBe(true);
        const delivered = structuredClone(structuredClone(sent));
        expect(delivered.ok && readAnswer(delivered.value), `${channel} ${JSON.stringify(input)}`).toEqual(result.value);
        if (JSON.stringify(result.value).length > 200) nonEmpty += 1;
      }
    }
    expect(nonEmpty).toBeGreaterThan(10);
  });

  it('leaves errors and other channels as they are', async () => {
    const refused = await dispatch(handlers, 'models/show', { name: 'no-such-model' });
    expect(answerForTransport('models/show', refused)).toBe(refused);
    const info = await dispatch(handlers, 'db/info', {});
    expect(answerForTransport('db/info', info)).toBe(info);
    const missing = await dispatch(handlers, 'lineage/show', { name: 'no-such-model', version: '1' });
    expect(missing.ok).toBe(false);
    expect(answerForTransport('lineage/show', missing)).toBe(missing);
  });

  it('would catch an answer JSON cannot carry', () => {
    const lossy = { ok: true as const, value: { at: new Date(0), ratio: Number.NaN } };
    const sent = answerForTransport('models/list', lossy);
    expect(sent.ok && readAnswer(sent.value)).not.toEqual(lossy.value);
  });
});
