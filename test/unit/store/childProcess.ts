import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

/** Bundles writerChild.ts into `dir` (a temp folder: tests do not write into out/). */
export async function buildWriterChild(dir: string): Promise<string> {
  const outfile = join(dir, 'writerChild.cjs');
  await build({ entryPoints: ['test/unit/store/writerChild.ts'], bundle: true, platform: 'node', format: 'cjs', external: ['better-sqlite3', 'pdfkit', 'electron'], outfile, logLevel: 'warning' });
  return outfile;
}

export interface ChildRun {
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves when the child printed a line matching `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
}

/** Runs the bundled child with the repository's node_modules on its module path. */
export function runChild(childFile: string, args: string[]): ChildRun {
  const child = spawn(process.execPath, [childFile, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_PATH: resolve('node_modules') },
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; done: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(stdout)) w.done();
      else waiters.push(w);
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
  return {
    exit,
    waitFor: (pattern) =>
      new Promise<void>((done, fail) => {
        if (pattern.test(stdout)) return done();
        waiters.push({ pattern, done });
        void exit.then((r) => fail(new Error(`child exited (${r.code}) before printing ${pattern}: ${r.stderr}`)));
      }),
  };
}
