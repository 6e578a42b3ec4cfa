// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { DocketApi } from '../../shared/ipc/bridge';
import type { ChannelOutput, ModelVersionDetail } from '../../shared/ipc/contract';
import type { IpcResult } from '../../shared/ipc/result';
import type { LineageView } from '../../shared/domain/lineage';
import { ModelDetail } from '../../renderer/src/models/ModelDetail';
import { SourcesView } from '../../renderer/src/views/SourcesView';
import { HistoryTab, localInputToIso } from '../../renderer/src/history/HistoryTab';
import { LineageTab } from '../../renderer/src/lineage/LineageTab';

type Handler = (input: unknown) => IpcResult<unknown> | Promise<IpcResult<unknown>>;
let handlers: Record<string, Handler>;
let listeners: Map<string, Set<(p: unknown) => void>>;
const calls: { channel: string; input: unknown }[] = [];

beforeEach(() => {
  calls.length = 0;
  handlers = {};
  listeners = new Map();
  const api = {
    invoke: async (channel: string, input: unknown) => {
      calls.push({ channel, input });
      const h = handlers[channel];
      return h ? h(input) : { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `no ${channel}` } };
    },
    on: (event: string, l: (p: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(l);
      listeners.set(event, set);
      return () => set.delete(l);
    },
  };
  (window as unknown as { docket: DocketApi }).docket = api as unknown as DocketApi;
});
afterEach(() => cleanup());

const SECTIONS = ['details', 'intendedUse', 'outOfScopeUse', 'biasRisksLimitations', 'trainingData', 'evaluation'];

function registryOnly(): ModelVersionDetail {
  return {
    name: 'fraud',
    version: '3',
    versions: [{ version: '3', importedAt: '2026-02-01T00:00:00Z' }],
    tags: [],
    aliases: ['champion'],
    card: null,
    completeness: { present: [], empty: [], missing: SECTIONS, ratio: 0 },
    source: null,
    registry: {
      version: '3',
      status: 'READY',
      currentStage: 'Production',
      description: 'Gradient boosted fraud model',
      source: 'models:/m-abc123',
      runId: 'run-abc',
      runLink: 'https://mlflow.example.com/#/runs/run-abc',
      userId: 'alice@example.com',
      createdAt: Date.parse('2026-01-10T08:30:00Z'),
      updatedAt: Date.parse('2026-01-12T09:00:00Z'),
      tags: [{ key: 'team', value: 'risk' }],
      run: {
        runId: 'run-abc',
        experimentId: '1',
        status: 'FINISHED',
        startTime: null,
        endTime: null,
        params: [{ key: 'max_depth', value: '6' }],
        metrics: Array.from({ length: 12 }, (_, i) => ({ key: `m${String(i).padStart(2, '0')}`, value: i / 3, step: null, timestamp: null })),
        tags: [],
        datasetInputs: [
          { name: 'transactions', digest: 'abc', source: 's3://data/tx', sourceType: 's3', context: 'training' },
          { name: 'holdout', digest: null, source: null, sourceType: null, context: 'evaluation' },
        ],
      },
    },
  };
}

describe('ModelDetail without a card', () => {
  it('shows an honest empty state, all sections missing, and the registry facts', async () => {
    handlers['models/show'] = () => ({ ok: true, value: registryOnly() });
    handlers['shell/openExternal'] = () => ({ ok: true, value: { opened: true, reason: null } });
    render(<ModelDetail name="fraud" version="3" tab="card" />);
    const empty = await screen.findByTestId('no-card');
    expect(empty.textContent).toContain('No model card imported for this version yet');
    expect(empty.textContent).toContain('docket import cards <path> --version 3');
    expect(within(empty).getByRole('button', { name: 'Import a card for version 3…' })).toBeTruthy();
    expect(screen.getByTestId('no-card-status').textContent).toContain('Not imported');

    const completeness = screen.getByTestId('card-completeness');
    const states = [...completeness.querySelectorAll('li')].map((li) => li.getAttribute('data-state'));
    expect(states).toEqual(SECTIONS.map(() => 'missing'));
    expect(completeness.textContent).toContain('0/6');
    expect(screen.getByTestId('provenance-none').textContent).toContain('No card file imported');

    const reg = screen.getByTestId('registry-panel');
    expect(reg.textContent).toContain('READY');
    expect(reg.textContent).toContain('Production');
    expect(reg.textContent).toContain('alice@example.com');
    expect(reg.textContent).toContain('2026-01-10 08:30:00 UTC');
    expect(reg.textContent).toContain('models:/m-abc123');
    expect(reg.textContent).toContain('team=risk');
    expect(screen.getByTestId('registry-metrics').querySelectorAll('tr')).toHaveLength(10);
    expect(reg.textContent).toContain('top 10 of 12');
    const datasets = screen.getByTestId('registry-datasets');
    expect(datasets.textContent).toContain('training');
    expect(datasets.textContent).toContain('evaluation');

    fireEvent.click(within(reg).getByRole('link', { name: /open run/ }));
    await waitFor(() => expect(calls.some((c) => c.channel === 'shell/openExternal')).toBe(true));
    expect(calls.find((c) => c.channel === 'shell/openExternal')!.input).toEqual({ url: 'https://mlflow.example.com/#/runs/run-abc' });
  });

  it('imports a card for this version from the empty state, then reloads', async () => {
    handlers['models/show'] = () => ({ ok: true, value: registryOnly() });
    handlers['dialog/pickCardPaths'] = () => ({ ok: true, value: { paths: ['/cards/fraud.md'] } });
    handlers['cards/import'] = () => ({ ok: true, value: { imported: 1, unchanged: 0, rejected: [], syncRunId: 9 } });
    render(<ModelDetail name="fraud" version="3" tab="card" />);
    fireEvent.click(await screen.findByTestId('no-card-import-button'));
    expect((await screen.findByTestId('import-result')).textContent).toContain('Imported 1');
    expect(calls.find((c) => c.channel === 'cards/import')!.input).toEqual({ paths: ['/cards/fraud.md'], version: '3' });
    await waitFor(() => expect(calls.filter((c) => c.channel === 'models/show').length).toBe(2));
  });

  it('has the Card, Fairness, Lineage and History tabs', async () => {
    handlers['models/show'] = () => ({ ok: true, value: registryOnly() });
    render(<ModelDetail name="fraud" version="3" tab="card" />);
    const tabs = within(await screen.findByRole('tablist')).getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['Card', 'Fairness', 'Lineage', 'History']);
    fireEvent.click(tabs[3]!);
    expect(window.location.hash).toBe('#/models/fraud@3/history');
  });
});

type SourcesList = ChannelOutput<'sources/list'>;
const SOURCES: SourcesList = {
  sources: [{ id: 1, kind: 'mlflow', url: 'http://mlflow.local:5000', lastSyncAt: '2026-02-01T10:00:00Z', lastStatus: 'ok', scheduleMinutes: null }],
  runs: [
    { id: 7, kind: 'mlflow', source: 'http://mlflow.local:5000', startedAt: '2026-02-01T09:59:00Z', finishedAt: '2026-02-01T10:00:00Z', status: 'ok', added: 12, unchanged: 3, rejected: 0, changed: 2, requests: 41, error: null },
    { id: 6, kind: 'mlflow', source: 'http://mlflow.local:5000', startedAt: '2026-01-31T09:59:00Z', finishedAt: '2026-01-31T09:59:05Z', status: 'failed', added: 0, unchanged: 0, rejected: 0, changed: null, requests: 1, error: '401 Unauthorized' },
    { id: 5, kind: 'cards', source: null, startedAt: '2026-01-30T09:00:00Z', finishedAt: '2026-01-30T09:00:01Z', status: 'ok', added: 4, unchanged: 0, rejected: 1, changed: null, requests: null, error: null },
  ],
};

describe('SourcesView', () => {
  it('tests the connection: ok and not ok, with the token sent only when given', async () => {
    handlers['sources/list'] = () => ({ ok: true, value: SOURCES });
    let answer: ChannelOutput<'mlflow/test'> = { ok: true, message: 'MLflow answered', models: 14 };
    handlers['mlflow/test'] = () => ({ ok: true, value: answer });
    render(<SourcesView />);
    const url = screen.getByRole('textbox', { name: 'MLflow tracking URL' });
    const token = screen.getByLabelText('Access token');
    expect(token.getAttribute('type')).toBe('password');
    expect(screen.getByTestId('sources-view').textContent).toContain('kept in memory for this sync only and never written to the database');
    fireEvent.change(url, { target: { value: 'http://mlflow.local:5000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    const result = await screen.findByTestId('mlflow-test-result');
    expect(result.textContent).toContain('Connected');
    expect(result.textContent).toContain('MLflow answered');
    expect(result.textContent).toContain('14 registered models');
    expect(result.querySelector('.status-ok')).toBeTruthy();
    expect(calls.find((c) => c.channel === 'mlflow/test')!.input).toEqual({ url: 'http://mlflow.local:5000' });

    answer = { ok: false, message: 'HTTP 401: token rejected', models: null };
    fireEvent.change(token, { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(screen.getByTestId('mlflow-test-result').textContent).toContain('Not connected'));
    expect(screen.getByTestId('mlflow-test-result').textContent).toContain('HTTP 401: token rejected');
    expect(screen.getByTestId('mlflow-test-result').querySelector('.status-bad')).toBeTruthy();
    expect(calls.filter((c) => c.channel === 'mlflow/test')[1]!.input).toEqual({ url: 'http://mlflow.local:5000', token: 's3cret' });
  });

  it('shows IPC errors in the error banner', async () => {
    handlers['sources/list'] = () => ({ ok: true, value: SOURCES });
    handlers['mlflow/test'] = () => ({ ok: false, error: { code: 'INVALID_INPUT', message: 'Invalid input', issues: [{ path: 'url', message: 'Invalid URL' }] } });
    render(<SourcesView />);
    fireEvent.change(screen.getByLabelText('MLflow tracking URL'), { target: { value: 'not a url' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('Connection test failed: Invalid input');
    expect(banner.textContent).toContain('Invalid URL');
  });

  it('syncs with determinate and indeterminate progress from events, then summarises and reloads the runs', async () => {
    let list = 0;
    handlers['sources/list'] = () => ({ ok: true, value: list++ === 0 ? { sources: [], runs: [] } : SOURCES });
    let finish: (r: IpcResult<ChannelOutput<'mlflow/sync'>>) => void = () => undefined;
    handlers['mlflow/sync'] = () => new Promise((resolve) => (finish = resolve));
    render(<SourcesView />);
    expect(await screen.findByTestId('sources-empty')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('MLflow tracking URL'), { target: { value: 'http://mlflow.local:5000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    await screen.findByTestId('sync-progress');
    expect(screen.getByTestId('sync-progress').querySelector('progress')!.hasAttribute('value')).toBe(false);

    act(() => listeners.get('mlflow/syncProgress')?.forEach((l) => l({ phase: 'versions', done: 3, total: 10 })));
    expect(screen.getByTestId('sync-progress-count').textContent).toBe('Reading model versions: 3 / 10');
    const bar = screen.getByTestId('sync-progress').querySelector('progress')!;
    expect(bar.getAttribute('max')).toBe('10');
    expect(bar.getAttribute('value')).toBe('3');

    act(() => listeners.get('mlflow/syncProgress')?.forEach((l) => l({ phase: 'runs', done: 5, total: null })));
    expect(screen.getByTestId('sync-progress-count').textContent).toBe('Reading runs: 5');
    expect(screen.getByTestId('sync-progress').querySelector('progress')!.hasAttribute('value')).toBe(false);

    await act(async () =>
      finish({
        ok: true,
        value: { syncRunId: 8, url: 'http://mlflow.local:5000', models: 4, versions: 11, modelsAdded: 1, versionsAdded: 3, changed: 2, unchanged: 6, events: 9, requests: { 'registered-models/search': 1, 'runs/get': 11 }, warnings: [] },
      }),
    );
    const summary = await screen.findByTestId('sync-result');
    expect(summary.textContent).toContain('Sync run #8');
    expect(summary.textContent).toMatch(/Models\s*4/);
    expect(summary.textContent).toMatch(/Versions\s*11/);
    expect(summary.textContent).toContain('(1 model, 3 versions)');
    expect(summary.textContent).toMatch(/Changed\s*2/);
    expect(summary.textContent).toMatch(/Unchanged\s*6/);
    expect(summary.textContent).toMatch(/Requests\s*12/);
    expect(screen.queryByTestId('sync-progress')).toBeNull();
    expect(listeners.get('mlflow/syncProgress')?.size ?? 0).toBe(0);

    const runs = await screen.findByTestId('sync-runs');
    const rows = within(runs).getAllByTestId('sync-run-row');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.getAttribute('data-status')).toBe('failed');
    expect(within(runs).getByTestId('sync-run-error').textContent).toContain('401 Unauthorized');
    expect(rows[1]!.textContent).toContain('failed');
    expect(rows[0]!.textContent).toContain('2026-02-0109:59:00 UTC');
    expect(rows[0]!.querySelector('td[title="2026-02-01 10:00:00 UTC"]')!.textContent).toBe('10:00:00 UTC');
    expect(rows[0]!.textContent).toContain('41');
    expect(screen.getByTestId('sources-table').textContent).toContain('http://mlflow.local:5000');
  });

  it('shows a failed sync in the error banner and keeps the form', async () => {
    handlers['sources/list'] = () => ({ ok: true, value: SOURCES });
    handlers['mlflow/sync'] = () => ({ ok: false, error: { code: 'INTERNAL', message: 'connect ECONNREFUSED 127.0.0.1:5000' } });
    render(<SourcesView />);
    fireEvent.change(screen.getByLabelText('MLflow tracking URL'), { target: { value: 'http://127.0.0.1:5000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    expect((await screen.findByTestId('error-banner')).textContent).toContain('Sync failed: connect ECONNREFUSED 127.0.0.1:5000');
    expect(screen.queryByTestId('sync-progress')).toBeNull();
  });
});

const HISTORY: ChannelOutput<'models/history'> = {
  model: 'fraud',
  placements: [
    { kind: 'alias', name: 'champion', version: '2', firstSeenAt: '2026-01-01T00:00:00Z', lastSeenAt: '2026-01-04T00:00:00Z', endedAt: '2026-01-05T00:00:00Z' },
    { kind: 'alias', name: 'champion', version: '3', firstSeenAt: '2026-01-05T00:00:00Z', lastSeenAt: '2026-01-09T00:00:00Z', endedAt: null },
    { kind: 'stage', name: 'Production', version: '3', firstSeenAt: '2026-01-06T00:00:00Z', lastSeenAt: '2026-01-09T00:00:00Z', endedAt: null },
  ],
  events: [{ at: '2026-01-05T00:00:00Z', kind: 'tag_set', version: '3', key: 'validated', old: null, new: 'true', syncRunId: 4 }],
  at: null,
};

describe('HistoryTab', () => {
  it('reads datetime-local values as UTC', () => {
    expect(localInputToIso('2026-01-04T12:30')).toBe('2026-01-04T12:30:00.000Z');
    expect(localInputToIso('2026-01-04T12:30:15')).toBe('2026-01-04T12:30:15.000Z');
    expect(localInputToIso('2026-01-04')).toBeNull();
    expect(localInputToIso('')).toBeNull();
  });

  it('draws the timeline with a table fallback, and answers "as of" with certainty and note', async () => {
    handlers['models/history'] = (input) => {
      const at = (input as { at?: string }).at;
      if (!at) return { ok: true, value: HISTORY };
      return {
        ok: true,
        value: {
          ...HISTORY,
          at: {
            moment: at,
            held: [
              { ...HISTORY.placements[1]!, certainty: 'uncertain' as const },
              { ...HISTORY.placements[2]!, certainty: 'observed' as const },
            ],
            note: 'champion moved between the syncs of 2026-01-04 and 2026-01-05.',
          },
        },
      };
    };
    render(<HistoryTab name="fraud" version="3" />);
    const timeline = await screen.findByTestId('alias-timeline');
    expect(timeline.querySelectorAll('.tl-bar')).toHaveLength(3);
    expect(timeline.querySelectorAll('.tl-window')).toHaveLength(1);
    expect(timeline.querySelectorAll('.tl-open').length).toBeGreaterThanOrEqual(1);
    expect(timeline.textContent).toContain('@champion');
    expect(timeline.textContent).toContain('stage Production');
    const table = screen.getByTestId('placement-table');
    expect(table.querySelectorAll('tbody tr')).toHaveLength(3);
    expect(table.textContent).toContain('2026-01-04 00:00:00 UTC');
    expect(table.textContent).toContain('still held');
    expect(screen.getByTestId('registry-events').textContent).toContain('tag set');

    fireEvent.change(screen.getByTestId('history-at-input'), { target: { value: '2026-01-04T12:00' } });
    const result = await screen.findByTestId('history-at-result');
    expect(calls.at(-1)).toEqual({ channel: 'models/history', input: { name: 'fraud', at: '2026-01-04T12:00:00.000Z' } });
    expect(result.textContent).toContain('At 2026-01-04 12:00:00 UTC:');
    expect(result.textContent).toContain('@champion → v3');
    expect(result.textContent).toContain('uncertain');
    expect(result.textContent).toContain('stage Production → v3');
    expect(result.textContent).toContain('observed');
    expect(result.textContent).toContain('champion moved between the syncs');
    expect(timeline.querySelector('.tl-marker')).toBeTruthy();
  });

  it('teaches how to get history when there is none', async () => {
    handlers['models/history'] = () => ({ ok: true, value: { model: 'fraud', placements: [], events: [], at: null } });
    render(<HistoryTab name="fraud" version="3" />);
    expect((await screen.findByTestId('history-empty')).textContent).toContain('docket sync mlflow --url <url>');
  });
});

function lineage(): LineageView {
  return {
    model: 'fraud',
    version: '3',
    focus: 'model:fraud@3',
    nodes: [
      { id: 'dataset:s3://b|tx', kind: 'dataset', label: 'transactions', namespace: 's3://b', facets: { schema: { fields: [{ name: 'amount' }] }, note: '<img src=x onerror=alert(1)>' }, sources: ['openlineage'] },
      { id: 'run:abc', kind: 'run', label: 'train-run-abc', namespace: null, facets: {}, sources: ['mlflow'] },
      { id: 'model:fraud@3', kind: 'model_version', label: 'fraud@3', namespace: null, facets: {}, sources: ['mlflow'] },
      { id: 'deploy:prod', kind: 'deployment', label: 'prod-endpoint', namespace: null, facets: {}, sources: ['openlineage'] },
    ],
    edges: [
      { from: 'dataset:s3://b|tx', to: 'run:abc', kind: 'input' },
      { from: 'run:abc', to: 'model:fraud@3', kind: 'produced' },
      { from: 'model:fraud@3', to: 'deploy:prod', kind: 'deployed' },
    ],
    completeness: { trainingData: true, evaluationData: false, producingRun: true, codeLocation: false },
  };
}

describe('LineageTab', () => {
  it('shows completeness, a graph of buttons, and node facets as text only', async () => {
    handlers['lineage/show'] = () => ({ ok: true, value: lineage() });
    render(<LineageTab name="fraud" version="3" />);
    const graph = await screen.findByTestId('lineage-graph');
    const checks = screen.getByTestId('lineage-completeness');
    expect(checks.querySelector('[data-check="trainingData"]')!.getAttribute('data-state')).toBe('known');
    expect(checks.querySelector('[data-check="evaluationData"]')!.getAttribute('data-state')).toBe('missing');
    expect(checks.textContent).toContain('Code location: missing');
    expect(checks.textContent).toContain('2/4');

    const nodes = within(graph).getAllByRole('button');
    expect(nodes).toHaveLength(4);
    expect(nodes.map((n) => n.getAttribute('data-kind'))).toEqual(['dataset', 'run', 'model_version', 'deployment']);
    expect(graph.querySelector('.lg-node.focus')!.getAttribute('data-node-id')).toBe('model:fraud@3');
    expect(graph.querySelectorAll('.lg-edge')).toHaveLength(3);

    fireEvent.keyDown(nodes[0]!, { key: 'Enter' });
    const panel = await screen.findByTestId('lineage-node-panel');
    expect(panel.textContent).toContain('Dataset');
    expect(panel.textContent).toContain('s3://b');
    expect(panel.textContent).toContain('openlineage');
    const facets = screen.getByTestId('lineage-node-facets');
    expect(facets.tagName).toBe('PRE');
    expect(facets.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(facets.textContent).toContain('"amount"');
    expect(document.querySelector('img')).toBeNull();
    expect(panel.querySelector('img')).toBeNull();

    // Neighbours are buttons too; clicking moves the selection.
    fireEvent.click(within(panel).getByRole('button', { name: 'train-run-abc' }));
    expect(screen.getByTestId('lineage-node-panel').getAttribute('data-node-id')).toBe('run:abc');
    fireEvent.click(nodes[2]!);
    expect(screen.getByTestId('lineage-node-panel').textContent).toContain('this version');
  });

  it('teaches how to get lineage when there is none', async () => {
    handlers['lineage/show'] = () => ({
      ok: true,
      value: { ...lineage(), nodes: [lineage().nodes[2]!], edges: [], completeness: { trainingData: false, evaluationData: false, producingRun: false, codeLocation: false } },
    });
    render(<LineageTab name="fraud" version="3" />);
    const empty = await screen.findByTestId('lineage-empty');
    expect(empty.textContent).toContain('docket import lineage <file>');
    expect(empty.textContent).toContain('sync MLflow runs with dataset inputs');
    expect(screen.queryByTestId('lineage-graph')).toBeNull();
  });
});
