import type { WebPreferences } from 'electron';

/**
 * The renderer's sandbox (type-only import: tests read this file without loading Electron).
 * Asserted by test/unit/electron-shell.test.ts; change it only with a reason written here.
 */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const satisfies WebPreferences;
