// The saved templates, each renamed in place or deleted (confirmed: a template is synced to every
// manager device, and a delete reaches them all at the next sync). Forms made from a template are
// copies, so they stay as they are.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ipcChannels } from '../../../shared/ipc.js';
import { useInsight } from '../../api/context.js';
import { useDeleteTemplate, useRenameTemplate } from '../../api/mutations.js';
import { templatesQuery } from '../../api/queries.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { DataTable } from '../../components/DataTable.js';
import { useToast } from '../../components/Toasts.js';

type Template = { id: string; name: string };

export const TemplatesPanel = () => {
  const api = useInsight();
  const templates = useQuery(templatesQuery(api));
  const rename = useRenameTemplate();
  const remove = useDeleteTemplate();
  const toast = useToast();
  const [renaming, setRenaming] = useState<Template | null>(null);
  const [deleting, setDeleting] = useState<Template | null>(null);
  const live = (templates.data ?? []).filter((t) => !t.deleted_at);
  if (live.length === 0) return null;

  return (
    <section aria-labelledby="templates-heading" className="templates">
      <h2 id="templates-heading">Templates</h2>
      <DataTable label="Templates" columns={['Name', 'Last changed']} actions>
        {live.map((template) => (
          <tr key={template.id}>
            <th scope="row">
              {renaming?.id === template.id ? (
                <RenameForm
                  template={template}
                  error={rename.isError ? rename.error.message : undefined}
                  pending={rename.isPending}
                  onRename={(name) =>
                    rename.mutate(
                      { id: template.id, name },
                      {
                        onSuccess: (row) => {
                          setRenaming(null);
                          toast.show({ text: `Template renamed to “${row.name}”.` });
                        },
                      },
                    )
                  }
                  onCancel={() => {
                    rename.reset();
                    setRenaming(null);
                  }}
                />
              ) : (
                template.name
              )}
            </th>
            <td>{new Date(template.updated_at).toLocaleString()}</td>
            <td>
              <div className="actions actions--small">
                <button
                  type="button"
                  className="button button--small"
                  aria-label={`Rename ${template.name}`}
                  onClick={() => {
                    rename.reset();
                    setRenaming(template);
                  }}
                >
                  Rename
                </button>
                <button
                  type="button"
                  className="button button--small button--danger"
                  aria-label={`Delete ${template.name}`}
                  disabled={remove.isPending}
                  onClick={() => setDeleting(template)}
                >
                  Delete
                </button>
              </div>
            </td>
          </tr>
        ))}
      </DataTable>
      <ConfirmDialog
        isOpen={deleting !== null}
        title="Delete this template?"
        message={`“${deleting?.name ?? ''}” is removed from this Mac and, at the next sync, from the server and every manager device. Forms already made from it stay as they are.`}
        confirmLabel="Delete"
        onConfirm={() => {
          const template = deleting!;
          setDeleting(null);
          remove.mutate(
            { id: template.id },
            { onSuccess: () => toast.show({ text: `Template “${template.name}” deleted.` }) },
          );
        }}
        onCancel={() => setDeleting(null)}
      />
      {remove.isError && <p role="alert">Could not delete the template: {remove.error.message}</p>}
    </section>
  );
};

const RenameForm = ({
  template,
  error,
  pending,
  onRename,
  onCancel,
}: {
  template: Template;
  error: string | undefined;
  pending: boolean;
  onRename: (name: string) => void;
  onCancel: () => void;
}) => {
  const [name, setName] = useState(template.name);
  // Checked with the channel's own schema first: the same words as main, before any call.
  const [problem, setProblem] = useState<string | null>(null);
  const shown = problem ?? error;
  return (
    <form
      className="inline-form"
      aria-label={`Rename ${template.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        const checked = ipcChannels['templates:rename'].request.safeParse({ id: template.id, name });
        setProblem(checked.success ? null : (checked.error.issues[0]?.message ?? 'Check the name'));
        if (checked.success) onRename(checked.data.name);
      }}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <label>
        <span className="visually-hidden">New name</span>
        <input
          // Renaming was asked for: the cursor goes where the typing happens.
          autoFocus
          value={name}
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? `${template.id}-rename-error` : undefined}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <button type="submit" className="button button--small button--primary" disabled={pending}>
        Save name
      </button>
      <button type="button" className="button button--small" onClick={onCancel}>
        Cancel
      </button>
      {shown && (
        <span id={`${template.id}-rename-error`} className="field-error">
          {shown}
        </span>
      )}
    </form>
  );
};
