import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { InvalidEditError, NotFoundError } from './errors.js';
import { deleteForm, getForm, listForms, listFormsByStatus, saveForm, setFormStatus } from './forms.js';

let store: TemporaryStore;
beforeEach(() => {
  store = openTemporaryStore();
});
afterEach(() => store.remove());

const pending = () =>
  store.sqlite
    .prepare('SELECT table_name, record_id, operation, data FROM pending_changes ORDER BY id')
    .all() as Array<{
    table_name: string;
    record_id: string;
    operation: string;
    data: string;
  }>;
const clearQueue = () => store.sqlite.prepare('DELETE FROM pending_changes').run();

const openingDraft = () => ({
  form: { title: 'Store opening', description: 'Every morning' },
  sections: [
    { title: 'Outside', position: 0 },
    { title: 'Inside', position: 1 },
  ],
  fields: [
    { section_index: 0, label: 'Windows clean', type: 'boolean' as const, required: true, position: 0 },
    { section_index: 1, label: 'Till float', type: 'number' as const, required: true, position: 0 },
    {
      section_index: 1,
      label: 'Mood',
      type: 'choice' as const,
      required: false,
      options: ['good', 'bad'],
      position: 1,
    },
    { section_index: null, label: 'Notes', type: 'text' as const, required: false, position: 0 },
  ],
});

describe('saving a new form', () => {
  it('creates the form, its sections and fields with ids, linked, and queues each as INSERT', () => {
    const detail = saveForm(store, openingDraft());
    expect(detail.form).toMatchObject({
      title: 'Store opening',
      description: 'Every morning',
      status: 'draft',
      deleted_at: null,
    });
    expect(detail.sections.map((s) => s.title)).toEqual(['Outside', 'Inside']);
    const [outside, inside] = detail.sections;
    const byLabel = Object.fromEntries(detail.fields.map((f) => [f.label, f]));
    expect(byLabel['Windows clean']!.section_id).toBe(outside!.id);
    expect(byLabel['Till float']!.section_id).toBe(inside!.id);
    expect(byLabel['Notes']!.section_id).toBeNull();
    expect(byLabel['Mood']!.options).toEqual(['good', 'bad']);
    expect(detail.fields.every((f) => f.form_id === detail.form.id)).toBe(true);

    const queue = pending();
    expect(queue.map((c) => [c.table_name, c.operation])).toEqual([
      ['forms', 'INSERT'],
      ['form_sections', 'INSERT'],
      ['form_sections', 'INSERT'],
      ['fields', 'INSERT'],
      ['fields', 'INSERT'],
      ['fields', 'INSERT'],
      ['fields', 'INSERT'],
    ]);
    expect(getForm(store, detail.form.id)).toEqual(detail);
  });

  it('refuses a draft without a title, and writes nothing', () => {
    expect(() => saveForm(store, { ...openingDraft(), form: { title: '  ' } })).toThrow(/A form needs a title/);
    expect(listForms(store)).toEqual([]);
    expect(pending()).toEqual([]);
  });

  it('refuses a field pointing at a section the draft does not have, and writes nothing', () => {
    const draft = openingDraft();
    draft.fields[0]!.section_index = 7;
    expect(() => saveForm(store, draft)).toThrow(InvalidEditError);
    expect(listForms(store)).toEqual([]);
    expect(pending()).toEqual([]);
  });
});

describe('saving an edited form', () => {
  it('writes only the rows that changed and tombstones removed sections and fields', () => {
    const created = saveForm(store, openingDraft());
    clearQueue();
    const [outside, inside] = created.sections;
    const field = (label: string) => created.fields.find((f) => f.label === label)!;
    const sectionIndex = (id: string | null) => (id === outside!.id ? 0 : id === inside!.id ? 1 : null);

    // The user renames one field, removes "Outside" (and its field), keeps the rest as they were.
    const edited = saveForm(store, {
      form: { id: created.form.id, title: created.form.title, description: created.form.description },
      sections: [{ id: inside!.id, title: 'Inside', position: 1 }],
      fields: ['Till float', 'Mood', 'Notes'].map((label) => {
        const f = field(label);
        return {
          id: f.id,
          section_index: sectionIndex(f.section_id) === 1 ? 0 : null,
          label: label === 'Mood' ? 'Team mood' : f.label,
          type: f.type,
          required: f.required,
          options: f.options,
          position: f.position,
        };
      }),
    });

    expect(pending().map((c) => [c.table_name, c.record_id, c.operation])).toEqual([
      ['fields', field('Mood').id, 'UPDATE'],
      ['fields', field('Windows clean').id, 'DELETE'],
      ['form_sections', outside!.id, 'DELETE'],
    ]);
    const tombstone = JSON.parse(pending()[1]!.data) as { deleted_at: string | null; updated_at: string };
    expect(tombstone.deleted_at).toBe(tombstone.updated_at);
    expect(edited.sections.map((s) => s.id)).toEqual([inside!.id]);
    expect(edited.fields.map((f) => f.label).sort()).toEqual(['Notes', 'Team mood', 'Till float']);
    expect(listForms(store)).toMatchObject([{ id: created.form.id, section_count: 1, field_count: 3 }]);
  });

  it('saving an unchanged draft queues nothing', () => {
    const created = saveForm(store, openingDraft());
    clearQueue();
    const sectionIndex = new Map(created.sections.map((s, i) => [s.id, i]));
    saveForm(store, {
      form: { id: created.form.id, title: created.form.title, description: created.form.description },
      sections: created.sections.map(({ id, title, position }) => ({ id, title, position })),
      fields: created.fields.map(({ id, section_id, label, type, required, options, position }) => ({
        id,
        section_index: section_id === null ? null : sectionIndex.get(section_id)!,
        label,
        type,
        required,
        options,
        position,
      })),
    });
    expect(pending()).toEqual([]);
  });

  it('refuses a section or field of another form', () => {
    const a = saveForm(store, openingDraft());
    const b = saveForm(store, { form: { title: 'Closing' }, sections: [], fields: [] });
    clearQueue();
    expect(() =>
      saveForm(store, {
        form: { id: b.form.id, title: 'Closing' },
        sections: [{ id: a.sections[0]!.id, title: 'x', position: 0 }],
        fields: [],
      }),
    ).toThrow(/is not part of this form/);
    expect(pending()).toEqual([]);
  });

  it('refuses to save a form that was deleted meanwhile', () => {
    const created = saveForm(store, openingDraft());
    deleteForm(store, created.form.id);
    expect(() => saveForm(store, { form: { id: created.form.id, title: 'Again' }, sections: [], fields: [] })).toThrow(
      NotFoundError,
    );
  });
});

describe('form status and deletion', () => {
  it('publishes and archives, writing only when the status changes', () => {
    const { form } = saveForm(store, openingDraft());
    clearQueue();
    expect(setFormStatus(store, form.id, 'published').status).toBe('published');
    expect(setFormStatus(store, form.id, 'published').status).toBe('published');
    expect(listFormsByStatus(store, 'published').map((f) => f.id)).toEqual([form.id]);
    expect(setFormStatus(store, form.id, 'archived').status).toBe('archived');
    expect(listFormsByStatus(store, 'published')).toEqual([]);
    expect(pending().map((c) => c.operation)).toEqual(['UPDATE', 'UPDATE']);
  });

  it('deletes a form with its sections and fields as tombstones that readers never return', () => {
    const created = saveForm(store, openingDraft());
    const other = saveForm(store, { form: { title: 'Closing' }, sections: [], fields: [] });
    clearQueue();
    deleteForm(store, created.form.id);
    expect(pending().map((c) => c.operation)).toEqual(Array(7).fill('DELETE'));
    expect(pending().at(-1)).toMatchObject({ table_name: 'forms', record_id: created.form.id });
    expect(listForms(store).map((f) => f.id)).toEqual([other.form.id]);
    expect(() => getForm(store, created.form.id)).toThrow(/was not found/);
    expect(() => setFormStatus(store, created.form.id, 'published')).toThrow(NotFoundError);
    expect(() => deleteForm(store, created.form.id)).toThrow(NotFoundError);
    const kept = store.sqlite
      .prepare('SELECT count(*) AS n FROM fields WHERE form_id = ? AND deleted_at IS NOT NULL')
      .get(created.form.id);
    expect(kept).toEqual({ n: 4 });
  });

  it('does not find a form that never existed', () => {
    expect(() => getForm(store, randomUUID())).toThrow(NotFoundError);
  });
});
