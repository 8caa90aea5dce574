// The conflict panel (renderer/features/conflicts): each conflict the server decided, both
// versions side by side with the differing fields marked, the rule, the outcome, and the two
// choices: accept, or apply the other version.
import type { Locator, Page } from '@playwright/test';
import { factIn } from './facts.js';

export class ConflictsPage {
  readonly cards: Locator;
  readonly noConflicts: Locator;
  readonly showResolved: Locator;

  constructor(readonly page: Page) {
    this.cards = page.getByRole('article');
    this.noConflicts = page.getByText('No conflicts. Every change was applied as made.');
    this.showResolved = page.getByLabel('Show resolved conflicts');
  }

  card(recordId: string): ConflictCard {
    return new ConflictCard(this.page, this.cards.filter({ hasText: recordId }));
  }
}

export class ConflictCard {
  /** "Opening checklist at store-001": what the record is, in the manager's words. */
  readonly title: Locator;
  /** "You deleted this; store-001 edited it later; the later change was kept." */
  readonly sentence: Locator;
  /** "You deleted it at <time>; store-001 edited it at <time> (on the server’s clock)." */
  readonly times: Locator;
  /** "Open the record" (only when it has a screen and still exists). */
  readonly recordLink: Locator;
  readonly versions: Locator;
  readonly acceptButton: Locator;
  readonly applyOtherButton: Locator;

  constructor(
    readonly page: Page,
    readonly root: Locator,
  ) {
    this.title = root.getByRole('heading', { level: 2 });
    this.sentence = root.locator('.conflict-card__sentence');
    this.times = root.locator('.conflict-card__times');
    this.recordLink = root.getByRole('link', { name: /^Open the / });
    this.versions = root.getByRole('table');
    this.acceptButton = root.getByRole('button', { name: 'Accept' });
    this.applyOtherButton = root.getByRole('button', { name: 'Apply the other version' });
  }

  /** Rule, Outcome, Decided, Status. */
  fact(name: string): Locator {
    return factIn(this.root, name);
  }

  /** The row of one field, by its label ("Status", "Deleted"): its cells are this Mac's value and the server's. */
  field(name: string): Locator {
    return this.versions
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });
  }

  /** Field names the panel marks as differing. */
  differingFields(): Locator {
    return this.versions.locator('tr[data-differs] th');
  }
}
