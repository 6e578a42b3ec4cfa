import { afterEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { dispatch, type Handlers } from '../../../shared/ipc/dispatch';
import { createCoreHandlers } from '../../../electron/core/handlers';
import { fixedClock, tempStore } from '../../support/tempStore';

/** The budget channels through the real dispatcher: field errors for the form, alerts announced once. */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function engine() {
  const t = tempStore();
  cleanups.push(t.cleanup);
  const events: { event: string; payload: unknown }[] = [];
  const handlers = createCoreHandlers({ store: t.store, resourcesDir: resolve('resources'), actor: 'tester', clock: fixedClock(), emit: (event, payload) => events.push({ event, payload }) }) as unknown as Handlers;
  return { handlers, events, t };
}

const budget = { name: 'Q1', scope: { kind: 'all' }, period: { kind: 'custom', from: '2026-01-01', to: '2026-03-31' }, amount: 1000, currency: 'USD', thresholds: [{ basis: 'actual', kind: 'percent', value: 80 }] };

describe('budget IPC', () => {
  it('refuses invalid budgets with one issue per field, for the form to show under each input', async () => {
    const { handlers } = engine();
    const result = await dispatch(handlers, 'budgets/set', {
      definition: { ...budget, amount: -1, currency: 'XYZ', period: { kind: 'custom', from: '2026-03-01', to: '2026-01-01' }, thresholds: [{ basis: 'actual', kind: 'percent', value: 1500 }] },
    });
    expect(result.ok).toBe(false);
    const issues = (result as { error: { code: string; issues: { path: string; message: string }[] } }).error;
    expect(issues.code).toBe('INVALID_INPUT');
    const byPath = Object.fromEntries(issues.issues.map((i) => [i.path, i.message]));
    expect(byPath['definition.amount']).toMatch(/greater than 0/);
    expect(byPath['definition.currency']).toMatch(/unknown currency "XYZ"/);
    expect(byPath['definition.period.to']).toMatch(/before the start/);
    expect(byPath['definition.thresholds.0.value']).toMatch(/1000%/);
    expect(await dispatch(handlers, 'budgets/list', {})).toMatchObject({ ok: true, value: { budgets: [] } });
  });

  it('announces the ALARM after a FOCUS import once, and lists it as an unread notification', async () => {
    const { handlers, events } = engine();
    expect(await dispatch(handlers, 'budgets/set', { definition: budget })).toMatchObject({ ok: true, value: { outcome: 'created' } });
    expect(events.filter((e) => e.event === 'notifications/new')).toHaveLength(0);
    expect(await dispatch(handlers, 'spend/import', { paths: [resolve('resources/demo/spend/halden-focus-2026q1.csv')] })).toMatchObject({ ok: true });
    const announced = events.filter((e) => e.event === 'notifications/new');
    expect(announced).toHaveLength(1);
    expect(announced[0]!.payload).toMatchObject({ title: 'Q1: ALARM', link: expect.stringMatching(/^#\/budgets\/\d+$/) });
    // Looking again does not announce it again.
    const list = await dispatch(handlers, 'budgets/list', {});
    expect(list).toMatchObject({ ok: true, value: { budgets: [{ name: 'Q1', state: 'ALARM' }] } });
    expect(events.filter((e) => e.event === 'notifications/new')).toHaveLength(1);
    const unread = await dispatch(handlers, 'notifications/list', { unreadOnly: true });
    expect(unread).toMatchObject({ ok: true, value: [{ title: 'Q1: ALARM', readAt: null }] });
    expect(await dispatch(handlers, 'notifications/markRead', { ids: 'all' })).toMatchObject({ ok: true, value: { marked: 1 } });
    expect(await dispatch(handlers, 'notifications/list', { unreadOnly: true })).toMatchObject({ ok: true, value: [] });
  });

  it('needs a reason to change a budget, and says which field', async () => {
    const { handlers } = engine();
    const created = (await dispatch(handlers, 'budgets/set', { definition: budget })) as { ok: true; value: { id: number } };
    const change = await dispatch(handlers, 'budgets/set', { id: created.value.id, definition: { ...budget, amount: 2000 } });
    expect(change).toMatchObject({ ok: false, error: { code: 'REJECTED', issues: [{ path: 'reason' }] } });
    expect(await dispatch(handlers, 'budgets/set', { id: created.value.id, definition: { ...budget, amount: 2000 }, reason: 'new quarter plan' })).toMatchObject({ ok: true, value: { outcome: 'changed', changed: ['amount'] } });
    const shown = (await dispatch(handlers, 'budgets/show', { id: created.value.id })) as { ok: true; value: { history: { action: string; detail: { oldAmount?: number; newAmount?: number } }[] } };
    expect(shown.value.history.map((h) => h.action)).toEqual(['budget.changed', 'budget.created']);
    expect(shown.value.history[0]!.detail).toMatchObject({ oldAmount: 1000, newAmount: 2000 });
  });
});
