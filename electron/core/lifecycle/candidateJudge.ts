import type { Worker } from 'node:worker_threads';
import { startWorkerScript, workerScriptBeside } from '../workerScripts';
import { availableParallelism } from 'node:os';
import type { SunsetCandidate } from '../../../shared/lifecycle/lifecycleViews';
import { keepForRevision, keptForRevision, storeRevision } from '../policy/revisionCache';
import type { Store } from '../store/openStore';
import { JUDGEMENT_INPUT_READS, JUDGEMENT_READS } from '../policy/keptReads';
import { candidatesKey, compareCandidates, judgementKey, sunsetCandidates, type CandidateOptions } from './candidates';
import type { JudgeJob, JudgeReply } from './judgeWorker';

/**
 * Sunset candidates without holding up the engine. Judging every model is the engine's longest read
 * (about a second at 20,000 models); done on the engine's thread, every other call waits behind it:
 * the Overview's other figures, a click in another view. Here judge workers share it, each on a
 * read-only connection of its own and a share of the models, while this thread answers the rest.
 *
 * The workers' judgement is kept exactly as sunsetCandidates keeps its own (same key, same store
 * revision of the tables it reads), so either path finds what the other judged; sunsetCandidates then
 * sets aside the versions approved sunsets moved on. The judgement is kept only if the store is still
 * at the revision it was asked at: each worker read one snapshot, taken after that revision was
 * read, and an unchanged revision means no commit (this connection's or another's) came in between
 * that touched what it read, so every share was judged on that one state.
 * Callers asking while a judgement of the same revision runs wait for that one.
 *
 * Without the worker script (unit tests, a build without it) or if the worker fails, it judges here.
 */
export interface CandidateJudge {
  candidates(): Promise<SunsetCandidate[]>;
  /** Stops the worker (tests; the engine's worker ends with its process). */
  close(): Promise<void>;
}

/** DOCKET_JUDGE_WORKER: '0' judges on the engine's thread; a path names the worker script (tests build one). */
export function judgeWorkerScript(): string | null {
  return workerScriptBeside('judgeWorker', 'DOCKET_JUDGE_WORKER');
}

/**
 * How many judge workers share a judgement: one per core beside the engine's, at least two (the engine
 * thread is often idle while a view waits for the judgement), at most three (each holds a copy of the
 * workspace's spend figures while it judges).
 */
export function judgeWorkerCount(): number {
  return Math.max(2, Math.min(3, availableParallelism() - 1));
}

export function candidateJudge(store: Store, options: CandidateOptions, script: string | null = judgeWorkerScript(), workerCount = judgeWorkerCount()): CandidateJudge {
  let workers: Worker[] | null = null;
  let broken = false;
  let nextId = 1;
  const pending = new Map<number, { resolve: (c: SunsetCandidate[]) => void; reject: (e: Error) => void }>();
  /** The judgement under way, by key and revision. */
  let running: { key: string; revision: string; answer: Promise<SunsetCandidate[]> } | null = null;

  const stopAll = (error: Error) => {
    broken = true;
    const ws = workers ?? [];
    workers = null;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    for (const w of ws) void w.terminate();
  };
  const startWorkers = (): Worker[] | null => {
    if (workers || broken || !script || store.path === ':memory:') return workers;
    try {
      workers = Array.from({ length: workerCount }, () => {
        const w = startWorkerScript(script, { workerData: { dbPath: store.path } });
        w.on('message', (reply: JudgeReply) => {
          const p = pending.get(reply.id);
          if (!p) return;
          pending.delete(reply.id);
          if ('error' in reply) {
            // A worker that could not judge will not do better next time: the engine judges from now on.
            stopAll(new Error(reply.error));
            p.reject(new Error(reply.error));
          } else p.resolve(reply.candidates);
        });
        w.on('error', (err) => stopAll(err));
        w.on('exit', () => stopAll(new Error('a judge worker stopped')));
        // Idle, never what keeps a process (the CLI, a test run) alive; held while it judges (inWorkers),
        // or a caller awaiting only the judgement would see its process end. After the listeners, which ref it.
        w.unref();
        return w;
      });
    } catch {
      stopAll(new Error('the judge workers could not start'));
    }
    return workers;
  };
  /** Each worker judges a share of the models; their candidates sorted together are the whole judgement's. */
  const inWorkers = (job: Omit<JudgeJob, 'id' | 'part'>): Promise<SunsetCandidate[]> | null => {
    const ws = startWorkers();
    if (!ws) return null;
    for (const w of ws) w.ref();
    const shares = ws.map(
      (w, index) =>
        new Promise<SunsetCandidate[]>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          w.postMessage({ id, ...job, part: { index, of: ws.length } } satisfies JudgeJob);
        }),
    );
    const idle = () => {
      if (pending.size === 0) for (const w of ws) w.unref();
    };
    return Promise.all(shares).then(
      (parts) => {
        idle();
        return parts.flat().sort(compareCandidates);
      },
      (err: unknown) => {
        idle();
        throw err;
      },
    );
  };

  const candidates = async (attempt = 0): Promise<SunsetCandidate[]> => {
    const db = store.db;
    const { key, pack, now } = candidatesKey(store, options);
    const kept = keptForRevision<SunsetCandidate[]>(db, key);
    if (kept) return [...kept];
    // Inside a transaction the snapshot is this connection's own: judge here (sunsetCandidates does).
    // So too when writes keep landing while the workers judge (see below).
    if (db.inTransaction || attempt >= 2) return sunsetCandidates(store, options);
    // With the judgement kept (only a lifecycle state changed), sunsetCandidates only sets aside the
    // versions approved sunsets moved on: a few milliseconds, not worth a worker.
    const judgement = judgementKey(key);
    if (keptForRevision(db, judgement)) return sunsetCandidates(store, options);
    const revision = storeRevision(db, JUDGEMENT_READS);
    // The workers each read their own snapshot: with a commit in between, their shares may come from
    // two states of the store, so that answer is neither kept nor given: judge again. Kept, the
    // judgement is what sunsetCandidates then finds, setting aside the decided versions as it would.
    const given = () => (storeRevision(db, JUDGEMENT_READS) !== revision ? candidates(attempt + 1) : sunsetCandidates(store, options));
    if (running && running.key === key && running.revision === revision) {
      const shared = running.answer;
      // If the shared judgement fails, its owner falls back to judging here; so does each caller sharing it.
      return shared.then(given, () => sunsetCandidates(store, options));
    }
    const answer = inWorkers({ pack, now: now.toISOString(), inputsRevision: storeRevision(db, JUDGEMENT_INPUT_READS) });
    if (!answer) return sunsetCandidates(store, options);
    const mine = {
      key,
      revision,
      answer: answer.then((list) => {
        keepForRevision(db, judgement, JUDGEMENT_READS, revision, list);
        return list;
      }),
    };
    running = mine;
    try {
      await mine.answer;
    } catch {
      // A worker failed (it cannot open the file, it ran out of memory): the engine judges itself.
      return sunsetCandidates(store, options);
    } finally {
      if (running === mine) running = null;
    }
    return given();
  };

  return {
    candidates: () => candidates(),
    close: async () => {
      const ws = workers ?? [];
      broken = true;
      workers = null;
      await Promise.all(ws.map((w) => w.terminate()));
    },
  };
}
