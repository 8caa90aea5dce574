// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcReply } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { ToastProvider } from '../../components/Toasts.js';
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

const deletableSubmission = () => {
  let deleted = false;
  return createTestInsight({
    // As main does: a deleted submission is no longer found.
    'submissions:get': () => {
      if (deleted) throw new Error('Submission not found');
      return detail;
    },
    'submissions:delete': () => {
      deleted = true;
      return { ok: true };
    },
    'submissions:restore': () => {
      deleted = false;
      return { ok: true };
    },
  });
};

describe('Deleting a submission', () => {
  it('asks first, since the delete reaches every device; Cancel (or Esc) sends nothing', async () => {
    const api = deletableSubmission();
    renderWithInsight(<SubmissionDetailScreen id={submissionId} />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete submission' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete this submission?' });
    expect(dialog).toHaveTextContent('every store device');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete submission' }));
    await screen.findByRole('alertdialog');
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(api.callsTo('submissions:delete')).toEqual([]);
  });

  it('Enter confirms; the toast offers Undo, which restores the submission', async () => {
    const api = deletableSubmission();
    window.location.hash = `#/submissions/${submissionId}`;
    renderWithInsight(
      <ToastProvider>
        <SubmissionDetailScreen id={submissionId} />
      </ToastProvider>,
      api,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Delete submission' }));
    await screen.findByRole('alertdialog');
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(api.callsTo('submissions:delete')).toEqual([{ id: submissionId }]));
    const toast = await screen.findByRole('status');
    expect(toast).toHaveTextContent('Submission deleted.');
    await userEvent.click(within(toast).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(api.callsTo('submissions:restore')).toEqual([{ id: submissionId }]));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('deletes it and goes back to the list without fetching the gone submission again', async () => {
    const api = deletableSubmission();
    window.location.hash = `#/submissions/${submissionId}`;
    renderWithInsight(<SubmissionDetailScreen id={submissionId} />, api);

    await userEvent.click(await screen.findByRole('button', { name: 'Delete submission' }));
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(window.location.hash).toBe('#/submissions'));
    expect(api.callsTo('submissions:delete')).toEqual([{ id: submissionId }]);
    // Refetching it would only show "Could not load the submission" on the way out.
    expect(api.callsTo('submissions:get')).toHaveLength(1);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
