// @vitest-environment jsdom
// Merged changes (issue 14) are listed in the sync panel, not as conflicts: which of this Mac's
// fields were merged with which fields of another device, with a link to the record.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RecentMerge } from '../../../shared/ipc.js';
import { idleStatus as idle } from '../../../shared/testing/sync-status.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { SyncPanel } from './SyncPanel.js';

const submissionId = '8d3f1e2a-5b6c-4d7e-8f90-a1b2c3d4e5f6';
const merge: RecentMerge = {
  table: 'submissions',
  record_id: submissionId,
  change_id: '0b6f2d3e-7a81-4c9d-9e0f-112233445566',
  pushed: ['submitted_by'],
  kept: ['status'],
  conflicted: [],
  merged_at: '2026-11-26T10:03:00.000Z',
};

describe('Merged changes in the sync panel', () => {
  it('lists a merge with the fields of each side and links the record', async () => {
    renderWithInsight(<SyncPanel />, createTestInsight({ 'sync:status': () => idle, 'sync:merges': () => [merge] }));
    const merges = await screen.findByRole('region', { name: 'Merged changes' });
    const link = within(merges).getByRole('link', {
      name: 'Submissions: your Submitted by merged with another device’s Status',
    });
    expect(link).toHaveAttribute('href', `#/submissions/${submissionId}`);
  });

  it('shows nothing while there is no merge', async () => {
    const api = createTestInsight({ 'sync:status': () => idle, 'sync:merges': () => [] });
    renderWithInsight(<SyncPanel />, api);
    await screen.findByRole('region', { name: 'Sync status' });
    await waitFor(() => expect(api.callsTo('sync:merges')).toHaveLength(1));
    expect(screen.queryByRole('region', { name: 'Merged changes' })).toBeNull();
  });
});
