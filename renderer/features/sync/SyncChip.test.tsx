// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/ipc.js';
import { idleStatus } from '../../../shared/testing/sync-status.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { chipLabel } from './describe-status.js';
import { SyncChip } from './SyncChip.js';

const now = Date.parse('2026-11-25T10:32:30.000Z'); // 2.5 min after idleStatus.last_sync_at
const chip = (change: Partial<SyncStatus>) => chipLabel({ ...idleStatus, ...change }, now);

describe('the sync chip', () => {
  it('is green with the time of the last sync, amber with pending changes, red offline or failing', () => {
    expect(chip({})).toEqual({ tone: 'synced', text: 'Synced 2 min ago' });
    expect(chip({ last_sync_at: '2026-11-25T10:32:10.000Z' })).toEqual({ tone: 'synced', text: 'Synced just now' });
    expect(chip({ last_sync_at: null })).toEqual({ tone: 'synced', text: 'Not synced yet' });
    expect(chip({ pending_count: 3 })).toEqual({ tone: 'pending', text: '3 pending' });
    expect(chip({ state: 'pushing', pending_count: 3 })).toEqual({ tone: 'syncing', text: 'Syncing…' });
    // Offline wins over a running or pending state: "Online" must be true.
    expect(chip({ state: 'offline', online: false, pending_count: 2 })).toEqual({
      tone: 'offline',
      text: 'Offline · 2 pending',
    });
    expect(chip({ state: 'idle', online: false })).toEqual({ tone: 'offline', text: 'Offline' });
    expect(chip({ state: 'alert', attempt: 5 })).toEqual({ tone: 'failing', text: 'Sync failing' });
    expect(chip({ state: 'not_configured' })).toEqual({ tone: 'off', text: 'Not set up' });
  });

  it('opens the sync panel with the error, the attempt and Sync Now', async () => {
    const status: SyncStatus = {
      ...idleStatus,
      state: 'error',
      online: true,
      attempt: 2,
      error: 'HTTP 502',
      pending_count: 1,
    };
    const api = createTestInsight({
      'sync:status': () => status,
      'sync:now': () => ({ ok: true }),
      'sync:pending': () => [],
    });
    renderWithInsight(<SyncChip />, api);
    const button = await screen.findByRole('button', { name: 'Sync: Sync failing' }, { timeout: 5000 });
    expect(button).toHaveClass('sync-chip--failing');
    await userEvent.click(button);
    const panel = await screen.findByRole('region', { name: 'Sync status' });
    expect(within(panel).getByText('Sync error: HTTP 502')).toBeInTheDocument();
    expect(within(panel).getByText('Attempt 2 of 5')).toBeInTheDocument();
    await userEvent.click(within(panel).getByRole('button', { name: 'Sync Now' }));
    expect(api.callsTo('sync:now')).toHaveLength(1);
  });
});
