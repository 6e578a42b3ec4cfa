import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, shell } from 'electron';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import type { Handlers } from '../../shared/ipc/dispatch';
import { APP_ORIGIN, APP_SCHEME } from '../../shared/security/appOrigin';
import { DB_FILE_NAME } from '../core/dataDir';
import type { ShellHandlers } from '../core/handlers';
import { checkShowItemPath, packExportsDir, reportExportsDir } from '../core/pack/packPaths';
import { resolveAppAsset, mimeTypeFor } from './appProtocol';
import { CONTENT_SECURITY_POLICY } from './csp';
import { startEngineWorker } from './engineHost';
import { installSecurityPolicies } from './hardening';
import { EVENT_CHANNEL, registerIpc } from './ipc';
import { installApplicationMenu } from './menu';
import { safeStorageKeychain } from './keychainHost';
import { openExternalSafely } from './openExternal';
import { createMainWindow, preloadPathFrom } from './window';
import { mirrorOnDesktop } from './desktopNotifications';

// Must run before 'ready': app:// behaves like a secure, standard origin.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  void app.whenReady().then(() => {
    installSecurityPolicies();
    installApplicationMenu(process.platform === 'darwin', {
      verifyAuditPack: () => mainWindow?.webContents.send(EVENT_CHANNEL, 'pack/openVerify', {}),
    });
    const rendererRoot = join(__dirname, '..', 'renderer');
    protocol.handle(APP_SCHEME, async (request) => {
      const file = resolveAppAsset(rendererRoot, request.url);
      if (!file) return new Response('Not found', { status: 404 });
      try {
        const body = await readFile(file);
        return new Response(body, { headers: { 'content-type': mimeTypeFor(file), 'content-security-policy': CONTENT_SECURITY_POLICY } });
      } catch {
        return new Response('Not found', { status: 404 });
      }
    });

    const dbPath = join(process.env.DOCKET_DATA_DIR ?? app.getPath('userData'), DB_FILE_NAME);
    // Packaged: electron-builder's extraResources; development: the repository's resources/.
    const resourcesDir = app.isPackaged ? process.resourcesPath : join(__dirname, '..', '..', 'resources');
    // The engine seals remembered reviewer keys with safeStorage through the shell (asked after 'ready',
    // so Linux's backend is known); undefined keeps the default recovery dialog.
    const engine = startEngineWorker(
      join(__dirname, 'engineWorker.js'),
      dbPath,
      resourcesDir,
      (event, payload) => {
        mainWindow?.webContents.send(EVENT_CHANNEL, event, payload);
        mirrorOnDesktop(event, payload, () => mainWindow);
      },
      undefined,
      safeStorageKeychain(safeStorage, process.platform),
    );
    // Packs the user picked in this session: the only paths outside exports/ that may be shown in a folder.
    const pickedPacks = new Set<string>();
    const shellHandlers: ShellHandlers = {
      'app/info': () => ({ version: app.getVersion(), platform: process.platform, dbPath, actor: userInfo().username }),
      'dialog/pickCardPaths': () => pickPaths('Import model cards', { name: 'Model cards', extensions: ['md', 'json'] }),
      'dialog/pickFairnessPaths': () => pickPaths('Import fairness evaluations', { name: 'Fairness evaluations', extensions: ['json', 'csv'] }),
      'dialog/pickSpendPaths': () => pickPaths('Import FOCUS billing files', { name: 'FOCUS cost and usage', extensions: ['csv', 'gz'] }),
      'shell/openExternal': ({ url }) => openExternalSafely(url),
      'dialog/pickPack': async ({ kind }) => {
        const options =
          kind === 'folder'
            ? { title: 'Open an audit pack folder to verify', properties: ['openDirectory'] as Array<'openDirectory'> }
            : { title: 'Open an audit pack .zip or its PDF to verify', properties: ['openFile'] as Array<'openFile'>, filters: [{ name: 'Audit pack (.zip or .pdf)', extensions: ['zip', 'pdf'] }] };
        const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        const paths = result.canceled ? [] : result.filePaths;
        for (const p of paths) pickedPacks.add(resolve(p));
        return { paths };
      },
      'shell/showItemInFolder': ({ path }) => {
        const verdict = checkShowItemPath(path, { roots: [packExportsDir(dbPath), reportExportsDir(dbPath)], picked: pickedPacks });
        if (!verdict.ok) return { shown: false, reason: verdict.reason };
        shell.showItemInFolder(verdict.path);
        return { shown: true, reason: null };
      },
    };
    async function pickPaths(title: string, filter: { name: string; extensions: string[] }): Promise<{ paths: string[] }> {
      const options = { title, properties: ['openFile', 'openDirectory', 'multiSelections'] as Array<'openFile' | 'openDirectory' | 'multiSelections'>, filters: [filter] };
      const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return { paths: result.canceled ? [] : result.filePaths };
    }
    registerIpc(ipcMain, { ...engine.routes, ...shellHandlers } as Handlers, [APP_ORIGIN]);
    // Scheduled syncs: each minute the engine runs the ones that are due (it decides which).
    const scheduler = setInterval(() => void Promise.resolve(engine.handlers['sources/syncDue']({})).catch(() => undefined), 60_000);
    app.on('before-quit', () => clearInterval(scheduler));
    mainWindow = createMainWindow(preloadPathFrom(__dirname));
    mainWindow.on('closed', () => (mainWindow = null));
    // Wait for the engine to close the store cleanly (it stamps the file so the next start skips the
    // full integrity check), then quit for real.
    let stopped = false;
    app.on('before-quit', (event) => {
      if (stopped) return;
      event.preventDefault();
      void engine.stop().finally(() => {
        stopped = true;
        app.quit();
      });
    });
  });

  app.on('window-all-closed', () => app.quit());
}
