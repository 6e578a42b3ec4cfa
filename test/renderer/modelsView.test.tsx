// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { DocketApi } from '../../shared/ipc/bridge';
import type { ImportResult, ModelSummary } from '../../shared/ipc/contract';
import type { IpcResult } from '../../shared/ipc/result';
import { ModelsView } from '../../renderer/src/models/ModelsView';
import { ModelTable } from '../../renderer/src/models/ModelTable';
import { MODEL_PAGE_ROWS, useModelPages } from '../../renderer/src/models/useModelPages';
import { filterAndSort, type SortState } from '../../shared/models/filterSort';
import { AuditView } from '../../renderer/src/views/AuditView';
import { App } from '../../renderer/src/App';

const ALL = ['details', 'intendedUse', 'outOfScopeUse', 'biasRisksLimitations', 'trainingData', 'evaluation'];

function summary(name: string, over: Partial<ModelSummary> = {}): ModelSummary {
  return {
    name,
    owners: ['Risk Team'],
    tags: ['tabular'],
    license: 'MIT',
    latestVersion: '1.0.0',
    versionCount: 1,
    completeness: { present: ALL, empty: [], missing: [], ratio: 1 },
    fairnessStatus: 'none',
    updatedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

type Handler = (input: unknown) => IpcResult<unknown> | Promise<IpcResult<unknown>>;

/** The engine's models/page over `models`: searched and sorted with the same filterSort, then sliced. */
function pagesOf(models: ModelSummary[]): Handler {
  return (input) => {
    const { query = '', sort = { key: 'name', direction: 'asc' }, offset = 0, limit = 1000 } = input as { query?: string; sort?: SortState; offset?: number; limit?: number };
    const ordered = filterAndSort(models, query, sort);
    return { ok: true, value: { rows: ordered.slice(offset, offset + limit), offset, total: models.length, matching: ordered.length } };
  };
}
let handlers: Record<string, Handler>;
let listeners: Map<string, Set<(p: unknown) => void>>;
const calls: { channel: string; input: unknown }[] = [];

function install() {
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
}

class FakeResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

// jsdom has no layout: give elements a size so the virtualized grid renders its rows.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1200 });

beforeEach(() => {
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = FakeResizeObserver;
  calls.length = 0;
  handlers = {};
  install();
  window.location.hash = '#/models';
});
afterEach(() => cleanup());

describe('ModelsView', () => {
  it('teaches the next step when there are no models', async () => {
    handlers['models/page'] = pagesOf([]);
    render(<ModelsView />);
    const empty = await screen.findByTestId('models-empty');
    expect(empty.textContent).toContain('Hugging Face README.md, Model Card Toolkit JSON, CycloneDX ML-BOM');
    expect(empty.textContent).toContain('docket import cards <path>');
    expect(within(empty).getByRole('button', { name: 'Import model cards…' })).toBeTruthy();
  });

  it('shows IPC errors in a banner', async () => {
    handlers['models/page'] = () => ({ ok: false, error: { code: 'INTERNAL', message: 'database is locked' } });
    render(<ModelsView />);
    const banner = await screen.findByTestId('error-banner');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('database is locked');
  });

  it('renders rows, filters by search and sorts by clicking headers', async () => {
    handlers['models/page'] = pagesOf([summary('zeta', { versionCount: 3 }), summary('alpha', { owners: ['NLP Guild'], tags: ['nlp'], versionCount: 9 }), summary('mid', { license: null })]);
    render(<ModelsView />);
    await screen.findByTestId('model-list');
    const names = () => screen.getAllByTestId('model-row').map((r) => r.getAttribute('data-model-name'));
    expect(names()).toEqual(['alpha', 'mid', 'zeta']);

    const header = screen.getByTestId('sort-versionCount');
    fireEvent.click(header);
    expect(header.closest('[role=columnheader]')!.getAttribute('aria-sort')).toBe('ascending');
    await waitFor(() => expect(names()).toEqual(['mid', 'zeta', 'alpha']));
    fireEvent.click(header);
    expect(header.closest('[role=columnheader]')!.getAttribute('aria-sort')).toBe('descending');
    await waitFor(() => expect(names()).toEqual(['alpha', 'zeta', 'mid']));
    // The engine searched and sorted: the window asked for the first page of each order.
    expect(calls.filter((c) => c.channel === 'models/page').map((c) => c.input)).toContainEqual({ query: '', sort: { key: 'versionCount', direction: 'desc' }, offset: 0, limit: MODEL_PAGE_ROWS });

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search models' }), { target: { value: 'nlp guild' } });
    await waitFor(() => expect(names()).toEqual(['alpha']));
  });

  it('moves the selection with the arrow keys and opens with Enter', async () => {
    handlers['models/page'] = pagesOf([summary('a'), summary('b', { latestVersion: '2.0' }), summary('c')]);
    render(<ModelsView />);
    const grid = await screen.findByTestId('model-list');
    expect(grid.getAttribute('role')).toBe('grid');
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    const selected = screen.getAllByTestId('model-row').find((r) => r.getAttribute('aria-selected') === 'true');
    expect(selected?.getAttribute('data-model-name')).toBe('b');
    expect(grid.getAttribute('aria-activedescendant')).toBe(selected?.id);
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(window.location.hash).toBe('#/models/b@2.0');
  });

  it('imports with progress, then lists rejected files and says nothing was written', async () => {
    handlers['models/page'] = pagesOf([summary('a')]);
    handlers['dialog/pickCardPaths'] = () => ({ ok: true, value: { paths: ['/cards'] } });
    let finish: (r: IpcResult<ImportResult>) => void = () => undefined;
    handlers['cards/import'] = () => new Promise((resolve) => (finish = resolve));
    render(<ModelsView />);
    fireEvent.click(await screen.findByRole('button', { name: 'Import model cards…' }));
    await screen.findByTestId('import-progress');
    act(() => listeners.get('cards/importProgress')?.forEach((l) => l({ done: 2, total: 5, file: '/cards/x.md' })));
    expect(screen.getByTestId('import-progress-count').textContent).toBe('2 / 5 files');
    const bar = screen.getByTestId('import-progress').querySelector('progress')!;
    expect(bar.getAttribute('max')).toBe('5');
    expect(bar.getAttribute('value')).toBe('2');
    await act(async () =>
      finish({ ok: true, value: { imported: 0, unchanged: 0, syncRunId: 3, rejected: [{ file: '/cards/bad.md', location: 'line 4', reason: 'front matter is not YAML' }] } }),
    );
    const errors = await screen.findByTestId('import-errors');
    expect(errors.getAttribute('role')).toBe('alert');
    expect(errors.textContent).toContain('/cards/bad.md');
    expect(errors.textContent).toContain('line 4');
    expect(errors.textContent).toContain('front matter is not YAML');
    expect(errors.textContent).toContain('Nothing from this import was written');
    expect(calls.filter((c) => c.channel === 'cards/import')[0]?.input).toEqual({ paths: ['/cards'] });
    expect(calls.filter((c) => c.channel === 'models/page').length).toBe(2);
  });

  it('reports a clean import as "Imported N, unchanged M"', async () => {
    handlers['models/page'] = pagesOf([summary('a')]);
    handlers['dialog/pickCardPaths'] = () => ({ ok: true, value: { paths: ['/cards'] } });
    handlers['cards/import'] = () => ({ ok: true, value: { imported: 3, unchanged: 1, syncRunId: 4, rejected: [] } });
    render(<ModelsView />);
    fireEvent.click(await screen.findByRole('button', { name: 'Import model cards…' }));
    expect((await screen.findByTestId('import-result')).textContent).toContain('Imported 3, unchanged 1');
  });

  it('does nothing when the file dialog is cancelled', async () => {
    handlers['models/page'] = pagesOf([summary('a')]);
    handlers['dialog/pickCardPaths'] = () => ({ ok: true, value: { paths: [] } });
    render(<ModelsView />);
    fireEvent.click(await screen.findByRole('button', { name: 'Import model cards…' }));
    await waitFor(() => expect(calls.some((c) => c.channel === 'dialog/pickCardPaths')).toBe(true));
    expect(calls.some((c) => c.channel === 'cards/import')).toBe(false);
  });
});

describe('Models a page at a time', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => summary(`model-${String(i).padStart(5, '0')}`));
  const pageCalls = () => calls.filter((c) => c.channel === 'models/page').map((c) => c.input as { offset: number; query: string });

  it('asks the engine for the first page only and counts every model', async () => {
    handlers['models/page'] = pagesOf(many(1200));
    render(<ModelsView />);
    await screen.findByTestId('model-list');
    expect(screen.getByTestId('model-count').textContent).toBe('1,200 models');
    expect(pageCalls().map((c) => c.offset)).toEqual([0]);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search models' }), { target: { value: 'model-0119' } });
    await waitFor(() => expect(screen.getByTestId('model-count').textContent).toBe('10 of 1,200 models'));
    expect(pageCalls().at(-1)).toMatchObject({ query: 'model-0119', offset: 0 });
  });

  it('shows a placeholder for a row whose page has not arrived, and tells which rows it shows', async () => {
    const ranges: [number, number][] = [];
    render(<ModelTable models={[summary('a'), undefined, summary('c')]} sort={{ key: 'name', direction: 'asc' }} onSort={() => undefined} onRange={(a, b) => ranges.push([a, b])} />);
    expect(screen.getAllByTestId('model-row').map((r) => r.getAttribute('data-model-name'))).toEqual(['a', 'c']);
    const loading = screen.getByTestId('model-row-loading');
    expect(loading.getAttribute('aria-busy')).toBe('true');
    expect(loading.textContent).toContain('Loading');
    await waitFor(() => expect(ranges.at(-1)).toEqual([0, 2]));
  });

  it('fetches the pages asked for, and starts over when the store changed between two pages', async () => {
    let models = many(1200);
    handlers['models/page'] = (input) => pagesOf(models)(input);
    let pages: ReturnType<typeof useModelPages> | undefined;
    function Probe() {
      pages = useModelPages('', { key: 'name', direction: 'asc' });
      return null;
    }
    render(<Probe />);
    await waitFor(() => expect(pages?.total).toBe(1200));
    expect(pages!.rows.length).toBe(1200);
    expect(pages!.rows[0]?.name).toBe('model-00000');
    expect(pages!.rows[600]).toBeUndefined();

    act(() => pages!.need(600, 650));
    await waitFor(() => expect(pages!.rows[600]?.name).toBe('model-00600'));
    expect(pageCalls().map((c) => c.offset)).toEqual([0, MODEL_PAGE_ROWS]);
    // Asking again for pages already asked for sends nothing.
    act(() => pages!.need(0, 900));
    expect(pageCalls().length).toBe(2);

    // A model imported meanwhile: the next page's counts disagree, so every page is asked for again.
    models = many(1201);
    act(() => pages!.need(1100, 1150));
    await waitFor(() => expect(pages!.total).toBe(1201));
    expect(pages!.rows.length).toBe(1201);
    expect(pageCalls().map((c) => c.offset)).toEqual([0, MODEL_PAGE_ROWS, 2 * MODEL_PAGE_ROWS, 0]);
  });
});

describe('AuditView and App shell', () => {
  it('verifies the chain and shows the verdict as text', async () => {
    handlers['audit/list'] = () => ({ ok: true, value: [{ seq: 1, at: '2026-01-01T00:00:00Z', actor: 'me', action: 'cards.import', subject: 'sync_run:1', detail: {}, hash: 'ab'.repeat(32) }] });
    handlers['audit/verify'] = () => ({ ok: true, value: { ok: false, checked: 5, head: null, firstBadSeq: 3, reason: 'hash mismatch' } });
    render(<AuditView />);
    await screen.findByTestId('audit-table');
    fireEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    expect((await screen.findByTestId('audit-verify-result')).textContent).toContain('Chain broken at entry 3: hash mismatch');
  });

  it('has a main navigation with every area', async () => {
    handlers['models/page'] = pagesOf([]);
    handlers['audit/verify'] = () => ({ ok: true, value: { ok: true, checked: 0, head: null, firstBadSeq: null, reason: null } });
    window.location.hash = '#/overview';
    render(<App />);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const labels = within(nav).getAllByRole('link').map((a) => a.textContent?.trim());
    expect(labels).toEqual(['◎Overview', '▤Models', '✓Reviews', '$Spend', '◔Budgets', '↻Lifecycle', '≡Audit log', '⇄Sources', '⚙Settings']);
    expect((await screen.findByTestId('audit-verify-result')).textContent).toContain('Chain intact: 0 entries');
  });
});
