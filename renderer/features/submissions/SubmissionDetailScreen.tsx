// One submission with its answers, each shown the way its field type reads best.
import { useQuery } from '@tanstack/react-query';
import type { IpcReply } from '../../../shared/ipc.js';
import { useInsight } from '../../api/context.js';
import { submissionQuery } from '../../api/queries.js';
import { hrefFor, navigate } from '../../app/routes.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import { statusLabels } from './SubmissionFilters.js';
import { useDeleteSubmissionFlow } from './use-delete-submission.js';

const showAnswer = (value: unknown, type: string | null): string => {
  if (value === null || value === undefined || value === '') return '—';
  if (type === 'boolean' || typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (type === 'date' && typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
    return new Date(value).toLocaleDateString();
  }
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
};

type Answer = IpcReply<'submissions:get'>['answers'][number];

/**
 * One table of answers, a row group per section in the form's order (main sends them sorted by
 * section, then field), each opened by the section's title, as the store saw the form.
 */
const AnswersBySection = ({ answers }: { answers: Answer[] }) => {
  const groups: { key: string; title: string | null; answers: Answer[] }[] = [];
  for (const answer of answers) {
    const key = answer.section_id ?? 'none';
    const last = groups.at(-1);
    if (last?.key === key) last.answers.push(answer);
    else
      groups.push({
        key,
        title: answer.section_id ? (answer.section_title ?? 'Untitled section') : null,
        answers: [answer],
      });
  }
  const sectioned = groups.some((group) => group.title !== null);
  return (
    <DataTable label="Answers" columns={['Field', 'Answer']} bodies>
      {groups.map((group) => (
        <tbody key={group.key}>
          {sectioned && (
            <tr className="answers__section">
              <th scope="rowgroup" colSpan={2}>
                {group.title ?? 'Not in a section'}
              </th>
            </tr>
          )}
          {group.answers.map((answer) => (
            <tr key={answer.id}>
              <th scope="row">{answer.field_label ?? 'Removed field'}</th>
              <td>{showAnswer(answer.value, answer.field_type)}</td>
            </tr>
          ))}
        </tbody>
      ))}
    </DataTable>
  );
};

export const SubmissionDetailScreen = ({ id }: { id: string }) => {
  const api = useInsight();
  const detail = useQuery(submissionQuery(api, id));
  const remove = useDeleteSubmissionFlow({ onDeleted: () => navigate(hrefFor.submissions) });
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
              onClick={() => remove.ask(id)}
            >
              Delete submission
            </button>
          </div>
          {remove.dialog}
          <h2>Answers</h2>
          {detail.data.answers.length === 0 ? (
            <p className="muted">No answers yet. A store’s answers arrive here at each sync as they are saved.</p>
          ) : (
            <AnswersBySection answers={detail.data.answers} />
          )}
        </>
      )}
    </div>
  );
};
