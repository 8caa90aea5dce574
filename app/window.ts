// The one Store Manager window: locked-down webPreferences (security-policy.ts), our app://
// page, and a remembered size and position (window-state.ts).
import { BrowserWindow, nativeTheme, screen } from 'electron';
import { appStartUrl, secureWebPreferences } from './security-policy.js';
import { loadWindowState, placeOnDisplays, saveWindowState } from './window-state.js';

export interface MainWindowOptions {
  preload: string;
  /** JSON file in the user's data folder. */
  stateFile: string;
  title: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = placeOnDisplays(
    loadWindowState(options.stateFile),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    title: options.title,
    x: saved.x,
    y: saved.y,
    width: saved.width,
    height: saved.height,
    minWidth: 900,
    minHeight: 600,
    show: false,
    // The Mac look: no separate title bar; the traffic lights sit inset on the sidebar and the
    // renderer's toolbar strip is the drag region (-webkit-app-region: drag in styles.css).
    titleBarStyle: 'hiddenInset',
    // The first paint matches the theme the renderer will pick from prefers-color-scheme, which
    // Electron derives from nativeTheme (the system setting), so there is no white flash in dark mode.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#161618' : '#f5f5f7',
    webPreferences: secureWebPreferences(options.preload),
  });
  if (saved.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  // Remember the normal (unmaximized) bounds, a moment after the user stops moving or resizing.
  let timer: NodeJS.Timeout | undefined;
  const remember = () => {
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    try {
      saveWindowState(options.stateFile, { ...bounds, maximized: window.isMaximized() });
    } catch {
      // Not worth bothering the user: the window opens at the default size next time.
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(remember, 500);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', () => {
    clearTimeout(timer);
    remember();
  });

  void window.loadURL(appStartUrl);
  return window;
}
