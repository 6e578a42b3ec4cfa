// `npm start`: launch the desktop app, or explain what to do when no Electron binary is installed
// (machines that install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 have the package but not the binary).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Locate the binary ourselves: require('electron') would try to download it and print a stack trace.
function findElectronBinary() {
  try {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
    const binary = join(dist, readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const electronPath = findElectronBinary();
if (!electronPath) {
  console.error(`Docket's desktop app needs the Electron binary, and none is installed here.

  Install it:   node node_modules/electron/install.js   (downloads Electron; needs network access)
  Then run:     npm start

Without Electron you can still use everything headless:
  npm run demo                        build the demo workspace and print its summary
  node out/cli/docket.cjs --help      the docket command line (after npm run build)
`);
  process.exit(1);
}

if (!existsSync('out/main/index.js')) {
  console.error('Build first: npm run build');
  process.exit(1);
}
const child = spawn(electronPath, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
