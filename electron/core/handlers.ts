import type { CoreChannel, ShellChannel } from '../../shared/ipc/channels';
import type { Handlers } from '../../shared/ipc/dispatch';
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import type { Store } from './store/openStore';
import type { Clock } from './store/clock';
import { importCards } from './cards/importCards';
import { listModels, modelNames, showModel } from './models/modelQueries';
import { dirname, join } from 'node:path';
import { exportAuditRange } from './store/auditExport';
import { countAudit, queryAudit } from './store/auditQueries';
import { keptAuditVerdict } from './store/keptAuditVerdict';
import { modelStats } from './models/modelStats';
import { modelPage } from './models/modelPage';
import { unlockLocalKey } from './signing/localKeys';
import type { AsyncKeySealer } from './signing/keys';
import { dbInfo } from './store/dbInfo';
import { fairnessStatusByVersion, fairnessVersionView } from './fairness/fairnessQueries';
import { importFairness } from './fairness/importFairness';
import { loadDefaultPolicy } from './policy/loadPolicy';
import { listSourcesAndRuns } from './store/syncRunQueries';
import { listSpendSources, spendBy, spendCoverage, spendDaily, spendLineItems, spendProvenance, unitCosts } from './spend/spendQueries';
import { ImportCancelledError, importFocus } from './spend/importFocus';
import { DocketError } from '../../shared/ipc/result';
import { addRule, listRules, removeRule } from './spend/attribution';
import { testMlflowConnection } from './mlflow/testConnection';
import { syncMlflow } from './mlflow/syncMlflow';
import { runDueSyncs, setSyncSchedule } from './mlflow/schedule';
import { modelHistory } from './mlflow/registryHistory';
import { lineageView } from './lineage/lineageGraph';
import { createReviewHandlers, defaultKeysDir } from './reviews/reviewHandlers';
import { createPackHandlers } from './pack/packHandlers';
import { afterSpendChanged, createBudgetHandlers } from './budgets/budgetHandlers';
import { createLifecycleHandlers } from './lifecycle/lifecycleHandlers';
import { retiredSpendAlarms } from './lifecycle/lifecycleQueries';

export { CORE_CHANNELS, SHELL_CHANNELS, type CoreChannel, type ShellChannel } from '../../shared/ipc/channels';
export type CoreHandlers = Pick<Handlers, CoreChannel>;
export type ShellHandlers = Pick<Handlers, ShellChannel>;

/** How error messages name a token typed into the Sources form. */
const TOKEN_FROM_FORM = 'the token entered in Sources';

export interface EngineContext {
  store: Store;
  /** Bundled resources: policies, demo data. */
  resourcesDir: string;
  actor: string;
  clock: Clock;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Where reviewers' encrypted key files live (default: keys/ beside the database). */
  keysDir?: string;
  /**
   * The OS keychain, in the app only (Electron's safeStorage, asked through the main process):
   * lets a reviewer remember a key and sign without its passphrase. Absent, remembering is refused.
   */
  keychain?: AsyncKeySealer;
}

/** The engine's side of the IPC contract: thin adapters from channels to core functions. */
export function createCoreHandlers(ctx: EngineContext): CoreHandlers {
  const { store } = ctx;
  /** The FOCUS import in progress, if any: imports are long, so the user may cancel one. */
  let focusImport: AbortController | null = null;
  /**
   * Settles when the running FOCUS import ends. The import keeps its write transaction open across
   * awaits (it streams the file), so anything else written on this connection meanwhile would join
   * that transaction and vanish with it if the import is cancelled or rejected (a signed decision
   * included). Every other call waits for it; only cancelling goes straight through.
   */
  let importDone: Promise<unknown> | null = null;
  // Read per call: a policy edited on disk applies to the next question asked.
  const policy = () => loadDefaultPolicy(ctx.resourcesDir);
  // Views ask for the audit verdict each time they open: the pages already checked are kept (see keptAuditVerdict).
  const auditVerdict = keptAuditVerdict(store.db);
  const handlers: CoreHandlers = {
    'models/list': () => listModels(store.db, fairnessStatusByVersion(store.db, policy())),
    'models/page': (input) => modelPage(store.db, fairnessStatusByVersion(store.db, policy()), input),
    'models/stats': () => modelStats(listModels(store.db, fairnessStatusByVersion(store.db, policy()))),
    'models/names': () => modelNames(store.db),
    'models/show': ({ name, version }) => showModel(store.db, name, version),
    'cards/import': ({ paths, version }) =>
      importCards(store, paths, {
        fallbackVersion: version,
        actor: ctx.actor,
        clock: ctx.clock,
        onProgress: (p) => ctx.emit('cards/importProgress', p),
      }),
    'fairness/show': ({ name, version }) => fairnessVersionView(store.db, name, version, policy()),
    'fairness/import': ({ paths, model, version }) =>
      importFairness(store, paths, { target: model && version ? { name: model, version } : undefined, actor: ctx.actor, clock: ctx.clock }),
    // One source per answer (FOCUS by default): FOCUS and Cost Explorer describe the same bill.
    'spend/summary': ({ by, from, to, source }) => ({
      by,
      from: from ?? null,
      to: to ?? null,
      rows: spendBy(store.db, { by, from, to, source }),
      daily: spendDaily(store.db, { by, from, to, source }),
      coverage: spendCoverage(store.db, source),
      source: source ?? 'focus',
      provenance: spendProvenance(store.db, { source, from, to }),
      // Spend after a retirement date is an alarm; only FOCUS spend carries version tags and attribution.
      retiredSpend: (source ?? 'focus') === 'focus' ? retiredSpendAlarms(store.db) : [],
    }),
    'spend/sources': () => listSpendSources(store.db),
    'spend/unitCosts': ({ from, to, source }) => unitCosts(store.db, { from, to, source }),
    'spend/import': async ({ paths, skipBadRows }) => {
      if (focusImport) throw new DocketError('REJECTED', 'A FOCUS import is already running; wait for it or cancel it');
      focusImport = new AbortController();
      let finished = () => {};
      importDone = new Promise<void>((resolve) => (finished = resolve));
      try {
        const result = await importFocus(store, paths, {
          actor: ctx.actor,
          clock: ctx.clock,
          skipBadRows,
          signal: focusImport.signal,
          onProgress: (p) => ctx.emit('spend/importProgress', p),
        });
        // New spend may move a budget's threshold or hold an anomaly: judge now, not on the next visit to Budgets.
        afterSpendChanged(ctx);
        return { files: result.files.map((f) => ({ file: f.file, rows: f.rows, rejected: f.rejected, totals: f.totals })) };
      } catch (err) {
        if (err instanceof ImportCancelledError) throw new DocketError('REJECTED', `Import cancelled: ${err.message}`);
        throw err;
      } finally {
        focusImport = null;
        importDone = null;
        finished();
      }
    },
    'spend/cancelImport': () => {
      const running = focusImport !== null;
      focusImport?.abort();
      return { cancelled: running };
    },
    'attribution/list': () => listRules(store.db),
    'attribution/add': (rule) => addRule(store.db, rule, ctx.actor, ctx.clock().toISOString()),
    'attribution/remove': ({ id }) => {
      removeRule(store.db, id, ctx.actor, ctx.clock().toISOString());
      return { removed: id };
    },
    'spend/lineItems': ({ by, key, from, to, limit }) => spendLineItems(store.db, { by, key, from, to, limit }),
    'sources/list': () => listSourcesAndRuns(store.db),
    'sources/schedule': ({ url, everyMinutes }) => {
      setSyncSchedule(store.db, url, everyMinutes, ctx.actor, ctx.clock().toISOString());
      return { url, everyMinutes };
    },
    'sources/syncDue': () => runDueSyncs(store, { actor: ctx.actor, clock: ctx.clock, resourcesDir: ctx.resourcesDir }),
    'mlflow/test': ({ url, token }) => testMlflowConnection({ url, token, tokenSource: TOKEN_FROM_FORM }),
    'mlflow/sync': ({ url, token }) =>
      syncMlflow(store, {
        url,
        token,
        actor: ctx.actor,
        clock: ctx.clock,
        clientOptions: { tokenSource: TOKEN_FROM_FORM },
        onProgress: (p) => ctx.emit('mlflow/syncProgress', p),
        reviews: { resourcesDir: ctx.resourcesDir },
      }),
    'models/history': ({ name, at }) => modelHistory(store.db, name, at === undefined ? undefined : new Date(at).toISOString()),
    'lineage/show': ({ name, version }) => lineageView(store.db, name, version),
    ...createReviewHandlers(ctx),
    ...createPackHandlers(ctx),
    ...createBudgetHandlers(ctx),
    ...createLifecycleHandlers(ctx),
    'audit/list': (query) => queryAudit(store.db, query),
    'audit/count': (filter) => ({ total: countAudit(store.db, filter) }),
    'audit/verify': ({ full }) => auditVerdict.verify(ctx.clock(), { full }),
    'audit/export': ({ fromSeq, toSeq, keyId, passphrase }) => {
      const at = ctx.clock().toISOString();
      const key = unlockLocalKey(ctx.keysDir ?? defaultKeysDir(store), keyId, passphrase);
      const outPath = join(dirname(store.path), 'exports', `audit-${fromSeq}-${toSeq}-${at.replace(/[:.]/g, '-')}.jsonl`);
      const { statement: _statement, ...result } = exportAuditRange(store.db, { fromSeq, toSeq }, { outPath, key, actor: ctx.actor, at });
      return result;
    },
    'db/info': () => dbInfo(store),
  };
  // Every call but the import itself and its cancel waits for a running import to end (see importDone).
  const unqueued: readonly string[] = ['spend/import', 'spend/cancelImport'];
  const queued = Object.fromEntries(
    Object.entries(handlers).map(([channel, handler]) => [
      channel,
      unqueued.includes(channel)
        ? handler
        : async (input: unknown) => {
            while (importDone) await importDone;
            return (handler as (input: unknown) => unknown)(input);
          },
    ]),
  );
  return queued as CoreHandlers;
}
