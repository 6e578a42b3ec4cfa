import type { z } from 'zod';
import type { RegistryModel, RegistryModelVersion, RegistryRun, RegistrySnapshot, RegistryTag } from '../../../shared/domain/registry';
import { MlflowClient, MlflowError, type MlflowRetryOptions } from './mlflowClient';
import {
  getRunSchema,
  searchModelVersionsSchema,
  searchRegisteredModelsSchema,
  type MlflowModelVersion,
  type MlflowRegisteredModel,
  type MlflowRun,
} from './mlflowSchemas';

export interface FetchRegistryProgress {
  phase: 'models' | 'versions' | 'runs';
  done: number;
  /** null while the total is unknown (MLflow's searches do not report counts). */
  total: number | null;
}

export interface FetchRegistryOptions {
  url: string;
  token?: string;
  /** For messages only: where the token came from ("MLFLOW_TRACKING_TOKEN", "the saved token"). */
  tokenSource?: string;
  /** max_results for registered-models/search (default 100, MLflow's maximum is 1000). */
  pageSize?: number;
  /** max_results for model-versions/search (default 1000). */
  versionPageSize?: number;
  /**
   * "all" (default): page through every version with one unfiltered search, about 20 requests for
   * 2,000 models x 10 versions at 1,000 a page. "per-model": one filtered search per model
   * (`name='...'`), about 2,000 requests for the same registry; for servers that require a filter.
   */
  versionStrategy?: 'all' | 'per-model';
  /** Parallel requests for runs/get and per-model searches (default 8). */
  concurrency?: number;
  timeoutMs?: number;
  retry?: MlflowRetryOptions;
  onProgress?: (progress: FetchRegistryProgress) => void;
  signal?: AbortSignal;
  /** Fetch the run behind every version (default true). */
  fetchRuns?: boolean;
}

/** The order of models/versionOrder.ts's compareVersions, with one collator instead of one per comparison. */
const versionCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** MLflow's search syntax has no escape inside a quoted value: the server only strips the outer quotes. */
export function nameFilter(name: string): string {
  if (!name.includes("'")) return `name='${name}'`;
  if (!name.includes('"')) return `name="${name}"`;
  throw new Error(`the model name ${JSON.stringify(name)} holds both quote characters, which MLflow's filter syntax cannot express`);
}

/** Reads a registry: every registered model, every version, and (optionally) the run behind each version. */
export async function fetchRegistry(options: FetchRegistryOptions): Promise<RegistrySnapshot> {
  // One controller for the whole fetch, so a fatal error in one parallel request stops the others.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const client = new MlflowClient({
    url: options.url,
    token: options.token,
    tokenSource: options.tokenSource,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    signal,
  });
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const progress = options.onProgress ?? (() => undefined);
  const warnings: string[] = [];

  try {
    const wireModels = await fetchModels(client, options.pageSize ?? 100, progress);
    const versionsByModel = new Map<string, MlflowModelVersion[]>(wireModels.map((model) => [model.name, []]));
    const strategy = options.versionStrategy ?? 'all';
    const versionPageSize = options.versionPageSize ?? 1000;

    if (strategy === 'all') {
      let done = 0;
      for await (const page of paged(client, 'model-versions/search', {}, versionPageSize, searchModelVersionsSchema, 'model_versions')) {
        for (const version of page) {
          const list = versionsByModel.get(version.name);
          // A model registered after the model listing was read: the next sync picks it up whole.
          if (list) list.push(version);
        }
        done += page.length;
        progress({ phase: 'versions', done, total: null });
      }
    } else {
      let done = 0;
      await forEachLimited(wireModels, concurrency, async (model) => {
        let filter: string;
        try {
          filter = nameFilter(model.name);
        } catch (error) {
          warnings.push(`versions of model ${JSON.stringify(model.name)} were not read: ${(error as Error).message}`);
          return;
        }
        const list = versionsByModel.get(model.name) ?? [];
        for await (const page of paged(client, 'model-versions/search', { filter }, versionPageSize, searchModelVersionsSchema, 'model_versions')) {
          list.push(...page.filter((version) => version.name === model.name));
        }
        done += 1;
        progress({ phase: 'versions', done, total: wireModels.length });
      });
    }

    const runs = new Map<string, RegistryRun | null>();
    if (options.fetchRuns ?? true) {
      const runIds = [...new Set([...versionsByModel.values()].flat().map((version) => version.run_id).filter((id): id is string => !!id))];
      let done = 0;
      progress({ phase: 'runs', done, total: runIds.length });
      await forEachLimited(runIds, concurrency, async (runId) => {
        try {
          const { run } = await client.get('runs/get', { run_id: runId }, getRunSchema);
          runs.set(runId, mapRun(run, runId));
        } catch (error) {
          // A deleted or purged run leaves the version pointing nowhere: worth a warning, not a failed sync.
          if (!(error instanceof MlflowError) || error.status !== 404) throw error;
          runs.set(runId, null);
          warnings.push(`run ${runId} was not found (${error.errorCode ?? 'HTTP 404'}); its versions are recorded without run details`);
        }
        done += 1;
        progress({ phase: 'runs', done, total: runIds.length });
      });
    }

    const models = wireModels.map((model) => mapModel(model, versionsByModel.get(model.name) ?? [], runs));
    return { url: client.url, models, requests: { ...client.requests }, warnings };
  } catch (error) {
    stop.abort();
    throw error;
  }
}

async function fetchModels(client: MlflowClient, pageSize: number, progress: (p: FetchRegistryProgress) => void): Promise<MlflowRegisteredModel[]> {
  const models: MlflowRegisteredModel[] = [];
  const seen = new Set<string>();
  for await (const page of paged(client, 'registered-models/search', {}, pageSize, searchRegisteredModelsSchema, 'registered_models')) {
    for (const model of page) {
      // Offset-based page tokens can repeat a row when a model is created mid-listing.
      if (seen.has(model.name)) continue;
      seen.add(model.name);
      models.push(model);
    }
    progress({ phase: 'models', done: models.length, total: null });
  }
  return models;
}

/**
 * Follows next_page_token until the server stops sending one. A page may hold fewer rows than asked
 * (servers cap max_results), so a short page is not the end; only a missing token is.
 */
async function* paged<K extends string, T>(
  client: MlflowClient,
  endpoint: string,
  params: Record<string, string>,
  pageSize: number,
  schema: z.ZodType<{ next_page_token?: string | undefined } & Record<K, T[]>>,
  key: K,
): AsyncGenerator<T[]> {
  let pageToken: string | undefined;
  const tokensSeen = new Set<string>();
  do {
    const page = await client.get(endpoint, { ...params, max_results: pageSize, page_token: pageToken }, schema);
    yield page[key];
    pageToken = page.next_page_token || undefined;
    if (pageToken !== undefined) {
      if (tokensSeen.has(pageToken)) {
        throw new MlflowError({ kind: 'invalid-response', endpoint, message: `MLflow sent the same next_page_token twice for ${endpoint}: stopped to avoid an endless loop` });
      }
      tokensSeen.add(pageToken);
    }
  } while (pageToken !== undefined);
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function tags(list: readonly { key: string; value: string }[]): RegistryTag[] {
  return list.map(({ key, value }) => ({ key, value }));
}

function mapModel(model: MlflowRegisteredModel, versions: MlflowModelVersion[], runs: Map<string, RegistryRun | null>): RegistryModel {
  return {
    name: model.name,
    description: model.description || null,
    createdAt: model.creation_timestamp ?? null,
    updatedAt: model.last_updated_timestamp ?? null,
    tags: tags(model.tags),
    aliases: model.aliases.map(({ alias, version }) => ({ alias, version })),
    versions: versions.map((version) => mapVersion(version, runs)).sort((a, b) => versionCollator.compare(a.version, b.version)),
  };
}

function mapVersion(version: MlflowModelVersion, runs: Map<string, RegistryRun | null>): RegistryModelVersion {
  const runId = version.run_id || null;
  return {
    version: version.version,
    status: version.status || null,
    currentStage: version.current_stage || null,
    description: version.description || null,
    source: version.source || null,
    runId,
    runLink: version.run_link || null,
    userId: version.user_id || null,
    createdAt: version.creation_timestamp ?? null,
    updatedAt: version.last_updated_timestamp ?? null,
    tags: tags(version.tags),
    aliases: [...version.aliases],
    run: runId ? (runs.get(runId) ?? null) : null,
  };
}

function mapRun(run: MlflowRun, requestedId: string): RegistryRun {
  return {
    runId: run.info.run_id || run.info.run_uuid || requestedId,
    experimentId: run.info.experiment_id || null,
    status: run.info.status || null,
    startTime: run.info.start_time ?? null,
    endTime: run.info.end_time ?? null,
    params: tags(run.data.params),
    metrics: run.data.metrics.map((metric) => ({
      key: metric.key,
      value: metric.value,
      step: metric.step ?? null,
      timestamp: metric.timestamp ?? null,
    })),
    tags: tags(run.data.tags),
    datasetInputs: run.inputs.dataset_inputs.map((input) => ({
      name: input.dataset.name,
      digest: input.dataset.digest || null,
      source: input.dataset.source || null,
      sourceType: input.dataset.source_type || null,
      context: input.tags.find((tag) => tag.key === 'mlflow.data.context')?.value || null,
    })),
  };
}
