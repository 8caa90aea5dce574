// @vitest-environment jsdom
// The card says when each side's edit was made in times a person recognises: the server's
// corrected times when it reported them (a device clock a day off would show this morning's edit
// as yesterday's), the rows' own updated_at otherwise, and says which clock the times are on.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ConflictView } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { ConflictCard } from './ConflictCard.js';
import { showEditTime } from './describe-conflict.js';

const recordId = '8d3f1e2a-5b6c-4d7e-8f90-a1b2c3d4e5f6';
// This Mac's clock was a day behind: its row says 25 Nov although the edit was made on the 26th.
const kpiConflict: ConflictView = {
  id: 3,
  table: 'kpi_data',
  record_id: recordId,
  rule: 'latest_wins',
  resolution: 'client_wins',
  client_data: {
    id: recordId,
    metric: 'Sales',
    store_id: 'store-001',
    value: 10,
    updated_at: '2026-11-25T10:02:00.000Z',
  },
  server_data: {
    id: recordId,
    metric: 'Sales',
    store_id: 'store-001',
    value: 9,
    updated_at: '2026-11-26T09:15:00.000Z',
    written_by: 'store-001',
  },
  differing_fields: ['value'],
  decided_at: '2026-11-26T10:03:00.000Z',
  client_edited_at: '2026-11-26T10:02:00.000Z',
  server_edited_at: '2026-11-26T09:15:00.000Z',
  status: 'open',
};

const renderCard = (conflict: ConflictView) => {
  renderWithInsight(<ConflictCard conflict={conflict} />, createTestInsight({}));
  return screen.getByRole('article');
};

describe('ConflictCard edit times', () => {
  it('shows when each side edited the record on the server’s clock, not this Mac’s clock a day off', () => {
    const card = renderCard(kpiConflict);
    expect(card).toHaveTextContent(
      `You edited it at ${showEditTime('2026-11-26T10:02:00.000Z')}; store-001 edited it at ${showEditTime('2026-11-26T09:15:00.000Z')} (on the server’s clock).`,
    );
    expect(card).not.toHaveTextContent(`You edited it at ${showEditTime('2026-11-25T10:02:00.000Z')}`);
  });

  it('falls back to the rows’ own change times, saying they are each device’s, when the server did not report its times', () => {
    const card = renderCard({ ...kpiConflict, client_edited_at: null, server_edited_at: null });
    expect(card).toHaveTextContent(
      `You edited it at ${showEditTime('2026-11-25T10:02:00.000Z')}; store-001 edited it at ${showEditTime('2026-11-26T09:15:00.000Z')} (as each device’s clock said).`,
    );
  });

  it('says a side deleted the record when its version is a tombstone', () => {
    const card = renderCard({
      ...kpiConflict,
      client_data: { ...kpiConflict.client_data, deleted_at: '2026-11-25T10:02:00.000Z' },
    });
    expect(card).toHaveTextContent(
      `You deleted it at ${showEditTime('2026-11-26T10:02:00.000Z')}; store-001 edited it at`,
    );
  });
});
