// The Electron shell's security choices, checked without the Electron binary (absent on build
// machines): every module imported here is plain data and functions, and would fail to load
// if it pulled in electron at run time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../shared/ipc.js';
import { buildMenuTemplate, syncNowAccelerator } from './menu-template.js';
import {
  allowPermission,
  appCsp,
  appStartUrl,
  checkSenderUrl,
  isTrustedUrl,
  rendererFileFor,
  secureWebPreferences,
} from './security-policy.js';
import { alertNoticeFor } from './sync-alert.js';
import { defaultWindowState, loadWindowState, placeOnDisplays, saveWindowState } from './window-state.js';

const appDir = dirname(fileURLToPath(import.meta.url));

describe('the window', () => {
  it('runs the page isolated and sandboxed, without Node', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('allows only our own scripts: no inline script, no eval, no remote code, no plugins', () => {
    const directives: Record<string, string[]> = Object.fromEntries(
      appCsp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(appCsp).not.toContain('unsafe-eval');
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
  });

  it('trusts only app://insight pages, for navigation and for IPC senders', () => {
    expect(isTrustedUrl(appStartUrl)).toBe(true);
    expect(isTrustedUrl('app://insight/assets/index.js')).toBe(true);
    for (const url of [
      'https://example.com/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'http://127.0.0.1:5180/',
      '',
      null,
      'not a url',
    ]) {
      expect(isTrustedUrl(url)).toBe(false);
    }
    expect(checkSenderUrl('app://insight/index.html')).toBeNull();
    expect(checkSenderUrl('https://evil.example/')).toContain('https://evil.example/');
    expect(checkSenderUrl(undefined)).toContain('without a URL');
  });

  it('denies every permission a page could ask for', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(allowPermission(permission)).toBe(false);
    }
  });

  it('serves only files inside the renderer folder over app://', () => {
    expect(rendererFileFor('app://insight/', '/srv/renderer')).toBe('/srv/renderer/index.html');
    expect(rendererFileFor('app://insight/assets/a.js', '/srv/renderer')).toBe('/srv/renderer/assets/a.js');
    // ../ cannot climb out: it is resolved against the folder's own root.
    for (const url of ['app://insight/%2e%2e/%2e%2e/etc/passwd', 'app://insight/..%2F..%2Fetc%2Fpasswd']) {
      expect(rendererFileFor(url, '/srv/renderer')).toBe('/srv/renderer/etc/passwd');
    }
    expect(rendererFileFor('app://other/index.html', '/srv/renderer')).toBeNull();
  });
});

describe('the shell wires these settings in', () => {
  const sources = ['main.ts', 'window.ts', 'security.ts', 'protocol.ts'].map((file) => ({
    file,
    text: readFileSync(join(appDir, file), 'utf8'),
  }));

  it('creates its only window with the secure webPreferences', () => {
    const windows = sources.flatMap(({ file, text }) => [...text.matchAll(/new BrowserWindow\(/g)].map(() => file));
    expect(windows).toEqual(['window.ts']);
    expect(sources.find((s) => s.file === 'window.ts')!.text).toContain(
      'webPreferences: secureWebPreferences(options.preload)',
    );
  });

  it('passes every IPC message with its event to the core, whose door checks the sender', () => {
    const main = sources.find((s) => s.file === 'main.ts')!.text;
    expect(main).toContain('core.invoke(channel, payload, event)');
    expect(main).toContain('checkSender: (sender) => checkIpcSender(sender as IpcMainInvokeEvent)');
    expect(main.match(/ipcMain\.(handle|on)\(/g)).toEqual(['ipcMain.handle(']);
  });
});

describe('the preload', () => {
  it('exposes window.insight only, never ipcRenderer itself', () => {
    const source = readFileSync(join(appDir, 'preload.ts'), 'utf8');
    const exposed = [...source.matchAll(/exposeInMainWorld\(\s*'([^']+)'\s*,\s*(\w+)/g)].map((m) => [m[1], m[2]]);
    expect(exposed).toEqual([['insight', 'insight']]);
    expect(source).toMatch(/channels\.has\(channel\)/);
  });
});

describe('window state', () => {
  let folder = '';
  afterEach(() => folder && rmSync(folder, { recursive: true, force: true }));

  it('remembers size and position, and ignores a garbled file', () => {
    folder = mkdtempSync(join(tmpdir(), 'insight-window-'));
    const file = join(folder, 'window-state.json');
    expect(loadWindowState(file)).toEqual(defaultWindowState);
    saveWindowState(file, { x: 40, y: 30, width: 1400, height: 900, maximized: true });
    expect(loadWindowState(file)).toEqual({ x: 40, y: 30, width: 1400, height: 900, maximized: true });
    writeFileSync(file, '{"width": "huge"');
    expect(loadWindowState(file)).toEqual(defaultWindowState);
  });

  it('does not reopen on a display that is gone', () => {
    const screen = [{ x: 0, y: 0, width: 1440, height: 900 }];
    const onScreen = { x: 100, y: 50, width: 1200, height: 800, maximized: false };
    expect(placeOnDisplays(onScreen, screen)).toEqual(onScreen);
    expect(placeOnDisplays({ ...onScreen, x: 2500 }, screen)).toEqual({ width: 1200, height: 800, maximized: false });
  });
});

describe('desktop habits', () => {
  it('offers Sync Now in the menu with a shortcut that does not clash with reload or save', () => {
    let synced = 0;
    const template = buildMenuTemplate({
      isMac: true,
      appName: 'Insight',
      allowDevTools: false,
      onSyncNow: () => synced++,
    });
    const sync = template.find((menu) => menu.label === 'Sync');
    const item = (sync?.submenu as { label?: string; accelerator?: string; click?: () => void }[])[0]!;
    expect(item.label).toBe('Sync Now');
    expect(item.accelerator).toBe(syncNowAccelerator);
    expect(['CmdOrCtrl+R', 'CmdOrCtrl+S']).not.toContain(syncNowAccelerator);
    item.click!();
    expect(synced).toBe(1);
    expect(JSON.stringify(template)).not.toContain('toggleDevTools');
  });

  it('raises the system notification once when the sync alert starts', () => {
    const status: SyncStatus = {
      state: 'alert',
      online: false,
      mode: 'polling',
      last_sync_at: null,
      pending_count: 3,
      needs_attention_count: 0,
      progress: null,
      error: 'connect ECONNREFUSED 127.0.0.1:8000',
      attempt: 5,
      max_attempts: 5,
      next_retry_at: null,
      open_conflicts: 0,
    };
    const notice = alertNoticeFor('error', status);
    expect(notice?.body).toContain('5 attempts failed');
    expect(notice?.body).toContain('3 changes wait');
    expect(alertNoticeFor('alert', status)).toBeNull();
    expect(alertNoticeFor('alert', { ...status, state: 'idle' })).toBeNull();
  });
});
