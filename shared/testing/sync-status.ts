// The engine's status at rest (online, up to date, nothing pending): a fixture for the renderer's
// component tests and main's IPC tests, which vary one field at a time:
// `{ ...idleStatus, state: 'offline', online: false }`.
import type { SyncStatus } from '../ipc.js';

export const idleStatus: SyncStatus = {
  state: 'idle',
  online: true,
  mode: 'polling',
  last_sync_at: '2026-11-25T10:30:00.000Z',
  pending_count: 0,
  needs_attention_count: 0,
  progress: null,
  error: null,
  attempt: 0,
  max_attempts: 5,
  next_retry_at: null,
  open_conflicts: 0,
};
