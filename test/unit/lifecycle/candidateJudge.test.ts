import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Worker } from 'node:worker_threads';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { candidateJudge, type CandidateJudge } from '../../../electron/core/lifecycle/candidateJudge';
import { candidatesKey, judgeEveryModel, sunsetCandidates } from '../../../electron/core/lifecycle/candidates';
import { keptForRevision } from '../../../electron/core/policy/revisionCache';
import type { Store } from '../../../electron/core/store/openStore';
import { tempStore } from '../../support/tempStore';
import { addAlias, addModel, addSpend, addUsage, clock, RESOURCES, usePack } from './lifecycleFixture';

/**
 * The judge worker answers what the engine would have judged itself, from a snapshot of the same
 * store revision, without holding up the engine's thread; an answer judged before a write is never
 * kept for after it.
 */

const workerScript = resolve('out/test-worker/judgeWorker.cjs');
const brokenScript = resolve('out/test-worker/brokenJudgeWorker.cjs');
const judgeOnceScript = resolve('out/test-worker/judgeOnce.cjs');
const slowScript = resolve('out/test-worker/slowJudgeWorker.cjs');
const judgedMarker = resolve('out/test-worker/judged.marker');
const countingScript = resolve('out/test-worker/countingJudgeWorker.cjs');
const inputsCount = resolve('out/test-worker/inputs.count');
beforeAll(async () => {
  await build({ entryPoints: ['electron/core/lifecycle/judgeWorker.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: workerScript, external: ['better-sqlite3'], logLevel: 'warning' });
  mkdirSync(resolve('out/test-worker'), { recursive: true });
  // A process that awaits nothing but a judgement, then prints how many candidates it got.
  writeFileSync(
    resolve('out/test-worker/judgeOnce.ts'),
    `import { candidateJudge } from '${resolve('electron/core/lifecycle/candidateJudge.ts')}';
     import { openStore } from '${resolve('electron/core/store/openStore.ts')}';
     const store = openStore(process.argv[2]!);
     const clock = () => new Date('2026-11-26T09:00:00.000Z');
     void candidateJudge(store, { resourcesDir: process.argv[4]!, clock }, process.argv[3]!, 2).candidates().then((c) => console.log('judged ' + c.length));`,
  );
  await build({ entryPoints: [resolve('out/test-worker/judgeOnce.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: judgeOnceScript, external: ['better-sqlite3'], logLevel: 'warning' });
  // A judge worker that notes each time it reads the judgement's bulk inputs (the model list is the
  // first of them), in a file: better-sqlite3 is one module per thread, so its statements can be watched.
  writeFileSync(
    countingScript,
    `const Database = require('better-sqlite3');
     const proto = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1'));
     const all = proto.all;
     proto.all = function (...args) {
       if (this.source === 'SELECT id, name FROM models ORDER BY name') require('node:fs').appendFileSync(process.env.DOCKET_TEST_COUNT, 'x');
       return all.apply(this, args);
     };
     require(${JSON.stringify(workerScript)});`,
  );
  // A worker that dies as it starts: the engine must judge itself.
  writeFileSync(brokenScript, "throw new Error('cannot start');\n");
  // A judge worker whose answer, once judged, is held back a moment (a marker file says it has judged):
  // a write made then is certainly not in the answer it sends.
  writeFileSync(
    slowScript,
    `const { parentPort } = require('node:worker_threads');
     const send = parentPort.postMessage.bind(parentPort);
     parentPort.postMessage = (m) => { require('node:fs').writeFileSync(process.env.DOCKET_TEST_MARKER, 'judged'); setTimeout(() => send(m), 400); };
     require(${JSON.stringify(workerScript)});`,
  );
}, 60_000);

let ctx: ReturnType<typeof tempStore>;
let store: Store;
const judges: CandidateJudge[] = [];
const options = { resourcesDir: RESOURCES, clock };
const judgeOf = (script: string | null, workers = 2) => {
  const judge = candidateJudge(store, options, script, workers);
  judges.push(judge);
  return judge;
};

beforeEach(() => {
  ctx = tempStore();
  store = ctx.store;
  usePack(store, ctx.dir);
  // Shapes the judgement tells apart: a superseded version, no traffic, idle spend, a card without owners.
  addModel(store, 'aliased', '1');
  addModel(store, 'aliased', '2');
  addAlias(store, 'aliased', 'champion', '2');
  addAlias(store, 'aliased', 'shadow', '1');
  addSpend(store, 'aliased@1', '2026-03-02', '2026-03-31', 300);
  addSpend(store, 'aliased', '2026-03-02', '2026-03-31', 600);
  addModel(store, 'busy', '1');
  addSpend(store, 'busy', '2026-03-02', '2026-03-31', 900);
  addUsage(store, 'busy', '2026-03-02', '2026-03-31', 3_000_000);
  addModel(store, 'idle', '1');
  addSpend(store, 'idle', '2026-03-02', '2026-03-31', 1200);
  addUsage(store, 'idle', '2026-03-02', '2026-03-02', 0);
  addModel(store, 'orphan', '3', { owners: [] });
});
afterEach(async () => {
  delete process.env.DOCKET_TEST_MARKER;
  delete process.env.DOCKET_TEST_COUNT;
  await Promise.all(judges.splice(0).map((j) => j.close()));
  ctx.cleanup();
});

describe('candidateJudge', () => {
  it('answers, from one worker or several sharing the models, exactly what the engine judges itself', async () => {
    const here = sunsetCandidates(store, options);
    expect(here.length).toBeGreaterThan(2);
    expect(here.map((c) => `${c.model}@${c.version}`)).toContain('aliased@1');
    for (const workers of [1, 2, 3]) {
      // A write first, so that each judge below judges afresh (nothing kept from the one before).
      store.db.prepare("UPDATE models SET updated_at = ? WHERE name = 'busy'").run(`2026-11-26T09:0${workers}:00.000Z`);
      expect(await judgeOf(workerScript, workers).candidates(), `${workers} workers`).toEqual(sunsetCandidates(store, options));
    }
  });

  it('leaves the engine thread free while it judges (the answer comes after other work on this thread)', async () => {
    const judge = judgeOf(workerScript);
    let done = false;
    const answer = judge.candidates().then((c) => ((done = true), c));
    // Judged on this thread, the answer would be ready once the pending callbacks ran; in the worker
    // (which has yet to start) it is not.
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    expect((await answer).length).toBeGreaterThan(0);

    // Judged on this thread (no worker script), it is.
    done = false;
    store.db.prepare("UPDATE models SET updated_at = '2026-11-26T09:30:00.000Z' WHERE name = 'busy'").run();
    const inline = judgeOf(null).candidates().then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(true);
    await inline;
  });

  it('keeps the answer for the revision it was asked at, where sunsetCandidates finds it', async () => {
    const judge = judgeOf(workerScript);
    const answer = await judge.candidates();
    const { key } = candidatesKey(store, options);
    expect(keptForRevision(store.db, key)).toEqual(answer);
    // A write moves the revision: nothing is kept for the new one.
    addModel(store, 'newcomer', '1', { owners: [] });
    expect(keptForRevision(store.db, key)).toBeUndefined();
    const after = await judge.candidates();
    expect(after.map((c) => c.model)).toContain('newcomer');
    expect(after).toEqual(sunsetCandidates(store, options));
  });

  it('answers and keeps the state after a write that came while it judged, never the one before', async () => {
    rmSync(judgedMarker, { force: true });
    const judge = candidateJudge(store, options, slowScript, 1);
    judges.push(judge);
    process.env.DOCKET_TEST_MARKER = judgedMarker;
    const { key } = candidatesKey(store, options);
    const pending = judge.candidates();
    // Written after the worker judged, before its answer arrives: that answer lacks it, so it is judged again.
    await vi.waitFor(() => expect(existsSync(judgedMarker)).toBe(true), { timeout: 20_000, interval: 10 });
    addModel(store, 'late', '1', { owners: [] });
    const answer = await pending;
    expect(answer.map((c) => c.model)).toContain('late');
    expect(answer).toEqual(sunsetCandidates(store, options));
    expect(keptForRevision(store.db, key)).toEqual(answer);
  });

  it('shares one judgement between callers asking at the same revision', async () => {
    const judge = judgeOf(workerScript);
    // One share per worker is posted for the three callers, not one per caller.
    const posted = vi.spyOn(Worker.prototype, 'postMessage');
    const [a, b, c] = await Promise.all([judge.candidates(), judge.candidates(), judge.candidates()]);
    expect(posted).toHaveBeenCalledTimes(2);
    posted.mockRestore();
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    // Each caller gets its own array (callers sort and filter what they get).
    expect(b).not.toBe(a);

    // Callers sharing a judgement that a write overtook each get the state after the write.
    addModel(store, 'shared-first', '1', { owners: [] }); // nothing kept: the next two share a judgement
    const [d, e] = [judge.candidates(), judge.candidates()];
    addModel(store, 'shared-late', '1', { owners: [] });
    for (const answer of await Promise.all([d, e])) expect(answer.map((x) => x.model)).toContain('shared-late');
  });

  it('holds its process while it judges and lets it end once idle', () => {
    const expected = sunsetCandidates(store, options).length;
    store.close();
    // Idle workers are unref'd: a process awaiting only the judgement must neither end before the
    // answer (the workers are held while they judge) nor stay alive after it.
    const run = spawnSync(process.execPath, [judgeOnceScript, ctx.dbPath, workerScript, RESOURCES], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(`judged ${expected}`);
  });

  it('after a write only to what reviews decide judges from the inputs it read before; after a write to those inputs it reads them again', async () => {
    rmSync(inputsCount, { force: true });
    writeFileSync(inputsCount, '');
    process.env.DOCKET_TEST_COUNT = inputsCount;
    const judge = judgeOf(countingScript, 1);
    const { pack, now } = candidatesKey(store, options);
    const afresh = () => judgeEveryModel(store, pack, now);
    const reads = () => readFileSync(inputsCount, 'utf8').length;
    expect(await judge.candidates()).toEqual(afresh());
    expect(reads()).toBe(1);
    // An evidence snapshot, as opening a release review takes one: the judgement reads snapshots
    // (through the checklists), not from its bulk inputs.
    const versionId = store.db.prepare("SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = 'idle'").pluck().get() as number;
    store.db.prepare("INSERT INTO evidence_snapshots (hash, content_hash, model_version_id, snapshot_json, taken_at) VALUES ('e1', 'c1', ?, '{}', '2026-11-26T09:00:00.000Z')").run(versionId);
    expect(keptForRevision(store.db, candidatesKey(store, options).key)).toBeUndefined();
    expect(await judge.candidates()).toEqual(afresh());
    expect(reads()).toBe(1);
    // Spend is an input: read again, and the figures follow.
    addSpend(store, 'idle@1', '2026-03-02', '2026-03-31', 50);
    const after = await judge.candidates();
    expect(after).toEqual(afresh());
    expect(reads()).toBe(2);
  });

  it('judges on the engine thread when the worker cannot start', async () => {
    const judge = judgeOf(brokenScript);
    const answer = await judge.candidates();
    expect(answer).toEqual(sunsetCandidates(store, options));
    // And goes on doing so.
    addModel(store, 'later', '1', { owners: [] });
    expect((await judge.candidates()).map((c) => c.model)).toContain('later');
  });
});
