// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { idleStatus as idle } from '../../../shared/testing/sync-status.js';
import { SyncPanel } from './SyncPanel.js';

const renderPanel = (status: SyncStatus, pending: Parameters<typeof createTestInsight>[0] = {}) => {
  const api = createTestInsight({ 'sync:status': () => status, 'sync:now': () => ({ ok: true }), ...pending });
  const view = renderWithInsight(<SyncPanel />, api);
  const panel = () => screen.getByRole('region', { name: 'Sync status' });
  return { api, panel, ...view };
};

describe('SyncPanel', () => {
  it('says the app is not set up and offers the connection settings instead of Sync Now', async () => {
    const { panel } = renderPanel({ ...idle, state: 'not_configured', online: false, last_sync_at: null });
    expect(await within(panel()).findByText('Not set up')).toBeInTheDocument();
    expect(within(panel()).getByRole('link', { name: 'Set up the connection' })).toHaveAttribute('href', '#/settings');
    expect(within(panel()).getByRole('button', { name: 'Sync Now' })).toBeDisabled();
  });

  it('shows online, up to date, the pending count and the last sync time when idle', async () => {
    const { panel } = renderPanel({ ...idle, pending_count: 0 });
    const status = await within(panel()).findByRole('status');
    expect(status).toHaveTextContent('Online');
    expect(status).toHaveTextContent('Up to date');
    expect(within(panel()).getByText('Pending changes: 0')).toBeInTheDocument();
    expect(within(panel()).getByText(/^Last sync: /)).toHaveTextContent(new Date(idle.last_sync_at!).toLocaleString());
    expect(within(panel()).queryByRole('alert')).not.toBeInTheDocument();
    expect(within(panel()).queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('says "Live" while the live socket is up, and not while polling', async () => {
    const { panel, unmount } = renderPanel({ ...idle, mode: 'live' });
    expect(await within(panel()).findByRole('status')).toHaveTextContent(/Online.*Live/);
    unmount();
    renderPanel({ ...idle, mode: 'polling' });
    expect(await within(panel()).findByRole('status')).not.toHaveTextContent('Live');
  });

  it('says "never" before the first sync', async () => {
    const { panel } = renderPanel({ ...idle, last_sync_at: null });
    expect(await within(panel()).findByText('Last sync: never')).toBeInTheDocument();
  });

  it('shows rows done out of the total while pulling', async () => {
    const { panel } = renderPanel({
      ...idle,
      state: 'pulling',
      progress: { phase: 'pull', done: 120, total: 10000, table: 'submissions' },
    });
    expect(await within(panel()).findByText('Syncing: 120 / 10000 rows (receiving submissions)')).toBeInTheDocument();
    const bar = within(panel()).getByRole('progressbar', { name: 'Sync progress' });
    expect(bar).toHaveAttribute('value', '120');
    expect(bar).toHaveAttribute('max', '10000');
  });

  it('shows what is being sent while pushing, with the pending count', async () => {
    const { panel } = renderPanel({
      ...idle,
      state: 'pushing',
      pending_count: 7,
      progress: { phase: 'push', done: 3, total: 7, table: null },
    });
    expect(await within(panel()).findByText('Syncing: 3 / 7 rows (sending)')).toBeInTheDocument();
    expect(within(panel()).getByText('Pending changes: 7')).toBeInTheDocument();
  });

  it('shows offline and the pending count while the server is unreachable', async () => {
    const { panel } = renderPanel({ ...idle, state: 'offline', online: false, pending_count: 4 });
    const status = await within(panel()).findByRole('status');
    expect(status).toHaveTextContent('Offline');
    expect(status).toHaveTextContent('changes are kept');
    expect(within(panel()).getByText('Pending changes: 4')).toBeInTheDocument();
    expect(within(panel()).queryByText(/^Attempt/)).not.toBeInTheDocument();
  });

  it('shows the retry it is on while offline, with the reason', async () => {
    const { panel } = renderPanel({
      ...idle,
      state: 'offline',
      online: false,
      pending_count: 1,
      error: 'Cannot reach the sync server at http://127.0.0.1:8000',
      attempt: 2,
      next_retry_at: '2026-11-25T10:31:00.000Z',
    });
    expect(await within(panel()).findByText('Attempt 2 of 5')).toBeInTheDocument();
    expect(
      within(panel()).getByText('Sync error: Cannot reach the sync server at http://127.0.0.1:8000'),
    ).toBeInTheDocument();
    expect(within(panel()).getByText(/^Next try at/)).toBeInTheDocument();
    expect(within(panel()).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the error and which attempt failed, without the alert, while retrying', async () => {
    const { panel } = renderPanel({
      ...idle,
      state: 'error',
      error: 'Server answered 503',
      attempt: 3,
      next_retry_at: '2026-11-25T10:31:00.000Z',
    });
    expect(await within(panel()).findByText('Sync error: Server answered 503')).toBeInTheDocument();
    expect(within(panel()).getByText('Attempt 3 of 5')).toBeInTheDocument();
    expect(within(panel()).getByText(/^Next try at/)).toBeInTheDocument();
    expect(within(panel()).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('raises an alert after five failed attempts', async () => {
    const { panel } = renderPanel({
      ...idle,
      state: 'alert',
      online: false,
      error: 'connect ECONNREFUSED',
      attempt: 5,
    });
    const alert = await within(panel()).findByRole('alert');
    expect(alert).toHaveTextContent('Sync failed 5 times');
    expect(within(panel()).getByText('Attempt 5 of 5')).toBeInTheDocument();
    expect(within(panel()).getByRole('button', { name: 'Sync Now' })).toBeEnabled();
  });

  it('lists changes the server refused with their reason, and discards one on request', async () => {
    const recordId = '6f1c1b43-4a5e-4c43-9a3e-2b1f4d7f3a10';
    const { api, panel } = renderPanel(
      { ...idle, pending_count: 2, needs_attention_count: 1 },
      {
        'sync:pending': () => [
          {
            id: 11,
            table: 'team',
            record_id: recordId,
            operation: 'UPDATE',
            created_at: '2026-11-25T10:00:00.000Z',
            attempts: 1,
            last_error: 'store devices may not write team',
            needs_attention: true,
          },
          {
            id: 12,
            table: 'kpi_data',
            record_id: '0b7f6a52-7c1e-4e0a-8a4a-0f8e2b9c1d22',
            operation: 'INSERT',
            created_at: '2026-11-25T10:01:00.000Z',
            attempts: 0,
            last_error: null,
            needs_attention: false,
          },
        ],
        'sync:discard-change': () => ({ ok: true }),
      },
    );
    expect(await within(panel()).findByRole('heading', { name: 'Needs attention: 1' })).toBeInTheDocument();
    const list = await within(panel()).findByRole('list', { name: 'Changes that need attention' });
    expect(await within(list).findByText('Reason: store devices may not write team')).toBeInTheDocument();
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    await userEvent.click(within(list).getByRole('button', { name: `Discard change to team ${recordId}` }));
    await waitFor(() => expect(api.callsTo('sync:discard-change')).toEqual([{ id: 11 }]));
  });

  it('tells apart refused changes to records made in the same minute by the end of their ids', async () => {
    // Two UUIDv7 ids made a second apart: their first eight characters (the time) are the same.
    const first = '019ad5c2-8f00-7a11-8b22-3c44d55e66f7';
    const second = '019ad5c2-92e8-7c33-9d44-5e66f77a8b90';
    const refused = (id: number, record_id: string) => ({
      id,
      table: 'submissions' as const,
      record_id,
      operation: 'INSERT' as const,
      created_at: '2026-11-30T10:00:00.000Z',
      attempts: 1,
      last_error: 'form is not published',
      needs_attention: true,
    });
    const { panel } = renderPanel(
      { ...idle, pending_count: 2, needs_attention_count: 2 },
      { 'sync:pending': () => [refused(21, first), refused(22, second)] },
    );
    const list = await within(panel()).findByRole('list', { name: 'Changes that need attention' });
    const shown = (await within(list).findAllByRole('listitem')).map((item) => item.querySelector('code')!);
    expect(first.slice(0, 8)).toBe(second.slice(0, 8));
    expect(shown.map((code) => code.textContent)).toEqual(['…d55e66f7', '…f77a8b90']);
    expect(shown.map((code) => code.title)).toEqual([first, second]);
  });

  it('starts a sync when Sync Now is pressed', async () => {
    const { api, panel } = renderPanel(idle);
    await userEvent.click(await within(panel()).findByRole('button', { name: 'Sync Now' }));
    await waitFor(() => expect(api.callsTo('sync:now')).toHaveLength(1));
  });

  it('follows sync:status events from the engine without asking again', async () => {
    const api = createTestInsight({ 'sync:status': () => idle });
    renderWithInsight(<SyncPanel />, api, { events: true });
    const panel = screen.getByRole('region', { name: 'Sync status' });
    await within(panel).findByText('Up to date');
    act(() => api.emit('sync:status', { ...idle, state: 'offline', online: false, pending_count: 2 }));
    await waitFor(() => expect(within(panel).getByRole('status')).toHaveTextContent('Offline'));
    expect(within(panel).getByText('Pending changes: 2')).toBeInTheDocument();
    expect(api.callsTo('sync:status')).toHaveLength(1);
  });
});
