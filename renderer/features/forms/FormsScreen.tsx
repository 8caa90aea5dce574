// Forms: every form with its status and size, publish and archive in place, a context menu per
// row (Open, Export submissions, Publish / Archive, Delete…), new forms blank or from a template,
// and the templates themselves (rename, delete).
import { useQuery } from '@tanstack/react-query';
import { useState, type MouseEvent } from 'react';
import { useInsight } from '../../api/context.js';
import { useDeleteForm, useSetFormStatus } from '../../api/mutations.js';
import { formsListQuery } from '../../api/queries.js';
import { hrefFor, navigate } from '../../app/routes.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { useContextMenu } from '../../components/ContextMenu.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import { useToast } from '../../components/Toasts.js';
import { download, submissionsCsv } from '../submissions/export-csv.js';
import { NewFromTemplate } from './NewFromTemplate.js';
import { TemplatesPanel } from './TemplatesPanel.js';

type Form = { id: string; title: string; status: string };

export const FormsScreen = () => {
  const api = useInsight();
  const forms = useQuery(formsListQuery(api));
  const setStatus = useSetFormStatus();
  const deleteForm = useDeleteForm();
  const toast = useToast();
  const { open, menu } = useContextMenu();
  const [deleting, setDeleting] = useState<Form | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const live = (forms.data ?? []).filter((form) => !form.deleted_at);

  const exportSubmissions = async (form: Form) => {
    setExportError(null);
    try {
      const slug = form.title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'form';
      download(`${slug}-submissions.csv`, await submissionsCsv(api, { form_id: form.id }));
    } catch (error) {
      setExportError(error instanceof Error ? error.message : String(error));
    }
  };

  const openMenu = (event: MouseEvent, form: Form) =>
    open(event, `Actions for ${form.title}`, [
      { label: 'Open', onAction: () => navigate(hrefFor.form(form.id)) },
      { label: 'Export submissions (CSV)', onAction: () => void exportSubmissions(form) },
      form.status === 'published'
        ? { label: 'Archive', onAction: () => setStatus.mutate({ id: form.id, status: 'archived' }) }
        : { label: 'Publish', onAction: () => setStatus.mutate({ id: form.id, status: 'published' }) },
      { label: 'Delete…', danger: true, onAction: () => setDeleting(form) },
    ]);

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
      {forms.data && live.length === 0 && (
        <div className="empty-state">
          <p>No forms yet.</p>
          <p className="muted">
            A form is the checklist your stores fill in. Press New form (⌘N), add its sections and questions, then
            Publish: every store device receives it at its next sync.
          </p>
          <a className="button button--primary" href={hrefFor.newForm}>
            New form
          </a>
        </div>
      )}
      {live.length > 0 && (
        <DataTable label="Forms" columns={['Title', 'Status', 'Sections', 'Fields', 'Last changed']} actions>
          {live.map((form) => (
            <tr key={form.id} onContextMenu={(event) => openMenu(event, form)}>
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
      {menu}
      <ConfirmDialog
        isOpen={deleting !== null}
        title="Delete this form?"
        message={`“${deleting?.title ?? ''}” is removed from this Mac and, at the next sync, from the server and every store device: stores stop receiving it.`}
        confirmLabel="Delete"
        onConfirm={() => {
          const form = deleting!;
          setDeleting(null);
          deleteForm.mutate(
            { id: form.id },
            { onSuccess: () => toast.show({ text: `Form “${form.title}” deleted.` }) },
          );
        }}
        onCancel={() => setDeleting(null)}
      />
      {setStatus.isError && <p role="alert">Could not change the form’s status: {setStatus.error.message}</p>}
      {deleteForm.isError && <p role="alert">Could not delete the form: {deleteForm.error.message}</p>}
      {exportError && <p role="alert">Could not export: {exportError}</p>}
      <TemplatesPanel />
    </div>
  );
};
