// The form editor (renderer/features/forms/FormEditor.tsx): title, sections, fields of every
// type, Save and Publish; problems beside their field; the outline that drags sections and fields
// into order; the preview of what a store sees.
import { expect, type Locator, type Page } from '@playwright/test';

export type FieldTypeLabel = 'Text' | 'Number' | 'Yes / No' | 'Choice' | 'Date';

export interface FieldSpec {
  label: string;
  type: FieldTypeLabel;
  required?: boolean;
  /** Choice fields: the options, one per line in the editor. */
  options?: string[];
}

export interface SectionSpec {
  title: string;
  fields: FieldSpec[];
}

export class FormEditorPage {
  readonly form: Locator;
  readonly title: Locator;
  readonly description: Locator;
  readonly saveButton: Locator;
  readonly publishButton: Locator;
  readonly saved: Locator;
  readonly previewButton: Locator;
  readonly preview: Locator;
  readonly sectionOrder: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: 'Form editor' });
    this.title = this.form.getByLabel('Title', { exact: true });
    this.description = this.form.getByLabel('Description', { exact: true });
    this.saveButton = this.form.getByRole('button', { name: 'Save', exact: true });
    this.publishButton = this.form.getByRole('button', { name: 'Publish', exact: true });
    this.saved = this.form.getByRole('status').filter({ hasText: 'Saved.' });
    this.previewButton = this.form.getByRole('button', { name: /^(Preview|Back to editing)$/ });
    this.preview = this.form.getByRole('region', { name: 'Preview of what the store sees' });
    this.sectionOrder = this.form.getByRole('grid', { name: 'Order of sections' });
  }

  /** The grid of one section's fields in the outline ("Order of fields in Front of store"). */
  fieldOrder(sectionTitle: string): Locator {
    return this.form.getByRole('grid', { name: `Order of fields in ${sectionTitle}`, exact: true });
  }

  /**
   * Drags an outline item with the mouse to just above another in the same list. React Aria makes
   * the whole row draggable (its grip is for the keyboard), so the row is what the mouse takes.
   * The list is centred first: under the sticky toolbar and editor bar it would be covered.
   */
  async dragInOutline(list: Locator, item: string, onto: string) {
    await list.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await list
      .getByRole('row', { name: item, exact: true })
      .dragTo(list.getByRole('row', { name: onto, exact: true }), { targetPosition: { x: 40, y: 3 } });
  }

  section(number: number): Locator {
    return this.form.getByRole('group', { name: `Section ${number}`, exact: true });
  }

  async addSection(number: number, spec: SectionSpec) {
    await this.form.getByRole('button', { name: 'Add section' }).click();
    const section = this.section(number);
    await section.getByLabel('Section title').fill(spec.title);
    for (const [index, field] of spec.fields.entries()) {
      await section.getByRole('button', { name: 'Add field' }).click();
      await this.fillField(section.getByRole('group', { name: `Field ${index + 1}`, exact: true }), field);
    }
  }

  async fillField(group: Locator, field: FieldSpec) {
    await group.getByLabel('Label', { exact: true }).fill(field.label);
    await group.getByLabel('Type', { exact: true }).selectOption({ label: field.type });
    if (field.required) await group.getByLabel('Required').check();
    if (field.options) await group.getByLabel(/^Options/).fill(field.options.join('\n'));
  }

  /** Fills a new form: title, then each section with its fields. */
  async fill(title: string, sections: SectionSpec[], description?: string) {
    await this.title.fill(title);
    if (description) await this.description.fill(description);
    for (const [index, section] of sections.entries()) await this.addSection(index + 1, section);
  }

  async save() {
    await this.saveButton.click();
    await expect(this.saved).toBeVisible();
  }

  async publish() {
    await this.publishButton.click();
    await expect(this.form.getByText('Status: published')).toBeVisible();
  }
}
