// The IPC requests each renderer view makes when it opens, in the order and grouping the components
// issue them (read from renderer/src: every useQuery and on-mount invoke of the view and of the
// children it renders at first paint). Requests a component issues together run together; a request
// that needs an earlier answer (the Spend view's default range) waits for it, as the view does.
// The shell's NotificationBell asks 'notifications/list' on every view.

/** Calls one channel and returns its value (throws on an error result). */
export type ViewCall = (channel: string, input: unknown) => Promise<unknown>;

export interface ScaleView {
  name: string;
  open: (call: ViewCall) => Promise<void>;
}

const bell = (call: ViewCall) => call('notifications/list', { unreadOnly: true });

interface Coverage {
  firstDay: string | null;
  lastDay: string | null;
}

/** The Spend view's default range: the last 30 days of the coverage (renderer/src/spend/SpendView.tsx defaultRange). */
function lastThirtyDays(coverage: Coverage): { from: string; to: string } | null {
  if (!coverage.firstDay || !coverage.lastDay) return null;
  const from = new Date(Date.parse(`${coverage.lastDay}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  return { from: from < coverage.firstDay ? coverage.firstDay : from, to: coverage.lastDay };
}

export function scaleViews(ids: { model: string; reviewId?: number; budgetId?: number; sunsetId?: number }): ScaleView[] {
  const { model } = ids;
  const reviewId = ids.reviewId ?? 1;
  const budgetId = ids.budgetId ?? 1;
  const sunsetId = ids.sunsetId ?? 1;
  const all = (...calls: Promise<unknown>[]) => Promise.all(calls).then(() => undefined);
  return [
    {
      name: 'Overview',
      open: (call) =>
        all(bell(call), call('lifecycle/summary', {}), call('models/stats', {}), call('audit/verify', {}), call('reviews/list', { filter: 'open' }), call('reviews/list', { filter: 'mine' }), call('budgets/list', {}), call('sunsets/list', {})),
    },
    {
      // audit/verify's speed is another item of the issue: shown apart so the rest can be judged alone.
      name: 'Overview without audit/verify',
      open: (call) => all(bell(call), call('lifecycle/summary', {}), call('models/stats', {}), call('reviews/list', { filter: 'open' }), call('reviews/list', { filter: 'mine' }), call('budgets/list', {}), call('sunsets/list', {})),
    },
    // The first page of the inventory (renderer/src/models/useModelPages.ts); later pages come as the table scrolls.
    { name: 'Models', open: (call) => all(bell(call), call('models/page', { query: '', sort: { key: 'name', direction: 'asc' }, offset: 0, limit: 500 })) },
    { name: 'Models, searched', open: (call) => all(call('models/page', { query: 'team-3', sort: { key: 'completeness', direction: 'desc' }, offset: 0, limit: 500 })) },
    // ModelDetail, card tab: the detail, and ModelSpend's all-time summary by model.
    { name: 'Model page (card)', open: (call) => all(bell(call), call('models/show', { name: model }), call('spend/summary', { by: 'model' })) },
    { name: 'Model page (fairness tab)', open: (call) => all(bell(call), call('models/show', { name: model, version: '10' }), call('fairness/show', { name: model, version: '10' })) },
    { name: 'Model page (lineage tab)', open: (call) => all(bell(call), call('models/show', { name: model, version: '10' }), call('lineage/show', { name: model, version: '10' })) },
    { name: 'Model page (history tab)', open: (call) => all(bell(call), call('models/show', { name: model, version: '10' }), call('models/history', { name: model })) },
    {
      name: 'Spend',
      open: async (call) => {
        const [, first] = (await Promise.all([call('spend/sources', {}), call('spend/summary', { by: 'model' }), call('models/names', {}), bell(call)])) as unknown as [unknown, { coverage: Coverage }];
        const range = lastThirtyDays(first.coverage);
        // After the first answer: UnitCosts over the coverage, AttributionRules, and the summary again over the default range.
        await all(
          call('spend/unitCosts', first.coverage.firstDay ? { from: first.coverage.firstDay, to: first.coverage.lastDay } : {}),
          call('attribution/list', {}),
          ...(range ? [call('spend/summary', { by: 'model', ...range })] : []),
        );
        if (range) await call('spend/unitCosts', range);
      },
    },
    { name: 'Budgets', open: (call) => all(bell(call), call('budgets/list', {})) },
    { name: 'Budget page', open: (call) => all(bell(call), call('budgets/show', { id: budgetId })) },
    { name: 'New budget', open: (call) => all(bell(call), call('models/names', {}), call('spend/sources', {})) },
    { name: 'Anomalies', open: (call) => all(bell(call), call('anomalies/list', {})) },
    { name: 'Lifecycle', open: (call) => all(bell(call), call('lifecycle/candidates', { filter: { reason: '', team: '', provider: '' }, limit: 100 }), call('sunsets/list', {})) },
    { name: 'Sunset page', open: (call) => all(bell(call), call('sunsets/show', { id: sunsetId })) },
    { name: 'New sunset', open: (call) => all(bell(call), call('lifecycle/candidates', { model, version: '10' }), call('models/names', {}), call('models/show', { name: model })) },
    { name: 'Reviews inbox', open: (call) => all(bell(call), call('reviews/list', { filter: 'open' }), call('app/info', {})) },
    { name: 'Review page', open: (call) => all(bell(call), call('reviews/show', { id: reviewId }), call('spend/summary', { by: 'model' })) },
    { name: 'Audit log', open: (call) => all(bell(call), call('audit/list', { limit: 100, offset: 0 }), call('audit/count', {}), call('audit/verify', {})) },
    { name: 'Audit log without audit/verify', open: (call) => all(bell(call), call('audit/list', { limit: 100, offset: 0 }), call('audit/count', {})) },
    { name: 'Sources', open: (call) => all(bell(call), call('sources/list', {})) },
    { name: 'Settings', open: (call) => all(bell(call), call('keys/list', {}), call('policy/list', {})) },
  ];
}
