import { MlflowClient } from './mlflowClient';
import { searchRegisteredModelsSchema } from './mlflowSchemas';

/** Asks the server for one registered model: proves the URL is MLflow and the token is accepted. Writes nothing. */
export async function testMlflowConnection(options: { url: string; token?: string; tokenSource?: string; timeoutMs?: number }): Promise<{ ok: boolean; message: string; models: number | null }> {
  const client = new MlflowClient({ url: options.url, token: options.token, tokenSource: options.tokenSource, timeoutMs: options.timeoutMs ?? 10_000, retry: { maxRateLimitRetries: 1, maxServerErrorRetries: 0 } });
  try {
    const page = await client.get('registered-models/search', { max_results: 1 }, searchRegisteredModelsSchema);
    const count = page.registered_models?.length ?? 0;
    return { ok: true, message: `Connected to ${client.url}: the registry answered${count === 0 ? ' (no registered models yet)' : ''}.`, models: count };
  } catch (err) {
    return { ok: false, message: (err as Error).message, models: null };
  }
}
