// Bundles the `docket` CLI and the benchmark into CommonJS files for plain Node.
// better-sqlite3 stays external: it is a native module resolved from node_modules at run time.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['better-sqlite3', 'electron', 'playwright-core', 'esbuild'],
  sourcemap: 'linked',
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['electron/cli/index.ts'], outfile: 'out/cli/docket.cjs', banner: { js: '#!/usr/bin/env node' } });
await build({ ...common, entryPoints: ['test/bench/bench.ts'], outfile: 'out/cli/bench.cjs' });
