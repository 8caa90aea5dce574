// Home, the dashboard (renderer/features/dashboard): completion per store and form, KPI trends,
// recent submissions and the sync summary, each a card named by its heading.
import type { Locator, Page } from '@playwright/test';

export class DashboardPage {
  readonly completion: Locator;
  readonly completionTable: Locator;
  readonly trends: Locator;
  readonly recent: Locator;
  readonly sync: Locator;

  constructor(readonly page: Page) {
    this.completion = page.getByRole('region', { name: 'Today and this week' });
    this.completionTable = this.completion.getByRole('table', { name: 'Completion today and this week' });
    this.trends = page.getByRole('region', { name: 'KPI trends' });
    this.recent = page.getByRole('region', { name: 'Recent submissions' });
    this.sync = page.getByRole('region', { name: 'Sync' });
  }

  /** The completion rows in the order shown (missing first), each as its cells' texts. */
  completionRows(): Promise<string[][]> {
    return this.completionTable
      .getByRole('row')
      .filter({ hasNot: this.page.getByRole('columnheader') })
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent?.trim() ?? '')));
  }

  /** The trend chart, named by metric, period, stores and values. */
  chart(name: string | RegExp): Locator {
    return this.trends.getByRole('img', { name });
  }

  async choosePeriod(label: '4 weeks' | '3 months' | '12 months') {
    await this.trends.getByRole('radio', { name: label }).click();
  }
}
