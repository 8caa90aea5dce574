// The sync panel's words for each engine state, kept apart from the markup so each state's
// wording is decided in one place (the e2e tests and docs/renderer.md rely on these strings).
import type { SyncStatus } from '../../../shared/ipc.js';

export const connectionLabel = (status: SyncStatus): string => {
  if (status.state === 'not_configured') return 'Not set up';
  return status.online ? 'Online' : 'Offline';
};

export const activityLabel = (status: SyncStatus): string => {
  switch (status.state) {
    case 'not_configured':
      return 'Connect this app to your server to start syncing.';
    case 'idle':
      return status.pending_count > 0 ? 'Waiting to send changes' : 'Up to date';
    case 'pulling':
      return status.progress ? progressLabel(status.progress) : 'Receiving changes…';
    case 'pushing':
      return status.progress ? progressLabel(status.progress) : 'Sending changes…';
    case 'offline':
      return 'Working offline: changes are kept and sent when the server is back.';
    case 'error':
      return 'Sync failed; retrying automatically.';
    case 'alert':
      return 'Sync keeps failing; your changes are kept.';
  }
};

const progressLabel = (progress: NonNullable<SyncStatus['progress']>): string => {
  const direction = progress.phase === 'pull' ? 'receiving' : 'sending';
  const what = progress.table ? ` ${progress.table.replaceAll('_', ' ')}` : '';
  return `Syncing: ${progress.done} / ${progress.total} rows (${direction}${what})`;
};

export const lastSyncLabel = (lastSyncAt: string | null): string =>
  `Last sync: ${lastSyncAt ? new Date(lastSyncAt).toLocaleString() : 'never'}`;

export const attemptLabel = (status: SyncStatus): string => `Attempt ${status.attempt} of ${status.max_attempts}`;
