// Scenario b of issue 5 (the seed's Example 2): a store device completes a submission and pushes
// it; the manager finds it in Submissions, in the completion counts, and in its detail with the
// answers the store gave. With live sync the manager's lists refresh by themselves (the server
// pokes its socket, the engine pulls); Sync Now stays the way to ask without it.
import { expect, test } from './fixtures.js';
import { FormsPage } from './page-models/forms-page.js';
import { SubmissionsPage } from './page-models/submissions-page.js';
import { openingChecklist } from './support/opening-checklist.js';

test('a submission a store completes appears in Submissions and in the completion counts by itself, over live sync, and a delete asks first and can be undone', async ({
  managerApp,
  shell,
  storeDevice,
  captureScreen,
}) => {
  const page = managerApp.page;
  await shell.open('Forms');
  await new FormsPage(page).createForm(openingChecklist.title, openingChecklist.sections, { publish: true });
  await shell.syncPanel.expectUpToDate();
  await shell.syncPanel.expectLive();

  const submissions = new SubmissionsPage(page);
  await shell.open('Submissions');
  await expect(submissions.total).toHaveText('0 submissions');

  // The store device pulls the form, fills it in, completes it and pushes at once.
  const output = await storeDevice.submit(openingChecklist.title, {
    store: 'store-001',
    by: 'Alex',
    answers: { 'Lights on': true, 'Till float': 150, 'Shelf state': 'Gaps' },
  });
  expect(output).toMatch(/pushed \d+ change/);

  // No Sync Now: the poke makes the Mac pull, and the open list refreshes by itself.
  await expect(submissions.total).toHaveText('1 submission');
  const row = submissions.rowsFor(openingChecklist.title);
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell')).toHaveText([openingChecklist.title, 'store-001', 'Completed', 'Alex', /\d/]);
  await expect(submissions.countsFor(openingChecklist.title, 'store-001').getByRole('cell')).toHaveText([
    'store-001',
    '1',
    '0',
  ]);
  await shell.syncPanel.expectUpToDate();
  await captureScreen('submissions');

  // Search (Cmd+F), answered by main: the person finds it, a stranger finds nothing.
  await submissions.searchFor('alex');
  await expect(submissions.total).toHaveText('1 submission');
  await submissions.search.fill('nobody like this');
  await expect(page.getByText('No submissions match these filters.')).toBeVisible();
  await expect(submissions.completionCounts).toBeHidden();
  await submissions.search.press('Escape');
  await expect(submissions.total).toHaveText('1 submission');
  // Sortable columns: a header click sorts by it and says so.
  await submissions.sortBy('Store');
  await expect(submissions.columnHeader('Store')).toHaveAttribute('aria-sort', 'ascending');
  await expect(row).toHaveCount(1);
  // A store in the counts opens that store's list of that form.
  await submissions.drillDown(openingChecklist.title, 'store-001');
  await expect(submissions.filters.getByRole('combobox', { name: 'Store' })).toHaveValue('store-001 · Downtown');
  await expect(submissions.total).toHaveText('1 submission');
  await submissions.filters.getByRole('button', { name: 'Clear filters' }).click();
  // Each row has a context menu with the row's actions.
  const menu = await submissions.rowMenu(openingChecklist.title);
  await expect(menu.getByRole('menuitem')).toHaveText(['Open', 'Export CSV', 'Delete…']);
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();

  const detail = await submissions.openFirst(openingChecklist.title);
  await expect(detail.fact('Status')).toHaveText('Completed');
  await expect(detail.fact('Store')).toHaveText('store-001');
  await expect(detail.answer('Lights on')).toHaveText('Yes');
  await expect(detail.answer('Till float')).toHaveText('150');
  await expect(detail.answer('Shelf state')).toHaveText('Gaps');
  // Grouped as the form is: each section's answers under its title.
  await expect(detail.fieldsUnder('Front of store')).toHaveText(['Lights on', 'Till float']);
  await expect(detail.fieldsUnder('Stock')).toHaveText(['Shelf state']);
  await captureScreen('submission-detail');

  // Deleting reaches every device, so it asks first; right after, the toast offers Undo.
  await detail.deleteButton.click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete this submission?' });
  await expect(dialog).toContainText('every store device');
  await captureScreen('delete-confirmation');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(detail.fact('Status')).toHaveText('Completed');
  await detail.delete();
  await expect(submissions.total).toHaveText('0 submissions');
  const toast = page.getByRole('status').filter({ hasText: 'Submission deleted.' });
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(submissions.total).toHaveText('1 submission');
  await shell.syncPanel.expectUpToDate();
  // The store device, which saw nothing of the delete and its undo, still has it, live.
  await storeDevice.pull();
  expect(await storeDevice.list('submissions')).toHaveLength(1);
});
