import { app, session, type WebContents } from 'electron';

/**
 * Closes the doors a compromised renderer could use: no navigation away from the app,
 * no new windows, no webviews, no permissions (camera, notifications...) unless listed here.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function installSecurityPolicies(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
