// The Electron shell's entry point: one instance, one window, the core of main/ hosted inside.
// Everything that knows SQL, sync or validation lives in main/ (shared with the web host);
// this file only wires Electron to it: lifecycle, menu, IPC, events, notifications.
import { app, type BrowserWindow, ipcMain, Menu, Notification, session, type IpcMainInvokeEvent } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ipcChannelNames, ipcEventNames, type SyncState } from '../shared/ipc.js';
import { createAppCore, type AppCore } from '../main/app-core.js';
import { eventChannel } from './ipc-names.js';
import { buildMenuTemplate } from './menu-template.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { checkIpcSender, lockDownWebContents, secureSession } from './security.js';
import { alertNoticeFor } from './sync-alert.js';
import { keychainTokenVault } from './token-vault.js';
import { createMainWindow } from './window.js';

const productName = 'Insight Store Manager';
const compiledDir = dirname(fileURLToPath(import.meta.url)); // dist-app/app

// The same name as the packaged app (electron-builder's productName), so a development run and the
// installed app share ~/Library/Application Support/Insight Store Manager.
app.setName(productName);

// A second launch focuses the running window instead of opening a second store on the same file.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  lockDownWebContents();
  void app
    .whenReady()
    .then(run)
    .catch((error: unknown) => {
      console.error('The Store Manager could not start:', error);
      app.exit(1);
    });
}

let mainWindow: BrowserWindow | null = null;

async function run(): Promise<void> {
  // npm start points the app at the repository's .data/manager; the installed app uses the
  // user's data folder (~/Library/Application Support/Insight Store Manager on a Mac).
  const dataDir = process.env.INSIGHT_DATA_DIR || app.getPath('userData');
  const rendererDir = join(app.getAppPath(), 'dist', 'renderer');
  const preload = join(compiledDir, '..', 'preload', 'preload.cjs');

  secureSession(session.defaultSession);
  serveRenderer(rendererDir);

  const core: AppCore = await createAppCore({
    dataDir,
    checkSender: (sender) => checkIpcSender(sender as IpcMainInvokeEvent),
    tokenVault: keychainTokenVault,
  });
  for (const channel of ipcChannelNames) {
    ipcMain.handle(channel, (event, payload: unknown) => core.invoke(channel, payload, event));
  }

  let previousState: SyncState | null = null;
  for (const event of ipcEventNames) {
    core.on(event, (payload) => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(eventChannel(event), payload);
    });
  }
  core.on('sync:status', (status) => {
    const notice = alertNoticeFor(previousState, status);
    previousState = status.state;
    if (notice && Notification.isSupported()) new Notification(notice).show();
  });

  const syncNow = () => void core.invokeFromHost('sync:now', {});
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        isMac: process.platform === 'darwin',
        appName: productName,
        allowDevTools: !app.isPackaged,
        onSyncNow: syncNow,
      }),
    ),
  );

  const openWindow = () => {
    mainWindow = createMainWindow({ preload, stateFile: join(dataDir, 'window-state.json'), title: productName });
    mainWindow.on('closed', () => (mainWindow = null));
  };
  openWindow();

  app.on('second-instance', () => {
    if (!mainWindow) return openWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // macOS habit: closing the window keeps the app (and its background sync) running; the dock icon reopens it.
  app.on('activate', () => {
    if (!mainWindow) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    // Let a running sync finish its transaction and close the database before exiting.
    event.preventDefault();
    stopped = true;
    void core.stop().finally(() => app.quit());
  });

  await core.start();
}
