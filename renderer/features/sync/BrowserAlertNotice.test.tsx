// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SyncStatus } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { idleStatus } from '../../../shared/testing/sync-status.js';
import { SyncPanel } from './SyncPanel.js';

const idle: SyncStatus = { ...idleStatus, pending_count: 1 };
const failing: SyncStatus = { ...idle, state: 'error', online: false, attempt: 4, error: 'connect ECONNREFUSED' };
const alert: SyncStatus = { ...failing, state: 'alert', attempt: 5 };

/**
 * jsdom has no Notification: a stand-in that records what would be shown and what the user
 * answers when asked. `answer` is the user's choice in the browser's permission prompt.
 */
const stubNotification = (permission: NotificationPermission, answer: NotificationPermission = 'granted') => {
  const shown: { title: string; options?: NotificationOptions }[] = [];
  class FakeNotification {
    static permission = permission;
    static requestPermission = vi.fn(async () => {
      FakeNotification.permission = answer;
      return answer;
    });
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, options });
    }
  }
  vi.stubGlobal('Notification', FakeNotification);
  return { shown, requestPermission: FakeNotification.requestPermission };
};

const renderPanel = (first: SyncStatus = idle) => {
  const api = createTestInsight({ 'sync:status': () => first });
  renderWithInsight(<SyncPanel />, api, { events: true });
  const panel = screen.getByRole('region', { name: 'Sync status' });
  const engineSays = async (status: SyncStatus) => {
    act(() => api.emit('sync:status', status));
    await waitFor(() =>
      expect(within(panel).getByText(`Pending changes: ${status.pending_count}`)).toBeInTheDocument(),
    );
  };
  return { api, panel, engineSays };
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the sync alert as a browser notification (web host)', () => {
  it('shows one notification per entry into the alert, not one per status event', async () => {
    const { shown } = stubNotification('granted');
    const { panel, engineSays } = renderPanel();
    await within(panel).findByText('Pending changes: 1');

    await engineSays(failing);
    expect(shown).toHaveLength(0);
    await engineSays(alert);
    expect(shown).toEqual([
      {
        title: 'Insight cannot sync',
        options: {
          body: '5 attempts failed: connect ECONNREFUSED. 1 change waits; they are kept and sent once the server is reachable.',
          tag: 'insight-sync-alert',
        },
      },
    ]);
    // Still in the alert: another status event (one more local edit) does not notify again.
    await engineSays({ ...alert, pending_count: 2 });
    expect(shown).toHaveLength(1);

    // Out of the alert (a Sync Now that failed again) and back in: a second notification.
    await engineSays({ ...failing, pending_count: 2, attempt: 1 });
    await engineSays({ ...alert, pending_count: 3 });
    expect(shown).toHaveLength(2);
    expect(shown[1]!.options?.body).toContain('3 changes wait');
  });

  it('shows none without permission, and offers nothing to click once the browser has said no', async () => {
    const { shown, requestPermission } = stubNotification('denied');
    const { panel, engineSays } = renderPanel();
    await within(panel).findByText('Pending changes: 1');
    await engineSays(failing);
    await engineSays(alert);
    expect(within(panel).getByRole('alert')).toHaveTextContent('Sync failed 5 times');
    expect(shown).toHaveLength(0);
    expect(within(panel).queryByRole('button', { name: 'Notify me' })).not.toBeInTheDocument();
    expect(requestPermission).not.toHaveBeenCalled();
  });

  it('asks for permission only when "Notify me" is clicked, then notifies on the next alert', async () => {
    const { shown, requestPermission } = stubNotification('default', 'granted');
    const { panel, engineSays } = renderPanel();
    const notifyMe = await within(panel).findByRole('button', { name: 'Notify me' });
    expect(notifyMe).toHaveAccessibleDescription('Get a browser notification when sync keeps failing.');
    expect(requestPermission).not.toHaveBeenCalled();

    // Not yet allowed: the alert shows in the panel only.
    await engineSays(alert);
    expect(shown).toHaveLength(0);

    await userEvent.setup().click(notifyMe);
    expect(requestPermission).toHaveBeenCalledTimes(1);
    expect(await within(panel).findByText('Browser notifications are on.')).toBeInTheDocument();
    expect(within(panel).queryByRole('button', { name: 'Notify me' })).not.toBeInTheDocument();

    await engineSays({ ...idle, pending_count: 2 });
    await engineSays({ ...alert, pending_count: 3 });
    expect(shown).toHaveLength(1);
  });

  it('says so when the manager blocks notifications in the prompt', async () => {
    const { shown } = stubNotification('default', 'denied');
    const { panel, engineSays } = renderPanel();
    await userEvent.setup().click(await within(panel).findByRole('button', { name: 'Notify me' }));
    expect(await within(panel).findByText('Notifications are blocked in this browser’s settings.')).toBeInTheDocument();
    await engineSays(alert);
    expect(shown).toHaveLength(0);
  });

  it('does not notify for an alert that was already there when the page opened', async () => {
    const { shown } = stubNotification('granted');
    const { panel, engineSays } = renderPanel(alert);
    expect(await within(panel).findByRole('alert')).toHaveTextContent('Sync failed 5 times');
    await engineSays({ ...alert, pending_count: 4 });
    expect(shown).toHaveLength(0);
  });

  it('stays silent inside Electron, where the main process shows the notification', async () => {
    const { shown } = stubNotification('default');
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(
      'Mozilla/5.0 (Macintosh) AppleWebKit/537.36 (KHTML, like Gecko) insight-store-manager/0.1.0 Chrome/132.0 Electron/34.0.0 Safari/537.36',
    );
    const { panel, engineSays } = renderPanel();
    await within(panel).findByText('Pending changes: 1');
    expect(within(panel).queryByRole('button', { name: 'Notify me' })).not.toBeInTheDocument();
    (Notification as unknown as { permission: NotificationPermission }).permission = 'granted';
    await engineSays(failing);
    await engineSays(alert);
    expect(shown).toHaveLength(0);
  });

  it('offers nothing in a browser without notifications', async () => {
    vi.stubGlobal('Notification', undefined);
    const { panel } = renderPanel();
    await within(panel).findByText('Pending changes: 1');
    expect(within(panel).queryByRole('button', { name: 'Notify me' })).not.toBeInTheDocument();
  });
});
