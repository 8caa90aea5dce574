// @vitest-environment jsdom
// The Devices screen as a manager uses it: every device with its store and figures, Revoke behind
// a confirmation that says what it does, never for this Mac, and the list showing the device
// revoked afterwards; a store device moved to another store from its row; the core's refusal
// shown as said.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcReply } from '../../../shared/ipc.js';
import type { DeviceActivity } from '../../../shared/protocol/analytics.js';
import { ToastProvider } from '../../components/Toasts.js';
import { renderWithInsight } from '../../testing/render.js';
import { chooseStore, testStores } from '../../testing/stores.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { DevicesScreen } from './DevicesScreen.js';

const days = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];
const quiet = { pulls: 0, pushes: 0, rows_pulled: 0, rows_pushed: 0, failures: 0, refused: 0 };
const twoMinutesAgo = () => new Date(Date.now() - 2 * 60_000 - 5_000).toISOString();

const device = (
  device_id: string,
  role: DeviceActivity['role'],
  busy: Partial<typeof quiet> = {},
  store_id: string | null = role === 'store' ? 'S001' : null,
): DeviceActivity => ({
  device_id,
  role,
  last_sync_at: twoMinutesAgo(),
  revoked_at: null,
  store_id,
  stores_named: [],
  days: days.map((day, i) => ({ day, ...quiet, ...(i === 6 ? busy : {}) })),
  totals: { ...quiet, ...busy, conflicts: busy.failures ? 2 : 0 },
  conflicts: busy.failures ? { submissions: 2 } : {},
});

/** A server in miniature: the analytics, and revocations and moves that show in them. */
const serverWith = (devices: DeviceActivity[]) => {
  const api = createTestInsight({
    'config:get': () => ({
      server_url: 'http://nas.local:8000',
      device_id: 'mac-1',
      has_token: true,
      role: 'manager',
      sync_interval_minutes: 5,
    }),
    'sync:devices': ({ days: n }): IpcReply<'sync:devices'> => ({
      success: true,
      timestamp: new Date().toISOString(),
      from: days[7 - n]!,
      to: days[6]!,
      devices: structuredClone(devices), // a fresh answer each time, as over the wire
    }),
    'devices:revoke': ({ device_id }) => {
      const target = devices.find((d) => d.device_id === device_id);
      if (!target) throw new Error(`No device "${device_id}" is enrolled on the server: nothing was revoked.`);
      const already = target.revoked_at !== null;
      target.revoked_at ??= new Date().toISOString();
      return { success: true, device_id, revoked_at: target.revoked_at, already_revoked: already };
    },
    'stores:list': () => testStores,
    'devices:scope': ({ device_id, store }) => {
      const target = devices.find((d) => d.device_id === device_id)!;
      const previous_store = target.store_id;
      target.store_id = store;
      return { success: true, device_id, store, previous_store, moved: previous_store !== store };
    },
  });
  renderWithInsight(
    <ToastProvider>
      <DevicesScreen />
    </ToastProvider>,
    api,
  );
  return api;
};

const rowOf = async (id: string) => {
  const table = await screen.findByRole('table', { name: 'Devices' });
  return within(table).getByRole('row', { name: new RegExp(`^${id}\\b`) });
};

describe('DevicesScreen', () => {
  it('lists every device with role, store, last sync, activity of the week, conflicts, failures and refused', async () => {
    const api = serverWith([
      device('mac-1', 'manager', { pulls: 4 }),
      device('store-001', 'store', { pulls: 12, pushes: 3, failures: 1, refused: 5 }),
    ]);
    const store = await rowOf('store-001');
    expect(api.callsTo('sync:devices')).toEqual([{ days: 7 }]);
    const cells = within(store)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells.slice(0, 3)).toEqual(['Store', 'S001', '2 min ago']);
    expect(cells.slice(4, 7)).toEqual(['2', '1', '5']);
    expect(within(store).getByRole('img', { name: '12 pulls and 3 pushes in 7 days' })).toBeInTheDocument();

    // This Mac is marked, and cannot revoke itself; a manager sees every store and is not moved.
    const self = await rowOf('mac-1');
    expect(within(self).getByText('This Mac')).toBeInTheDocument();
    expect(within(self).getAllByRole('cell')[1]).toHaveTextContent(/^All stores$/);
    expect(within(self).queryByRole('button', { name: /^Move/ })).toBeNull();
    expect(within(self).getByRole('img', { name: '4 pulls and 0 pushes in 7 days' })).toBeInTheDocument();
    expect(within(self).queryByRole('button', { name: /Revoke/ })).toBeNull();
    expect(within(store).getByRole('button', { name: 'Revoke store-001' })).toBeEnabled();
    expect(within(store).getByRole('button', { name: 'Move store-001 to another store' })).toHaveTextContent(
      'Move to store…',
    );
  });

  it('moves a store device from its row, then shows its new store; a revoked one is not offered', async () => {
    const user = userEvent.setup();
    const lost = { ...device('store-002', 'store'), revoked_at: twoMinutesAgo() };
    const api = serverWith([device('mac-1', 'manager'), device('store-001', 'store'), lost]);
    expect(within(await rowOf('store-002')).queryByRole('button', { name: /^Move/ })).toBeNull();

    await user.click(within(await rowOf('store-001')).getByRole('button', { name: 'Move store-001 to another store' }));
    const dialog = screen.getByRole('dialog', { name: 'Move store-001 to another store' });
    await chooseStore(user, 'S002', { container: dialog, label: 'New store' });
    expect(dialog).toHaveTextContent("remove S001's from itself; nothing is deleted on the server");
    await user.click(within(dialog).getByRole('button', { name: 'Move' }));
    expect(api.callsTo('devices:scope')).toEqual([{ device_id: 'store-001', store: 'S002' }]);

    // The list is fetched again and shows the new store.
    await waitFor(async () =>
      expect(within(await rowOf('store-001')).getAllByRole('cell')[1]).toHaveTextContent(/^S002$/),
    );
    expect(
      await screen.findByText("store-001 moved to S002: it takes S002's rows on its next sync."),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('revokes only after the confirmation, then shows the device revoked', async () => {
    const user = userEvent.setup();
    const api = serverWith([device('mac-1', 'manager'), device('store-001', 'store')]);
    await user.click(within(await rowOf('store-001')).getByRole('button', { name: 'Revoke store-001' }));

    const dialog = screen.getByRole('alertdialog', { name: 'Revoke store-001?' });
    expect(dialog).toHaveTextContent('store-001 will be signed out at once');
    expect(dialog).toHaveTextContent('npm run device:add -- store-001 --force');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.callsTo('devices:revoke')).toEqual([]);

    await user.click(within(await rowOf('store-001')).getByRole('button', { name: 'Revoke store-001' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Revoke' }));
    expect(api.callsTo('devices:revoke')).toEqual([{ device_id: 'store-001' }]);

    // The list is fetched again and shows it revoked, with no Revoke button left.
    await waitFor(async () =>
      expect(within(await rowOf('store-001')).getAllByRole('cell')[2]).toHaveTextContent(/^Revoked just now$/),
    );
    expect(within(await rowOf('store-001')).queryByRole('button', { name: /Revoke/ })).toBeNull();
    expect(api.callsTo('sync:devices').length).toBeGreaterThanOrEqual(2);
    expect(await screen.findByText('store-001 revoked: it is signed out.')).toBeInTheDocument();
  });

  it('shows the core refusal when the device is gone from the server, and a failed list as said', async () => {
    const user = userEvent.setup();
    const api = serverWith([device('store-009', 'store')]);
    api.handlers['devices:revoke'] = () => {
      throw new Error('No device "store-009" is enrolled on the server: nothing was revoked.');
    };
    await user.click(within(await rowOf('store-009')).getByRole('button', { name: 'Revoke store-009' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Revoke' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not revoke the device: No device "store-009" is enrolled on the server: nothing was revoked.',
    );
  });

  it('says why there is no list (offline, not a manager)', async () => {
    const api = createTestInsight({
      'config:get': () => ({
        server_url: null,
        device_id: null,
        has_token: false,
        role: null,
        sync_interval_minutes: 5,
      }),
      'sync:devices': () => {
        throw new Error(
          'Cannot reach the sync server at http://nas.local:8000 (connection refused): the sync analytics need a connection.',
        );
      },
    });
    renderWithInsight(<DevicesScreen />, api);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the devices: Cannot reach the sync server',
    );
    expect(screen.queryByRole('table')).toBeNull();
  });
});
