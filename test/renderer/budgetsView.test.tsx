// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import type { DocketApi } from '../../shared/ipc/bridge';
import type { BudgetStatusView, NotificationView } from '../../shared/budgets/budgetViews';
import { BudgetsView } from '../../renderer/src/budgets/BudgetsView';

// The Budgets list beside the engine's announcements: when a threshold changes state (spend came in
// from a sync, say), the list is read again, so the table never contradicts the toast.

function status(actual: number, state: BudgetStatusView['state'], dataThrough: string, periodEnd = '2026-03-31'): BudgetStatusView {
  return {
    id: 1,
    name: 'Q1 inference',
    definition: { name: 'Q1 inference', scope: { kind: 'all' }, period: { kind: 'custom', from: '2026-01-01', to: periodEnd }, amount: 1000, currency: 'USD', metric: 'effective', thresholds: [] },
    scopeLabel: 'All spend',
    periodLabel: `Custom (2026-01-01 to ${periodEnd})`,
    periodStart: '2026-01-01',
    periodEnd,
    amount: 1000,
    currency: 'USD',
    actual,
    dataThrough,
    forecast: { mean: actual * 1.5, low: actual * 1.2, high: actual * 1.8, level: 0.8, method: 'test method', backtest: null },
    awsForecast: null,
    alertForecast: "Docket's forecast",
    state,
    stateChangedAt: '2026-02-01T00:00:00.000Z',
    thresholds: [],
    daily: [],
    forecastDaily: [],
    otherCurrencies: [],
    notes: [],
    updatedAt: '2026-01-01T00:00:00.000Z',
    updatedBy: 'tester',
  } as unknown as BudgetStatusView;
}

/** A bridge whose budgets/list answers from `answers` in turn; `announce` plays the engine's event. */
function install(answers: BudgetStatusView[][]) {
  let calls = 0;
  const listeners = new Set<(n: NotificationView) => void>();
  const api = {
    invoke: async (channel: string) => {
      if (channel !== 'budgets/list') return { ok: true, value: [] };
      const budgets = answers[Math.min(calls, answers.length - 1)]!;
      calls += 1;
      return { ok: true, value: { asOf: '2026-02-10', budgets, openAnomalies: 0 } };
    },
    on: (event: string, listener: (n: NotificationView) => void) => {
      if (event !== 'notifications/new') return () => undefined;
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  (window as unknown as { docket: DocketApi }).docket = api as unknown as DocketApi;
  return {
    calls: () => calls,
    listening: () => listeners.size,
    announce: (n: NotificationView) => listeners.forEach((l) => l(n)),
  };
}

afterEach(cleanup);

describe('BudgetsView', () => {
  it('reads the list again when the engine announces a state change, and stops listening when closed', async () => {
    const bridge = install([[status(400, 'OK', '2026-02-09')], [status(900, 'ALARM', '2026-02-10')]]);
    const view = render(<BudgetsView />);
    const row = await screen.findByTestId('budget-row');
    expect(within(row).getByTestId('budget-actual').textContent).toBe('$400.00');
    expect(row.dataset.state).toBe('OK');

    bridge.announce({ id: 7, title: 'Q1 inference: ALARM', body: 'Actual > 80% of budget', link: '#/budgets/1', createdAt: '2026-02-10T00:00:00.000Z', readAt: null } as unknown as NotificationView);
    await waitFor(() => expect(screen.getByTestId('budget-row').dataset.state).toBe('ALARM'));
    expect(within(screen.getByTestId('budget-row')).getByTestId('budget-actual').textContent).toBe('$900.00');
    expect(bridge.calls()).toBe(2);

    view.unmount();
    expect(bridge.listening()).toBe(0);
  });

  it('says "period ended" once the data reaches the period’s last day, and shows the interval before', async () => {
    // The third has a forecast without spread (flat history): its period has not ended for that.
    const flat = { ...status(500, 'OK', '2026-02-09'), id: 3, forecast: { mean: 750, low: 750, high: 750, level: 0.8, method: 'flat', backtest: null } };
    install([[status(400, 'OK', '2026-02-09'), { ...status(1200, 'ALARM', '2026-03-31'), id: 2, forecast: { mean: 1200, low: 1200, high: 1200, level: 1, method: 'ended', backtest: null } }, flat]]);
    render(<BudgetsView />);
    const [open, ended, unspread] = await screen.findAllByTestId('budget-row');
    expect(unspread!.textContent).not.toMatch(/period ended/);
    expect(open!.textContent).toMatch(/\$480\.00–\$720\.00/);
    expect(open!.textContent).not.toMatch(/period ended/);
    expect(ended!.textContent).toMatch(/period ended/);
    expect(ended!.textContent).not.toMatch(/\$1,200\.00–/);
  });
});
