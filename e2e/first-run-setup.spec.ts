// Scenario f of issue 5: first-run setup. A wrong token, or a store device's token, gets a clear
// message and saves nothing; the right one connects and the app opens on its main screens.
import { expect, test } from './fixtures.js';
import { AppShell } from './page-models/app-shell.js';
import { SetupPage } from './page-models/setup-page.js';

// Counts nothing across the whole server: the worker's shared server will do (fixtures.ts).
test.use({ sharedServer: true });

test('a manager who types a wrong token, or a store device’s, is told so, and the right token connects the app', async ({
  freshApp,
  server,
  managerDevice,
  captureScreen,
}) => {
  const setup = new SetupPage(freshApp.page);
  await expect(setup.heading).toBeVisible();
  await captureScreen('setup');

  await setup.connect({
    serverUrl: server.url,
    deviceId: managerDevice.deviceId,
    token: 'isk_not-the-token-i-was-given',
  });
  await expect(setup.error).toContainText('Could not connect');
  await expect(setup.error).toContainText('does not accept this device token');
  await captureScreen('setup-wrong-token');

  // A store device's token is a real token, but not one the Store Manager can work with.
  const storeToken = await server.enroll('store-setup-001', 'store', 'S001');
  await setup.connect({ serverUrl: server.url, deviceId: 'store-setup-001', token: storeToken });
  await expect(setup.error).toContainText(
    'This token belongs to a store device; the Store Manager needs a manager token',
  );
  // Nothing was saved: the app still asks for the connection.
  await freshApp.page.reload();
  await expect(setup.heading).toBeVisible();

  await setup.connect({ serverUrl: server.url, deviceId: managerDevice.deviceId, token: managerDevice.token });
  const shell = new AppShell(freshApp.page);
  await expect(shell.navigation).toBeVisible();
  await expect(setup.heading).toBeHidden();
  await shell.syncPanel.check(async () => {
    await expect(shell.syncPanel.connection).toHaveText('Online');
    await expect(shell.syncPanel.lastSync).not.toHaveText('Last sync: never');
  });
});

test('a manager who types the address of a server that is not running is told it cannot be reached', async ({
  freshApp,
  server,
  managerDevice,
}) => {
  const setup = new SetupPage(freshApp.page);
  await server.stop();
  await setup.connect({ serverUrl: server.url, deviceId: managerDevice.deviceId, token: managerDevice.token });
  await expect(setup.error).toContainText(`Cannot reach a server at ${server.url}`);
  await expect(setup.heading).toBeVisible();
});
