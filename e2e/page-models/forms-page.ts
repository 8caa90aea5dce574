// The Forms screen (renderer/features/forms/FormsScreen.tsx) and its way into the editor, the
// rows' context menu, and the saved templates (rename, delete).
import { expect, type Locator, type Page } from '@playwright/test';
import { FormEditorPage, type SectionSpec } from './form-editor-page.js';

export class FormsPage {
  readonly table: Locator;
  readonly newFormLink: Locator;
  readonly templates: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Forms' });
    // The toolbar's link comes first; with no forms yet the empty state offers one too.
    this.newFormLink = page.getByRole('link', { name: 'New form', exact: true }).first();
    this.templates = page.getByRole('table', { name: 'Templates' });
  }

  /** Right-clicks a form's row; returns its context menu (Open, Export submissions, Publish/Archive, Delete…). */
  async rowMenu(title: string): Promise<Locator> {
    await this.row(title).click({ button: 'right' });
    const menu = this.page.getByRole('menu', { name: `Actions for ${title}` });
    await menu.waitFor();
    return menu;
  }

  async renameTemplate(name: string, newName: string) {
    await this.templates.getByRole('button', { name: `Rename ${name}`, exact: true }).click();
    const form = this.page.getByRole('form', { name: `Rename ${name}` });
    await form.getByLabel('New name').fill(newName);
    await form.getByRole('button', { name: 'Save name' }).click();
    await expect(this.templates.getByRole('rowheader', { name: newName, exact: true })).toBeVisible();
  }

  /** Deletes a template through its confirmation (it reaches every manager device). */
  async deleteTemplate(name: string) {
    await this.templates.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
    const dialog = this.page.getByRole('alertdialog', { name: 'Delete this template?' });
    await expect(dialog).toContainText('every manager device');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  }

  row(title: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: title, exact: true }) });
  }

  /** The status badge of a form in the list: draft, published or archived. */
  status(title: string): Locator {
    return this.row(title).getByRole('cell').first();
  }

  async createForm(title: string, sections: SectionSpec[], options: { publish?: boolean; description?: string } = {}) {
    await this.newFormLink.click();
    const editor = new FormEditorPage(this.page);
    await editor.fill(title, sections, options.description);
    if (options.publish) await editor.publish();
    else await editor.save();
    return editor;
  }

  async openForm(title: string): Promise<FormEditorPage> {
    await this.table.getByRole('link', { name: title, exact: true }).click();
    const editor = new FormEditorPage(this.page);
    await expect(editor.title).toHaveValue(title);
    return editor;
  }

  async publish(title: string) {
    await this.page.getByRole('button', { name: `Publish ${title}` }).click();
    await expect(this.status(title)).toHaveText('published');
  }
}
