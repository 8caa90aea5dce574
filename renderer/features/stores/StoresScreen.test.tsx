// @vitest-environment jsdom
// The Stores screen as a manager uses it: every store with its devices and their last sync, a
// store added and edited (its code fixed), deactivation behind a confirmation, the core's
// refusal (a code already used) shown as said, and the list without devices when the analytics
// cannot be fetched.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcParsedRequest } from '../../../shared/ipc.js';
import type { DeviceActivity } from '../../../shared/protocol/analytics.js';
import type { RowOf } from '../../../shared/tables.js';
import { ToastProvider } from '../../components/Toasts.js';
import { renderWithInsight } from '../../testing/render.js';
import { chooseStore, testStore } from '../../testing/stores.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { StoresScreen } from './StoresScreen.js';

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000 - 5_000).toISOString();
const quiet = { pulls: 0, pushes: 0, rows_pulled: 0, rows_pushed: 0, failures: 0, refused: 0 };

const device = (device_id: string, over: Partial<DeviceActivity>): DeviceActivity => ({
  device_id,
  role: 'store',
  last_sync_at: null,
  revoked_at: null,
  store_id: null,
  stores_named: [],
  days: [],
  totals: { ...quiet, conflicts: 0 },
  conflicts: {},
  ...over,
});

/** The core in miniature: its stores (saved as stores:save would) and the server's analytics. */
const coreWith = (devices: DeviceActivity[] | Error) => {
  const stores: RowOf<'stores'>[] = [
    testStore('S001', 'Downtown', { region: 'Centre' }),
    testStore('S002', 'Harbour'),
    testStore('S003', 'Old Mill', { active: false }),
  ];
  const api = createTestInsight({
    'stores:list': () => stores.map((s) => ({ ...s })),
    'stores:save': ({ id, ...fields }: IpcParsedRequest<'stores:save'>) => {
      const holder = stores.find((s) => s.code === fields.code && s.id !== id);
      if (holder) throw new Error(`The code ${fields.code} is already used by ${holder.name}; choose another code`);
      const saved = { ...testStore(fields.code, fields.name), ...fields, id: id ?? crypto.randomUUID() };
      const at = stores.findIndex((s) => s.id === id);
      if (at >= 0) stores[at] = saved;
      else stores.push(saved);
      return saved;
    },
    'devices:scope': ({ device_id, store }) => ({
      success: true,
      device_id,
      store,
      previous_store: 'S001',
      moved: true,
    }),
    'sync:devices': () => {
      if (devices instanceof Error) throw devices;
      return { success: true, timestamp: new Date().toISOString(), from: '2026-11-23', to: '2026-11-29', devices };
    },
  });
  renderWithInsight(
    <ToastProvider>
      <StoresScreen />
    </ToastProvider>,
    api,
  );
  return api;
};

const rowOf = async (code: string) => {
  const table = await screen.findByRole('table', { name: 'Stores' });
  return within(table).getByRole('rowheader', { name: code }).closest('tr')!;
};
const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent);

describe('the Stores screen', () => {
  it('lists every store with its region, status, devices and their latest sync', async () => {
    coreWith([
      // A scoped store device, one whose pushes named S001, a manager (nobody's store device).
      device('store-ipad-1', { store_id: 'S001', last_sync_at: minutesAgo(30) }),
      device('store-iphone-2', { stores_named: ['S001'], last_sync_at: minutesAgo(2) }),
      device('manager-mac', { role: 'manager', stores_named: ['S001', 'S002'], last_sync_at: minutesAgo(1) }),
      device('store-iphone-9', { store_id: 'S009', stores_named: ['S002'], last_sync_at: minutesAgo(1) }),
    ]);
    await waitFor(async () =>
      expect(cells(await rowOf('S001'))).toEqual([
        'Downtown',
        'Centre',
        'Active',
        'store-ipad-1store-iphone-2',
        '2 min ago',
        'EditDeactivate',
      ]),
    );
    // A scoped device counts for its own store only, whatever its old pushes named.
    expect(cells(await rowOf('S002'))).toEqual(['Harbour', '—', 'Active', 'None', 'Never', 'EditDeactivate']);
    expect(await rowOf('S003')).toHaveClass('inactive');
    expect(cells(await rowOf('S003')).slice(2, 3)).toEqual(['Inactive']);
  });

  it("moves one of a store's devices to another store from its row", async () => {
    const api = coreWith([device('store-ipad-1', { store_id: 'S001', last_sync_at: minutesAgo(30) })]);
    const user = userEvent.setup();
    await user.click(within(await rowOf('S001')).getByRole('button', { name: 'Move store-ipad-1 to another store' }));
    const dialog = await screen.findByRole('dialog', { name: 'Move store-ipad-1 to another store' });
    await chooseStore(user, 'S002', { container: dialog, label: 'New store' });
    await user.click(within(dialog).getByRole('button', { name: 'Move' }));
    expect(api.callsTo('devices:scope')).toEqual([{ device_id: 'store-ipad-1', store: 'S002' }]);
    expect(await screen.findByText("store-ipad-1 moved to S002: it takes S002's rows on its next sync.")).toBeVisible();
  });

  it('adds a store, saying what is wrong next to the field first', async () => {
    const api = coreWith([]);
    const user = userEvent.setup();
    const form = screen.getByRole('form', { name: 'Add store' });
    await user.type(within(form).getByLabelText('Code'), 'S 4');
    await user.click(within(form).getByRole('button', { name: 'Add store' }));
    expect(within(form).getByLabelText('Code')).toHaveAccessibleDescription(
      'A store code may only hold letters, digits and . _ : - (e.g. S001)',
    );
    expect(within(form).getByLabelText('Name')).toHaveAccessibleDescription('A store needs a name');
    expect(api.callsTo('stores:save')).toEqual([]);

    await user.clear(within(form).getByLabelText('Code'));
    await user.type(within(form).getByLabelText('Code'), 'S004');
    await user.type(within(form).getByLabelText('Name'), 'Airport');
    await user.type(within(form).getByLabelText('Region'), 'South');
    await user.click(within(form).getByRole('button', { name: 'Add store' }));
    expect(await screen.findByText('S004 Airport added.')).toBeInTheDocument();
    expect(api.callsTo('stores:save')).toEqual([{ code: 'S004', name: 'Airport', region: 'South', active: true }]);
    expect(cells(await rowOf('S004')).slice(0, 3)).toEqual(['Airport', 'South', 'Active']);
    expect(within(form).getByLabelText('Code')).toHaveValue('');
  });

  it('shows the core refusing a code another store has', async () => {
    coreWith([]);
    const user = userEvent.setup();
    const form = screen.getByRole('form', { name: 'Add store' });
    await user.type(within(form).getByLabelText('Code'), 'S002');
    await user.type(within(form).getByLabelText('Name'), 'Second harbour');
    await user.click(within(form).getByRole('button', { name: 'Add store' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'Could not save the store: The code S002 is already used by Harbour; choose another code',
    );
  });

  it('edits a store with its code fixed', async () => {
    const api = coreWith([]);
    const user = userEvent.setup();
    await user.click(within(await rowOf('S002')).getByRole('button', { name: 'Edit S002' }));
    const form = screen.getByRole('form', { name: 'Edit store' });
    expect(within(form).getByLabelText('Code')).toHaveValue('S002');
    expect(within(form).getByLabelText('Code')).toHaveAttribute('readonly');
    await user.clear(within(form).getByLabelText('Name'));
    await user.type(within(form).getByLabelText('Name'), 'Harbour Front');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(async () => expect(cells(await rowOf('S002'))[0]).toBe('Harbour Front'));
    expect(api.callsTo('stores:save')).toEqual([
      expect.objectContaining({ code: 'S002', name: 'Harbour Front', active: true }),
    ]);
    expect(screen.getByRole('form', { name: 'Add store' })).toBeInTheDocument();
  });

  it('asks before deactivating, since it reaches every device; Cancel sends nothing', async () => {
    const api = coreWith([]);
    const user = userEvent.setup();
    await user.click(within(await rowOf('S001')).getByRole('button', { name: 'Deactivate S001' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Deactivate S001 Downtown?' });
    expect(dialog).toHaveTextContent('Every device stops offering S001 in its store pickers');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.callsTo('stores:save')).toEqual([]);

    await user.click(within(await rowOf('S001')).getByRole('button', { name: 'Deactivate S001' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Deactivate' }));
    await waitFor(async () => expect(await rowOf('S001')).toHaveClass('inactive'));
    expect(api.callsTo('stores:save')).toEqual([expect.objectContaining({ code: 'S001', active: false })]);
    // Reactivating takes one click: it takes nothing away.
    await user.click(within(await rowOf('S001')).getByRole('button', { name: 'Reactivate S001' }));
    await waitFor(async () => expect(await rowOf('S001')).not.toHaveClass('inactive'));
  });

  it('still lists the stores when the device analytics cannot be fetched, and says why', async () => {
    coreWith(new Error('The server is not reachable'));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Devices and last sync are unavailable: The server is not reachable',
    );
    expect(cells(await rowOf('S001')).slice(3, 5)).toEqual(['—', '—']);
  });
});
