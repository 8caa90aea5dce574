// The KPIs screen (renderer/features/kpis): enter values, then read them per store and metric as
// a chart and a table against the target.
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

  constructor(readonly page: Page) {
    this.entryForm = page.getByRole('form', { name: 'Enter a KPI value' });
  }

  async enter(kpi: KpiValue) {
    const form = this.entryForm;
    await form.getByLabel('Metric').fill(kpi.metric);
    await form.getByLabel('Value').fill(String(kpi.value));
    await pickStore(form, kpi.store);
    await form.getByLabel('Period').fill(kpi.period ?? '');
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
