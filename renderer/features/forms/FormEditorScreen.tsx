// Opens a form in the editor (or a blank one for #/forms/new), with the actions that need a
// saved form: archive, save as template and delete.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useInsight } from '../../api/context.js';
import { useSaveFormAsTemplate, useSetFormStatus } from '../../api/mutations.js';
import { formQuery } from '../../api/queries.js';
import { hrefFor, replaceAddress } from '../../app/routes.js';
import { QueryState } from '../../components/QueryState.js';
import { DeleteForm } from './DeleteForm.js';
import { editorFromDetail, emptyEditor } from './editor-state.js';
import { FormEditor } from './FormEditor.js';

export const FormEditorScreen = ({ id }: { id: string | null }) => {
  const api = useInsight();
  // A new form stays in this editor after its first save (only the address changes), so the
  // manager keeps their place and sees "Saved."; from then on it is edited like any saved form.
  const [createdId, setCreatedId] = useState<string | null>(null);
  const formId = id ?? createdId;
  const form = useQuery({ ...formQuery(api, formId ?? 'new'), enabled: formId !== null });

  return (
    <div className="screen">
      <header className="screen__header">
        <a href={hrefFor.forms}>← All forms</a>
        <h1>{formId ? 'Edit form' : 'New form'}</h1>
      </header>
      {formId && form.data && (
        <SavedFormActions id={formId} title={form.data.form.title} status={form.data.form.status} />
      )}
      {id === null && (
        <FormEditor
          initial={emptyEditor()}
          savedStatus={form.data?.form.status}
          onSaved={(detail) => {
            setCreatedId(detail.form.id);
            replaceAddress(hrefFor.form(detail.form.id));
          }}
        />
      )}
      {id !== null && <QueryState query={form} loading="Loading the form…" failure="Could not load the form" />}
      {/* Mounted once per visit: a background refetch after a sync must not throw away unsaved edits. */}
      {id !== null && form.data && (
        <FormEditor initial={editorFromDetail(form.data)} savedStatus={form.data.form.status} />
      )}
    </div>
  );
};

const SavedFormActions = ({ id, title, status }: { id: string; title: string; status: string }) => {
  const setStatus = useSetFormStatus();
  const saveAsTemplate = useSaveFormAsTemplate();
  const [templateName, setTemplateName] = useState(title);

  return (
    <div className="saved-form-actions">
      {status !== 'archived' && (
        <button
          type="button"
          className="button"
          disabled={setStatus.isPending}
          onClick={() => setStatus.mutate({ id, status: 'archived' })}
        >
          Archive
        </button>
      )}
      <form
        className="inline-form"
        aria-label="Save as template"
        onSubmit={(e) => {
          e.preventDefault();
          saveAsTemplate.mutate({ form_id: id, name: templateName });
        }}
      >
        <label htmlFor="template-name">Template name</label>
        <input id="template-name" value={templateName} onChange={(e) => setTemplateName(e.target.value)} />
        <button type="submit" className="button" disabled={saveAsTemplate.isPending}>
          Save as template
        </button>
      </form>
      <DeleteForm id={id} title={title} />
      {saveAsTemplate.isSuccess && <p role="status">Saved as template “{saveAsTemplate.data.name}”.</p>}
      {saveAsTemplate.isError && <p role="alert">Could not save the template: {saveAsTemplate.error.message}</p>}
      {setStatus.isError && <p role="alert">Could not archive: {setStatus.error.message}</p>}
    </div>
  );
};
