// Scenario a of issue 5 (the seed's Example 1): the manager creates and publishes a form; the
// next pull of a store device brings it, with its sections and fields, in the order the manager
// dragged them into (issue 11: the editor's errors beside their field, the outline, the preview).
import { expect, test } from './fixtures.js';
import { FormEditorPage } from './page-models/form-editor-page.js';
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
  await forms.newFormLink.click();
  const editor = new FormEditorPage(managerApp.page);
  await editor.fill(openingChecklist.title, openingChecklist.sections, openingChecklist.description);

  // A title too long: the reason in plain words under Title, brought into view, nothing saved.
  await editor.title.fill('x'.repeat(501));
  await editor.saveButton.click();
  await expect(editor.title).toBeFocused();
  await expect(editor.title).toHaveAccessibleDescription('Keep the title under 500 characters');
  await expect(editor.title).toBeInViewport();
  await editor.title.fill(openingChecklist.title);

  // Dragged in the outline: Stock before Front of store, as the store will then see it.
  await editor.dragInOutline(editor.sectionOrder, 'Stock', 'Front of store');
  await expect(editor.sectionOrder.getByRole('row')).toHaveText(['Stock', 'Front of store']);
  await expect(editor.section(1).getByLabel('Section title')).toHaveValue('Stock');

  // The preview shows the form as the store will fill it in.
  await editor.previewButton.click();
  await expect(editor.preview.getByRole('heading', { level: 3 })).toHaveText(['Stock', 'Front of store']);
  await expect(editor.preview.getByRole('group', { name: /Lights on/ }).getByRole('radio')).toHaveCount(2);
  await captureScreen('form-preview');
  await editor.previewButton.click();
  await editor.publish();
  await expect(editor.title).toHaveValue('Opening checklist');
  await editor.title.scrollIntoViewIfNeeded();
  await captureScreen('form-editor');

  // Saving queued the change and the engine pushed it at once: nothing left to send.
  await shell.syncPanel.expectUpToDate();
  await shell.open('Forms');
  await expect(forms.status('Opening checklist')).toHaveText('published');
  await captureScreen('forms');

  // The row's context menu offers what the row can do; Esc closes it.
  const menu = await forms.rowMenu('Opening checklist');
  await expect(menu.getByRole('menuitem')).toHaveText(['Open', 'Export submissions (CSV)', 'Archive', 'Delete…']);
  await managerApp.page.keyboard.press('Escape');
  await expect(menu).toBeHidden();

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
  ).toEqual(['Stock', 'Front of store']);
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
