// When the system notification for the sync alert fires: once, on entering the alert state
// (5 failed attempts in a row), not again for every status event while the alert stands.
// Pure, so it is tested without Electron; app/main.ts shows the Notification.
import type { SyncState, SyncStatus } from '../shared/ipc.js';
import { syncAlertNotice, type AlertNotice } from '../shared/sync-alert.js';

export function alertNoticeFor(previous: SyncState | null, next: SyncStatus): AlertNotice | null {
  if (next.state !== 'alert' || previous === 'alert') return null;
  return syncAlertNotice(next, ' on this Mac');
}
