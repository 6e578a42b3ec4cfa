// `BENCH_ONLY=scale`: issue 10 item 6. A workspace with 20,000 models, 200,000 versions, 10,000,000
// spend line items and 1,000,000 audit rows; every view's opening requests timed through the real
// engine handlers (< 1 s each), then the Electron main thread's event-loop lag measured while the
// engine worker imports (max < 50 ms). BENCH_SCALE_FACTOR (default 1) scales every size down for
// quick iterations. Nothing is cached across runs: the workspace is built in a temp dir and removed.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { startHarness, type Harness } from '../support/harness';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { importCards, type CardSummary } from '../../electron/core/cards/importCards';
import { parseCardFile } from '../../electron/core/cards/parseCardFile';
import { cardCompleteness } from '../../shared/domain/completeness';
import { startRun, finishRun } from '../../electron/core/store/syncRuns';
import { listModels, showModel } from '../../electron/core/models/modelQueries';
import { openStore, type Store } from '../../electron/core/store/openStore';
import { systemClock } from '../../electron/core/store/clock';
import { createCoreHandlers } from '../../electron/core/handlers';
import { dispatch, type Handlers } from '../../shared/ipc/dispatch';
import type { IpcResult } from '../../shared/ipc/result';
import { warmEngine } from '../../electron/core/engineWarmup';
import { judgeWorkerCount, judgeWorkerScript } from '../../electron/core/lifecycle/candidateJudge';
import { answerForTransport, readAnswer } from '../../shared/ipc/jsonAnswer';
import { seedLineItems } from './seedSpend';
import { seedAuditRows } from './seedAudit';
import { scaleViews, type ScaleView } from './scaleViews';

const VERSIONS_PER_MODEL = 10;

export function scaleFactor(): number {
  const f = Number(process.env.BENCH_SCALE_FACTOR ?? 1);
  return Number.isFinite(f) && f > 0 ? Math.min(f, 1) : 1;
}

/** A compact Model Card Toolkit card (JSON, states its own version); every 7th model names no owner. */
function cardJson(model: number, version: number): string {
  const owners = model % 7 === 0 ? [] : [{ name: `Owner ${model % 37}`, contact: `o${model % 37}@bench.example` }];
  return JSON.stringify({
    model_details: {
      name: `model-${model}`,
      overview: `Model ${model} version ${version}, generated for the scale benchmark.`,
      version: { name: String(version) },
      owners,
      licenses: [{ identifier: 'MIT' }],
    },
    considerations: model % 3 === 0 ? { use_cases: [{ description: 'bench' }] } : { use_cases: [{ description: 'bench' }], limitations: [{ description: 'bench limits' }] },
    quantitative_analysis: { performance_metrics: [{ type: 'auc', value: String(0.8 + (model % 100) / 1000) }] },
  });
}

function ms(t: number): string {
  return `${t.toFixed(0)} ms`;
}

interface Sizes {
  models: number;
  lineItems: number;
  auditRows: number;
  lagFocusRows: number;
  lagCards: number;
}

function sizes(f: number): Sizes {
  return {
    models: Math.max(20, Math.round(20_000 * f)),
    lineItems: Math.max(10_000, Math.round(10_000_000 * f)),
    auditRows: Math.max(1_000, Math.round(1_000_000 * f)),
    lagFocusRows: Math.max(10_000, Math.round(1_000_000 * f)),
    lagCards: Math.max(50, Math.round(5_000 * f)),
  };
}

/**
 * The cards. The first REAL_IMPORT_MODELS models go through the real card importer (importCards, one
 * folder of 500 models per call, as a user importing folder after folder). The rest take a shortcut
 * that mirrors what importCards writes: the same parser (parseCardFile) and completeness summary, the
 * same rows in models, model_versions, model_cards and model_version_tags, one sync run per batch; it
 * only skips the per-card audit entries (seedAuditRows fills the audit log to its size anyway) and
 * the per-card lookups. importCards runs at a few hundred cards/s on this 2-core box: 200,000 cards
 * would take ten minutes. checkCardShortcut() shows the Models view cannot tell the two apart.
 */
const REAL_IMPORT_MODELS = 1_000;

function writeCardFolder(dir: string, first: number, last: number): string {
  const folder = join(dir, `cards-${first}`);
  for (let m = first; m < last; m++) {
    const modelDir = join(folder, `model-${m}`);
    mkdirSync(modelDir, { recursive: true });
    for (let v = 1; v <= VERSIONS_PER_MODEL; v++) writeFileSync(join(modelDir, `v${v}.model_card.json`), cardJson(m, v));
  }
  return folder;
}

function importScaleCards(store: Store, dir: string, models: number): { real: number; mirrored: number; realMs: number; mirroredMs: number } {
  const batch = 500;
  const realModels = Math.min(models, Math.max(1, Math.round(REAL_IMPORT_MODELS * scaleFactor())));
  let real = 0;
  const t0 = performance.now();
  for (let first = 0; first < realModels; first += batch) {
    const folder = writeCardFolder(dir, first, Math.min(realModels, first + batch));
    const result = importCards(store, [folder], { actor: 'bench', clock: systemClock });
    if (result.rejected.length > 0) throw new Error(`scale cards rejected: ${JSON.stringify(result.rejected.slice(0, 3))}`);
    real += result.imported;
    rmSync(folder, { recursive: true, force: true });
  }
  const realMs = performance.now() - t0;
  const t1 = performance.now();
  const mirrored = mirrorCards(store, dir, realModels, models, batch);
  return { real, mirrored, realMs, mirroredMs: performance.now() - t1 };
}

/** The shortcut: writes models [first, last) as importCards would (see importScaleCards). */
function mirrorCards(store: Store, dir: string, first: number, models: number, batch: number): number {
  const db = store.db;
  const insertModel = db.prepare('INSERT INTO models (name, created_at, updated_at) VALUES (?, ?, ?)');
  const insertVersion = db.prepare('INSERT INTO model_versions (model_id, version, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const insertCard = db.prepare(
    `INSERT INTO model_cards (model_version_id, format, canonical_json, summary_json, source_path, source_sha256, raw, imported_at, sync_run_id)
     VALUES (@id, @format, @canonical, @summary, @path, @sha, @raw, @at, @run)`,
  );
  const insertTag = db.prepare("INSERT OR IGNORE INTO model_version_tags (model_version_id, key, value) VALUES (?, ?, '')");
  let mirrored = 0;
  for (let start = first; start < models; start += batch) {
    const last = Math.min(models, start + batch);
    const folder = join(dir, `cards-${start}`);
    const at = new Date().toISOString();
    db.transaction(() => {
      const run = startRun(db, 'cards', at, [folder]);
      for (let m = start; m < last; m++) {
        const modelId = Number(insertModel.run(`model-${m}`, at, at).lastInsertRowid);
        for (let v = 1; v <= VERSIONS_PER_MODEL; v++) {
          const path = join(folder, `model-${m}`, `v${v}.model_card.json`);
          const raw = Buffer.from(cardJson(m, v));
          const card = parseCardFile({ path, bytes: raw }, {})[0]!;
          const summary: CardSummary = { license: card.license, owners: card.owners.map((o) => o.name), tags: card.tags, completeness: cardCompleteness(card) };
          const versionId = Number(insertVersion.run(modelId, card.version, at, at).lastInsertRowid);
          insertCard.run({ id: versionId, format: card.format, canonical: JSON.stringify(card), summary: JSON.stringify(summary), path, sha: createHash('sha256').update(raw).digest('hex'), raw, at, run });
          for (const tag of card.tags) insertTag.run(versionId, tag);
          mirrored += 1;
        }
      }
      finishRun(db, run, 'ok', { imported: (last - start) * VERSIONS_PER_MODEL, unchanged: 0, rejected: 0 }, {}, at);
    }).immediate();
  }
  return mirrored;
}

/**
 * The shortcut against the real importer: the same 42 models imported by importCards into one scratch
 * store and mirrored into another list (Models view) and show (model page) identically, but for
 * times, sync run ids and card paths.
 */
function checkCardShortcut(dir: string): string {
  const scratch = mkdtempSync(join(dir, 'shortcut-check-'));
  const real = openStore(join(scratch, 'real.db'));
  const mirror = openStore(join(scratch, 'mirror.db'));
  try {
    const folder = writeCardFolder(scratch, 0, 42);
    const result = importCards(real, [folder], { actor: 'bench', clock: systemClock });
    if (result.rejected.length > 0) throw new Error(`scale shortcut check: ${JSON.stringify(result.rejected[0])}`);
    mirrorCards(mirror, scratch, 0, 42, 500);
    const norm = (x: unknown) => JSON.stringify(x, (key, value: unknown) => (['updatedAt', 'importedAt', 'file', 'syncRunId'].includes(key) ? '_' : value));
    const sameList = norm(listModels(real.db)) === norm(listModels(mirror.db));
    const sameShow = Array.from({ length: 42 }, (_, m) => norm(showModel(real.db, `model-${m}`, String(1 + (m % 10)))) === norm(showModel(mirror.db, `model-${m}`, String(1 + (m % 10))))).every(Boolean);
    if (!sameList || !sameShow) throw new Error(`scale: the card shortcut writes differently from importCards (list ${sameList ? 'same' : 'differs'}, show ${sameShow ? 'same' : 'differs'})`);
    return 'shortcut checked: 42 models via importCards and via the shortcut list and show identically';
  } finally {
    real.close();
    mirror.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function call(handlers: Handlers, channel: string, input: unknown): Promise<unknown> {
  const result = await dispatch(handlers, channel, input);
  if (!result.ok) throw new Error(`scale: ${channel} ${JSON.stringify(input)} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

export function benchHandlers(store: Store): Handlers {
  const core = createCoreHandlers({ store, resourcesDir: resolve('resources'), actor: 'bench', clock: systemClock, emit: () => undefined });
  return { ...core, 'app/info': () => ({ version: 'bench', platform: process.platform, dbPath: store.path, actor: 'bench' }) } as unknown as Handlers;
}

/** Reviews, budgets and sunsets, made through the same handlers the app's forms call. */
async function seedWorkflow(handlers: Handlers, models: number): Promise<{ reviews: number; budgets: number; sunsets: number }> {
  const reviews = Math.min(200, Math.max(5, Math.round(models / 100)));
  for (let i = 0; i < reviews; i++) {
    const model = `model-${(i * 97) % models}`;
    await call(handlers, 'reviews/open', { model, version: String(VERSIONS_PER_MODEL), assignees: i % 2 === 0 ? ['bench'] : ['someone-else'], ...(i % 5 === 0 ? { dueAt: '2026-01-15' } : {}) });
  }
  const budgetDefs: unknown[] = [
    { name: 'All ML spend', scope: { kind: 'all' }, period: { kind: 'custom', from: '2026-01-01', to: '2026-03-31' }, amount: 500_000, currency: 'USD' },
    { name: 'All ML spend, monthly', scope: { kind: 'all' }, period: { kind: 'monthly' }, amount: 200_000, currency: 'USD' },
    ...Array.from({ length: 12 }, (_, i) => ({
      name: `model-${i + 1} Q1`,
      scope: { kind: 'model', value: `model-${i + 1}` },
      period: { kind: 'custom', from: '2026-01-01', to: '2026-03-31' },
      amount: 1_000 * (i + 1),
      currency: 'USD',
      thresholds: [{ basis: 'actual', kind: 'percent', value: 80 }, { basis: 'forecasted', kind: 'percent', value: 100 }],
    })),
    ...[1, 2, 3].map((t) => ({ name: `team-${t} Q1`, scope: { kind: 'team', value: `team-${t}` }, period: { kind: 'custom', from: '2026-01-01', to: '2026-03-31' }, amount: 20_000, currency: 'USD' })),
  ];
  for (const definition of budgetDefs) await call(handlers, 'budgets/set', { definition });
  const sunsets = Math.min(20, Math.max(2, Math.round(models / 1000)));
  for (let i = 0; i < sunsets; i++) {
    const model = `model-${(i * 131 + 7) % models}`;
    await call(handlers, 'sunsets/propose', {
      model,
      version: String(VERSIONS_PER_MODEL - 1),
      plan: { replacement: { model, version: String(VERSIONS_PER_MODEL) }, drainDate: '2026-12-01', retirementDate: '2026-12-31', dataRetention: 'Logs kept 1 year.', rollback: 'Re-point the alias.', owner: 'Bench owner' },
    });
  }
  return { reviews, budgets: budgetDefs.length, sunsets };
}

/**
 * Times each view: its opening requests (in the renderer's order and grouping), 5 runs. Each request
 * is dispatched the moment the view makes it, as the engine's worker does (engineWorker.ts serves
 * each message as it arrives): a synchronous handler runs to its end before the next request starts
 * (one thread, synchronous SQLite), and one that waits for a worker (the sunset judgement) lets the
 * others run meanwhile. A view's time is from its first request to its last answer; a call's own
 * time is from its dispatch to its answer, so calls overlapping a worker's wait overlap there too.
 * Each answer also travels as it does in the app: serialized as JSON text when big, cloned twice
 * (engine worker -> main, main -> renderer) and parsed; measuring its size is left out of the time.
 */
async function timeViews(handlers: Handlers, views: ScaleView[], runs = 5, beforeEach?: () => Promise<unknown>): Promise<{ failed: number }> {
  let failed = 0;
  for (const view of views) {
    const timings: number[] = [];
    let bytes = 0;
    const calls: string[] = [];
    const own = new Map<string, number[]>();
    for (let run = 0; run < runs; run++) {
      await beforeEach?.();
      calls.length = 0;
      let measuring = 0;
      const start = performance.now();
      await view.open((channel, input) => {
        const next = (async () => {
          const t0 = performance.now();
          const result = await dispatch(handlers, channel, input);
          if (!result.ok) throw new Error(`scale: ${channel} ${JSON.stringify(input)} failed: ${result.error.code} ${result.error.message}`);
          // As the app carries it: big answers as JSON text from the engine, cloned to the main process
          // and on to the window, and parsed there (shared/ipc/jsonAnswer.ts).
          const delivered = structuredClone(structuredClone(answerForTransport(channel, result)));
          const cloned = delivered.ok ? readAnswer(delivered.value) : undefined;
          const took = performance.now() - t0;
          own.set(channel, [...(own.get(channel) ?? []), took]);
          calls.push(channel);
          const m0 = performance.now();
          if (run === 0) bytes += Buffer.byteLength(JSON.stringify(cloned) ?? '');
          measuring += performance.now() - m0;
          return cloned;
        })();
        return next;
      });
      timings.push(performance.now() - start - measuring);
    }
    const sorted = [...timings].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const worst = sorted.at(-1)!;
    const pass = median < 1000 && worst < 1000;
    if (!pass) failed += 1;
    const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const perCall = [...own].map(([c, xs]) => `${c} ${medianOf(xs).toFixed(0)}/${Math.max(...xs).toFixed(0)}`).join(', ');
    console.log(
      `scale view ${view.name}: ${calls.length} requests, ${(bytes / 1e6).toFixed(2)} MB of answers: median ${ms(median)}, worst ${ms(worst)} over ${runs} runs ` +
        `(${timings.map((t) => t.toFixed(0)).join(' / ')}; per call, median/worst ms from its dispatch to its answer, calls overlapping: ${perCall}) (target < 1000 ms) ${pass ? 'PASS' : 'FAIL'}`,
    );
  }
  return { failed };
}

/**
 * The bonus: the built renderer (out/renderer, used read-only, never rebuilt here) in real Chromium over
 * the scale workspace, through the e2e harness (real engine handlers, in this process), from
 * navigation to the view's first content. The harness opens its own connection and, as the app's
 * engine does, begins the start-up work (engineWarmup) before the first page; beyond that, the first
 * run of each view starts with nothing cached.
 */
async function chromiumViews(dbPath: string): Promise<void> {
  if (!existsSync(resolve('out/renderer/index.html'))) {
    console.log('scale chromium: skipped (no out/renderer build)');
    return;
  }
  const targets: { name: string; hash: string; ready: (page: Harness['page']) => Promise<unknown> }[] = [
    { name: 'Models', hash: '#/models', ready: (page) => page.getByTestId('model-row').first().waitFor({ timeout: 180_000 }) },
    { name: 'Lifecycle', hash: '#/lifecycle', ready: (page) => page.locator('[data-testid=candidate-row], [data-testid=lifecycle-empty]').first().waitFor({ timeout: 180_000 }) },
    { name: 'Overview', hash: '#/overview', ready: (page) => page.locator('[data-testid=stat-models] .stat-value', { hasText: /\d/ }).waitFor({ timeout: 180_000 }) },
    { name: 'Spend', hash: '#/spend', ready: (page) => page.getByTestId('spend-totals').waitFor({ timeout: 180_000 }) },
  ];
  let harness: Harness | undefined;
  try {
    // As the app: the engine's start-up work (engineWarmup) done before the window's first view.
    harness = await startHarness({ dbPath, warm: true });
    await harness.page.goto(`${harness.origin}/index.html#/settings`);
    await harness.page.getByTestId('settings-view').waitFor();
    for (const target of targets) {
      const timings: number[] = [];
      for (let run = 0; run < 3; run++) {
        await harness.page.goto('about:blank');
        const start = performance.now();
        await harness.page.goto(`${harness.origin}/index.html${target.hash}`);
        await target.ready(harness.page);
        timings.push(performance.now() - start);
      }
      const sorted = [...timings].sort((a, b) => a - b);
      console.log(
        `scale chromium ${target.name}: navigation to first content ${timings.map((t) => t.toFixed(0)).join(' / ')} ms (median ${sorted[1]!.toFixed(0)}, worst ${sorted[2]!.toFixed(0)}) ` +
          `(target < 1000 ms) ${sorted[2]! < 1000 ? 'PASS' : 'FAIL'}`,
      );
    }
  } catch (err) {
    console.log(`scale chromium: stopped: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    await harness?.close();
  }
}

/** Builds the scale workspace at `dbPath` and prints what it holds and how long it took. */
export async function buildScaleWorkspace(dir: string, dbPath: string, size: Sizes): Promise<Store> {
  const store = openStore(dbPath);
  const built = performance.now();
  const cards = importScaleCards(store, dir, size.models);
  let t = performance.now();
  seedLineItems(store.db, size.lineItems);
  const spendMs = performance.now() - t;
  t = performance.now();
  const workflow = await seedWorkflow(benchHandlers(store), size.models);
  const workflowMs = performance.now() - t;
  t = performance.now();
  const auditSoFar = (store.db.prepare('SELECT count(*) n FROM audit_log').get() as { n: number }).n;
  seedAuditRows(store.db, Math.max(0, size.auditRows - auditSoFar));
  const auditMs = performance.now() - t;
  const counts = store.db
    .prepare('SELECT (SELECT count(*) FROM models) models, (SELECT count(*) FROM model_versions) versions, (SELECT count(*) FROM model_cards) cards, (SELECT count(*) FROM spend_line_items) items, (SELECT count(*) FROM audit_log) audit')
    .get() as { models: number; versions: number; cards: number; items: number; audit: number };
  const n = (x: number) => x.toLocaleString('en-US');
  const s = (x: number) => `${(x / 1000).toFixed(1)} s`;
  console.log(
    `scale build (factor ${scaleFactor()}): ${n(counts.models)} models, ${n(counts.versions)} versions, ${n(counts.cards)} cards, ${n(counts.items)} line items, ${n(counts.audit)} audit rows, ` +
      `${workflow.reviews} reviews, ${workflow.budgets} budgets, ${workflow.sunsets} sunsets in ${s(performance.now() - built)} ` +
      `(cards: ${n(cards.real)} via importCards in ${s(cards.realMs)} = ${Math.round(cards.real / (cards.realMs / 1000))} cards/s, ${n(cards.mirrored)} via the shortcut in ${s(cards.mirroredMs)}; ` +
      `line items ${s(spendMs)}; reviews, budgets, sunsets via their handlers ${s(workflowMs)}; audit rows ${s(auditMs)}); ${checkCardShortcut(dir)}`,
  );
  return store;
}

export async function benchScale(): Promise<void> {
  const size = sizes(scaleFactor());
  // BENCH_SCALE_KEEP=DIR: build the workspace into DIR once and reuse it on later runs (the build takes
  // minutes at full size); without it the workspace lives in a temp dir removed at the end.
  const keep = process.env.BENCH_SCALE_KEEP;
  const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'docket-bench-scale-'));
  try {
    const dbPath = join(dir, 'scale.db');
    if (keep) mkdirSync(dir, { recursive: true });
    const reuse = keep !== undefined && existsSync(dbPath);
    if (reuse) console.log(`scale build: reusing ${dbPath} (BENCH_SCALE_KEEP)`);
    const store = reuse ? openStore(dbPath) : await buildScaleWorkspace(dir, dbPath, size);
    // The model whose pages the views open (the lag process opens the same).
    const viewModel = `model-${Math.min(5, size.models - 1)}`;
    const views = scaleViews({ model: viewModel });
    // BENCH_SCALE_PARTS=views,chromium,lag (the default: all three) runs some of the phases, for iterating on one.
    const parts = new Set((process.env.BENCH_SCALE_PARTS ?? 'views,chromium,lag').split(','));
    let failed = 0;
    let viewCount = views.length;
    try {
      if (parts.has('views')) {
        const handlers = benchHandlers(store);
        // As the engine does when it opens the workspace (electron/core/engineWorker.ts, engineWarmup.ts):
        // the model figures on this thread and the sunset judgement in the judge workers, then the audit
        // chain read in worker threads, all before any view asks; timed here because they are the cold work.
        const t0 = performance.now();
        const warm = warmEngine(handlers);
        const since = (p: Promise<unknown>) => p.then((r) => [r, performance.now() - t0] as const);
        // The Overview asked the moment the engine starts (a window that loads in no time): it waits
        // for the start-up work. Shown, not judged: the views below are timed once that work is done.
        const overview = views.find((v) => v.name === 'Overview')!;
        const overviewAt = since(overview.open((channel, input) => call(handlers, channel, input)));
        const [[audit, auditMs], [, judgedMs], [, modelsMs], [, overviewMs]] = await Promise.all([since(warm.audit), since(warm.judgement), since(warm.models), overviewAt]);
        const cold = audit as IpcResult<{ checked: number; ok: boolean }>;
        if (!cold.ok) throw new Error(`scale: audit/verify failed: ${cold.error.message}`);
        console.log(
          `scale engine start: model figures in ${ms(modelsMs)}, sunset judgement in ${ms(judgedMs)} ` +
            `(${judgeWorkerScript() ? `${judgeWorkerCount()} judge workers` : 'on this thread: no judge worker script'}), audit verdict at ${ms(auditMs)} ` +
            `(${cold.value.checked.toLocaleString('en-US')} entries read in worker threads, ok ${cold.value.ok}; begun after the judgement, or when the Overview asked); ` +
            `the Overview asked as the engine started was complete at ${ms(overviewMs)}; the views below are timed after this start-up work and get its kept answers`,
        );
        ({ failed } = await timeViews(handlers, views));
        // Right after a write: a review comment changes the reviews tables (and the audit log), so the
        // answers that read them (every open review's verdict) are computed again; those that do not
        // (the model list, the judgement of every model) stay kept. Each run follows a fresh write and
        // is timed from the moment the write returned.
        const written = views.filter((v) => ['Overview', 'Models', 'Lifecycle'].includes(v.name)).map((v) => ({ ...v, name: `${v.name}, right after a write` }));
        const afterWrite = await timeViews(handlers, written, 3, () => call(handlers, 'reviews/comment', { id: 1, body: 'Bench: a write just before the view opens.' }));
        failed += afterWrite.failed;
        viewCount += written.length;
        // Right after a write the judgement reads: a version's lifecycle state, as a sunset decision
        // writes it (set, then cleared, then set: each run follows a change). Every model is judged again.
        const judged = views.filter((v) => ['Overview', 'Lifecycle'].includes(v.name)).map((v) => ({ ...v, name: `${v.name}, right after a lifecycle change` }));
        const sunsetId = (store.db.prepare('SELECT min(id) AS id FROM sunset_reviews').get() as { id: number }).id;
        const versionId = (store.db.prepare('SELECT max(id) AS id FROM model_versions WHERE id NOT IN (SELECT model_version_id FROM lifecycle_states)').get() as { id: number }).id;
        const toggleState = () => {
          const cleared = store.db.prepare('DELETE FROM lifecycle_states WHERE model_version_id = ?').run(versionId).changes;
          if (cleared === 0) store.db.prepare("INSERT INTO lifecycle_states (model_version_id, state, since, sunset_id) VALUES (?, 'deprecated', '2026-11-27T00:00:00.000Z', ?)").run(versionId, sunsetId);
          return Promise.resolve();
        };
        const afterJudged = await timeViews(handlers, judged, 3, toggleState);
        store.db.prepare('DELETE FROM lifecycle_states WHERE model_version_id = ?').run(versionId);
        failed += afterJudged.failed;
        viewCount += judged.length;
        // Right after a write to what a release review's checklist reads: a decision and its evidence
        // snapshot (touched here in place; the judgement reads both, so every model is judged again).
        const reviewed = views.filter((v) => ['Overview', 'Lifecycle'].includes(v.name)).map((v) => ({ ...v, name: `${v.name}, right after a release decision` }));
        const touchEvidence = () => {
          store.db.prepare('UPDATE evidence_snapshots SET taken_at = taken_at WHERE hash = (SELECT min(hash) FROM evidence_snapshots)').run();
          return Promise.resolve();
        };
        const afterDecision = await timeViews(handlers, reviewed, 3, touchEvidence);
        failed += afterDecision.failed;
        viewCount += reviewed.length;
      }
    } finally {
      store.close();
    }
    if (parts.has('views')) {
      console.log(
        `scale views: ${viewCount - failed} of ${viewCount} open in under 1 s ${failed === 0 ? 'PASS' : 'FAIL'} ` +
          `(load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${availableParallelism()} cores: timings on a shared machine are noisy)`,
      );
    }
    if (parts.has('chromium')) await chromiumViews(dbPath);
    if (!parts.has('lag')) return;
    // The lag phase imports into the workspace: a kept workspace stays as built, so it is skipped there.
    if (keep) {
      console.log('scale lag: skipped (BENCH_SCALE_KEEP: the lag phase imports into the workspace)');
      return;
    }
    // The lag is measured in a process of its own, of the main process's size (see scaleLagMain.ts):
    // this one's heap holds the build's garbage and the whole benchmark bundle.
    // --expose-gc: the lag process collects its own set-up garbage (the generated CSV's strings) before each phase.
    const child = spawnSync(process.execPath, ['--expose-gc', join(__dirname, 'scaleLag.cjs')], {
      stdio: 'inherit',
      env: {
        ...process.env,
        BENCH_SCALE_DIR: dir,
        BENCH_SCALE_DB: dbPath,
        BENCH_LAG_FOCUS_ROWS: String(size.lagFocusRows),
        BENCH_LAG_CARDS: String(size.lagCards),
        BENCH_LAG_MODEL: viewModel,
      },
    });
    if (child.status !== 0) throw new Error(`scale lag process failed (status ${child.status})`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
