// The scale benchmark's lag phase in a process of its own (out/cli/scaleLag.cjs, beside the engine
// worker bundles): its main thread plays the Electron main process, so it holds what that process
// holds (the engine host and the IPC routing) and not the benchmark bundle. Loading bench.cjs alone
// leaves 44 MB of module state on the heap, and V8's memory-reducing collections of it stopped this
// thread for 40–60 ms (150 ms with 100 MB more), a cost the app's main process, whose bundle and
// chunks come to about 300 kB, does not have. benchScale spawns it with the workspace it built.
import { benchScaleLag } from './scaleLag';
import { scaleViews } from './scaleViews';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`scaleLag.cjs: ${name} is not set (the scale benchmark runs this process)`);
  return value;
}

// audit/verify's speed is another item of the issue (minutes on a cold start at this size): left out here.
const views = scaleViews({ model: setting('BENCH_LAG_MODEL') }).filter((v) => v.name !== 'Overview' && v.name !== 'Audit log');
benchScaleLag({
  dir: setting('BENCH_SCALE_DIR'),
  dbPath: setting('BENCH_SCALE_DB'),
  focusRows: Number(setting('BENCH_LAG_FOCUS_ROWS')),
  cards: Number(setting('BENCH_LAG_CARDS')),
  views,
}).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
