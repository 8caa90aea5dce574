// The Submissions screen (renderer/features/submissions): the virtualized list, the completion
// counts per form and store, and one submission's detail with its answers.
import type { Locator, Page } from '@playwright/test';
import { factIn } from './facts.js';

export class SubmissionsPage {
  readonly list: Locator;
  /** "N submissions" above the list. */
  readonly total: Locator;
  readonly completionCounts: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByRole('table', { name: 'Submissions' });
    this.total = page.getByText(/^\d+ submissions?$/);
    this.completionCounts = page.getByRole('table', { name: 'Completion counts' });
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

  answer(fieldLabel: string): Locator {
    return this.answers
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: fieldLabel, exact: true }) })
      .getByRole('cell');
  }
}
