// electron-builder hooks around packaging. Development, tests and the CLI use better-sqlite3 built
// for Node; the packaged app needs it built for Electron's ABI. beforePack rebuilds it for Electron
// (electron-builder then copies it into app.asar.unpacked), afterPack rebuilds it for Node again.
const { execFileSync } = require('node:child_process');
const { rebuild } = require('@electron/rebuild');

const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

exports.beforePack = async function beforePack(context) {
  const electronVersion = context.packager.config.electronVersion ?? require('electron/package.json').version;
  await rebuild({ buildPath: context.packager.projectDir, electronVersion, arch: ARCH_NAMES[context.arch], onlyModules: ['better-sqlite3'], force: true });
};

exports.afterPack = async function afterPack(context) {
  execFileSync('npm', ['rebuild', 'better-sqlite3'], { cwd: context.packager.projectDir, stdio: 'inherit' });
};
