// `npm start`: launch the desktop app, or explain what to do when no Electron binary is installed
// (machines that install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 have the package but not the binary).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findElectronBinary } from './electronBinary.mjs';

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
