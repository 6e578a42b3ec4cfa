import { readFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { join } from 'node:path';
import * as vm from 'node:vm';
import { writeFileAtomic } from '../core/store/atomicWrite';

/**
 * The `docket` command (out/cli/docket.cjs). It runs the CLI bundle beside it (docketCli.cjs) the
 * way Node would require it, with one difference: V8's code cache for the bundle is kept in a
 * file beside it. The bundle is 4 MB, and parsing it took about 100 ms of every command's start
 * (a third of `docket --help`, a twentieth of `docket audit verify` over a million entries).
 * Node 22 does this itself (module.enableCompileCache); Node 20, which Docket supports, does not.
 *
 * The cache is only an optimization: V8 rejects one made from other source text or by another V8
 * build, and a missing or rejected cache is written afresh (best effort: an install directory may
 * be read-only). `npm run build` writes it, so a fresh build starts fast from the first command.
 */
const bundle = join(__dirname, 'docketCli.cjs');
const cacheFile = `${bundle}.v8cache`;

function readCache(): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
// The bundle holds no import() (build-cli turns them into require): a vm.Script could not serve one.
const script = new vm.Script(wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
const cache = cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
if (cache !== 'used') {
  try {
    writeFileAtomic(cacheFile, script.createCachedData());
  } catch {
    // Read-only install: every start parses the bundle, as plain require would.
  }
}
if (process.env.DOCKET_CODE_CACHE_REPORT) process.stderr.write(`code cache: ${cache}\n`);

// The bundle sees what a required module sees: its own file name and directory (it finds its
// worker scripts and the resources from there), and a require that resolves from beside it.
const bundleModule = { exports: {}, filename: bundle, id: bundle, loaded: false };
(script.runInThisContext() as (...args: unknown[]) => void).call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, __dirname);
