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

describe('the answers', () => {
  const answer = (n: number, label: string, value: unknown, section: [string, string | null] | null) => ({
    id: `66666666-6666-4666-8666-00000000000${n}`,
    submission_id: submissionId,
    field_id: `77777777-7777-4777-8777-00000000000${n}`,
    value: value as never,
    updated_at: '2026-11-25T10:00:00.000Z',
    deleted_at: null,
    field_label: label,
    field_type: typeof value === 'boolean' ? 'boolean' : 'text',
    section_id: section?.[0] ?? null,
    section_title: section?.[1] ?? null,
  });

  it('are grouped under their section’s title, in the form’s order', async () => {
    const outside = '88888888-8888-4888-8888-000000000001';
    const inside = '88888888-8888-4888-8888-000000000002';
    const api = createTestInsight({
      'submissions:get': () => ({
        ...detail,
        answers: [
          answer(1, 'Notes', 'All fine', null),
          answer(2, 'Doors open', true, [outside, 'Outside']),
          answer(3, 'Windows clean', false, [outside, 'Outside']),
          answer(4, 'Till counted', 'yes', [inside, null]),
        ],
      }),
    });
    renderWithInsight(<SubmissionDetailScreen id={submissionId} />, api);
    const table = await screen.findByRole('table', { name: 'Answers' });
    const groups = within(table).getAllByRole('rowgroup').slice(1); // the first is the column headers
    const read = (group: HTMLElement) =>
      within(group)
        .getAllByRole('row')
        .map((r) => r.textContent);
    expect(groups.map(read)).toEqual([
      ['Not in a section', 'NotesAll fine'],
      ['Outside', 'Doors openYes', 'Windows cleanNo'],
      ['Untitled section', 'Till countedyes'],
    ]);
    expect(within(table).getByRole('rowheader', { name: 'Doors open' })).toBeInTheDocument();
  });

  it('say what to expect when there are none yet', async () => {
    renderWithInsight(
      <SubmissionDetailScreen id={submissionId} />,
      createTestInsight({ 'submissions:get': () => detail }),
    );
    expect(await screen.findByText(/No answers yet\. A store’s answers arrive here at each sync/)).toBeInTheDocument();
  });
});
