// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcReply } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { SubmissionDetailScreen } from './SubmissionDetailScreen.js';

const submissionId = '55555555-5555-4555-8555-000000000001';
const detail: IpcReply<'submissions:get'> = {
  submission: {
    id: submissionId,
    form_id: '44444444-4444-4444-8444-444444444444',
    form_title: 'Opening audit',
    status: 'completed',
    store_id: 'store-1',
    submitted_by: null,
    completed_at: null,
    updated_at: '2026-11-25T10:00:00.000Z',
    deleted_at: null,
  },
  answers: [],
};

describe('Deleting a submission', () => {
  it('deletes it and goes back to the list without fetching the gone submission again', async () => {
    let deleted = false;
    const api = createTestInsight({
      // As main does: a deleted submission is no longer found.
      'submissions:get': () => {
        if (deleted) throw new Error('Submission not found');
        return detail;
      },
      'submissions:delete': () => {
        deleted = true;
        return { ok: true };
      },
    });
    window.location.hash = `#/submissions/${submissionId}`;
    renderWithInsight(<SubmissionDetailScreen id={submissionId} />, api);

    await userEvent.click(await screen.findByRole('button', { name: 'Delete submission' }));
    await waitFor(() => expect(window.location.hash).toBe('#/submissions'));
    expect(api.callsTo('submissions:delete')).toEqual([{ id: submissionId }]);
    // Refetching it would only show "Could not load the submission" on the way out.
    expect(api.callsTo('submissions:get')).toHaveLength(1);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
