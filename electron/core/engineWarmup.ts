import { dispatch, type Handlers } from '../../shared/ipc/dispatch';

/**
 * What the engine works out as a workspace opens, before the window asks: the answers the first view
 * (the Overview) needs that cost most to compute at scale. Each begins here; a view asking while one
 * is under way waits for the rest of it rather than starting again. Failures are left for the view's
 * own request to report.
 *
 * - the audit verdict, read in worker threads (keptAuditVerdict);
 * - the sunset judgement of every model, in the judge worker (candidateJudge);
 * - the model figures, on this thread, while the other two run on theirs.
 */
export function warmEngine(handlers: Handlers): { audit: Promise<unknown>; judgement: Promise<unknown>; models: Promise<unknown> } {
  const audit = dispatch(handlers, 'audit/verify', {});
  const judgement = dispatch(handlers, 'lifecycle/summary', {});
  const models = dispatch(handlers, 'models/stats', {});
  return { audit, judgement, models };
}
