// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { FormDetail, IpcParsedRequest } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { editorFromDetail, emptyEditor } from './editor-state.js';
import { FormEditor } from './FormEditor.js';

const formId = '11111111-1111-4111-8111-111111111111';
const now = '2026-11-25T10:00:00.000Z';

/** Plays main's part of forms:save: gives ids to new rows and returns the saved form. */
const saveLikeMain = (draft: IpcParsedRequest<'forms:save'>): FormDetail => {
  let n = 0;
  const newId = () => `22222222-2222-4222-8222-${String(++n).padStart(12, '0')}`;
  const form = {
    id: draft.form.id ?? formId,
    title: draft.form.title,
    description: draft.form.description,
    status: draft.form.status,
    updated_at: now,
    deleted_at: null,
  };
  const sections = draft.sections.map((s) => ({
    id: s.id ?? newId(),
    form_id: form.id,
    title: s.title,
    position: s.position,
    updated_at: now,
    deleted_at: null,
  }));
  const fields = draft.fields.map((f) => ({
    id: f.id ?? newId(),
    form_id: form.id,
    section_id: f.section_index === null ? null : sections[f.section_index]!.id,
    label: f.label,
    type: f.type,
    required: f.required,
    options: f.options,
    position: f.position,
    updated_at: now,
    deleted_at: null,
  }));
  return { form, sections, fields };
};

const setup = (initial = emptyEditor()) => {
  const api = createTestInsight({ 'forms:save': saveLikeMain });
  const saved: FormDetail[] = [];
  renderWithInsight(<FormEditor initial={initial} onSaved={(detail) => saved.push(detail)} />, api);
  return { api, saved, user: userEvent.setup() };
};

const section = (n: number) => screen.getByRole('group', { name: `Section ${n}` });
const field = (sectionNumber: number, n: number) =>
  within(section(sectionNumber)).getByRole('group', { name: `Field ${n}` });

describe('FormEditor', () => {
  it('refuses to save a form without a title and says why', async () => {
    const { api, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('A form needs a title');
    expect(screen.getByLabelText('Title')).toHaveAttribute('aria-invalid', 'true');
    expect(api.callsTo('forms:save')).toHaveLength(0);
  });

  it('asks for a label on every field and options on a choice field', async () => {
    const { api, user } = setup();
    await user.type(screen.getByLabelText('Title'), 'Opening checklist');
    await user.click(screen.getByRole('button', { name: 'Add section' }));
    await user.click(within(section(1)).getByRole('button', { name: 'Add field' }));
    await user.click(within(section(1)).getByRole('button', { name: 'Add field' }));
    await user.type(within(field(1, 2)).getByLabelText('Label'), 'Mood');
    await user.selectOptions(within(field(1, 2)).getByLabelText('Type'), 'Choice');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Every field needs a label');
    expect(alert).toHaveTextContent('A choice field needs at least one option');
    expect(api.callsTo('forms:save')).toHaveLength(0);
  });

  it('saves sections and fields of every type, in order, as one FormDraft', async () => {
    const { api, saved, user } = setup();
    await user.type(screen.getByLabelText('Title'), 'Store audit');
    await user.type(screen.getByLabelText('Description'), 'Weekly walk-through');

    await user.click(screen.getByRole('button', { name: 'Add section' }));
    await user.type(within(section(1)).getByLabelText('Section title'), 'Front of store');
    const types = [
      ['Text', 'Manager on duty'],
      ['Number', 'Customers waiting'],
      ['Yes / No', 'Entrance clean'],
      ['Choice', 'Queue length'],
    ] as const;
    for (const [index, [type, label]] of types.entries()) {
      await user.click(within(section(1)).getByRole('button', { name: 'Add field' }));
      await user.type(within(field(1, index + 1)).getByLabelText('Label'), label);
      await user.selectOptions(within(field(1, index + 1)).getByLabelText('Type'), type);
    }
    await user.type(within(field(1, 4)).getByLabelText('Options (one per line)'), 'Short{Enter}Long{Enter}');
    await user.click(within(field(1, 1)).getByLabelText('Required'));

    await user.click(screen.getByRole('button', { name: 'Add section' }));
    await user.click(within(section(2)).getByRole('button', { name: 'Add field' }));
    await user.type(within(field(2, 1)).getByLabelText('Label'), 'Audit date');
    await user.selectOptions(within(field(2, 1)).getByLabelText('Type'), 'Date');

    // Reorder: "Customers waiting" goes above "Manager on duty".
    await user.click(within(field(1, 2)).getByRole('button', { name: 'Move up' }));

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsTo('forms:save')).toHaveLength(1));
    expect(api.callsTo('forms:save')[0]).toEqual({
      form: { title: 'Store audit', description: 'Weekly walk-through', status: 'draft' },
      sections: [
        { title: 'Front of store', position: 0 },
        { title: null, position: 1 },
      ],
      fields: [
        { section_index: 0, label: 'Customers waiting', type: 'number', required: false, options: null, position: 0 },
        { section_index: 0, label: 'Manager on duty', type: 'text', required: true, options: null, position: 1 },
        { section_index: 0, label: 'Entrance clean', type: 'boolean', required: false, options: null, position: 2 },
        {
          section_index: 0,
          label: 'Queue length',
          type: 'choice',
          required: false,
          options: ['Short', 'Long'],
          position: 3,
        },
        { section_index: 1, label: 'Audit date', type: 'date', required: false, options: null, position: 0 },
      ],
    });
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(await screen.findByRole('status')).toHaveTextContent('Saved.');
  });

  it('publishes with status published, and keeps the ids of an existing form', async () => {
    const existing = saveLikeMain({
      form: { title: 'Closing', description: null, status: 'draft' },
      sections: [{ title: 'Till', position: 0 }],
      fields: [{ section_index: 0, label: 'Cash counted', type: 'number', required: true, options: null, position: 0 }],
    });
    const { api, user } = setup(editorFromDetail(existing));
    expect(within(field(1, 1)).getByLabelText('Label')).toHaveValue('Cash counted');
    await user.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(api.callsTo('forms:save')).toHaveLength(1));
    const draft = api.callsTo('forms:save')[0]!;
    expect(draft.form).toEqual({ id: formId, title: 'Closing', description: null, status: 'published' });
    expect(draft.sections[0]!.id).toBe(existing.sections[0]!.id);
    expect(draft.fields[0]!.id).toBe(existing.fields[0]!.id);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Publish' })).not.toBeInTheDocument());
  });

  it('keeps the stored status on Save, so an archive made beside the editor is not undone', async () => {
    const api = createTestInsight({ 'forms:save': saveLikeMain });
    const existing = saveLikeMain({
      form: { title: 'Closing', description: null, status: 'draft' },
      sections: [],
      fields: [],
    });
    renderWithInsight(<FormEditor initial={editorFromDetail(existing)} savedStatus="archived" />, api);
    expect(screen.getByText('Status: archived')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsTo('forms:save')).toHaveLength(1));
    expect(api.callsTo('forms:save')[0]!.form.status).toBe('archived');
  });

  it('removes a section together with its fields', async () => {
    const { api, user } = setup();
    await user.type(screen.getByLabelText('Title'), 'Short form');
    await user.click(screen.getByRole('button', { name: 'Add section' }));
    await user.click(within(section(1)).getByRole('button', { name: 'Add field' }));
    await user.type(within(field(1, 1)).getByLabelText('Label'), 'Gone');
    await user.click(within(section(1)).getByRole('button', { name: 'Remove section' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsTo('forms:save')).toHaveLength(1));
    expect(api.callsTo('forms:save')[0]).toMatchObject({ sections: [], fields: [] });
  });

  it('shows the reason when main refuses the save', async () => {
    const { api, user } = setup();
    api.handlers['forms:save'] = () => {
      throw new Error('forms.title: is required');
    };
    await user.type(screen.getByLabelText('Title'), 'X');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not save the form: forms.title: is required');
  });
});
