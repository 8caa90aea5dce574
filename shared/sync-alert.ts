// The words of the sync alert (5 failed attempts in a row), one definition for both places that
// show it as a system notification: Electron's main process (app/sync-alert.ts) and the browser
// when the UI runs through the web host (renderer/features/sync/BrowserAlertNotice.tsx).
import type { SyncStatus } from './ipc.js';

export interface AlertNotice {
  title: string;
  body: string;
}

/** `where` names the device in the sentence, e.g. " on this Mac". */
export function syncAlertNotice(status: SyncStatus, where = ''): AlertNotice {
  const pending = status.pending_count === 1 ? '1 change waits' : `${status.pending_count} changes wait`;
  return {
    title: 'Insight cannot sync',
    body: `${status.attempt} attempts failed${status.error ? `: ${status.error}` : ''}. ${pending}${where}; they are kept and sent once the server is reachable.`,
  };
}
