// The Stores screen (renderer/features/stores): the stores with their devices and last sync, the
// form that adds or edits one, and deactivation behind its confirmation.
import { expect, type Locator, type Page } from '@playwright/test';

export class StoresPage {
  readonly table: Locator;
  readonly addForm: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Stores' });
    this.addForm = page.getByRole('form', { name: 'Add store' });
  }

  /** A store's row; its cells: Name, Region, Status, Devices, Last sync (then the buttons). */
  row(code: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: code, exact: true }) });
  }

  async add(store: { code: string; name: string; region?: string }) {
    await this.addForm.getByLabel('Code').fill(store.code);
    await this.addForm.getByLabel('Name').fill(store.name);
    await this.addForm.getByLabel('Region').fill(store.region ?? '');
    await this.addForm.getByRole('button', { name: 'Add store' }).click();
    await expect(this.row(store.code)).toBeVisible();
  }

  /** Edit, change name and region (the code stays), save. */
  async edit(code: string, change: { name: string; region?: string }) {
    await this.row(code)
      .getByRole('button', { name: `Edit ${code}` })
      .click();
    const form = this.page.getByRole('form', { name: 'Edit store' });
    await expect(form.getByLabel('Code')).toHaveValue(code);
    await form.getByLabel('Name').fill(change.name);
    await form.getByLabel('Region').fill(change.region ?? '');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect(this.row(code).getByRole('cell').nth(0)).toHaveText(change.name);
  }

  /** Deactivate, confirmed in the dialog that says it reaches every device. */
  async deactivate(code: string) {
    await this.row(code)
      .getByRole('button', { name: `Deactivate ${code}` })
      .click();
    await this.page
      .getByRole('alertdialog', { name: new RegExp(`^Deactivate ${code} `) })
      .getByRole('button', { name: 'Deactivate', exact: true })
      .click();
    await expect(this.row(code).getByRole('cell').nth(2)).toHaveText('Inactive');
  }
}
