// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createTestInsight } from '../../testing/test-insight.js';
import { choosePeriod } from '../../testing/period.js';
import { renderWithInsight } from '../../testing/render.js';
import { chooseStore, testStores } from '../../testing/stores.js';
import { KpiEntryForm, type KpiKey } from './KpiEntryForm.js';

const renderForm = (isEntered?: (key: KpiKey) => boolean) => {
  const api = createTestInsight({
    'stores:list': () => testStores,
    'kpis:create': (kpi) => ({
      ...kpi,
      id: crypto.randomUUID(),
      updated_at: '2026-11-25T10:00:00.000Z',
      deleted_at: null,
    }),
  });
  renderWithInsight(<KpiEntryForm metrics={['Sales']} isEntered={isEntered} />, api);
  return { api, form: screen.getByRole('form', { name: 'Enter a KPI value' }) };
};

describe('KpiEntryForm', () => {
  it('says every problem the schema finds and sends nothing', async () => {
    const { api, form } = renderForm();
    await userEvent.click(within(form).getByRole('button', { name: 'Add KPI value' }));
    const alert = within(form).getByRole('alert');
    expect(alert).toHaveTextContent('Name the metric');
    expect(alert).toHaveTextContent('The value must be a number');
    expect(api.callsTo('kpis:create')).toHaveLength(0);
  });

  it('sends the typed value with the store picked from the stores, and keeps metric and store for the next one', async () => {
    const { api, form } = renderForm();
    const user = userEvent.setup();
    await user.type(within(form).getByLabelText('Metric'), 'Sales');
    await user.type(within(form).getByLabelText('Value'), '950');
    await chooseStore(user, 'S002', { container: form });
    await choosePeriod(user, form, '2026-11-02');
    await user.type(within(form).getByLabelText('Target'), '1000');
    await user.click(within(form).getByRole('button', { name: 'Add KPI value' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('KPI value saved.');
    expect(api.callsTo('kpis:create')).toEqual([
      { metric: 'Sales', value: 950, store_id: 'S002', period: '2026-11-02', target: 1000 },
    ]);
    expect(within(form).getByLabelText('Metric')).toHaveValue('Sales');
    expect(within(form).getByRole('combobox', { name: 'Store' })).toHaveValue('S002 · Harbour');
    expect(within(form).getByLabelText('Value')).toHaveValue(null);
    expect(within(form).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('puts each problem under its field: a value out of range, no day picked', async () => {
    const { api, form } = renderForm();
    const user = userEvent.setup();
    await user.type(within(form).getByLabelText('Metric'), 'Sales');
    await user.type(within(form).getByLabelText('Value'), '5000000000');
    await user.type(within(form).getByLabelText('Target'), '-2000000000');
    // Clear the day (it starts on today) segment by segment.
    for (const segment of within(within(form).getByRole('group', { name: 'Period' })).getAllByRole('spinbutton')) {
      await user.click(segment);
      await user.keyboard('{Backspace}{Backspace}{Backspace}{Backspace}');
    }
    await user.click(within(form).getByRole('button', { name: 'Add KPI value' }));
    const range = 'must be between −1,000,000,000 and 1,000,000,000';
    expect(within(form).getByLabelText('Value')).toHaveAccessibleDescription(`The value ${range}`);
    expect(within(form).getByLabelText('Target')).toHaveAccessibleDescription(`The target ${range}`);
    expect(within(form).getByText('Pick the day this value is for', { selector: '.field-error' })).toBeVisible();
    expect(api.callsTo('kpis:create')).toHaveLength(0);
  });

  it('says so when the value entered replaces the one of the same store, metric and period', async () => {
    const { api, form } = renderForm((key) => key.metric === 'Sales' && key.period === '2026-11-02');
    const user = userEvent.setup();
    await user.type(within(form).getByLabelText('Metric'), 'Sales');
    await user.type(within(form).getByLabelText('Value'), '990');
    await chooseStore(user, 'S001', { container: form });
    await choosePeriod(user, form, '2026-11-02');
    await user.click(within(form).getByRole('button', { name: 'Add KPI value' }));
    expect(await within(form).findByRole('status')).toHaveTextContent(
      'KPI value updated: Sales at S001 for 2026-11-02 already had one.',
    );
    expect(api.callsTo('kpis:create')).toHaveLength(1);
  });
});
