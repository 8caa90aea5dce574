// "New from template": copies a saved template into a new draft form and opens it.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useInsight } from '../../api/context.js';
import { useCreateFormFromTemplate } from '../../api/mutations.js';
import { templatesQuery } from '../../api/queries.js';
import { hrefFor, navigate } from '../../app/routes.js';

export const NewFromTemplate = () => {
  const api = useInsight();
  const templates = useQuery(templatesQuery(api));
  const create = useCreateFormFromTemplate();
  const [templateId, setTemplateId] = useState('');
  const [title, setTitle] = useState('');
  const live = (templates.data ?? []).filter((t) => !t.deleted_at);
  if (live.length === 0) return null;

  return (
    <form
      className="inline-form"
      aria-label="New form from a template"
      onSubmit={(e) => {
        e.preventDefault();
        const chosen = templateId || live[0]!.id;
        create.mutate(
          { template_id: chosen, ...(title.trim() ? { title } : {}) },
          { onSuccess: (detail) => navigate(hrefFor.form(detail.form.id)) },
        );
      }}
    >
      <label htmlFor="template">Template</label>
      <select id="template" value={templateId || live[0]!.id} onChange={(e) => setTemplateId(e.target.value)}>
        {live.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <label htmlFor="template-title">New form title</label>
      <input
        id="template-title"
        value={title}
        placeholder="Same as the template"
        onChange={(e) => setTitle(e.target.value)}
      />
      <button type="submit" className="button" disabled={create.isPending}>
        Create from template
      </button>
      {create.isError && <p role="alert">Could not create the form: {create.error.message}</p>}
    </form>
  );
};
