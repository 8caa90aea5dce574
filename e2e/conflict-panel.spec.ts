// Scenario d of issue 5: the manager and a store device edit the same submission. The manager's
// Mac is cut off from its server while a store keeps syncing (through a second server instance on
// the same database, as behind a load balancer), so the two edits meet at the server: latest edit
// wins, the conflict panel shows both versions and the rule, the manager applies the other
// version, and the Mac, the server and the store end up agreeing.
import type { LocalStore } from '../main/db/client.js';
import { answerField, completeSubmission, getForm, listFormsByStatus, startSubmission } from '../main/repos/index.js';
import { startTestServer } from '../server/testing/test-server.js';
import { expect, test } from './fixtures.js';
import { ConflictsPage } from './page-models/conflicts-page.js';
import { FormsPage } from './page-models/forms-page.js';
import { SubmissionsPage } from './page-models/submissions-page.js';
import { openingChecklist } from './support/opening-checklist.js';

/** A store employee starts the checklist and answers it, without completing it yet. */
function startChecklist(store: LocalStore): string {
  const form = listFormsByStatus(store, 'published').find((f) => f.title === openingChecklist.title)!;
  const submission = startSubmission(store, { form_id: form.id, store_id: 'store-001', submitted_by: 'Alex' });
  const answers: Record<string, unknown> = { 'Lights on': true, 'Till float': 150, 'Shelf state': 'Full' };
  for (const field of getForm(store, form.id).fields) {
    answerField(store, { submission_id: submission.id, field_id: field.id, value: answers[field.label] as never });
  }
  return submission.id;
}

test('when the manager deletes a submission a store completes meanwhile, the conflict panel shows both versions and the rule, and applying the other version brings every side to the same result', async ({
  managerApp,
  shell,
  server,
  addStoreDevice,
  captureScreen,
}) => {
  // The longest scenario: two server instances, a store device's CLI runs, a server stop and start.
  test.slow();
  const page = managerApp.page;
  const panel = shell.syncPanel;
  const storesServer = await startTestServer({ databaseUrl: server.databaseUrl });
  try {
    const storeDevice = await addStoreDevice('store-001', { serverUrl: storesServer.url });

    await shell.open('Forms');
    await new FormsPage(page).createForm(openingChecklist.title, openingChecklist.sections, { publish: true });
    await panel.expectUpToDate();

    // The store starts the checklist; the manager syncs and sees it in progress.
    await storeDevice.pull();
    const submissionId = storeDevice.editLocally(startChecklist);
    await storeDevice.push();
    const submissions = new SubmissionsPage(page);
    await shell.open('Submissions');
    await panel.syncNow();
    await expect(submissions.rowsFor(openingChecklist.title).getByRole('cell').nth(2)).toHaveText('In progress');

    // The Mac loses its server; the manager deletes the submission (queued).
    await server.stop();
    const detail = await submissions.openFirst(openingChecklist.title);
    await detail.delete();
    await expect(submissions.total).toHaveText('0 submissions');
    await panel.expectConnection('Offline');

    // Later, the store completes the same submission and it reaches the server.
    storeDevice.editLocally((store) => completeSubmission(store, submissionId));
    await storeDevice.push();

    // The Mac's server is back: its queued delete meets the store's later completion.
    await server.start();
    await panel.syncNow();
    await panel.check(() => expect(panel.openConflicts).toHaveText('Open conflicts: 1'));
    await panel.expectPending(0);
    await expect(shell.conflictsLink).toHaveAccessibleName('Conflicts 1 open');
    // Latest edit wins: the store's completion is kept, so the submission is back on the Mac.
    await expect(submissions.total).toHaveText('1 submission');
    await expect(submissions.rowsFor(openingChecklist.title).getByRole('cell').nth(2)).toHaveText('Completed');

    await shell.open('Conflicts');
    const conflicts = new ConflictsPage(page);
    const card = conflicts.card(submissionId);
    // In the manager's words: the form and the store, what happened, labels instead of columns.
    await expect(card.title).toHaveText(`${openingChecklist.title} at store-001`);
    await expect(card.sentence).toHaveText('You deleted this; store-001 edited it later; the later change was kept.');
    // When, on the server's clock (the times the server corrected and the engine kept).
    await expect(card.times).toHaveText(
      /^You deleted it at .+; store-001 edited it at .+ \(on the server’s clock\)\.$/,
    );
    await expect(card.fact('Rule')).toHaveText(/^Latest edit wins/);
    await expect(card.fact('Outcome')).toHaveText('The server’s version was kept');
    await expect(card.field('Status').getByRole('cell')).toHaveText(['In progress', 'Completed']);
    await expect(card.field('Deleted').getByRole('cell')).toHaveText([/^Deleted /, 'Not deleted']);
    await expect(card.differingFields()).toContainText([/^Status/, /^Deleted/]);
    await expect(card.recordLink).toHaveAttribute('href', `#/submissions/${submissionId}`);
    await captureScreen('conflicts');

    // The manager insists on the delete: it goes out as a new edit and wins this time.
    await card.applyOtherButton.click();
    await expect(conflicts.noConflicts).toBeVisible();
    await panel.expectUpToDate();
    // Applied once, ended once: the sync it started left no new conflict for the same record.
    await expect(conflicts.noConflicts).toBeVisible();
    await expect(shell.conflictsLink).toHaveAccessibleName('Conflicts');
    await conflicts.showResolved.check();
    await expect(card.fact('Status')).toHaveText('Other version applied');

    await shell.open('Submissions');
    await expect(submissions.total).toHaveText('0 submissions');
    await storeDevice.pull();
    expect(await storeDevice.list('submissions')).toEqual([]);
    const [onStore] = await storeDevice.list<{ id: string; deleted_at: string | null; status: string }>('submissions', {
      withTombstones: true,
    });
    expect(onStore).toMatchObject({ id: submissionId, status: 'in_progress' });
    expect(onStore!.deleted_at).not.toBeNull();
  } finally {
    await storesServer.dispose(); // its own HTTP and pool; the database belongs to `server`
  }
});
