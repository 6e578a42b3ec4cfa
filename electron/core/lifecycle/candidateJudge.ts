import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SunsetCandidate } from '../../../shared/lifecycle/lifecycleViews';
import { keepForRevision, keptForRevision, storeRevision } from '../policy/revisionCache';
import type { Store } from '../store/openStore';
import { candidatesKey, sunsetCandidates, type CandidateOptions } from './candidates';
import type { JudgeJob, JudgeReply } from './judgeWorker';

/**
 * Sunset candidates without holding up the engine. Judging every model is the engine's longest read
 * (about a second at 20,000 models); done on the engine's thread, every other call waits behind it:
 * the Overview's other figures, a click in another view. Here it runs in the judge worker, on a
 * read-only connection of its own, while this thread answers the rest.
 *
 * The answer is kept exactly as sunsetCandidates keeps its own (same key, same store revision), so
 * either path finds what the other judged. A worker's answer is kept only if the store is still at
 * the revision it was asked at: the worker read one snapshot, taken after that revision was read,
 * and an unchanged revision means no commit (this connection's or another's) came in between.
 * Callers asking while a judgement of the same revision runs wait for that one.
 *
 * Without the worker script (unit tests, a build without it) or if the worker fails, it judges here.
 */
export interface CandidateJudge {
  candidates(): Promise<SunsetCandidate[]>;
  /** Starts a judgement now if none is kept, so the first view that needs one finds it done or under way. */
  warm(): void;
  /** Stops the worker (tests; the engine's worker ends with its process). */
  close(): Promise<void>;
}

/** DOCKET_JUDGE_WORKER: '0' judges on the engine's thread; a path names the worker script (tests build one). */
export function judgeWorkerScript(): string | null {
  const chosen = process.env.DOCKET_JUDGE_WORKER;
  if (chosen === '0') return null;
  if (chosen) return chosen;
  if (typeof __dirname !== 'string') return null;
  // Beside the engine's bundle: judgeWorker.cjs in the CLI build (out/cli), .js in the Electron build
  // (out/main; from a shared chunk, one folder up).
  for (const dir of [__dirname, join(__dirname, '..')]) {
    for (const name of ['judgeWorker.cjs', 'judgeWorker.js']) {
      const path = join(dir, name);
      if (existsSync(path)) return path;
    }
  }
  return null;
}

export function candidateJudge(store: Store, options: CandidateOptions, script: string | null = judgeWorkerScript()): CandidateJudge {
  let worker: Worker | null = null;
  let broken = false;
  let nextId = 1;
  const pending = new Map<number, { resolve: (c: SunsetCandidate[]) => void; reject: (e: Error) => void }>();
  /** The judgement under way, by key and revision. */
  let running: { key: string; revision: string; answer: Promise<SunsetCandidate[]> } | null = null;

  const failAll = (error: Error) => {
    broken = true;
    worker = null;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const startWorker = (): Worker | null => {
    if (worker || broken || !script || store.path === ':memory:') return worker;
    try {
      const w = new Worker(script, { workerData: { dbPath: store.path } });
      // Never what keeps a process (the CLI, a test run) alive.
      w.unref();
      w.on('message', (reply: JudgeReply) => {
        const p = pending.get(reply.id);
        if (!p) return;
        pending.delete(reply.id);
        // A worker that could not judge will not do better next time: the engine judges from now on.
        if ('error' in reply) {
          broken = true;
          p.reject(new Error(reply.error));
        }
        else p.resolve(reply.candidates);
      });
      w.on('error', (err) => failAll(err));
      w.on('exit', () => failAll(new Error('the judge worker stopped')));
      worker = w;
    } catch {
      broken = true;
    }
    return worker;
  };
  const inWorker = (job: Omit<JudgeJob, 'id'>): Promise<SunsetCandidate[]> | null => {
    const w = startWorker();
    if (!w) return null;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ id, ...job } satisfies JudgeJob);
    });
  };

  const candidates = async (): Promise<SunsetCandidate[]> => {
    const db = store.db;
    const { key, pack, now } = candidatesKey(store, options);
    const kept = keptForRevision<SunsetCandidate[]>(db, key);
    if (kept) return [...kept];
    // Inside a transaction the snapshot is this connection's own: judge here (sunsetCandidates does).
    if (db.inTransaction) return sunsetCandidates(store, options);
    const revision = storeRevision(db);
    if (running && running.key === key && running.revision === revision) return [...(await running.answer)];
    const answer = inWorker({ pack, now: now.toISOString() });
    if (!answer) return sunsetCandidates(store, options);
    const mine = {
      key,
      revision,
      answer: answer.then((list) => {
        keepForRevision(db, key, revision, list);
        return list;
      }),
    };
    running = mine;
    try {
      return [...(await mine.answer)];
    } catch {
      // The worker failed (it cannot open the file, it ran out of memory): the engine judges itself.
      return sunsetCandidates(store, options);
    } finally {
      if (running === mine) running = null;
    }
  };

  return {
    candidates,
    warm: () => void candidates().catch(() => undefined),
    close: async () => {
      const w = worker;
      broken = true;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
