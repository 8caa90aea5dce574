// Issue 13: a store phone goes to work in another shop; the manager moves it from the Devices
// screen. The dialog says what happens, the list then shows its new store, and the phone's next
// sync (the real device CLI) leaves it holding only the new store's KPIs, team and store record:
// the old store's rows are gone from it, and still on the server (another phone of the old store
// syncing afresh receives them).
import type { StoreDevice } from './support/store-device.js';
import { invokeThroughBridge } from './support/manager-app.js';
import { expect, test } from './fixtures.js';

/** What the phone holds after syncing: the store named by each of its KPIs, team members and store records. */
async function heldBy(phone: StoreDevice) {
  await phone.sync();
  const stores = (rows: Record<string, unknown>[], key: string) => rows.map((row) => row[key]).sort();
  return {
    kpis: stores(await phone.list('kpi_data'), 'store_id'),
    team: stores(await phone.list('team'), 'store_id'),
    records: stores(await phone.list('stores'), 'code'),
  };
}

test('a manager moves a store device to another store and its next sync holds only that store', async ({
  managerApp,
  shell,
  storeDevice,
  addStoreDevice,
  captureScreen,
}) => {
  const page = managerApp.page;
  // The fixtures' two stores (store-001 Downtown, store-002 Harbour), each given a KPI value and a
  // team member on the Mac.
  for (const [code, name] of [
    ['store-001', 'Downtown'],
    ['store-002', 'Harbour'],
  ] as const) {
    await invokeThroughBridge(page, 'kpis:create', {
      metric: 'Sales',
      store_id: code,
      value: 100,
      period: '2026-11-01',
    });
    await invokeThroughBridge(page, 'team:save', { name: `Sam of ${name}`, store_id: code });
  }
  await shell.syncPanel.expectUpToDate();
  // The phone of store-001 holds its own store only (a just-pushed row may take a pull more to arrive).
  await expect
    .poll(() => heldBy(storeDevice), { timeout: 30_000 })
    .toEqual({ kpis: ['store-001'], team: ['store-001'], records: ['store-001'] });

  await shell.open('Devices');
  const phone = page.getByRole('table', { name: 'Devices' }).getByRole('row', { name: /^store-001\b/ });
  await expect(phone.getByRole('cell').nth(1)).toHaveText('store-001');
  await phone.getByRole('button', { name: 'Move store-001 to another store' }).click();

  const dialog = page.getByRole('dialog', { name: 'Move store-001 to another store' });
  await expect(dialog.getByRole('button', { name: 'Move' })).toBeDisabled();
  const picker = dialog.getByRole('combobox', { name: 'New store' });
  await picker.click();
  await picker.fill('Harb');
  await page.getByRole('option', { name: 'store-002 · Harbour' }).click();
  await expect(dialog.getByRole('status')).toHaveText(
    "The phone will receive store-002's submissions, KPIs and team on its next sync and remove store-001's from itself; nothing is deleted on the server.",
  );
  await captureScreen('device-move');
  await dialog.getByRole('button', { name: 'Move' }).click();

  await expect(
    page.getByText("store-001 moved to store-002: it takes store-002's rows on its next sync."),
  ).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(phone.getByRole('cell').nth(1)).toHaveText('store-002');

  // The phone's next sync: store-002's rows in, store-001's out.
  expect(await heldBy(storeDevice)).toEqual({ kpis: ['store-002'], team: ['store-002'], records: ['store-002'] });
  // Nothing was deleted on the server: a new phone of store-001 receives its rows.
  const successor = await addStoreDevice('store-001b', { store: 'store-001' });
  expect(await heldBy(successor)).toEqual({ kpis: ['store-001'], team: ['store-001'], records: ['store-001'] });
});
