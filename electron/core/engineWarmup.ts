import { dispatch, type Handlers } from '../../shared/ipc/dispatch';

/**
 * What the engine works out as a workspace opens, before the window asks: the answers the first view
 * (the Overview) needs that cost most to compute at scale. A view asking while one is under way waits
 * for the rest of it rather than starting again. Failures are left for the view's own request to report.
 *
 * - the model figures, on this thread, and the sunset judgement, in the judge workers (candidateJudge),
 *   at once;
 * - then the audit verdict, read in worker threads (keptAuditVerdict). Run beside the judgement they
 *   compete for the same cores: on two cores both took 3 to 5 s, where one after the other they end
 *   within about 2.5 s.
 */
export function warmEngine(handlers: Handlers): { audit: Promise<unknown>; judgement: Promise<unknown>; models: Promise<unknown> } {
  const judgement = dispatch(handlers, 'lifecycle/summary', {});
  const models = dispatch(handlers, 'models/stats', {});
  const audit = judgement.then(() => dispatch(handlers, 'audit/verify', {}));
  return { audit, judgement, models };
}
