import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN } from '../../shared/security/appOrigin';
import { SECURE_WEB_PREFERENCES } from './webPreferences';

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Docket',
    backgroundColor: '#101418',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

export function preloadPathFrom(mainDir: string): string {
  return join(mainDir, '..', 'preload', 'index.cjs');
}
