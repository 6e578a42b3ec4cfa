import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REVIEW_DECISION_TAG, REVIEW_STATE_TAG, writeBackReviewTags } from '../../../electron/core/reviews/mlflowWriteBack';
import { startMlflowServer, type MlflowTestServer } from '../../support/mlflowServer';

const TOKEN = 'dapi-writeback-token';
const fastRetry = { backoffMs: 1, maxBackoffMs: 5, maxRetryAfterMs: 20, maxServerErrorRetries: 1 };
let server: MlflowTestServer;

beforeEach(async () => {
  server = await startMlflowServer({ token: TOKEN });
  server.addVersion('fraud');
  server.addVersion('fraud');
});
afterEach(async () => {
  await server.close();
});

describe('MLflow write-back of a review outcome', () => {
  it('sets the state and decision tags on the version, through the REST set-tag call', async () => {
    const outcome = await writeBackReviewTags({ url: server.url, token: TOKEN, clientOptions: { retry: fastRetry } }, { model: 'fraud', version: '2' }, { state: 'approved', decisionDigest: 'ab'.repeat(32) });
    expect(outcome).toMatchObject({ ok: true, error: null });
    const tags = Object.fromEntries((server.version('fraud', '2').tags ?? []).map((t) => [t.key, t.value]));
    expect(tags[REVIEW_STATE_TAG]).toBe('approved');
    expect(tags[REVIEW_DECISION_TAG]).toBe(`sha256:${'ab'.repeat(32)}`);
    // The other version is untouched, and the calls were POSTs carrying the token.
    expect(server.version('fraud', '1').tags ?? []).toEqual([]);
    const calls = server.log.filter((r) => r.endpoint === 'model-versions/set-tag');
    expect(calls.map((c) => [c.method, c.status, c.authorization])).toEqual([
      ['POST', 200, `Bearer ${TOKEN}`],
      ['POST', 200, `Bearer ${TOKEN}`],
    ]);
  });

  it('reports a refusal with the server, the version and the reason, and throws nothing', async () => {
    server.inject('model-versions/set-tag', { status: 403, times: Infinity });
    const outcome = await writeBackReviewTags({ url: server.url, token: TOKEN, clientOptions: { retry: fastRetry } }, { model: 'fraud', version: '2' }, { state: 'approved', decisionDigest: 'cd'.repeat(32) });
    expect(outcome.ok).toBe(false);
    expect(outcome.written).toEqual([]);
    expect(outcome.error).toContain('fraud v2');
    expect(outcome.error).toContain(server.url);
    expect(outcome.error).toMatch(/403/);
    expect(server.version('fraud', '2').tags ?? []).toEqual([]);
  });

  it('reports an unknown version as the server words it', async () => {
    const outcome = await writeBackReviewTags({ url: server.url, token: TOKEN, clientOptions: { retry: fastRetry } }, { model: 'fraud', version: '9' }, { state: 'approved', decisionDigest: 'ef'.repeat(32) });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/not found|RESOURCE_DOES_NOT_EXIST/);
  });
});
