// The Store Manager window's security settings as plain data and pure functions, so they can be
// unit-tested without the Electron binary (this file imports electron's types only, which vanish
// at compile time). Electron's security checklist, item by item:
//   2/3/4  no Node in the page, context isolation, sandbox  → secureWebPreferences
//   5/7    a strict Content-Security-Policy                 → appCsp
//   13/14  no navigation, no new windows                    → isTrustedUrl (used by security.ts)
//   5      deny every permission request                    → allowPermission
//   17     check the sender of every IPC message           → checkSenderUrl
//   18     serve our files from a custom protocol, not file:// → appOrigin, rendererFileFor
import type { WebPreferences } from 'electron';
import { normalize, resolve, sep } from 'node:path';
import { rendererCsp } from '../main/host/renderer-csp.js';

/** app://insight/ serves dist/renderer (app/protocol.ts). A privileged, standard, secure scheme. */
export const appScheme = 'app';
export const appHost = 'insight';
const appOrigin = `${appScheme}://${appHost}`;
export const appStartUrl = `${appOrigin}/index.html`;

/**
 * The page's CSP (main/host/renderer-csp.ts). The renderer talks to the core through the
 * preload's IPC, never the network, so connect-src stays 'self'.
 */
export const appCsp = rendererCsp("'self'");

/** The window's webPreferences: the page gets nothing of Node or Electron but the preload's window.insight. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
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
    safeDialogs: true,
  };
}

/** Only our own pages: app://insight/… Everything else (http, file, other hosts) is refused. */
export function isTrustedUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost;
  } catch {
    return false;
  }
}

/** IPC sender check (checklist item 17): null when the sending frame shows our page, else why not. */
export function checkSenderUrl(url: string | undefined | null): string | null {
  if (isTrustedUrl(url)) return null;
  return `the message came from ${url ? JSON.stringify(url) : 'a frame without a URL'}, not from the Store Manager page`;
}

/** The Store Manager needs no camera, microphone, notifications from the page, geolocation, …: deny all. */
export const allowPermission = (_permission: string): boolean => false;

/**
 * The file of dist/renderer an app:// URL names, or null when the URL is not ours or tries to
 * leave the folder. `/` is index.html.
 */
export function rendererFileFor(url: string, rendererDir: string): string | null {
  if (!isTrustedUrl(url)) return null;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, '.' + normalize('/' + (path === '/' ? 'index.html' : path)));
  return file.startsWith(root + sep) ? file : null;
}
