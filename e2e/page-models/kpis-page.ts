// The KPIs screen (renderer/features/kpis): the overview of stores × metrics (a cell edited in
// place), entering values (the period with the date picker), and each store and metric's values
// over time as a chart and a table against the target.
import { expect, type Locator, type Page } from '@playwright/test';
import { pickStore } from './store-picker.js';

export interface KpiValue {
  metric: string;
  value: number;
  /** A store's code; the store must exist (the fixtures add e2eStores). */
  store: string;
  period?: string;
  target?: number;
}

export class KpisPage {
  readonly entryForm: Locator;
  readonly overview: Locator;

  constructor(readonly page: Page) {
    this.entryForm = page.getByRole('form', { name: 'Enter a KPI value' });
    this.overview = page.getByRole('table', { name: 'KPI overview' });
  }

  /**
   * Types a day (YYYY-MM-DD) into the period picker segment by segment, each found by its name
   * (month, day, year), so the locale's date order does not matter.
   */
  async choosePeriod(day: string) {
    const [year, month, date] = day.split('-');
    const group = this.entryForm.getByRole('group', { name: 'Period' });
    for (const [name, digits] of [
      [/^month/i, month!],
      [/^day/i, date!],
      [/^year/i, year!],
    ] as const) {
      await group.getByRole('spinbutton', { name }).click();
      await this.page.keyboard.type(digits);
    }
  }

  /** The overview's cell of one metric at one store (a button that opens its editor). */
  cell(metric: string, store: string): Locator {
    return this.overview.getByRole('button', { name: new RegExp(`^${metric} at ${store}:`) });
  }

  /** Edits a cell of the overview in place. */
  async editCell(metric: string, store: string, value: number) {
    await this.cell(metric, store).click();
    const editor = this.overview.getByRole('form', { name: `Edit ${metric} at ${store}` });
    await editor.getByLabel('Value').fill(String(value));
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor).toBeHidden();
  }

  async enter(kpi: KpiValue) {
    const form = this.entryForm;
    await form.getByLabel('Metric').fill(kpi.metric);
    await form.getByLabel('Value').fill(String(kpi.value));
    await pickStore(form, kpi.store);
    // The picker starts on today; a value for another day picks it.
    if (kpi.period) await this.choosePeriod(kpi.period);
    await form.getByLabel('Target').fill(kpi.target === undefined ? '' : String(kpi.target));
    await form.getByRole('button', { name: 'Add KPI value' }).click();
    await expect(form.getByRole('status')).toHaveText('KPI value saved.');
    // The form keeps metric and store for the next value and clears the rest.
    await expect(form.getByLabel('Value')).toHaveValue('');
  }

  /** The table of one metric at one store. */
  table(metric: string, store: string): Locator {
    return this.page.getByRole('table', { name: `${metric} at ${store}` });
  }

  row(metric: string, store: string, period: string): Locator {
    return this.table(metric, store)
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: period, exact: true }) });
  }
}
