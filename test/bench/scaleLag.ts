// The Electron main thread's event-loop lag while the engine works: the engine runs in its worker
// thread exactly as the app starts it (electron/main/engineHost.ts startEngineWorker, with the worker
// script and the FOCUS parse worker bundled beside each other as the Electron build lays them out),
// and this thread plays the main process: it routes calls through the shared dispatch and forwards
// every engine event the way the window's webContents.send would (one structured clone each).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startEngineWorker } from '../../electron/main/engineHost';
import { dispatch, type Handlers } from '../../shared/ipc/dispatch';
import { readAnswer } from '../../shared/ipc/jsonAnswer';
import { writeFocusCsv } from './focusData';
import type { ScaleView } from './scaleViews';

const TARGET_MAX_LAG_MS = 50;

/**
 * The engine worker script: engineWorker.cjs beside this bundle (with focusParseWorker.cjs and
 * judgeWorker.cjs next to it, as the Electron build lays them out), else all three bundled now into
 * `outDir` (never into out/).
 */
async function bundleWorkers(outDir: string): Promise<string> {
  const beside = join(__dirname, 'engineWorker.cjs');
  if (['engineWorker.cjs', 'focusParseWorker.cjs', 'judgeWorker.cjs'].every((name) => existsSync(join(__dirname, name)))) return beside;
  const { build } = await import('esbuild');
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    format: 'cjs' as const,
    external: ['better-sqlite3', 'pdfkit', 'electron', 'playwright-core', 'esbuild'],
    logLevel: 'warning' as const,
  };
  await build({ ...common, entryPoints: [resolve('electron/core/engineWorker.ts')], outfile: join(outDir, 'engineWorker.cjs') });
  await build({ ...common, entryPoints: [resolve('electron/core/spend/focusParseWorker.ts')], outfile: join(outDir, 'focusParseWorker.cjs') });
  await build({ ...common, entryPoints: [resolve('electron/core/lifecycle/judgeWorker.ts')], outfile: join(outDir, 'judgeWorker.cjs') });
  return join(outDir, 'engineWorker.cjs');
}

interface LagReport {
  maxMs: number;
  p99Ms: number;
  probeMaxMs: number;
  probeP99Ms: number;
  samples: number;
  /** Event-loop utilization of this thread over the phase (0..1): how much of the time it was running code at all. */
  busy?: number;
  /** The most time this thread spent running code between two probe ticks: a stall of its own making. */
  busiestTickMs?: number;
}

/** Measures this thread's event-loop delay while `work` runs: perf_hooks' histogram (10 ms resolution) and a 10 ms setInterval probe. */
async function measureLag<T>(work: () => Promise<T>): Promise<{ value: T; lag: LagReport; ms: number }> {
  // The bench's own garbage (the CSV it generated) is not the main process's: collect it first when allowed (--expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const probe: number[] = [];
  let last = performance.now();
  let lastElu = performance.eventLoopUtilization();
  // Per tick, how long this thread ran code since the last one: a late tick with little of it was
  // waiting for a CPU (other processes, the engine's own threads), not blocked by the main process.
  let busiestTickMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    probe.push(Math.max(0, now - last - 10));
    last = now;
    const elu = performance.eventLoopUtilization();
    busiestTickMs = Math.max(busiestTickMs, performance.eventLoopUtilization(elu, lastElu).active);
    lastElu = elu;
  }, 10);
  histogram.enable();
  const start = performance.now();
  const elu = performance.eventLoopUtilization();
  try {
    const value = await work();
    const ms = performance.now() - start;
    return { value, ms, lag: { ...lagReport(histogram, probe), busy: performance.eventLoopUtilization(elu).utilization, busiestTickMs } };
  } finally {
    histogram.disable();
    clearInterval(timer);
  }
}

function lagReport(h: ReturnType<typeof monitorEventLoopDelay>, probe: number[]): LagReport {
  const sorted = [...probe].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
  // The histogram records the delay of each 10 ms timer tick (the resolution itself included): subtract it.
  return { maxMs: Math.max(0, h.max / 1e6 - 10), p99Ms: Math.max(0, h.percentile(99) / 1e6 - 10), probeMaxMs: sorted.at(-1) ?? 0, probeP99Ms: p99, samples: probe.length };
}

function lagLine(what: string, ms: number, lag: LagReport, extra = ''): boolean {
  const worst = Math.max(lag.maxMs, lag.probeMaxMs);
  const pass = worst < TARGET_MAX_LAG_MS;
  // The part of the lag this thread caused itself (running code), apart from waiting for a CPU.
  const own = (lag.busiestTickMs ?? 0) < TARGET_MAX_LAG_MS;
  console.log(
    `scale lag ${what}: ${(ms / 1000).toFixed(1)} s${extra}; main-thread event-loop delay max ${lag.maxMs.toFixed(1)} ms, p99 ${lag.p99Ms.toFixed(1)} ms ` +
      `(setInterval probe: max ${lag.probeMaxMs.toFixed(1)} ms, p99 ${lag.probeP99Ms.toFixed(1)} ms, ${lag.samples} ticks; main thread busy ${((lag.busy ?? 0) * 100).toFixed(1)} % of the time, at most ${(lag.busiestTickMs ?? 0).toFixed(1)} ms running code between two ticks: ${own ? 'under' : 'OVER'} ${TARGET_MAX_LAG_MS} ms of its own) (target max < ${TARGET_MAX_LAG_MS} ms) ${pass ? 'PASS' : 'FAIL'}`,
  );
  return pass;
}

function cardFolder(dir: string, cards: number): string {
  const folder = join(dir, 'lag-cards');
  for (let i = 0; i < cards; i++) {
    const sub = join(folder, String(Math.floor(i / 100)), `m${i}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(
      join(sub, 'card.model_card.json'),
      JSON.stringify({
        model_details: { name: `lag-model-${i}`, overview: `Model ${i}. ${'Details. '.repeat(30)}`, version: { name: '1' }, owners: [{ name: `Owner ${i % 37}` }], licenses: [{ identifier: 'MIT' }] },
        considerations: { use_cases: [{ description: 'bench' }], limitations: [{ description: 'bench limits' }] },
      }),
    );
  }
  return folder;
}

export async function benchScaleLag(options: { dir: string; dbPath: string; focusRows: number; cards: number; views: ScaleView[] }): Promise<void> {
  const { dir, dbPath } = options;
  const workerPath = await bundleWorkers(join(dir, 'workers'));
  const csv = join(dir, 'lag-focus.csv');
  await writeFocusCsv(csv, options.focusRows);
  const cards = cardFolder(dir, options.cards);

  const events = new Map<string, number>();
  let eventBytes = 0;
  // What the main process does with each engine event: webContents.send (a structured clone).
  const onEvent = (event: string, payload: unknown) => {
    events.set(event, (events.get(event) ?? 0) + 1);
    eventBytes += JSON.stringify(structuredClone(payload) ?? null).length;
  };
  let failed = 0;
  const started = await measureLag(async () => {
    const engine = startEngineWorker(workerPath, dbPath, resolve('resources'), onEvent, () => Promise.resolve(null));
    // The first answer means the store is open and the handlers are ready.
    await dispatch(engine.handlers as Handlers, 'db/info', {});
    return engine;
  });
  if (!lagLine('engine start (open the scale store in the worker)', started.ms, started.lag)) failed += 1;
  const engine = started.value;
  // The routes the main process registers for the window (electron/main/index.ts): big answers stay JSON text here.
  const handlers = { ...engine.routes, 'app/info': () => ({ version: 'bench', platform: process.platform, dbPath, actor: 'bench' }) } as unknown as Handlers;
  const call = async (channel: string, input: unknown): Promise<unknown> => {
    const result = await dispatch(handlers, channel, input);
    if (!result.ok) throw new Error(`scale lag: ${channel} failed: ${result.error.code} ${result.error.message}`);
    // The reply to the window: ipcMain.handle's structured clone of the result, on this thread.
    structuredClone(result);
    // The window parses JSON answers on its own thread; the Spend view's next requests need the
    // summary's coverage, so that one (about 0.1 MB) is parsed here and charged to this thread.
    return channel === 'spend/summary' ? readAnswer(result.value) : result.value;
  };
  try {
    const snapshot = () => {
      const s = [...events].map(([e, n]) => `${n} ${e}`).join(', ');
      events.clear();
      const kb = eventBytes / 1e3;
      eventBytes = 0;
      return `${s || 'no events'} (${kb.toFixed(0)} kB)`;
    };
    const focus = await measureLag(() => call('spend/import', { paths: [csv] }));
    if (!lagLine(`FOCUS import (${options.focusRows.toLocaleString('en-US')} rows, engine worker + parse worker)`, focus.ms, focus.lag, `; events: ${snapshot()}`)) failed += 1;
    const cardImport = await measureLag(() => call('cards/import', { paths: [cards] }));
    if (!lagLine(`card import (${options.cards.toLocaleString('en-US')} cards)`, cardImport.ms, cardImport.lag, `; events: ${snapshot()}`)) failed += 1;
    // Opening every view through the worker: the answers pass through this thread on their way to the window.
    const viewTimes: string[] = [];
    const viewsRun = await measureLag(async () => {
      for (const view of options.views) {
        const t0 = performance.now();
        await view.open(call);
        viewTimes.push(`${view.name} ${(performance.now() - t0).toFixed(0)}`);
      }
    });
    if (!lagLine('opening every view once through the engine worker', viewsRun.ms, viewsRun.lag, ` (ms per view: ${viewTimes.join(', ')})`)) failed += 1;
  } finally {
    await engine.stop();
  }
  console.log(`scale lag: ${failed === 0 ? 'all phases under' : `${failed} phase(s) over`} ${TARGET_MAX_LAG_MS} ms ${failed === 0 ? 'PASS' : 'FAIL'}`);
}
