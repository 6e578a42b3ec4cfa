import { app, dialog } from 'electron';

/**
 * The app's answer to a damaged workspace database: a native dialog offering the backup the engine
 * chose and checked (see planRecovery in core/store/backup.ts). Imports only electron, so the main
 * bundle stays thin; the engine decides, this only asks.
 */
export interface RecoveryPrompt {
  message: string;
  detail: string;
  backup: { file: string } | null;
}

/** Resolves to the backup to restore, or null after asking the app to quit. */
export async function askToRestore(offer: RecoveryPrompt): Promise<string | null> {
  await app.whenReady();
  const buttons = offer.backup ? ['Restore', 'Quit'] : ['Quit'];
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'Docket: the workspace database is damaged',
    message: offer.message,
    detail: offer.detail,
    buttons,
    defaultId: 0,
    cancelId: buttons.length - 1,
    noLink: true,
  });
  if (offer.backup && response === 0) return offer.backup.file;
  app.quit();
  return null;
}
