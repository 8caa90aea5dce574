import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeLocal } from '../db/outbox.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { NotFoundError } from './errors.js';
import { listForms, saveForm } from './forms.js';
import {
  createFormFromTemplate,
  deleteTemplate,
  listTemplates,
  renameTemplate,
  saveFormAsTemplate,
} from './templates.js';

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

describe('renaming and deleting templates (the Forms screen’s template list)', () => {
  const pendingOps = () =>
    (
      store.sqlite.prepare('SELECT table_name, operation FROM pending_changes ORDER BY id').all() as Array<{
        table_name: string;
        operation: string;
      }>
    ).map((c) => `${c.table_name}:${c.operation}`);

  it('renames a template, keeping what it holds, and queues the change to sync', () => {
    const { form } = saveForm(store, {
      form: { title: 'Opening' },
      sections: [{ title: 'Outside', position: 0 }],
      fields: [{ section_index: 0, label: 'Doors', type: 'boolean', required: true, position: 0 }],
    });
    const template = saveFormAsTemplate(store, { form_id: form.id, name: 'Opening' });
    store.sqlite.prepare('DELETE FROM pending_changes').run();
    const renamed = renameTemplate(store, { id: template.id, name: '  Morning opening  ' });
    expect(renamed).toMatchObject({ id: template.id, name: 'Morning opening', definition: template.definition });
    expect(listTemplates(store).map((t) => t.name)).toEqual(['Morning opening']);
    expect(pendingOps()).toEqual(['form_templates:UPDATE']);
    // The same name again changes nothing, so nothing more is sent.
    renameTemplate(store, { id: template.id, name: 'Morning opening' });
    expect(pendingOps()).toEqual(['form_templates:UPDATE']);
  });

  it('refuses an empty name, an over-long one and a deleted template, changing nothing', () => {
    const { form } = saveForm(store, { form: { title: 'A' }, sections: [], fields: [] });
    const template = saveFormAsTemplate(store, { form_id: form.id, name: 'A' });
    expect(() => renameTemplate(store, { id: template.id, name: '   ' })).toThrow(/Name the template/);
    expect(() => renameTemplate(store, { id: template.id, name: 'x'.repeat(501) })).toThrow(
      /Keep the name under 500 characters/,
    );
    expect(listTemplates(store).map((t) => t.name)).toEqual(['A']);
    deleteTemplate(store, template.id);
    expect(() => renameTemplate(store, { id: template.id, name: 'B' })).toThrow(NotFoundError);
    expect(pendingOps()).toEqual(['forms:INSERT', 'form_templates:INSERT', 'form_templates:DELETE']);
  });
});
