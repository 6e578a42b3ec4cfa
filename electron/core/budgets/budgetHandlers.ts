import { dirname, join } from 'node:path';
import type { EventName, EventPayload } from '../../../shared/ipc/contract';
import type { Handlers } from '../../../shared/ipc/dispatch';
import { DocketError } from '../../../shared/ipc/result';
import { WORKSPACE_PKI_DIR } from '../pack/packHandlers';
import { reportExportsDir } from '../pack/packPaths';
import { loadOrCreateWorkspaceCertificate } from '../pack/workspaceCertificate';
import { defaultKeysDir } from '../reviews/reviewHandlers';
import { unlockLocalKey } from '../signing/localKeys';
import type { Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { anomalyMethodText, listAnomalies, scanAnomalies, setAnomalyVerdict } from './anomalyScan';
import { allBudgetStatuses, budgetStatus, listNotifications, markNotificationsRead, refreshBudgetStates, utcDay } from './budgetStatus';
import { deleteBudget, getBudgetById, setBudget } from './budgetStore';
import { BUDGET_LIST_READS } from '../policy/keptReads';
import { cachedByRevision } from '../policy/revisionCache';


type BudgetChannel =
  | 'budgets/list'
  | 'budgets/show'
  | 'budgets/set'
  | 'budgets/delete'
  | 'budgets/export'
  | 'anomalies/list'
  | 'anomalies/verdict'
  | 'notifications/list'
  | 'notifications/markRead';

export interface BudgetHandlerContext {
  store: Store;
  resourcesDir: string;
  actor: string;
  clock: Clock;
  keysDir?: string;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/** Judges every budget and announces each threshold that changed state (in the app, and by the shell on the desktop). */
export function announceBudgetStates(ctx: Pick<BudgetHandlerContext, 'store' | 'clock' | 'actor' | 'emit'>): void {
  for (const n of refreshBudgetStates(ctx.store, { clock: ctx.clock, actor: ctx.actor })) ctx.emit('notifications/new', n);
}

/** After new spend: judge the budgets and look for anomalies, so the list and the Overview count them at once. */
export function afterSpendChanged(ctx: Pick<BudgetHandlerContext, 'store' | 'clock' | 'actor' | 'emit'>): void {
  announceBudgetStates(ctx);
  scanAnomalies(ctx.store, { clock: ctx.clock });
}

/** A budget's change history: audit entries naming its id (a renamed budget keeps its past). */
function budgetHistory(db: Store['db'], budgetId: number): { seq: number; at: string; actor: string; action: string; detail: unknown }[] {
  return (
    db
      .prepare("SELECT seq, at, actor, action, detail_json FROM audit_log WHERE action LIKE 'budget.%' AND json_extract(detail_json, '$.budgetId') = ? ORDER BY seq DESC LIMIT 200")
      .all(budgetId) as { seq: number; at: string; actor: string; action: string; detail_json: string }[]
  ).map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, detail: JSON.parse(r.detail_json) as unknown }));
}

/** Budgets, anomalies and notifications over IPC. Threshold changes found on the way are announced. */
export function createBudgetHandlers(ctx: BudgetHandlerContext): Pick<Handlers, BudgetChannel> {
  const { store } = ctx;
  const judge = () => announceBudgetStates(ctx);
  return {
    'budgets/list': () => {
      const asOf = utcDay(ctx.clock);
      // Judging, scanning and computing every budget's status again is wasted while the store and the
      // day are what they were (Overview and Budgets both ask): the answer is kept until either moves.
      return cachedByRevision(store.db, `budgets/list\u0000${asOf}`, BUDGET_LIST_READS, () => {
        judge();
        scanAnomalies(store, { clock: ctx.clock });
        const openAnomalies = (store.db.prepare("SELECT count(*) AS n FROM spend_anomalies WHERE verdict IS NULL OR verdict = 'unexpected'").get() as { n: number }).n;
        return { asOf, budgets: allBudgetStatuses(store.db, asOf), openAnomalies };
      });
    },
    'budgets/show': ({ id }) => {
      judge();
      const budget = getBudgetById(store.db, id);
      const status = budgetStatus(store.db, budget, utcDay(ctx.clock));
      scanAnomalies(store, { source: budget.definition.source, clock: ctx.clock });
      const inScope = listAnomalies(store.db, { source: budget.definition.source, from: status.periodStart, to: status.periodEnd, model: budget.definition.scope.kind === 'model' ? budget.definition.scope.value : undefined }).filter((a) => a.currency === status.currency);
      const history = budgetHistory(store.db, budget.id);
      return { status, anomalies: inScope, anomalyMethod: anomalyMethodText(status.currency), history };
    },
    'budgets/set': ({ id, definition, reason }) => {
      const result = setBudget(store, definition, { actor: ctx.actor, clock: ctx.clock, reason, id });
      judge();
      return { id: result.budget.id, outcome: result.outcome, changed: result.changed };
    },
    'budgets/delete': ({ id, reason }) => {
      const budget = getBudgetById(store.db, id);
      deleteBudget(store, budget.name, { actor: ctx.actor, clock: ctx.clock, reason });
      return { deleted: true };
    },
    'budgets/export': async ({ format, keyId, passphrase }) => {
      const at = ctx.clock().toISOString();
      const outPath = join(reportExportsDir(store.path), `budget-report-${at.slice(0, 19).replace(/[:T]/g, '-')}.${format}`);
      const reviewerKey = unlockLocalKey(ctx.keysDir ?? defaultKeysDir(store), keyId, passphrase);
      const pdfIdentity = format === 'pdf' ? loadOrCreateWorkspaceCertificate(join(dirname(store.path), WORKSPACE_PKI_DIR), ctx.clock) : undefined;
      // Loaded on use: the renderers pull in pdfkit and the zip writer.
      const { exportBudgetReport } = await import('./exportBudgetReport');
      const result = await exportBudgetReport(store, { format, outPath, resourcesDir: ctx.resourcesDir, clock: ctx.clock, actor: ctx.actor, reviewerKey, pdfIdentity });
      return { path: result.path, envelopePath: result.envelopePath, sha256: result.sha256, bytes: result.bytes, budgets: result.report.budgets.length };
    },
    'anomalies/list': ({ from, to, source }) => {
      scanAnomalies(store, { source, clock: ctx.clock });
      const anomalies = listAnomalies(store.db, { source, from, to });
      return { method: anomalyMethodText(anomalies[0]?.currency), anomalies };
    },
    'anomalies/verdict': ({ id, verdict, note }) => setAnomalyVerdict(store, id, verdict, { actor: ctx.actor, clock: ctx.clock, note }),
    'notifications/list': ({ unreadOnly }) => listNotifications(store.db, { unreadOnly }),
    'notifications/markRead': ({ ids }) => {
      if (Array.isArray(ids) && ids.length === 0) throw new DocketError('INVALID_INPUT', 'name at least one notification');
      return { marked: markNotificationsRead(store.db, ids, ctx.clock().toISOString()) };
    },
  };
}
