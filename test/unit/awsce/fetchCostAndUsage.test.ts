import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CostExplorerError, fetchCostAndUsage, type CeFetchProgress, type FetchCostAndUsageOptions } from '../../../electron/core/awsce/fetchCostAndUsage';
import { mapCostAndUsagePage, parseAmount, tagValueFromKey, type WireCostAndUsagePage } from '../../../electron/core/awsce/mapCostAndUsage';
import { generateDataset, startCostExplorerServer, type CostExplorerTestServer } from '../../support/costExplorerServer';

const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET };
const fastRetry = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

let server: CostExplorerTestServer;

beforeEach(async () => {
  // 4 days x (2 models + untagged) x 2 services = 24 cells; 5 a page -> 5 pages.
  server = await startCostExplorerServer({ dataset: generateDataset({ from: '2025-03-01', days: 4, estimatedTail: 1 }), pageSize: 5 });
});
afterEach(async () => {
  await server.close();
});

function options(extra: Partial<FetchCostAndUsageOptions> = {}): FetchCostAndUsageOptions {
  return { from: '2025-03-01', to: '2025-03-05', endpoint: server.url, credentials, retry: fastRetry, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<CostExplorerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CostExplorerError);
    return error as CostExplorerError;
  }
  throw new Error('expected the fetch to fail');
}

describe('fetchCostAndUsage against a loopback JSON 1.1 server', () => {
  it('sends the JSON 1.1 request the API expects', async () => {
    await fetchCostAndUsage(options({ tagKey: 'ml:model', groupBy2: 'LINKED_ACCOUNT' }));
    const [first, second] = server.requestsTo('GetCostAndUsage');
    expect(first?.target).toBe('AWSInsightsIndexService.GetCostAndUsage');
    expect(first?.contentType).toBe('application/x-amz-json-1.1');
    expect(first?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/ce\/aws4_request, /);
    expect(first?.body).toEqual({
      TimePeriod: { Start: '2025-03-01', End: '2025-03-05' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost', 'AmortizedCost', 'UsageQuantity'],
      GroupBy: [
        { Type: 'TAG', Key: 'ml:model' },
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
      ],
    });
    expect(first?.body).not.toHaveProperty('NextPageToken');
    expect(typeof second?.body?.NextPageToken).toBe('string');
    expect({ ...second?.body, NextPageToken: undefined }).toEqual({ ...first?.body, NextPageToken: undefined });
  });

  it('follows NextPageToken over every page and parses the string amounts', async () => {
    const seen: CeFetchProgress[] = [];
    const result = await fetchCostAndUsage(options({ onProgress: (p) => seen.push(p) }));
    expect(result.pages).toBe(5);
    expect(result.requests).toBe(5);
    expect(server.log).toHaveLength(5);
    expect(result.days).toHaveLength(24);
    expect(seen.map((p) => p.pages)).toEqual([1, 2, 3, 4, 5]);
    expect(seen.at(-1)).toEqual({ phase: 'usage', pages: 5, requests: 5, rows: 24 });

    const sagemaker = result.days.find((d) => d.day === '2025-03-02' && d.tagValue === 'churn' && d.group2 === 'Amazon SageMaker');
    const wire = server.dataset.rows.find((r) => r.day === '2025-03-02' && r.tagValue === 'churn' && r.dimensions.SERVICE === 'Amazon SageMaker')!;
    expect(sagemaker).toEqual({
      day: '2025-03-02',
      tagValue: 'churn',
      group2: 'Amazon SageMaker',
      unblendedCost: Number(wire.unblendedCost),
      amortizedCost: Number(wire.amortizedCost),
      usageQuantity: Number(wire.usageQuantity),
      currency: 'USD',
      estimated: false,
    });
    expect(wire.unblendedCost).toBe('11.5123456789');
    expect(sagemaker?.unblendedCost).toBe(11.5123456789);
    // Each day's groups are all there even though days straddle pages.
    for (const day of ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04']) expect(result.days.filter((d) => d.day === day)).toHaveLength(6);
    const total = result.days.reduce((sum, d) => sum + d.unblendedCost, 0);
    const expected = server.dataset.rows.reduce((sum, r) => sum + Number(r.unblendedCost), 0);
    expect(total).toBeCloseTo(expected, 8);
  });

  it('keeps untagged cost as tagValue null, never dropped', async () => {
    const result = await fetchCostAndUsage(options());
    const untagged = result.days.filter((d) => d.tagValue === null);
    expect(untagged).toHaveLength(8);
    expect(untagged.every((d) => d.unblendedCost > 0)).toBe(true);
    expect(new Set(result.days.map((d) => d.tagValue))).toEqual(new Set(['fraud-scorer', 'churn', null]));
  });

  it('carries the Estimated flag of each day', async () => {
    const result = await fetchCostAndUsage(options());
    expect(result.dayStatus).toEqual([
      { day: '2025-03-01', estimated: false },
      { day: '2025-03-02', estimated: false },
      { day: '2025-03-03', estimated: false },
      { day: '2025-03-04', estimated: true },
    ]);
    expect(result.days.filter((d) => d.estimated).map((d) => d.day)).toEqual(Array(6).fill('2025-03-04'));
  });

  it('uses another tag key and reports days without cost', async () => {
    const result = await fetchCostAndUsage(options({ tagKey: 'team', from: '2025-03-03', to: '2025-03-08' }));
    expect(server.log[0]?.body?.GroupBy).toEqual([
      { Type: 'TAG', Key: 'team' },
      { Type: 'DIMENSION', Key: 'SERVICE' },
    ]);
    // The dataset tags ml:model only: all of it is untagged for "team$".
    expect(result.days.every((d) => d.tagValue === null)).toBe(true);
    expect(result.dayStatus.map((d) => d.day)).toEqual(['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07']);
  });

  it('retries LimitExceededException with backoff, then succeeds, counting every request', async () => {
    server.inject('GetCostAndUsage', { error: 'LimitExceededException', times: 2 });
    const result = await fetchCostAndUsage(options());
    expect(server.log.slice(0, 3).map((r) => r.errorType)).toEqual(['LimitExceededException', 'LimitExceededException', null]);
    expect(result.pages).toBe(5);
    expect(result.requests).toBe(7);
    expect(server.log).toHaveLength(7);
    expect(result.days).toHaveLength(24);
  });

  it('accepts a namespaced __type and a lower-case message', async () => {
    server.inject('GetCostAndUsage', { error: 'LimitExceededException', namespace: 'com.amazonaws.costexplorer', messageKey: 'message' });
    const result = await fetchCostAndUsage(options());
    expect(result.requests).toBe(6);
  });

  it('gives up after maxAttempts with a clear message, the SDK adding no retries of its own', async () => {
    server.inject('GetCostAndUsage', { error: 'LimitExceededException', times: Infinity });
    const error = await failure(fetchCostAndUsage(options({ retry: { maxAttempts: 3, baseDelayMs: 1 } })));
    expect(error.kind).toBe('throttled');
    expect(error.awsCode).toBe('LimitExceededException');
    expect(error.requests).toBe(3);
    expect(server.log).toHaveLength(3);
    expect(error.message).toMatch(/kept throttling GetCostAndUsage \(LimitExceededException\) after 3 attempts: wait a minute and sync again/);
  });

  it('backs off exponentially', async () => {
    server.inject('GetCostAndUsage', { error: 'LimitExceededException', times: 3 });
    const started = Date.now();
    await fetchCostAndUsage(options({ retry: { maxAttempts: 4, baseDelayMs: 40 } }));
    // 40 + 80 + 160 ms
    expect(Date.now() - started).toBeGreaterThanOrEqual(270);
  });

  it('throttling in the middle of paging resumes at the same page', async () => {
    const seen: CeFetchProgress[] = [];
    let injected = false;
    const result = await fetchCostAndUsage(
      options({
        onProgress: (p) => {
          seen.push(p);
          if (p.pages === 2 && !injected) {
            injected = true;
            server.inject('GetCostAndUsage', { error: 'LimitExceededException' });
          }
        },
      }),
    );
    expect(result.days).toHaveLength(24);
    expect(result.requests).toBe(6);
    const retried = server.log[3]!;
    expect(server.log[2]?.errorType).toBe('LimitExceededException');
    expect(retried.body?.NextPageToken).toBe(server.log[2]?.body?.NextPageToken);
  });

  it('ends on DataUnavailableException with a clear message and no retry', async () => {
    server.inject('GetCostAndUsage', { error: 'DataUnavailableException' });
    const error = await failure(fetchCostAndUsage(options()));
    expect(error.kind).toBe('data-unavailable');
    expect(error.status).toBe(400);
    expect(error.requests).toBe(1);
    expect(error.message).toMatch(/Cost Explorer has no data for this request \(DataUnavailableException: Data is not available/);
    expect(error.message).toMatch(/Enable Cost Explorer for the account/);
    expect(server.log).toHaveLength(1);
  });

  it('ends on DataUnavailableException met on a later page: no partial result', async () => {
    let injected = false;
    const error = await failure(
      fetchCostAndUsage(
        options({
          onProgress: (p) => {
            if (p.pages === 3 && !injected) {
              injected = true;
              server.inject('GetCostAndUsage', { error: 'DataUnavailableException' });
            }
          },
        }),
      ),
    );
    expect(error.kind).toBe('data-unavailable');
    expect(error.requests).toBe(4);
  });

  it('ends on BillExpirationException', async () => {
    server.inject('GetCostAndUsage', { error: 'BillExpirationException', message: 'The requested report expired.' });
    const error = await failure(fetchCostAndUsage(options()));
    expect(error.kind).toBe('bill-expired');
    expect(error.message).toMatch(/choose a later start date/);
  });

  it.each([
    ['UnrecognizedClientException', /AWS refused the given credentials for GetCostAndUsage \(UnrecognizedClientException: The security token included in the request is invalid\.\): check the access key/],
    ['AccessDeniedException', /\(AccessDeniedException: .*\): the identity needs the ce:GetCostAndUsage permission/],
    ['ExpiredTokenException', /\(ExpiredTokenException: .*\): the session has expired: refresh it \(for SSO: aws sso login\)/],
  ])('ends on the auth error %s with a clear message, no retry, no credential in it', async (code, message) => {
    server.inject('GetCostAndUsage', { error: code });
    const error = await failure(fetchCostAndUsage(options()));
    expect(error.kind).toBe('auth');
    expect(error.awsCode).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.requests).toBe(1);
    expect(server.log).toHaveLength(1);
  });

  it('scrubs credentials echoed by the server from messages', async () => {
    server.inject('GetCostAndUsage', { error: 'UnrecognizedClientException', message: `The AWS Access Key Id ${ACCESS_KEY_ID} does not exist; secret ${SECRET}` });
    const error = await failure(fetchCostAndUsage(options()));
    expect(error.message).not.toContain(ACCESS_KEY_ID);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain('Access Key Id *** does not exist');
  });

  describe('with a named profile', () => {
    let dir: string;
    const saved = { ...process.env };
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'docket-awsce-'));
      writeFileSync(join(dir, 'config'), '[profile ml-billing]\nregion = eu-west-1\n');
      writeFileSync(join(dir, 'credentials'), `[ml-billing]\naws_access_key_id = ASIAPROFILEKEY000001\naws_secret_access_key = profile-secret-value\n`);
      process.env.AWS_CONFIG_FILE = join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
      for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[key];
    });
    afterEach(() => {
      process.env = { ...saved };
      rmSync(dir, { recursive: true, force: true });
    });

    it('signs with the profile credentials, in us-east-1 whatever the profile region', async () => {
      await fetchCostAndUsage(options({ credentials: undefined, profile: 'ml-billing' }));
      expect(server.log[0]?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAPROFILEKEY000001\/\d{8}\/us-east-1\/ce\/aws4_request/);
    });

    it('names the profile and the SSO login in an expired-token message', async () => {
      server.inject('GetCostAndUsage', { error: 'ExpiredTokenException' });
      const error = await failure(fetchCostAndUsage(options({ credentials: undefined, profile: 'ml-billing' })));
      expect(error.message).toMatch(/AWS refused profile "ml-billing" for GetCostAndUsage \(ExpiredTokenException: .*aws sso login --profile ml-billing\)/);
      expect(error.message).not.toContain('ASIAPROFILEKEY000001');
    });

    it('reports a missing profile as a credentials problem, before any request', async () => {
      const error = await failure(fetchCostAndUsage(options({ credentials: undefined, profile: 'no-such-profile' })));
      expect(error.kind).toBe('credentials');
      expect(error.message).toMatch(/No usable AWS credentials for profile "no-such-profile"/);
      expect(server.log).toHaveLength(0);
    });
  });

  it('retries a 5xx, then reports it', async () => {
    server.inject('GetCostAndUsage', { error: 'InternalServerError', status: 500, times: Infinity });
    const error = await failure(fetchCostAndUsage(options({ retry: { maxAttempts: 2, baseDelayMs: 1 } })));
    expect(error.kind).toBe('server');
    expect(error.requests).toBe(2);
  });

  it('reports an unknown request error as a rejected request', async () => {
    server.inject('GetCostAndUsage', { error: 'ValidationException', message: 'end date is after start date' });
    const error = await failure(fetchCostAndUsage(options()));
    expect(error.kind).toBe('request');
    expect(error.message).toMatch(/Cost Explorer rejected GetCostAndUsage \(ValidationException, HTTP 400\): end date/);
  });

  it('rejects a non-numeric amount', async () => {
    server.dataset.rows[0]!.unblendedCost = '12,5';
    const error = await failure(fetchCostAndUsage(options()));
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toMatch(/non-numeric amount "12,5" at ResultsByTime\[0\]\.Groups\[\d\]\.Metrics\.UnblendedCost \(page 1\)/);
  });

  it('stops when the server repeats a page token', async () => {
    const page = { ResultsByTime: [], NextPageToken: 'same' };
    server.inject('GetCostAndUsage', { respond: page, times: 2 });
    const error = await failure(fetchCostAndUsage(options()));
    expect(error.kind).toBe('invalid-response');
    expect(error.requests).toBe(2);
  });

  it('cancels through the AbortSignal, between pages', async () => {
    const controller = new AbortController();
    const error = await failure(fetchCostAndUsage(options({ signal: controller.signal, onProgress: (p) => p.pages === 2 && controller.abort() })));
    expect(error.kind).toBe('cancelled');
    expect(server.log).toHaveLength(2);
  });

  it('cancels during a backoff wait', async () => {
    server.inject('GetCostAndUsage', { error: 'LimitExceededException', times: Infinity });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(fetchCostAndUsage(options({ signal: controller.signal, retry: { maxAttempts: 10, baseDelayMs: 10_000 } })));
    expect(error.kind).toBe('cancelled');
  });

  it('reports an unreachable endpoint as a network error', async () => {
    const url = server.url;
    await server.close();
    const error = await failure(fetchCostAndUsage(options({ endpoint: url })));
    expect(error.kind).toBe('network');
    server = await startCostExplorerServer();
  });

  it('rejects bad dates before sending anything', async () => {
    expect((await failure(fetchCostAndUsage(options({ from: '2025-3-1' })))).kind).toBe('config');
    expect((await failure(fetchCostAndUsage(options({ from: '2025-03-05', to: '2025-03-05' })))).message).toMatch(/exclusive/);
    expect(server.log).toHaveLength(0);
  });

  it('reads GetCostForecast (UNBLENDED_COST, MONTHLY) and counts it', async () => {
    const result = await fetchCostAndUsage(options({ forecast: { from: '2025-03-05', to: '2025-04-01' } }));
    const [request] = server.requestsTo('GetCostForecast');
    expect(request?.target).toBe('AWSInsightsIndexService.GetCostForecast');
    expect(request?.body).toEqual({ TimePeriod: { Start: '2025-03-05', End: '2025-04-01' }, Metric: 'UNBLENDED_COST', Granularity: 'MONTHLY', PredictionIntervalLevel: 80 });
    expect(result.forecast).toEqual({ start: '2025-03-05', end: '2025-04-01', mean: 1234.5678901234, lower: 1100.25, upper: 1370.75, currency: 'USD' });
    expect(result.requests).toBe(6);
  });

  it('sums a forecast over several months', async () => {
    server.forecast = { months: [{ mean: '100.5', lower: '90', upper: '110' }, { mean: '200.25', lower: '180', upper: '220' }] };
    const result = await fetchCostAndUsage(options({ forecast: { from: '2025-03-05', to: '2025-05-01' } }));
    expect(result.forecast).toMatchObject({ mean: 300.75, lower: 270, upper: 330 });
  });

  it('retries a throttled forecast and ends on its DataUnavailableException', async () => {
    server.inject('GetCostForecast', { error: 'LimitExceededException' });
    server.inject('GetCostForecast', { error: 'DataUnavailableException', message: 'Insufficient amount of historical data to generate forecast.' });
    const error = await failure(fetchCostAndUsage(options({ forecast: { from: '2025-03-05', to: '2025-04-01' } })));
    expect(error.kind).toBe('data-unavailable');
    expect(error.operation).toBe('GetCostForecast');
    expect(error.requests).toBe(7);
  });

  it('maps the real aws-cli example response served by the server', async () => {
    const fixture = JSON.parse(readFileSync(new URL('../../fixtures/aws-ce/awscli-get-cost-and-usage.output.json', import.meta.url), 'utf8')) as WireCostAndUsagePage;
    const mapped = mapCostAndUsagePage(fixture, { tagKey: 'Environment', groupBy: fixture.GroupDefinitions ?? [], metrics: ['BlendedCost', 'UnblendedCost', 'UsageQuantity'] });
    expect(mapped.dayStatus).toEqual([{ day: '2017-09-01', estimated: false }]);
    expect(mapped.rows).toEqual([
      { day: '2017-09-01', tagValue: null, group2: 'Amazon Simple Storage Service', unblendedCost: 40.3543773134, amortizedCost: 0, usageQuantity: 9312771.098461578, currency: 'USD', estimated: false },
      { day: '2017-09-01', tagValue: 'Dev', group2: 'Amazon Simple Storage Service', unblendedCost: 0.2682364644, amortizedCost: 0, usageQuantity: 22403.4395271182, currency: 'USD', estimated: false },
    ]);
  });

  it('the real response shape passes through the SDK and the server (GroupDefinitions order DIMENSION, TAG)', async () => {
    const fixture = JSON.parse(readFileSync(new URL('../../fixtures/aws-ce/awscli-get-cost-and-usage.output.json', import.meta.url), 'utf8')) as WireCostAndUsagePage;
    // The real answer lacks AmortizedCost (aws-cli did not ask for it): the connector asks for it, so it must refuse the page.
    server.inject('GetCostAndUsage', { respond: fixture });
    const error = await failure(fetchCostAndUsage(options({ tagKey: 'Environment' })));
    expect(error.message).toMatch(/left out the metric AmortizedCost at ResultsByTime\[0\]\.Groups\[0\]/);
    // With the metric added, the SDK deserialises it and the keys are read by GroupDefinitions, not by position.
    const withAmortized = structuredClone(fixture);
    for (const group of withAmortized.ResultsByTime?.[0]?.Groups ?? []) group.Metrics!.AmortizedCost = { Amount: group.Metrics!.UnblendedCost!.Amount, Unit: 'USD' };
    server.inject('GetCostAndUsage', { respond: withAmortized });
    const result = await fetchCostAndUsage(options({ tagKey: 'Environment' }));
    expect(result.days.map((d) => [d.tagValue, d.group2, d.unblendedCost, d.amortizedCost])).toEqual([
      [null, 'Amazon Simple Storage Service', 40.3543773134, 40.3543773134],
      ['Dev', 'Amazon Simple Storage Service', 0.2682364644, 0.2682364644],
    ]);
  });
});

describe('mapper helpers', () => {
  it('reads tag group keys', () => {
    expect(tagValueFromKey('ml:model$fraud', 'ml:model')).toBe('fraud');
    expect(tagValueFromKey('ml:model$', 'ml:model')).toBeNull();
    expect(tagValueFromKey('ml:model$a$b', 'ml:model')).toBe('a$b');
  });
  it('parses decimal strings, exponents included, and refuses the rest', () => {
    expect(parseAmount('0.0000001', 'x')).toBe(1e-7);
    expect(parseAmount('1.2E-7', 'x')).toBe(1.2e-7);
    expect(parseAmount('-3.5', 'x')).toBe(-3.5);
    expect(() => parseAmount('', 'x')).toThrow(/non-numeric/);
    expect(() => parseAmount('NaN', 'x')).toThrow(/non-numeric/);
    expect(() => parseAmount(undefined, 'x')).toThrow(/non-numeric/);
  });
});
