// One submission with its answers, each shown the way its field type reads best.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useInsight } from '../../api/context.js';
import { useDeleteSubmission, useRestoreSubmission } from '../../api/mutations.js';
import { submissionQuery } from '../../api/queries.js';
import { hrefFor, navigate } from '../../app/routes.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import { useToast } from '../../components/Toasts.js';
import { statusLabels } from './SubmissionFilters.js';

const showAnswer = (value: unknown, type: string | null): string => {
  if (value === null || value === undefined || value === '') return '—';
  if (type === 'boolean' || typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (type === 'date' && typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
    return new Date(value).toLocaleDateString();
  }
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
};

export const SubmissionDetailScreen = ({ id }: { id: string }) => {
  const api = useInsight();
  const detail = useQuery(submissionQuery(api, id));
  // A tombstone like any other edit: it syncs, and a store's concurrent edit meets it in the
  // conflict panel (latest edit wins), where the manager can bring the store's version back.
  // It reaches every device at the next sync, so it is confirmed first and can be undone from
  // the toast afterwards (the undo is a restore: a new edit that syncs the same way).
  const remove = useDeleteSubmission();
  const restore = useRestoreSubmission();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const deleteNow = () => {
    setConfirming(false);
    remove.mutate(
      { id },
      {
        onSuccess: () => {
          navigate(hrefFor.submissions);
          toast.show({ text: 'Submission deleted.', undo: () => restore.mutate({ id }) });
        },
      },
    );
  };

  return (
    <div className="screen">
      <header className="screen__header">
        <a href={hrefFor.submissions}>← All submissions</a>
        {detail.data && <h1>{detail.data.submission.form_title ?? 'Submission'}</h1>}
      </header>
      <QueryState query={detail} loading="Loading the submission…" failure="Could not load the submission" />
      {detail.data && (
        <>
          <dl className="facts">
            <dt>Store</dt>
            <dd>{detail.data.submission.store_id ?? '—'}</dd>
            <dt>Status</dt>
            <dd>{statusLabels[detail.data.submission.status]}</dd>
            <dt>Submitted by</dt>
            <dd>{detail.data.submission.submitted_by ?? '—'}</dd>
            <dt>Completed</dt>
            <dd>
              {detail.data.submission.completed_at
                ? new Date(detail.data.submission.completed_at).toLocaleString()
                : '—'}
            </dd>
            <dt>Last changed</dt>
            <dd>{new Date(detail.data.submission.updated_at).toLocaleString()}</dd>
          </dl>
          <div className="actions">
            <button
              type="button"
              className="button button--danger"
              disabled={remove.isPending}
              onClick={() => setConfirming(true)}
            >
              Delete submission
            </button>
          </div>
          <ConfirmDialog
            isOpen={confirming}
            title="Delete this submission?"
            message="It is removed from this Mac and, at the next sync, from the server and every store device. You can undo right after."
            confirmLabel="Delete"
            onConfirm={deleteNow}
            onCancel={() => setConfirming(false)}
          />
          {remove.isError && <p role="alert">Could not delete the submission: {remove.error.message}</p>}
          <h2>Answers</h2>
          {detail.data.answers.length === 0 ? (
            <p className="muted">No answers yet.</p>
          ) : (
            <DataTable label="Answers" columns={['Field', 'Answer']}>
              {detail.data.answers.map((answer) => (
                <tr key={answer.id}>
                  <th scope="row">{answer.field_label ?? 'Removed field'}</th>
                  <td>{showAnswer(answer.value, answer.field_type)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </>
      )}
    </div>
  );
};
