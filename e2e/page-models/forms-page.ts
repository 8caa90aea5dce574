// The Forms screen (renderer/features/forms/FormsScreen.tsx) and its way into the editor.
import { expect, type Locator, type Page } from '@playwright/test';
import { FormEditorPage, type SectionSpec } from './form-editor-page.js';

export class FormsPage {
  readonly table: Locator;
  readonly newFormLink: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Forms' });
    this.newFormLink = page.getByRole('link', { name: 'New form' });
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
