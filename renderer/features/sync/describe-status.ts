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

/** How the sync chip in the toolbar looks: its tone (colour) and its few words. */
export type ChipTone = 'synced' | 'pending' | 'syncing' | 'offline' | 'failing' | 'off';

/** "just now", "2 min ago", "3 h ago", "on 24/11/2026": the sync chip's and the device list's wording. */
export const ago = (from: string, now: number): string => {
  const minutes = Math.floor((now - Date.parse(from)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `on ${new Date(from).toLocaleDateString()}`;
};

/**
 * The chip's summary, most urgent first: a failing or offline engine is red whatever is pending,
 * a running sync says so, unsent changes are amber, otherwise green with the time of the last sync.
 */
export const chipLabel = (status: SyncStatus, now: number): { tone: ChipTone; text: string } => {
  if (status.state === 'not_configured') return { tone: 'off', text: 'Not set up' };
  if (status.state === 'alert' || status.state === 'error') return { tone: 'failing', text: 'Sync failing' };
  if (status.state === 'offline' || !status.online) {
    return {
      tone: 'offline',
      text: status.pending_count > 0 ? `Offline · ${status.pending_count} pending` : 'Offline',
    };
  }
  if (status.state === 'pulling' || status.state === 'pushing') return { tone: 'syncing', text: 'Syncing…' };
  if (status.pending_count > 0) return { tone: 'pending', text: `${status.pending_count} pending` };
  return { tone: 'synced', text: status.last_sync_at ? `Synced ${ago(status.last_sync_at, now)}` : 'Not synced yet' };
};
