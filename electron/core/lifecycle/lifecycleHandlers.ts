import type { Handlers } from '../../../shared/ipc/dispatch';
import { DocketError } from '../../../shared/ipc/result';
import { defaultKeysDir } from '../reviews/reviewHandlers';
import { versionRef } from '../reviews/reviewEvidence';
import { unlockSigningKey } from '../signing/keychainKeys';
import type { AsyncKeySealer } from '../signing/keys';
import { isoNow } from '../store/clock';
import type { Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { candidateJudge } from './candidateJudge';
import { candidatesHorizon, filterCandidates, filterOptions, rankCandidates, savingsOf } from '../../../shared/lifecycle/candidateList';
import { sunsetDependents } from './dependents';
import { lifecycleStates, listSunsets, retiredSpendAlarms, sunsetView } from './lifecycleQueries';
import { decideSunset, lifecycleOf, proposeSunset, refreshLifecycle } from './sunsets';
import { savingFrom, sunsetSavingFor } from './sunsetSaving';

type LifecycleChannel = 'lifecycle/candidates' | 'lifecycle/summary' | 'lifecycle/calculate' | 'sunsets/list' | 'sunsets/show' | 'sunsets/propose' | 'sunsets/decide' | 'sunsets/exportSummary';

export interface LifecycleHandlerContext {
  store: Store;
  resourcesDir: string;
  actor: string;
  clock: Clock;
  keysDir?: string;
  /** The OS keychain (the app only): signs without a passphrase with a key remembered there. */
  keychain?: AsyncKeySealer;
}

export function createLifecycleHandlers(ctx: LifecycleHandlerContext): Pick<Handlers, LifecycleChannel> {
  const { store } = ctx;
  const deps = { store, actor: ctx.actor, clock: ctx.clock };
  // Judging every model runs beside the engine's thread, which answers other calls meanwhile (see candidateJudge).
  const judge = candidateJudge(store, { resourcesDir: ctx.resourcesDir, clock: ctx.clock });
  return {
    'lifecycle/candidates': async ({ filter, limit, model, version }) => {
      refreshLifecycle(deps);
      const all = await judge.candidates();
      const scoped = model === undefined ? all : all.filter((c) => c.model === model && (version === undefined || c.version === version));
      const matching = rankCandidates(filter ? filterCandidates(scoped, filter) : scoped);
      return {
        asOf: ctx.clock().toISOString().slice(0, 10),
        candidates: limit === undefined ? matching : matching.slice(0, limit),
        total: all.length,
        matching: matching.length,
        savingsAtStake: savingsOf(all),
        matchingSavings: savingsOf(matching),
        options: filterOptions(all),
        dataThrough: candidatesHorizon(all),
        states: lifecycleStates(store.db),
        retiredSpend: retiredSpendAlarms(store.db),
      };
    },
    'lifecycle/summary': async () => {
      refreshLifecycle(deps);
      const candidates = await judge.candidates();
      const states = lifecycleStates(store.db);
      return {
        asOf: ctx.clock().toISOString().slice(0, 10),
        candidates: candidates.length,
        savingsAtStake: savingsOf(candidates),
        deprecated: states.filter((s) => s.state === 'deprecated').length,
        retired: states.filter((s) => s.state === 'retired').length,
        stillSpending: new Set(retiredSpendAlarms(store.db).map((a) => `${a.model}@${a.version}`)).size,
      };
    },
    'lifecycle/calculate': ({ model, version, replacement, sharedMonthly, commitments, retirementDate }) => {
      const ref = versionRef(store.db, model, version);
      const saving = sunsetSavingFor(store.db, ref, { replacement: replacement ?? null, sharedMonthly: sharedMonthly ?? 0, commitments: commitments ?? [] }, savingFrom(retirementDate, ctx.clock()));
      const life = lifecycleOf(store.db, ref.id);
      return { saving, dependents: sunsetDependents(store.db, ref.model, ref.version), lifecycle: { state: life.state, since: life.since } };
    },
    'sunsets/list': () => {
      refreshLifecycle(deps);
      return listSunsets(store.db);
    },
    'sunsets/show': ({ id }) => {
      refreshLifecycle(deps);
      const sunset = sunsetView(store.db, id);
      if (!sunset) throw new DocketError('NOT_FOUND', `no sunset review #${id}`);
      return { sunset, dependents: sunsetDependents(store.db, sunset.model, sunset.version) };
    },
    'sunsets/propose': ({ model, version, plan, reasons }) => proposeSunset(deps, { model, version, plan, reasons }),
    'sunsets/decide': async ({ id, kind, rationale, keyId, passphrase, remember }) => {
      const key = await unlockSigningKey({ keysDir: ctx.keysDir ?? defaultKeysDir(store), keychain: ctx.keychain, now: () => isoNow(ctx.clock) }, { keyId, passphrase, remember });
      return decideSunset(deps, { sunsetId: id, kind, rationale, key });
    },
    'sunsets/exportSummary': async ({ id }) => {
      const { exportSunsetSummary } = await import('./exportSunsetSummary');
      return exportSunsetSummary(store, { sunsetId: id, resourcesDir: ctx.resourcesDir, clock: ctx.clock, actor: ctx.actor });
    },
  };
}
