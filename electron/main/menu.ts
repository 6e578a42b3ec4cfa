import { Menu, type MenuItemConstructorOptions } from 'electron';

/** What the menu's own items ask of the app (kept to events the renderer already listens to). */
export interface MenuActions {
  /** "Verify audit pack…": the renderer opens #/verify when it hears 'pack/openVerify'. */
  verifyAuditPack(): void;
}

/** A conventional menu; keyboard shortcuts for copy/paste need the Edit menu's roles. */
export function installApplicationMenu(isMac: boolean, actions?: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(isMac, actions)));
}

export function menuTemplate(isMac: boolean, actions?: MenuActions): MenuItemConstructorOptions[] {
  const verify: MenuItemConstructorOptions[] = actions ? [{ label: 'Verify audit pack…', click: () => actions.verifyAuditPack() }, { type: 'separator' }] : [];
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    actions ? { label: 'File', submenu: [...verify, isMac ? { role: 'close' as const } : { role: 'quit' as const }] } : { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
  ];
}
