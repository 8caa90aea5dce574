// @vitest-environment jsdom
// The KPI screen opens on stores × metrics: each cell the latest value, green on target and red
// under it; a click edits the value in place (Esc puts it back, a value out of range is refused
// under its field); with no values yet it says what to enter.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcReply } from '../../../shared/ipc.js';
import { renderWithInsight } from '../../testing/render.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { KpisScreen } from './KpisScreen.js';

type Row = IpcReply<'kpis:list'>[number];
const row = (metric: string, store_id: string, period: string, value: number, target: number | null): Row => ({
  id: crypto.randomUUID(),
  metric,
  store_id,
  period,
  value,
  target,
  updated_at: '2026-11-25T10:00:00.000Z',
  deleted_at: null,
});

const serverWith = (rows: Row[]) => {
  const api = createTestInsight({
    'kpis:list': () => rows,
    // The latest period per store and metric, as main's SQL does.
    'kpis:overview': () =>
      Object.values(
        Object.fromEntries(
          [...rows].sort((a, b) => a.period!.localeCompare(b.period!)).map((r) => [`${r.store_id}/${r.metric}`, r]),
        ),
      ).map(({ deleted_at: _, ...cell }) => cell),
    'kpis:update': ({ id, value, target }) => {
      const found = rows.find((r) => r.id === id)!;
      Object.assign(found, { value, target });
      return found;
    },
  });
  renderWithInsight(<KpisScreen />, api);
  return api;
};

describe('KPIs overview', () => {
  it('shows each store’s latest value per metric against its target', async () => {
    serverWith([
      row('Sales', 'S1', '2026-10-01', 700, 1000),
      row('Sales', 'S1', '2026-11-01', 1200, 1000),
      row('Sales', 'S2', '2026-11-01', 800, 1000),
      row('Footfall', 'S2', '2026-11-01', 300, null),
    ]);
    const table = await screen.findByRole('table', { name: 'KPI overview' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Store', 'Footfall', 'Sales']);
    const s1 = within(table).getByRole('button', { name: /^Sales at S1/ });
    expect(s1).toHaveAccessibleName('Sales at S1: 1,200, on target (1,000), 2026-11-01. Edit');
    expect(s1).toHaveAttribute('data-tone', 'on');
    const s2 = within(table).getByRole('button', { name: /^Sales at S2/ });
    expect(s2).toHaveAccessibleName('Sales at S2: 800, 200 under target (1,000), 2026-11-01. Edit');
    expect(s2).toHaveAttribute('data-tone', 'under');
    expect(within(table).getByRole('button', { name: /^Footfall at S2/ })).toHaveAttribute('data-tone', 'none');
    // S1 has no footfall: an empty cell, nothing to click.
    expect(within(table).getByRole('row', { name: /^S1/ })).toHaveTextContent('—');
  });

  it('edits a value in place: Esc leaves it, a value out of range is refused, Save sends kpis:update', async () => {
    const sales = row('Sales', 'S2', '2026-11-01', 800, 1000);
    const api = serverWith([sales]);
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'KPI overview' });
    await user.click(within(table).getByRole('button', { name: /^Sales at S2/ }));
    let editor = within(table).getByRole('form', { name: 'Edit Sales at S2' });
    expect(within(editor).getByLabelText('Value')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(within(table).queryByRole('form')).not.toBeInTheDocument();

    await user.click(within(table).getByRole('button', { name: /^Sales at S2/ }));
    editor = within(table).getByRole('form', { name: 'Edit Sales at S2' });
    await user.clear(within(editor).getByLabelText('Value'));
    await user.type(within(editor).getByLabelText('Value'), '1e10');
    await user.click(within(editor).getByRole('button', { name: 'Save' }));
    expect(within(editor).getByLabelText('Value')).toHaveAccessibleDescription(
      'The value must be between −1,000,000,000 and 1,000,000,000',
    );
    expect(api.callsTo('kpis:update')).toEqual([]);

    await user.clear(within(editor).getByLabelText('Value'));
    await user.type(within(editor).getByLabelText('Value'), '1050{Enter}');
    await waitFor(() => expect(api.callsTo('kpis:update')).toEqual([{ id: sales.id, value: 1050, target: 1000 }]));
    expect(
      await within(table).findByRole('button', { name: 'Sales at S2: 1,050, on target (1,000), 2026-11-01. Edit' }),
    ).toHaveAttribute('data-tone', 'on');
  });

  it('says what to enter when there is no value yet', async () => {
    serverWith([]);
    expect(await screen.findByText('No KPI values yet')).toBeVisible();
    expect(screen.getByText(/Enter the first one below/)).toBeVisible();
    expect(screen.getByRole('form', { name: 'Enter a KPI value' })).toBeVisible();
    expect(screen.queryByRole('table', { name: 'KPI overview' })).not.toBeInTheDocument();
  });
});
