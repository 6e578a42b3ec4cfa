import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDataset, startCostExplorerServer, type CostExplorerTestServer } from '../../support/costExplorerServer';

// The stub must be as strict as the real endpoint on the things the connector relies on.
let server: CostExplorerTestServer;
beforeEach(async () => {
  server = await startCostExplorerServer({ dataset: generateDataset({ from: '2025-03-01', days: 2 }), pageSize: 4 });
});
afterEach(async () => {
  await server.close();
});

const body = JSON.stringify({ TimePeriod: { Start: '2025-03-01', End: '2025-03-03' }, Granularity: 'DAILY', Metrics: ['UnblendedCost'], GroupBy: [{ Type: 'TAG', Key: 'ml:model' }] });
const headers = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'AWSInsightsIndexService.GetCostAndUsage',
  authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250301/us-east-1/ce/aws4_request, SignedHeaders=host, Signature=0',
};

async function call(extra: Record<string, string | undefined>, payload = body): Promise<{ status: number; json: Record<string, unknown> }> {
  const merged = Object.fromEntries(Object.entries({ ...headers, ...extra }).filter((e): e is [string, string] => e[1] !== undefined));
  const response = await fetch(server.url, { method: 'POST', headers: merged, body: payload });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('costExplorerServer', () => {
  it('requires an Authorization header, the JSON 1.1 content type and a known target', async () => {
    expect((await call({ authorization: undefined })).json.__type).toBe('MissingAuthenticationTokenException');
    expect((await call({ 'content-type': 'application/json' })).status).toBe(400);
    expect((await call({ 'x-amz-target': 'AWSInsightsIndexService.GetTags' })).json.__type).toBe('UnknownOperationException');
  });

  it('serves string amounts and an opaque token bound to the request', async () => {
    const first = await call({});
    expect(first.status).toBe(200);
    const groups = (first.json.ResultsByTime as { Groups: { Keys: string[]; Metrics: { UnblendedCost: { Amount: unknown } } }[] }[])[0]!.Groups;
    expect(typeof groups[0]!.Metrics.UnblendedCost.Amount).toBe('string');
    expect(groups.map((g) => g.Keys[0])).toContain('ml:model$');
    const token = first.json.NextPageToken as string;
    expect(token).toMatch(/\./);
    const changed = JSON.parse(body) as Record<string, unknown>;
    changed.Metrics = ['AmortizedCost'];
    expect((await call({}, JSON.stringify({ ...changed, NextPageToken: token }))).json.__type).toBe('RequestChangedException');
    expect((await call({}, JSON.stringify({ ...JSON.parse(body), NextPageToken: `${token}x` }))).json.__type).toBe('InvalidNextTokenException');
    const second = await call({}, JSON.stringify({ ...JSON.parse(body), NextPageToken: token }));
    expect(second.status).toBe(200);
  });

  it('answers injected faults n times, then normally', async () => {
    server.inject('GetCostAndUsage', { error: 'LimitExceededException', times: 2 });
    expect((await call({})).json).toEqual({ __type: 'LimitExceededException', Message: expect.stringMatching(/rate limit/) });
    expect((await call({})).status).toBe(400);
    expect((await call({})).status).toBe(200);
  });
});
