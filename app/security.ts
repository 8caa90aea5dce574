// Electron's security checklist applied to the session and to every web contents the app ever
// creates (the decisions live in security-policy.ts, where they are unit-tested).
import { app, type IpcMainInvokeEvent, type Session } from 'electron';
import { allowPermission, appCsp, checkSenderUrl, isTrustedUrl } from './security-policy.js';

/** Denies every permission, and adds our CSP to every response the session loads. */
export function secureSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(allowPermission(permission)));
  session.setPermissionCheckHandler((_contents, permission) => allowPermission(permission));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [appCsp] } });
  });
}

/** No navigation away from our page, no new windows, no <webview>: for every web contents, present and future. */
export function lockDownWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    // will-frame-navigate covers the main frame and every subframe (will-navigate: main frame only).
    contents.on('will-frame-navigate', (event) => {
      if (!isTrustedUrl(event.url)) event.preventDefault();
    });
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** Checklist item 17: the sender frame of an IPC message must show our own page. */
export function checkIpcSender(event: IpcMainInvokeEvent): string | null {
  return checkSenderUrl(event.senderFrame?.url);
}
