// Stores as records (issue 13): the manager adds a store on the Stores screen; it reaches a store
// device; the device's pushes for it show it under the store's devices with its last sync; a
// deactivated store is no longer offered by the store pickers.
import { createKpi } from '../main/repos/index.js';
import { expect, test } from './fixtures.js';
import { StoresPage } from './page-models/stores-page.js';

test('a store the manager adds reaches the store devices, lists the devices working for it, and a deactivated one leaves the pickers', async ({
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
  await shell.syncPanel.expectUpToDate();

  // The store device pulls it, and files a KPI under it.
  await storeDevice.sync();
  expect(await storeDevice.list<{ code: string; name: string }>('stores')).toEqual(
    expect.arrayContaining([expect.objectContaining({ code: 'S009', name: 'Airport', region: 'South', active: true })]),
  );
  storeDevice.editLocally((local) => createKpi(local, { metric: 'Footfall', value: 40, store_id: 'S009' }));
  expect(await storeDevice.push()).toMatch(/pushed 1 change/);

  // The device analytics (fetched from the server) now list the device under S009.
  await page.reload();
  await expect(stores.row('S009').getByRole('cell').nth(3)).toHaveText(storeDevice.deviceId);
  await expect(stores.row('S009').getByRole('cell').nth(4)).toHaveText(/just now|min ago/);
  await captureScreen('stores');

  await stores.deactivate('store-002');
  await shell.syncPanel.expectUpToDate();
  // The KPI entry's picker offers the active stores only.
  await shell.open('KPIs');
  const picker = page.getByRole('form', { name: 'Enter a KPI value' }).getByRole('combobox', { name: 'Store' });
  await picker.click();
  await expect(page.getByRole('option')).toHaveText(['S009 · Airport', 'store-001 · Downtown']);
  await page.keyboard.press('Escape');
  // And the store device learns of the deactivation on its next pull.
  await storeDevice.pull();
  expect(await storeDevice.list<{ code: string; active: boolean }>('stores')).toEqual(
    expect.arrayContaining([expect.objectContaining({ code: 'store-002', active: false })]),
  );
});
