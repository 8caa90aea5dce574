// Forms: every form with its status and size, publish and archive in place, and new forms
// blank or from a template.
import { useQuery } from '@tanstack/react-query';
import { useInsight } from '../../api/context.js';
import { useSetFormStatus } from '../../api/mutations.js';
import { formsListQuery } from '../../api/queries.js';
import { hrefFor } from '../../app/routes.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import { NewFromTemplate } from './NewFromTemplate.js';

export const FormsScreen = () => {
  const api = useInsight();
  const forms = useQuery(formsListQuery(api));
  const setStatus = useSetFormStatus();
  const live = (forms.data ?? []).filter((form) => !form.deleted_at);

  return (
    <div className="screen">
      <header className="screen__header">
        <h1>Forms</h1>
        <a className="button button--primary" href={hrefFor.newForm}>
          New form
        </a>
      </header>
      <NewFromTemplate />
      <QueryState query={forms} loading="Loading forms…" failure="Could not load forms" />
      {forms.data && live.length === 0 && <p>No forms yet. Create one to send it to your stores.</p>}
      {live.length > 0 && (
        <DataTable label="Forms" columns={['Title', 'Status', 'Sections', 'Fields', 'Last changed']} actions>
          {live.map((form) => (
            <tr key={form.id}>
              <th scope="row">
                <a href={hrefFor.form(form.id)}>{form.title}</a>
              </th>
              <td>
                <span className={`badge badge--${form.status}`}>{form.status}</span>
              </td>
              <td>{form.section_count}</td>
              <td>{form.field_count}</td>
              <td>{new Date(form.updated_at).toLocaleString()}</td>
              <td>
                <div className="actions actions--small">
                  {form.status !== 'published' && (
                    <button
                      type="button"
                      className="button button--small"
                      aria-label={`Publish ${form.title}`}
                      disabled={setStatus.isPending}
                      onClick={() => setStatus.mutate({ id: form.id, status: 'published' })}
                    >
                      Publish
                    </button>
                  )}
                  {form.status !== 'archived' && (
                    <button
                      type="button"
                      className="button button--small"
                      aria-label={`Archive ${form.title}`}
                      disabled={setStatus.isPending}
                      onClick={() => setStatus.mutate({ id: form.id, status: 'archived' })}
                    >
                      Archive
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {setStatus.isError && <p role="alert">Could not change the form’s status: {setStatus.error.message}</p>}
    </div>
  );
};
