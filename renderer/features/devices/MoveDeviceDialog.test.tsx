// @vitest-environment jsdom
// The "Move to store…" dialog on its own, as the Devices screen (and later the Stores screen)
// opens it: it says what the move does for the store chosen, offers only active stores, sends
// devices:scope once, closes with a toast, and keeps the server's refusal in view as said.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ToastProvider } from '../../components/Toasts.js';
import { renderWithInsight } from '../../testing/render.js';
import { chooseStore, testStores } from '../../testing/stores.js';
import { createTestInsight, type ChannelHandlers } from '../../testing/test-insight.js';
import { MoveDeviceDialog, moveConsequence, type MovableDevice } from './MoveDeviceDialog.js';

/** The dialog opened on `device`, with a way to open it again once it closed. */
const Harness = ({ device }: { device: MovableDevice }) => {
  const [open, setOpen] = useState<MovableDevice | null>(device);
  return (
    <>
      <button type="button" onClick={() => setOpen(device)}>
        Open again
      </button>
      <MoveDeviceDialog device={open} onClose={() => setOpen(null)} />
    </>
  );
};

const openOn = (device: MovableDevice, handlers: ChannelHandlers = {}) => {
  const api = createTestInsight({
    'stores:list': () => testStores,
    'devices:scope': ({ device_id, store }) => ({
      success: true,
      device_id,
      store,
      previous_store: device.store_id,
      moved: store !== device.store_id,
    }),
    ...handlers,
  });
  renderWithInsight(
    <ToastProvider>
      <Harness device={device} />
    </ToastProvider>,
    api,
  );
  return api;
};

describe('MoveDeviceDialog', () => {
  it('says what happens for the store chosen, then moves the device once and closes with a toast', async () => {
    const user = userEvent.setup();
    const api = openOn({ device_id: 'store-001', store_id: 'S001' });
    const dialog = screen.getByRole('dialog', { name: 'Move store-001 to another store' });
    expect(dialog).toHaveTextContent('Now in S001.');
    expect(within(dialog).getByRole('status')).toHaveTextContent('Choose the store store-001 works for from now on.');
    const move = within(dialog).getByRole('button', { name: 'Move' });
    expect(move).toBeDisabled();

    // Only active stores are offered: Old Mill (S003) is inactive.
    await user.click(within(dialog).getByRole('combobox', { name: 'New store' }));
    expect((await screen.findAllByRole('option')).map((o) => o.textContent)).toEqual([
      'S001 · Downtown',
      'S002 · Harbour',
    ]);
    await user.keyboard('{Escape}');

    // Its own store again: nothing to move.
    await chooseStore(user, 'S001', { container: dialog, label: 'New store' });
    expect(within(dialog).getByRole('status')).toHaveTextContent('store-001 already belongs to S001.');
    expect(move).toBeDisabled();

    await chooseStore(user, 'S002', { container: dialog, label: 'New store' });
    expect(within(dialog).getByRole('status')).toHaveTextContent(
      "The phone will receive S002's submissions, KPIs and team on its next sync and remove S001's from itself; nothing is deleted on the server.",
    );
    await user.click(move);
    expect(api.callsTo('devices:scope')).toEqual([{ device_id: 'store-001', store: 'S002' }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText("store-001 moved to S002: it takes S002's rows on its next sync.")).toBeVisible();

    // Opened again, it starts afresh: no store chosen.
    await user.click(screen.getByRole('button', { name: 'Open again' }));
    expect(screen.getByRole('combobox', { name: 'New store' })).toHaveValue('');
  });

  it('keeps the refusal in the dialog, as the core said it, and Cancel sends nothing more', async () => {
    const user = userEvent.setup();
    const api = openOn(
      { device_id: 'store-009', store_id: 'S001' },
      {
        'devices:scope': () => {
          throw new Error(
            'No device "store-009" is enrolled on the server (no device store-009 is enrolled): nothing was moved.',
          );
        },
      },
    );
    const dialog = screen.getByRole('dialog');
    await chooseStore(user, 'S002', { container: dialog, label: 'New store' });
    await user.click(within(dialog).getByRole('button', { name: 'Move' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Could not move store-009: No device "store-009" is enrolled on the server',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.callsTo('devices:scope')).toHaveLength(1);
  });

  it('names what a device enrolled before stores were scopes drops', () => {
    expect(moveConsequence({ device_id: 'store-7', store_id: null }, 'S002')).toBe(
      "The phone will receive S002's submissions, KPIs and team on its next sync and remove every other store's from itself; nothing is deleted on the server.",
    );
  });
});
