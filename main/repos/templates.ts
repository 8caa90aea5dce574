// Form templates: a template's `definition` holds a form's content (title, description, sections,
// fields) in the form editor's draft shape without ids, so "create a form from a template" is
// simply saving that draft as a new form, and any manager device can read what another wrote.
import { newId } from '../../shared/ids.js';
import { z } from 'zod';
import { FormDraft, ipcChannels, type IpcRequest } from '../../shared/ipc.js';
import type { RowOf } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { localTransaction, nowIso, writeIfChanged, writeTombstone } from '../db/outbox.js';
import { fromSqliteRow } from '../db/rows.js';
import { InvalidEditError, parseInput } from './errors.js';
import { getForm, writeFormDraft, type FormDetail } from './forms.js';
import { requireLive } from './live-rows.js';

export type TemplateRow = RowOf<'form_templates'>;

/** What a template's definition holds: the editor's draft of a form, with no ids. */
export const TemplateDefinition = FormDraft.extend({
  form: FormDraft.shape.form.omit({ id: true }),
  sections: z.array(FormDraft.shape.sections.element.omit({ id: true })),
  fields: z.array(FormDraft.shape.fields.element.omit({ id: true })),
});
export type TemplateDefinition = z.output<typeof TemplateDefinition>;

/** Every live template, by name. */
export function listTemplates(store: LocalStore): TemplateRow[] {
  const raws = store.sqlite
    .prepare('SELECT * FROM form_templates WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id')
    .all() as Record<string, unknown>[];
  return raws.map((raw) => fromSqliteRow('form_templates', raw));
}

/** The content of a form as a template definition (sections and fields in position order). */
export function definitionOfForm(form: FormDetail): TemplateDefinition {
  const sectionIndex = new Map(form.sections.map((section, index) => [section.id, index]));
  return {
    form: { title: form.form.title, description: form.form.description, status: 'draft' },
    sections: form.sections.map(({ title, position }) => ({ title, position })),
    fields: form.fields.map(({ section_id, label, type, required, options, position }) => ({
      section_index: section_id === null ? null : (sectionIndex.get(section_id) ?? null),
      label,
      type,
      required,
      options,
      position,
    })),
  };
}

/** Saves a form's current content as a new template named `name`. */
export function saveFormAsTemplate(store: LocalStore, input: { form_id: string; name: string }): TemplateRow {
  const { form_id, name } = parseInput(
    z.object({ form_id: z.uuid(), name: z.string().trim().min(1, 'Name the template') }),
    input,
  );
  return localTransaction(store, (local) =>
    local.write(
      'form_templates',
      { id: newId(), name, definition: definitionOfForm(getForm(store, form_id)), updated_at: nowIso() },
      'INSERT',
    ),
  );
}

/** A new draft form with the template's sections and fields (fresh ids), titled `title` or as the template says. */
export function createFormFromTemplate(
  store: LocalStore,
  input: { template_id: string; title?: string | undefined },
): FormDetail {
  const { template_id, title } = parseInput(
    z.object({ template_id: z.uuid(), title: z.string().trim().min(1).optional() }),
    input,
  );
  return localTransaction(store, (local) => {
    const template = requireLive(store, 'form_templates', template_id, 'Template');
    const parsed = TemplateDefinition.safeParse(template.definition);
    if (!parsed.success) {
      throw new InvalidEditError(
        `Template "${template.name}" holds no usable form definition: ${z.prettifyError(parsed.error)}`,
      );
    }
    const definition = parsed.data;
    const formId = writeFormDraft(store, local, {
      ...definition,
      form: { ...definition.form, title: title ?? definition.form.title, status: 'draft' },
    });
    return getForm(store, formId);
  });
}

/** Renames a template; its definition is untouched. Renaming to the same name writes nothing. */
export function renameTemplate(store: LocalStore, input: IpcRequest<'templates:rename'>): TemplateRow {
  const { id, name } = parseInput(ipcChannels['templates:rename'].request, input);
  return localTransaction(store, (local) => {
    const current = requireLive(store, 'form_templates', id, 'Template');
    return writeIfChanged(local, 'form_templates', current, { ...current, name, updated_at: nowIso() });
  });
}

/** Deletes a template (tombstone). */
export function deleteTemplate(store: LocalStore, id: string): void {
  localTransaction(store, (local) => {
    writeTombstone(local, 'form_templates', requireLive(store, 'form_templates', id, 'Template'));
  });
}
