// The Submissions screen (renderer/features/submissions): the toolbar search, the virtualized
// list with sortable headers and row context menus, the completion counts per form and store
// (a store opens its list), and one submission's detail with its answers grouped by section.
import type { Locator, Page } from '@playwright/test';
import { factIn } from './facts.js';

export class SubmissionsPage {
  readonly list: Locator;
  /** "N submissions" above the list. */
  readonly total: Locator;
  readonly completionCounts: Locator;
  /** The toolbar's search field (Cmd+F). */
  readonly search: Locator;
  readonly filters: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByRole('table', { name: 'Submissions' });
    this.total = page.getByText(/^[\d,]+ submissions?$/);
    this.completionCounts = page.getByRole('table', { name: 'Completion counts' });
    this.search = page.getByRole('searchbox', { name: 'Search submissions' });
    this.filters = page.getByRole('form', { name: 'Filter submissions' });
  }

  /** Cmd+F (Ctrl+F off the Mac) then the words: main searches form titles, stores and people. */
  async searchFor(words: string) {
    await this.page.keyboard.press('ControlOrMeta+f');
    await this.search.fill(words);
  }

  /** A column header of the list ("Form", "Store", "Status", "Submitted by", "Last changed"). */
  columnHeader(name: string): Locator {
    return this.list.getByRole('columnheader', { name, exact: true });
  }

  /** Sorts by a column (a second call reverses it); its header's aria-sort says the direction. */
  async sortBy(name: string) {
    await this.columnHeader(name).getByRole('button').click();
  }

  /** Opens the list of one form at one store from its completion counts. */
  async drillDown(formTitle: string, store: string) {
    await this.countsFor(formTitle, store).getByRole('button', { name: store, exact: true }).click();
  }

  /** Right-clicks a row of the list; returns its context menu. */
  async rowMenu(formTitle: string): Promise<Locator> {
    await this.rowsFor(formTitle).first().click({ button: 'right' });
    const menu = this.page.getByRole('menu', { name: `Actions for ${formTitle}` });
    await menu.waitFor();
    return menu;
  }

  /** Rows of the list for one form (the header row is not one of them). */
  rowsFor(formTitle: string): Locator {
    return this.list.getByRole('row').filter({ has: this.page.getByRole('link', { name: formTitle, exact: true }) });
  }

  /** The completion counts row of a form at a store: cells Store, Completed, In progress. */
  countsFor(formTitle: string, store: string): Locator {
    return this.completionCounts
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: formTitle, exact: true }) })
      .filter({ has: this.page.getByRole('cell', { name: store, exact: true }) });
  }

  async openFirst(formTitle: string): Promise<SubmissionDetailPage> {
    await this.rowsFor(formTitle).first().getByRole('link', { name: formTitle }).click();
    const detail = new SubmissionDetailPage(this.page);
    await detail.deleteButton.waitFor();
    return detail;
  }
}

export class SubmissionDetailPage {
  readonly answers: Locator;
  readonly deleteButton: Locator;

  constructor(readonly page: Page) {
    this.answers = page.getByRole('table', { name: 'Answers' });
    this.deleteButton = page.getByRole('button', { name: 'Delete submission' });
  }

  /** Delete submission, confirmed in the dialog that says it reaches every device. */
  async delete() {
    await this.deleteButton.click();
    await this.page
      .getByRole('alertdialog', { name: 'Delete this submission?' })
      .getByRole('button', { name: 'Delete', exact: true })
      .click();
  }

  /** The value shown next to a fact (Store, Status, Submitted by, …). */
  fact(name: string): Locator {
    return factIn(this.page, name);
  }

  /** The field labels shown under one section's heading in the answers table, in order. */
  fieldsUnder(sectionTitle: string): Locator {
    return this.answers
      .getByRole('rowgroup')
      .filter({ has: this.page.getByRole('row', { name: sectionTitle, exact: true }) })
      .locator('th[scope="row"]');
  }

  answer(fieldLabel: string): Locator {
    return this.answers
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: fieldLabel, exact: true }) })
      .getByRole('cell');
  }
}
