// The sync alert (5 failed attempts) as a system notification when the UI runs in a plain browser
// through the web host. Inside Electron the main process already shows one (app/sync-alert.ts),
// so this stays silent there. Permission is only ever asked from the "Notify me" click: browsers
// ignore or penalise requests made on page load.
import { useEffect, useRef, useState } from 'react';
import type { SyncState, SyncStatus } from '../../../shared/ipc.js';
import { syncAlertNotice } from '../../../shared/sync-alert.js';

/** The preload exposes no flag of its own; Electron always names itself in the user agent. */
const insideElectron = () => navigator.userAgent.includes('Electron');

const browserNotification = (): typeof Notification | null =>
  !insideElectron() && typeof window.Notification === 'function' ? window.Notification : null;

/**
 * Shows one notification each time the status enters `alert`, not on every status event while it
 * stands. The first status seen is only a baseline: a page opened during an alert shows it in
 * the panel, and a reload must not notify again.
 */
const useAlertNotification = (status: SyncStatus) => {
  const previous = useRef<SyncState | null>(null);
  useEffect(() => {
    const before = previous.current;
    previous.current = status.state;
    if (before === null || before === 'alert' || status.state !== 'alert') return;
    const Notice = browserNotification();
    if (!Notice || Notice.permission !== 'granted') return;
    const { title, body } = syncAlertNotice(status);
    // The tag makes a later alert replace an old one still on screen instead of stacking.
    const notice = new Notice(title, { body, tag: 'insight-sync-alert' });
    notice.onclick = () => window.focus();
  }, [status]);
};

/** Runs the notification and, while the browser has not been asked yet, offers "Notify me". */
export const BrowserAlertNotice = ({ status }: { status: SyncStatus }) => {
  useAlertNotification(status);
  const Notice = browserNotification();
  const [permission, setPermission] = useState(() => Notice?.permission ?? 'denied');
  const [asked, setAsked] = useState(false);
  if (!Notice) return null;

  if (permission === 'default') {
    return (
      <div className="sync-panel__notify">
        <p className="muted" id="sync-notify-hint">
          Get a browser notification when sync keeps failing.
        </p>
        <button
          type="button"
          className="button button--small"
          aria-describedby="sync-notify-hint"
          onClick={() => {
            setAsked(true);
            void Notice.requestPermission().then(setPermission, () => setPermission(Notice.permission));
          }}
        >
          Notify me
        </button>
      </div>
    );
  }
  if (!asked) return null;
  return (
    <p className="sync-panel__notify muted">
      {permission === 'granted'
        ? 'Browser notifications are on.'
        : 'Notifications are blocked in this browser’s settings.'}
    </p>
  );
};
