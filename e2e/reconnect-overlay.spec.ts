// Issue 11: when the web host process dies, the page must not go blank or sit there with every
// click failing; it shows a "Reconnecting" overlay, and once the host runs again the app is back by
// itself (same page, no reload), its data fetched again from the new process. Browser runtime only:
// Electron has no web host (its preload never disconnects), so the electron project leaves this
// spec out (playwright.config.ts).
import { expect, test } from './fixtures.js';

// Counts nothing across the whole server: the worker's shared server will do (fixtures.ts).
test.use({ sharedServer: true });

test('when the web host dies the page shows the reconnecting overlay, and the app is back once the host runs again', async ({
  managerApp,
  shell,
  server,
}) => {
  const { page, webHost } = managerApp;
  if (!webHost) throw new Error('this spec needs the web host (browser runtime)');
  await shell.open('Settings');
  await expect(page.getByLabel('Server URL')).toHaveValue(server.url);
  const overlay = page.getByRole('alertdialog', { name: 'Reconnecting to the Store Manager…' });
  await expect(overlay).toBeHidden();

  await webHost.kill();
  await expect(overlay).toBeVisible();
  await expect(overlay).toContainText('Your changes are safe on this computer');
  // The screen stays behind the overlay instead of going blank.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');

  await webHost.restart();
  await expect(overlay).toBeHidden({ timeout: 15_000 });
  // Back for real: a change made now goes through the new host process to the server.
  await shell.open('Team');
  const form = page.getByRole('form', { name: 'Add team member' });
  await form.getByLabel('Name').fill('Robin Park');
  await form.getByRole('button', { name: 'Add member' }).click();
  await expect(
    page.getByRole('table', { name: 'Team' }).getByRole('row').filter({ hasText: 'Robin Park' }),
  ).toBeVisible();
  await shell.syncPanel.expectUpToDate();
});
