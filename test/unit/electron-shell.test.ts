import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SECURE_WEB_PREFERENCES } from '../../electron/main/webPreferences';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/csp';
import { resolveAppAsset } from '../../electron/main/appProtocol';
import { defaultDataDir } from '../../electron/core/dataDir';

describe('renderer sandbox', () => {
  it('isolates the renderer from Node', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
  });

  it('creates the window with those preferences and loads only app://', () => {
    const source = readFileSync('electron/main/window.ts', 'utf8');
    expect(source).toMatch(/webPreferences: \{ \.\.\.SECURE_WEB_PREFERENCES, preload: preloadPath \}/);
    expect(source).toContain('loadURL(`${APP_ORIGIN}/index.html`)');
    expect(source).not.toMatch(/loadFile|http:\/\//);
  });

  it('blocks navigation, new windows, webviews and permissions', () => {
    const source = readFileSync('electron/main/hardening.ts', 'utf8');
    for (const hook of ["'will-navigate'", "'will-redirect'", "'will-attach-webview'", "setWindowOpenHandler(() => ({ action: 'deny' }))", 'setPermissionRequestHandler', 'setPermissionCheckHandler(() => false)']) {
      expect(source).toContain(hook);
    }
    const main = readFileSync('electron/main/index.ts', 'utf8');
    expect(main).toContain('requestSingleInstanceLock');
    expect(main).toContain('installSecurityPolicies()');
  });

  it('shows a file in its folder only after checking the path, and the menu only sends a known event', () => {
    const main = readFileSync('electron/main/index.ts', 'utf8');
    expect(main.match(/shell\.showItemInFolder\(/g)).toHaveLength(1);
    expect(main).toMatch(/checkShowItemPath\(path, \{ roots: \[packExportsDir\(dbPath\), reportExportsDir\(dbPath\)\], picked: pickedPacks \}\);\s*if \(!verdict\.ok\) return/);
    expect(main).toContain("webContents.send(EVENT_CHANNEL, 'pack/openVerify', {})");
    expect(main).not.toMatch(/executeJavaScript|loadURL/);
  });
});

describe('content security policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => { const [name, ...values] = d.trim().split(/\s+/); return [name!, values]; }));
  it('allows only the app itself', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
  it('is sent by the app:// protocol handler', () => {
    expect(readFileSync('electron/main/index.ts', 'utf8')).toContain("'content-security-policy': CONTENT_SECURITY_POLICY");
  });
});

describe('app:// protocol', () => {
  const root = '/opt/docket/out/renderer';
  it.each([
    ['app://docket/index.html', join(root, 'index.html')],
    ['app://docket/', join(root, 'index.html')],
    ['app://docket/assets/main.js', join(root, 'assets/main.js')],
    // The URL parser folds dot segments (also %2e%2e) before we see them, so these stay inside.
    ['app://docket/../../../etc/passwd', join(root, 'etc/passwd')],
    ['app://docket/%2e%2e/%2e%2e/etc/passwd', join(root, 'etc/passwd')],
  ])('%s maps inside the renderer build', (url, expected) => expect(resolveAppAsset(root, url)).toBe(expected));
  it.each(['app://docket/..%2f..%2fetc%2fpasswd', 'app://docket/a%5c..%5c..%5cwin.ini', 'app://other/index.html', 'app://docket/%00', 'app://docket/%E0%A4%A'])(
    'refuses %s',
    (url) => expect(resolveAppAsset(root, url)).toBeNull(),
  );
});

describe('electron-builder configuration', () => {
  const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;
  it('builds for Linux, macOS and Windows', () => {
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'] });
    expect(config.mac).toMatchObject({ target: ['dmg'] });
    expect(config.win).toMatchObject({ target: ['nsis'] });
  });
  it('unpacks native modules and rebuilds them for Electron only at packaging', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**']));
    expect(config.npmRebuild).toBe(false);
    expect(config.beforePack).toBe('scripts/hooks/before-pack.cjs');
  });
  it('sets the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});

describe('data directory', () => {
  it("matches Electron's userData location on each platform", () => {
    expect(defaultDataDir({ HOME: '/home/ana' }, 'linux')).toBe('/home/ana/.config/Docket');
    expect(defaultDataDir({ HOME: '/home/ana', XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/Docket');
    expect(defaultDataDir({ HOME: '/Users/ana' }, 'darwin')).toBe('/Users/ana/Library/Application Support/Docket');
    expect(defaultDataDir({ HOME: 'C:\\Users\\ana', APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32')).toContain('Docket');
    expect(defaultDataDir({ DOCKET_DATA_DIR: '/tmp/w', HOME: '/h' }, 'linux')).toBe('/tmp/w');
  });
});

describe('the built main process stays a thin shell', () => {
  const main = resolve('out/main/index.js');
  // Built by `npm run build`, which `npm test` runs before the unit tests.
  it.skipIf(!existsSync(main))('pulls in no engine dependency, directly or through a shared chunk', () => {
    const seen = new Set<string>();
    const requires: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
        if (target!.startsWith('./') || target!.startsWith('../')) visit(resolve(dirname(file), target!));
        else requires.push(target!);
      }
    };
    visit(main);
    const engine = requires.filter((r) => !r.startsWith('node:') && r !== 'electron');
    expect(engine).toEqual([]);
  });
});
