// Bundles the `docket` CLI and the benchmark into CommonJS files for plain Node.
// better-sqlite3 stays external: it is a native module resolved from node_modules at run time;
// pdfkit too, because it reads its font metrics and ICC profile from files beside its own code.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['better-sqlite3', 'pdfkit', 'electron', 'playwright-core', 'esbuild'],
  sourcemap: 'linked',
  logLevel: 'warning',
};

// The CLI itself, and the `docket` command that runs it with V8's code cache (see launcher.ts).
// The launcher runs the bundle as a vm.Script, which cannot serve import() without an experimental
// flag: esbuild turns the few left (node: built-ins inside the AWS SDK) into require, and the build
// fails if one remains.
await build({ ...common, entryPoints: ['electron/cli/index.ts'], outfile: 'out/cli/docketCli.cjs', supported: { 'dynamic-import': false } });
// (`typeof import('…')` is a type in a JSDoc comment, not a call.)
const dynamicImport = /[^\w$.](?<!typeof )import\(\s*["'`]/.exec(readFileSync('out/cli/docketCli.cjs', 'utf8'));
if (dynamicImport) throw new Error(`build-cli: docketCli.cjs still holds an import() the launcher cannot serve: ${dynamicImport[0]}`);
await build({ ...common, entryPoints: ['electron/cli/launcher.ts'], outfile: 'out/cli/docket.cjs', banner: { js: '#!/usr/bin/env node' } });
// The first command writes the code cache beside the bundle; run one now, so that no user's does.
rmSync('out/cli/docketCli.cjs.v8cache', { force: true });
execFileSync(process.execPath, ['out/cli/docket.cjs', '--help'], { stdio: 'ignore' });
if (!existsSync('out/cli/docketCli.cjs.v8cache')) throw new Error('build-cli: the CLI did not write its code cache');
await build({ ...common, entryPoints: ['test/bench/bench.ts'], outfile: 'out/cli/bench.cjs' });
// The FOCUS import's parse worker, loaded from beside docket.cjs at run time.
await build({ ...common, entryPoints: ['electron/core/spend/focusParseWorker.ts'], outfile: 'out/cli/focusParseWorker.cjs' });
// The sunset judge worker, loaded from beside docket.cjs (and bench.cjs) at run time.
await build({ ...common, entryPoints: ['electron/core/lifecycle/judgeWorker.ts'], outfile: 'out/cli/judgeWorker.cjs' });
// The scale benchmark's lag phase, a process of the Electron main process's size (scaleLagMain.ts).
await build({ ...common, entryPoints: ['test/bench/scaleLagMain.ts'], outfile: 'out/cli/scaleLag.cjs' });
// The engine worker, beside the benchmark: the scale benchmark measures the main thread's lag while
// this worker imports, as the app runs it (the Electron build has its own copy in out/main).
await build({ ...common, entryPoints: ['electron/core/engineWorker.ts'], outfile: 'out/cli/engineWorker.cjs' });
