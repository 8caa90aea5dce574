import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeLocal } from '../db/outbox.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { NotFoundError } from './errors.js';
import { listForms, saveForm } from './forms.js';
import { createFormFromTemplate, deleteTemplate, listTemplates, saveFormAsTemplate } from './templates.js';

let store: TemporaryStore;
beforeEach(() => {
  store = openTemporaryStore();
});
afterEach(() => store.remove());

const shape = (detail: ReturnType<typeof saveForm>) => ({
  sections: detail.sections.map((s) => [s.title, s.position]),
  fields: detail.fields.map((f) => [
    f.label,
    f.type,
    f.required,
    f.options,
    f.position,
    detail.sections.find((s) => s.id === f.section_id)?.title ?? null,
  ]),
});

describe('templates', () => {
  it('saves a form as a template and creates a new draft form from it with fresh ids', () => {
    const original = saveForm(store, {
      form: { title: 'Store opening', description: 'Mornings', status: 'published' },
      sections: [
        { title: 'Outside', position: 0 },
        { title: 'Inside', position: 1 },
      ],
      fields: [
        { section_index: 1, label: 'Till float', type: 'number', required: true, position: 0 },
        { section_index: 0, label: 'Mood', type: 'choice', required: false, options: ['good', 'bad'], position: 0 },
        { section_index: null, label: 'Notes', type: 'text', required: false, position: 0 },
      ],
    });
    const template = saveFormAsTemplate(store, { form_id: original.form.id, name: 'Opening checklist' });
    expect(template.name).toBe('Opening checklist');
    expect(JSON.stringify(template.definition)).not.toContain(original.form.id);
    expect(listTemplates(store)).toEqual([template]);

    const copy = createFormFromTemplate(store, { template_id: template.id, title: 'Opening, store 9' });
    expect(copy.form).toMatchObject({ title: 'Opening, store 9', description: 'Mornings', status: 'draft' });
    expect(copy.form.id).not.toBe(original.form.id);
    expect(shape(copy)).toEqual(shape(original));
    const originalIds = new Set([...original.sections, ...original.fields].map((r) => r.id));
    expect([...copy.sections, ...copy.fields].some((r) => originalIds.has(r.id))).toBe(false);
    expect(createFormFromTemplate(store, { template_id: template.id }).form.title).toBe('Store opening');
    expect(listForms(store)).toHaveLength(3);
  });

  it('refuses a template whose definition is not a form, naming the template', () => {
    const bad = writeLocal(
      store,
      'form_templates',
      { id: randomUUID(), name: 'Broken', definition: { hello: 1 }, updated_at: new Date().toISOString() },
      'INSERT',
    );
    expect(() => createFormFromTemplate(store, { template_id: bad.id })).toThrow(
      /Template "Broken" holds no usable form definition/,
    );
    expect(listForms(store)).toEqual([]);
  });

  it('deletes a template as a tombstone that the list hides', () => {
    const { form } = saveForm(store, { form: { title: 'A' }, sections: [], fields: [] });
    const template = saveFormAsTemplate(store, { form_id: form.id, name: 'A' });
    deleteTemplate(store, template.id);
    expect(listTemplates(store)).toEqual([]);
    expect(() => createFormFromTemplate(store, { template_id: template.id })).toThrow(NotFoundError);
    expect(() => saveFormAsTemplate(store, { form_id: randomUUID(), name: 'x' })).toThrow(NotFoundError);
    expect(() => saveFormAsTemplate(store, { form_id: form.id, name: ' ' })).toThrow(/Name the template/);
  });
});
