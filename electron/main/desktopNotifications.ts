import { Notification, type BrowserWindow } from 'electron';

/**
 * Mirrors a budget alert on the desktop. The engine records each threshold change once and emits
 * 'notifications/new' once per change, so the OS notification is never repeated for the same state.
 * Text only: the title and body come from the engine, never HTML.
 */
export function mirrorOnDesktop(event: string, payload: unknown, window: () => BrowserWindow | null): void {
  if (event !== 'notifications/new' || !Notification.isSupported()) return;
  const { title, body } = payload as { title?: unknown; body?: unknown };
  if (typeof title !== 'string' || typeof body !== 'string') return;
  const notification = new Notification({ title, body, silent: false });
  notification.on('click', () => {
    const win = window();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  notification.show();
}
