// @vitest-environment jsdom
// A field-level conflict shows only the fields both sides changed, each with both values and the
// outcome, and applies the other value of one field alone (conflicts:resolve with `field`).
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ConflictView } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { ConflictCard } from './ConflictCard.js';

const recordId = '8d3f1e2a-5b6c-4d7e-8f90-a1b2c3d4e5f6';
const kpi = {
  id: recordId,
  metric: 'Sales',
  store_id: 'store-001',
  period: '2026-11',
  updated_at: '2026-11-26T10:02:00.000Z',
};
const conflict: ConflictView = {
  id: 9,
  table: 'kpi_data',
  record_id: recordId,
  rule: 'latest_wins',
  resolution: 'server_wins',
  // This Mac changed value and target; store-001 changed value and period. Only value conflicts.
  client_data: { ...kpi, value: 12, target: 150 },
  server_data: { ...kpi, value: 11, target: 100, period: '2026-12', written_by: 'store-001' },
  differing_fields: ['value'],
  decided_at: '2026-11-26T10:03:00.000Z',
  client_edited_at: '2026-11-26T10:01:00.000Z',
  server_edited_at: '2026-11-26T10:02:00.000Z',
  status: 'open',
  fields: [
    { field: 'value', client_value: 12, server_value: 11, base_value: 10, resolution: 'server_wins', applied: false },
  ],
};

const renderCard = (view: ConflictView) => {
  const api = createTestInsight({ 'conflicts:resolve': () => ({ ok: true }) });
  renderWithInsight(<ConflictCard conflict={view} />, api);
  return { api, card: screen.getByRole('article') };
};

describe('ConflictCard for a field-level conflict', () => {
  it('lists only the field changed on both sides, with both values and the outcome', () => {
    const { card } = renderCard(conflict);
    const rows = within(card).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.querySelector('th')?.textContent)).toEqual(['Value']);
    expect(rows[0]).toHaveTextContent('12');
    expect(rows[0]).toHaveTextContent('11');
    expect(rows[0]).toHaveTextContent('The server’s value kept');
    // Target and period were merged, not in conflict: they are not offered for comparison.
    expect(within(card).queryByRole('rowheader', { name: 'Target' })).toBeNull();
    expect(within(card).queryByRole('rowheader', { name: 'Period' })).toBeNull();
    expect(card).toHaveTextContent(
      'You and store-001 both changed Value; the later change was kept for it. Everything else both of you changed was kept.',
    );
  });

  it('applies the other value of one field alone', async () => {
    const { api } = renderCard(conflict);
    await userEvent.click(screen.getByRole('button', { name: 'Apply this Mac’s Value' }));
    await waitFor(() =>
      expect(api.callsTo('conflicts:resolve')).toEqual([{ id: 9, action: 'apply_other', field: 'value' }]),
    );
  });

  it('shows a field whose other value was applied as applied, without its button', () => {
    const { card } = renderCard({ ...conflict, fields: [{ ...conflict.fields![0]!, applied: true }] });
    expect(within(card).queryByRole('button', { name: 'Apply this Mac’s Value' })).toBeNull();
    expect(card).toHaveTextContent('Changed to this Mac’s value');
  });
});
