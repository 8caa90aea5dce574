// When the system notification for the sync alert fires: once, on entering the alert state
// (5 failed attempts in a row), not again for every status event while the alert stands.
// Pure, so it is tested without Electron; app/main.ts shows the Notification.
import type { SyncState, SyncStatus } from '../shared/ipc.js';

export interface AlertNotice {
  title: string;
  body: string;
}

export function alertNoticeFor(previous: SyncState | null, next: SyncStatus): AlertNotice | null {
  if (next.state !== 'alert' || previous === 'alert') return null;
  const pending = next.pending_count === 1 ? '1 change waits' : `${next.pending_count} changes wait`;
  return {
    title: 'Insight cannot sync',
    body: `${next.attempt} attempts failed${next.error ? `: ${next.error}` : ''}. ${pending} on this Mac; they are kept and sent once the server is reachable.`,
  };
}
