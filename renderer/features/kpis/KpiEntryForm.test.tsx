// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { KpiEntryForm } from './KpiEntryForm.js';

const renderForm = () => {
  const api = createTestInsight({
    'kpis:create': (kpi) => ({
      ...kpi,
      id: crypto.randomUUID(),
      updated_at: '2026-11-25T10:00:00.000Z',
      deleted_at: null,
    }),
  });
  renderWithInsight(<KpiEntryForm metrics={['Sales']} stores={['store-001']} />, api);
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

  it('sends the typed value and keeps metric and store for the next one', async () => {
    const { api, form } = renderForm();
    const user = userEvent.setup();
    await user.type(within(form).getByLabelText('Metric'), 'Sales');
    await user.type(within(form).getByLabelText('Value'), '950');
    await user.type(within(form).getByLabelText('Store'), 'store-001');
    await user.type(within(form).getByLabelText('Period'), '2026-11-02');
    await user.type(within(form).getByLabelText('Target'), '1000');
    await user.click(within(form).getByRole('button', { name: 'Add KPI value' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('KPI value saved.');
    expect(api.callsTo('kpis:create')).toEqual([
      { metric: 'Sales', value: 950, store_id: 'store-001', period: '2026-11-02', target: 1000 },
    ]);
    expect(within(form).getByLabelText('Metric')).toHaveValue('Sales');
    expect(within(form).getByLabelText('Store')).toHaveValue('store-001');
    expect(within(form).getByLabelText('Value')).toHaveValue(null);
    expect(within(form).queryByRole('alert')).not.toBeInTheDocument();
  });
});
