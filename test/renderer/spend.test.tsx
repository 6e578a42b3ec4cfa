// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { DocketApi } from '../../shared/ipc/bridge';
import type { SpendSummary } from '../../shared/ipc/contract';
import type { IpcResult } from '../../shared/ipc/result';
import { addDays, daySpan, weekOverWeek, type SpendDaily } from '../../renderer/src/spend/movers';
import { spendChartData } from '../../renderer/src/spend/chartData';
import { formatMoney, formatPercent, formatSignedMoney } from '../../renderer/src/spend/format';
import { defaultRange, SpendView } from '../../renderer/src/spend/SpendView';

function pt(day: string, key: string, effectiveCost: number, currency = 'USD'): SpendDaily {
  return { day, key, currency, billedCost: effectiveCost * 1.1, effectiveCost };
}

describe('weekOverWeek', () => {
  it('compares the last 7 days with the 7 before, biggest absolute change first', () => {
    const daily: SpendDaily[] = [
      // previous week: 2026-03-18..24; current week: 2026-03-25..31
      pt('2026-03-18', 'fraud', 10),
      pt('2026-03-24', 'fraud', 10),
      pt('2026-03-25', 'fraud', 50),
      pt('2026-03-20', 'churn', 100),
      pt('2026-03-30', 'churn', 40),
      pt('2026-03-31', 'brand-new', 5),
      pt('2026-03-10', 'too-old', 999), // outside both weeks
      pt('2026-03-21', 'flat', 7),
      pt('2026-03-28', 'flat', 7),
    ];
    const movers = weekOverWeek(daily, '2026-03-31');
    expect(movers.map((m) => m.key)).toEqual(['churn', 'fraud', 'brand-new', 'flat']);
    const [churn, fraud, fresh, flat] = movers;
    expect(churn).toMatchObject({ previous: 100, current: 40, delta: -60 });
    expect(churn?.pct).toBeCloseTo(-0.6);
    expect(fraud).toMatchObject({ previous: 20, current: 50, delta: 30 });
    expect(fraud?.pct).toBeCloseTo(1.5);
    expect(fresh).toMatchObject({ previous: 0, current: 5, delta: 5, pct: null });
    expect(flat).toMatchObject({ delta: 0, pct: 0 });
  });

  it('keeps currencies apart and drops groups with no spend in either week', () => {
    const movers = weekOverWeek([pt('2026-03-31', 'a', 3, 'USD'), pt('2026-03-31', 'a', 4, 'EUR'), pt('2026-03-30', 'zero', 0)], '2026-03-31');
    expect(movers.map((m) => `${m.key}/${m.currency}`)).toEqual(['a/EUR', 'a/USD']);
    expect(weekOverWeek([], '2026-03-31')).toEqual([]);
  });

  it('works across month and year ends', () => {
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daySpan('2026-03-01', '2026-03-30')).toBe(30);
    expect(daySpan('2026-03-02', '2026-03-01')).toBe(0);
    const movers = weekOverWeek([pt('2025-12-27', 'x', 1), pt('2026-01-03', 'x', 3)], '2026-01-03');
    expect(movers[0]).toMatchObject({ previous: 1, current: 3, delta: 2 });
  });
});

describe('spend formatting and chart data', () => {
  it('formats money with the currency and 2 decimals, and signed changes', () => {
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
    expect(formatMoney(3, 'EUR')).toBe('€3.00');
    expect(formatSignedMoney(-2.5, 'USD')).toBe('−$2.50');
    expect(formatSignedMoney(2.5, 'USD')).toBe('+$2.50');
    expect(formatPercent(0.4123)).toBe('41.2%');
    expect(formatPercent(-0.5, true)).toBe('−50.0%');
    // From 1,000% on: whole and grouped.
    expect(formatPercent(9.994)).toBe('999.4%');
    expect(formatPercent(9.99996)).toBe('1,000%');
    expect(formatPercent(4094.782)).toBe('409,478%');
    expect(formatPercent(-12.5, true)).toBe('−1,250%');
  });

  it('charts the top 8 groups plus "other", in the largest currency', () => {
    const keys = Array.from({ length: 11 }, (_, i) => `m${i}`);
    const rows = [...keys.map((k, i) => ({ key: k, currency: 'USD', billedCost: 100 - i, effectiveCost: 100 - i })), { key: 'x', currency: 'EUR', billedCost: 5, effectiveCost: 5 }];
    const daily = keys.map((k, i) => ({ day: '2026-03-02', key: k, currency: 'USD', billedCost: 100 - i, effectiveCost: 100 - i }));
    const s: SpendSummary = { by: 'model', from: '2026-03-01', to: '2026-03-03', rows, daily, coverage: { firstDay: '2026-03-01', lastDay: '2026-03-03', files: [] } };
    const chart = spendChartData(s, '2026-03-01', '2026-03-03');
    expect(chart?.currency).toBe('USD');
    expect(chart?.otherCurrencies).toEqual(['EUR']);
    expect(chart?.days).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(chart?.series.map((x) => x.key)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'other']);
    expect(chart?.series[8]?.effective).toEqual([0, 92 + 91 + 90, 0]);
    expect(chart?.series[8]?.members).toEqual(['m8', 'm9', 'm10']);
  });

  it('defaults the range to the last 30 days of coverage, or all of it', () => {
    expect(defaultRange({ firstDay: '2026-01-01', lastDay: '2026-03-31', files: [] })).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(defaultRange({ firstDay: '2026-03-20', lastDay: '2026-03-31', files: [] })).toEqual({ from: '2026-03-20', to: '2026-03-31' });
    expect(defaultRange({ firstDay: null, lastDay: null, files: [] })).toBeNull();
  });
});

// ---------- The view ----------

type Handler = (input: unknown) => IpcResult<unknown> | Promise<IpcResult<unknown>>;
let handlers: Record<string, Handler>;
const calls: { channel: string; input: unknown }[] = [];

beforeEach(() => {
  calls.length = 0;
  handlers = {
    'models/names': () => ({ ok: true, value: ['fraud-detector'] }),
  };
  const api = {
    invoke: async (channel: string, input: unknown) => {
      calls.push({ channel, input });
      const h = handlers[channel];
      return h ? h(input) : { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `no ${channel}` } };
    },
    on: () => () => undefined,
  };
  (window as unknown as { docket: DocketApi }).docket = api as unknown as DocketApi;
  window.location.hash = '#/spend';
});
afterEach(() => cleanup());

const COVERAGE: SpendSummary['coverage'] = {
  firstDay: '2026-01-01',
  lastDay: '2026-03-31',
  files: [{ path: '/data/focus.csv', focusVersion: '1.0', rows: 1200, importedAt: '2026-04-02T09:00:00Z' }],
};

function fakeSummary(input: { by: SpendSummary['by']; from?: string; to?: string }): SpendSummary {
  const byModel = input.by === 'model';
  const rows = byModel
    ? [
        { key: 'fraud-detector', currency: 'USD', billedCost: 700, effectiveCost: 600 },
        { key: 'unattributed', currency: 'USD', billedCost: 450, effectiveCost: 400 },
      ]
    : [{ key: 'SageMaker', currency: 'USD', billedCost: 1150, effectiveCost: 1000 }];
  const daily = rows.flatMap((r) => [
    { day: '2026-03-20', key: r.key, currency: r.currency, billedCost: r.billedCost / 4, effectiveCost: r.effectiveCost / 4 },
    { day: '2026-03-30', key: r.key, currency: r.currency, billedCost: (r.billedCost * 3) / 4, effectiveCost: (r.effectiveCost * 3) / 4 },
  ]);
  return { by: input.by, from: input.from ?? null, to: input.to ?? null, rows, daily, coverage: COVERAGE };
}

describe('SpendView', () => {
  it('renders totals, the unattributed share, movers and the table from the summary', async () => {
    handlers['spend/summary'] = (input) => ({ ok: true, value: fakeSummary(input as { by: SpendSummary['by'] }) });
    render(<SpendView />);
    const totals = await screen.findByTestId('spend-totals');
    expect(within(totals).getByText('$1,000.00')).toBeTruthy(); // effective
    expect(within(totals).getByText('$1,150.00')).toBeTruthy(); // billed
    expect(within(totals).getByText('Unattributed')).toBeTruthy();
    expect(screen.getByTestId('spend-unattributed-USD').textContent).toContain('40.0%');
    // The default range is the coverage's last 30 days, and the query follows it.
    await waitFor(() => expect((screen.getByTestId('spend-from') as HTMLInputElement).value).toBe('2026-03-02'));
    expect((screen.getByTestId('spend-to') as HTMLInputElement).value).toBe('2026-03-31');
    await waitFor(() => expect(calls.some((c) => c.channel === 'spend/summary' && (c.input as { from?: string }).from === '2026-03-02')).toBe(true));

    const table = screen.getByTestId('spend-table');
    expect(within(table).getByText('40.0%')).toBeTruthy();
    const link = await within(table).findByRole('link', { name: 'fraud-detector' });
    expect(link.getAttribute('href')).toBe('#/models/fraud-detector');
    expect(within(table).queryByRole('link', { name: 'unattributed' })).toBeNull();

    const movers = screen.getByTestId('spend-movers');
    expect(within(movers).getAllByTestId('spend-mover')[0]?.textContent).toContain('fraud-detector');
    expect(within(movers).getByText('+$300.00', { exact: false })).toBeTruthy();
    // jsdom has no canvas context: the chart's figure renders without a Chart instance.
    expect((await screen.findByTestId('spend-chart')).textContent).toContain('Source: FOCUS files (1) imported 2026-04-02');
  });

  it('asks for the new grouping when it changes, and hides the unattributed share for services', async () => {
    handlers['spend/summary'] = (input) => ({ ok: true, value: fakeSummary(input as { by: SpendSummary['by'] }) });
    render(<SpendView />);
    const select = await screen.findByRole('combobox', { name: 'Group spend by' });
    fireEvent.change(select, { target: { value: 'service' } });
    await waitFor(() => expect(calls.some((c) => c.channel === 'spend/summary' && (c.input as { by: string }).by === 'service')).toBe(true));
    await waitFor(() => expect(within(screen.getByTestId('spend-table')).getByText('SageMaker')).toBeTruthy());
    expect(screen.queryByTestId('spend-unattributed-USD')).toBeNull();
  });

  it('explains FOCUS exports when there is no spend', async () => {
    handlers['spend/summary'] = (input) => ({
      ok: true,
      value: { by: (input as { by: SpendSummary['by'] }).by, from: null, to: null, rows: [], daily: [], coverage: { firstDay: null, lastDay: null, files: [] } },
    });
    render(<SpendView />);
    const empty = await screen.findByTestId('spend-empty');
    expect(empty.textContent).toContain('AWS');
    expect(empty.textContent).toContain('Azure');
    expect(empty.textContent).toContain('OCI');
    expect(empty.textContent).toContain('docket import focus <file>');
    expect(screen.queryByTestId('spend-totals')).toBeNull();
  });

  it('imports picked files and lists rejected rows', async () => {
    handlers['spend/summary'] = (input) => ({ ok: true, value: fakeSummary(input as { by: SpendSummary['by'] }) });
    handlers['dialog/pickSpendPaths'] = () => ({ ok: true, value: { paths: ['/tmp/bad.csv'] } });
    handlers['spend/import'] = () => ({
      ok: true,
      value: { files: [{ file: '/tmp/bad.csv', rows: 0, rejected: [{ line: 7, column: 'BilledCost', reason: 'not a number: "abc"' }], totals: [] }] },
    });
    render(<SpendView />);
    fireEvent.click(await screen.findByTestId('spend-import-button'));
    const errors = await screen.findByTestId('import-errors');
    const row = within(errors).getByTestId('import-error');
    expect(row.textContent).toContain('7');
    expect(row.textContent).toContain('BilledCost');
    expect(row.textContent).toContain('not a number');
    fireEvent.click(screen.getByTestId('spend-import-skip-bad-rows'));
    await waitFor(() => expect(calls.some((c) => c.channel === 'spend/import' && (c.input as { skipBadRows?: boolean }).skipBadRows === true)).toBe(true));
  });
});
