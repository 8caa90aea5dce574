// Issue 15: a store phone is lost; the manager revokes it from the Devices screen. The confirmation
// says what happens, the list then shows the phone revoked, and the phone's very next sync is
// refused by the server (its token no longer works), while the Mac itself keeps syncing.
import { expect, test } from './fixtures.js';

test('a manager revokes a lost store device from the Devices screen and its next sync is refused', async ({
  managerApp,
  shell,
  storeDevice,
  captureScreen,
}) => {
  const page = managerApp.page;
  await storeDevice.pull(); // the phone syncs while it still works

  await shell.open('Devices');
  const devices = page.getByRole('table', { name: 'Devices' });
  const phone = devices.getByRole('row', { name: /^store-001\b/ });
  await expect(phone.getByRole('cell').first()).toHaveText('Store');
  await expect(phone.getByRole('img', { name: /\d+ pulls? and \d+ push(es)? in 7 days/ })).toBeVisible();
  // This Mac has no Revoke of its own.
  await expect(devices.getByRole('row', { name: /^manager-mac-001\b/ }).getByRole('button')).toHaveCount(0);

  await phone.getByRole('button', { name: 'Revoke store-001' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Revoke store-001?' });
  await expect(dialog).toContainText('signed out at once');
  await expect(dialog).toContainText('npm run device:add -- store-001 --force');
  await dialog.getByRole('button', { name: 'Revoke' }).click();

  await expect(page.getByText('store-001 revoked: it is signed out.')).toBeVisible();
  await expect(phone.getByRole('cell').nth(2)).toHaveText(/^Revoked /);
  await expect(phone.getByRole('button', { name: 'Revoke store-001' })).toHaveCount(0);
  await captureScreen('devices');

  // The phone's next sync: refused by the server.
  const refused = await storeDevice.tryRun('sync');
  expect(refused.code).not.toBe(0);
  expect(`${refused.stdout}\n${refused.stderr}`).toMatch(/does not accept this device|token/i);

  // The Mac is not affected.
  await shell.syncPanel.syncNow();
  await shell.syncPanel.expectUpToDate();
});
