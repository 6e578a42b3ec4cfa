import { parentPort, workerData } from 'node:worker_threads';
import type { PolicyPack } from '../../../shared/policy/policyPack';
import { openStore, type Store } from '../store/openStore';
import { judgeEveryModel, type JudgementInputs, type JudgementInputsCache } from './candidates';
import type { ModelPart } from './candidateFacts';

/**
 * A judge worker: judges its share of the models for sunset (candidates.ts) on its own read-only connection, so
 * the engine's thread goes on answering other calls meanwhile (see candidateJudge). Each job runs in
 * one read transaction: one snapshot of the store, as the engine's revision was when it asked.
 *
 * In: {id, pack, now, part}. Out: {id, candidates} or {id, error}.
 */
export interface JudgeJob {
  id: number;
  /** The policy pack the engine keys the answer by (its active pack at that revision). */
  pack: PolicyPack;
  /** The engine's clock when it asked (ISO): the same hour, the same ages. */
  now: string;
  /** The share of the models this worker judges (the engine merges the shares). */
  part?: ModelPart;
  /**
   * The engine's revision of the tables the judgement's bulk inputs come from (JUDGEMENT_INPUT_READS).
   * While it stands, the worker judges from the inputs it read for an earlier job.
   */
  inputsRevision: string;
}

export type JudgeReply = { id: number; candidates: ReturnType<typeof judgeEveryModel> } | { id: number; error: string };

const port = parentPort;
if (port) {
  const { dbPath } = workerData as { dbPath: string };
  // The bulk inputs of the last job, by the engine's revision of their tables: after a release
  // decision (which changes none of them) the next job only judges. Read on one snapshot, plain
  // objects, they outlive the connection they were read on. One set at a time: a worker's share.
  let kept: { revision: string; key: string; inputs: JudgementInputs } | null = null;
  port.on('message', (job: JudgeJob) => {
    const inputsCache: JudgementInputsCache = (key, load) => {
      if (kept?.revision === job.inputsRevision && kept.key === key) return kept.inputs;
      kept = null; // let the old set go before reading the new one
      const inputs = load();
      kept = { revision: job.inputsRevision, key, inputs };
      return inputs;
    };
    // Opened for each job and closed after it: no connection lingers between judgements (the engine's
    // close stays the last, as its clean-close stamp expects). The engine checked the file when it
    // opened it; this connection only reads and never migrates.
    let store: Store | null = null;
    try {
      const s = (store = openStore(dbPath, { readonly: true, integrityCheck: 'never' }));
      const candidates = s.db.transaction(() => judgeEveryModel(s, job.pack, new Date(job.now), job.part, inputsCache))();
      port.postMessage({ id: job.id, candidates } satisfies JudgeReply);
    } catch (err) {
      port.postMessage({ id: job.id, error: (err as Error).message } satisfies JudgeReply);
    } finally {
      store?.close();
    }
  });
}
