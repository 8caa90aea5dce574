// Every main screen, reached the way a manager does, from the navigation, with the sync panel
// beside it. Each is kept as a screenshot (test artifact; docs/screenshots with E2E_DOCS_SCREENSHOTS=1).
import { expect, test } from './fixtures.js';
import type { Screen } from './page-models/app-shell.js';

const screens: Screen[] = ['Forms', 'Submissions', 'KPIs', 'Team', 'Settings', 'Conflicts'];

test('every screen opens from the navigation with the sync panel beside it', async ({ managerApp, shell, server, captureScreen }) => {
  const page = managerApp.page;
  for (const screen of screens) {
    await shell.open(screen);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(screen);
    await expect(shell.navigation.getByRole('link', { name: screen, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(shell.syncPanel.connection).toHaveText('Online');

    if (screen === 'Team') {
      const form = page.getByRole('form', { name: 'Add team member' });
      await form.getByLabel('Name').fill('Sam Lee');
      await form.getByLabel('Role').fill('Shift lead');
      await form.getByLabel('Store').fill('store-001');
      await form.getByRole('button', { name: 'Add member' }).click();
      await expect(page.getByRole('table', { name: 'Team' }).getByRole('row').filter({ hasText: 'Sam Lee' })).toContainText('Shift lead');
      await shell.syncPanel.expectUpToDate();
    }
    if (screen === 'Settings') {
      await expect(page.getByLabel('Server URL')).toHaveValue(server.url);
    }
    await captureScreen(`screen-${screen.toLowerCase()}`);
  }
});
