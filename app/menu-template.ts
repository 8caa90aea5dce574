// The application menu as data (no electron import at run time, so it is unit-tested): the
// standard macOS menus plus a Sync menu whose "Sync Now" has a keyboard shortcut (a desktop
// habit). CmdOrCtrl+Shift+S, because CmdOrCtrl+R is the page reload users know and
// CmdOrCtrl+S alone reads as "save the form".
import type { MenuItemConstructorOptions } from 'electron';

export const syncNowAccelerator = 'CmdOrCtrl+Shift+S';

export interface MenuActions {
  isMac: boolean;
  appName: string;
  /** Developer tools only in a development run, never in the packaged app. */
  allowDevTools: boolean;
  onSyncNow(): void;
}

export function buildMenuTemplate(actions: MenuActions): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (actions.allowDevTools) view.push({ type: 'separator' }, { role: 'toggleDevTools' });
  return [
    ...(actions.isMac ? [{ label: actions.appName, role: 'appMenu' } as MenuItemConstructorOptions] : []),
    actions.isMac ? { role: 'fileMenu' } : { label: 'File', submenu: [{ role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: 'Sync',
      submenu: [{ label: 'Sync Now', accelerator: syncNowAccelerator, click: () => actions.onSyncNow() }],
    },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
}
