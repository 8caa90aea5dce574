// Scenario a of issue 5 (the seed's Example 1): the manager creates and publishes a form; the
// next pull of a store device brings it, with its sections and fields.
import { expect, test } from './fixtures.js';
import { FormsPage } from './page-models/forms-page.js';
import { openingChecklist } from './support/opening-checklist.js';

test('a form the manager creates and publishes reaches a store device on its next pull', async ({
  managerApp,
  shell,
  storeDevice,
  captureScreen,
}) => {
  // Three CLI runs of the store device (each a fresh Node process) on a shared machine.
  test.slow();
  const forms = new FormsPage(managerApp.page);
  await shell.open('Forms');
  const editor = await forms.createForm(openingChecklist.title, openingChecklist.sections, {
    publish: true,
    description: openingChecklist.description,
  });
  await expect(editor.title).toHaveValue('Opening checklist');
  await editor.title.scrollIntoViewIfNeeded();
  await captureScreen('form-editor');

  // Saving queued the change and the engine pushed it at once: nothing left to send.
  await shell.syncPanel.expectUpToDate();
  await shell.open('Forms');
  await expect(forms.status('Opening checklist')).toHaveText('published');
  await captureScreen('forms');

  await storeDevice.pull();
  const storeForms = await storeDevice.list<{ id: string; title: string; status: string }>('forms');
  expect(storeForms).toEqual([expect.objectContaining({ title: 'Opening checklist', status: 'published' })]);
  const formId = storeForms[0]!.id;
  const sections = await storeDevice.list<{ form_id: string; title: string; position: number }>('form_sections');
  expect(
    sections
      .filter((s) => s.form_id === formId)
      .sort((a, b) => a.position - b.position)
      .map((s) => s.title),
  ).toEqual(['Front of store', 'Stock']);
  const fields = await storeDevice.list<{ form_id: string; label: string; type: string; required: boolean | number }>(
    'fields',
  );
  expect(
    fields
      .filter((f) => f.form_id === formId)
      .map((f) => [f.label, f.type, Boolean(f.required)])
      .sort(),
  ).toEqual([
    ['Lights on', 'boolean', true],
    ['Shelf state', 'choice', false],
    ['Till float', 'number', true],
  ]);
});
