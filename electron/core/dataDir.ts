import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Docket';
export const DB_FILE_NAME = 'docket.db';

/**
 * Where the workspace lives when nobody says otherwise. Mirrors Electron's
 * app.getPath('userData') (appData + product name) so the CLI and the app open the same file.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.DOCKET_DATA_DIR) return env.DOCKET_DATA_DIR;
  const home = env.HOME ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return join(defaultDataDir(env, platform), DB_FILE_NAME);
}
