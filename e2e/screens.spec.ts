// Every main screen, reached the way a manager does, from the navigation (and from the keyboard),
// with the sync chip in its toolbar, in the light and the dark theme (prefers-color-scheme). Each
// is kept as a screenshot (test artifact; docs/screenshots with E2E_DOCS_SCREENSHOTS=1).
import { expect, test } from './fixtures.js';
import type { Screen } from './page-models/app-shell.js';
import { pickStore } from './page-models/store-picker.js';

const screens: Screen[] = ['Home', 'Forms', 'Submissions', 'KPIs', 'Team', 'Conflicts', 'Settings'];

test('every screen opens from the navigation with the sync chip in its toolbar', async ({
  managerApp,
  shell,
  server,
  captureScreen,
}) => {
  const page = managerApp.page;
  for (const screen of screens) {
    await shell.open(screen);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(screen);
    await expect(shell.navigation.getByRole('link', { name: screen, exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(shell.syncPanel.chip).toBeVisible();

    if (screen === 'Team') {
      const form = page.getByRole('form', { name: 'Add team member' });
      await form.getByLabel('Name').fill('Sam Lee');
      await form.getByLabel('Role').fill('Shift lead');
      await pickStore(form, 'store-001');
      await form.getByRole('button', { name: 'Add member' }).click();
      await expect(
        page.getByRole('table', { name: 'Team' }).getByRole('row').filter({ hasText: 'Sam Lee' }),
      ).toContainText('Shift lead');
      await shell.syncPanel.expectUpToDate();
    }
    if (screen === 'Settings') {
      await expect(page.getByLabel('Server URL')).toHaveValue(server.url);
    }
    await captureScreen(`screen-${screen.toLowerCase()}`);
  }
});

test('the screens follow the system’s dark theme, and the keyboard reaches every screen', async ({
  managerApp,
  shell,
  captureScreen,
}) => {
  const page = managerApp.page;
  await page.emulateMedia({ colorScheme: 'dark' });
  const canvas = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await canvas()).toBe('rgb(22, 22, 24)');
  // Cmd+1…7 (Ctrl elsewhere) in sidebar order (Home first), Cmd+, for Settings.
  const modifier = process.platform === 'darwin' ? 'Meta' : 'Control';
  for (const [index, screen] of screens.entries()) {
    await page.keyboard.press(`${modifier}+${index + 1}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(screen);
    await captureScreen(`screen-${screen.toLowerCase()}-dark`);
  }
  await page.keyboard.press(`${modifier}+1`);
  await page.keyboard.press(`${modifier}+,`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  // Cmd+N: a new form; the sync chip's popover opens and Esc closes it.
  await page.keyboard.press(`${modifier}+n`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New form');
  await shell.syncPanel.chip.click();
  await expect(shell.syncPanel.region).toBeVisible();
  await captureScreen('sync-popover-dark');
  await page.keyboard.press('Escape');
  await expect(shell.syncPanel.region).toBeHidden();
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await canvas()).toBe('rgb(245, 245, 247)');
});
