// Stores as records (issue 13): the manager adds and edits stores on the Stores screen; an edit
// of a device's store reaches that device; the device's pushes for its store list it under the
// store with its last sync; a deactivated store is no longer offered by the store pickers. Only
// the device's own store is checked on the device: with store scopes it receives no other.
import { createKpi } from '../main/repos/index.js';
import { expect, test } from './fixtures.js';
import { StoresPage } from './page-models/stores-page.js';

test('stores the manager adds and edits reach the pickers and the store devices, list the devices working for them, and a deactivated one leaves the pickers', async ({
  managerApp,
  shell,
  storeDevice,
  captureScreen,
}) => {
  const page = managerApp.page;
  const stores = new StoresPage(page);
  await shell.open('Stores');
  // The stores the test's server started with, in code order.
  await expect(stores.row('store-001').getByRole('cell').nth(0)).toHaveText('Downtown');
  await expect(stores.row('store-002').getByRole('cell').nth(0)).toHaveText('Harbour');

  await stores.add({ code: 'S009', name: 'Airport', region: 'South' });
  await expect(stores.row('S009').getByRole('cell')).toContainText(['Airport', 'South', 'Active', 'None', 'Never']);
  await stores.edit('store-001', { name: 'Downtown Central', region: 'Centre' });
  await shell.syncPanel.expectUpToDate();

  // The store device pulls its store's new name, and files a KPI under it.
  await storeDevice.sync();
  expect(await storeDevice.list('stores')).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ code: 'store-001', name: 'Downtown Central', region: 'Centre', active: true }),
    ]),
  );
  storeDevice.editLocally((local) => createKpi(local, { metric: 'Footfall', value: 40, store_id: 'store-001' }));
  expect(await storeDevice.push()).toMatch(/pushed 1 change/);

  // The device analytics (fetched from the server) now list the device under its store.
  await page.reload();
  await expect(stores.row('store-001').getByRole('cell').nth(3)).toHaveText(storeDevice.deviceId);
  await expect(stores.row('store-001').getByRole('cell').nth(4)).toHaveText(/just now|min ago/);
  await captureScreen('stores');

  await stores.deactivate('store-002');
  await shell.syncPanel.expectUpToDate();
  // The KPI entry's picker offers the active stores only, the new one included.
  await shell.open('KPIs');
  const picker = page.getByRole('form', { name: 'Enter a KPI value' }).getByRole('combobox', { name: 'Store' });
  await picker.click();
  await expect(page.getByRole('option')).toHaveText(['S009 · Airport', 'store-001 · Downtown Central']);
  await page.keyboard.press('Escape');
});
