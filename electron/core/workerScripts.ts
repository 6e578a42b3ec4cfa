import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The worker scripts the engine starts (the FOCUS parse worker, the judge workers) ship beside its
 * bundle: `<name>.cjs` in the CLI build (out/cli), `<name>.js` in the Electron build (out/main; code
 * in a shared chunk looks one folder up). `envVar` overrides: '0' means none (work on the calling
 * thread), a path names the script (tests build one).
 */
export function workerScriptBeside(name: string, envVar: string): string | null {
  const chosen = process.env[envVar];
  if (chosen === '0') return null;
  if (chosen) return chosen;
  if (typeof __dirname !== 'string') return null;
  for (const dir of [__dirname, join(__dirname, '..')]) {
    for (const file of [`${name}.cjs`, `${name}.js`]) {
      const path = join(dir, file);
      if (existsSync(path)) return path;
    }
  }
  return null;
}

/**
 * Starts `script` in a worker thread through require() from an eval'd bootstrap: Electron's module
 * loader reads from inside app.asar, while a Worker given a file path inside the archive cannot. The
 * script finds `workerData` as usual; `workerPath` is added to it.
 */
export function startWorkerScript(script: string, options: Omit<WorkerOptions, 'eval'> & { workerData?: Record<string, unknown> } = {}): Worker {
  return new Worker('require(require("node:worker_threads").workerData.workerPath);', { ...options, eval: true, workerData: { ...options.workerData, workerPath: script } });
}
