// @vitest-environment jsdom
// The editor's aids (issue 11): problems beside their field and brought into view, the outline
// that reorders sections and fields by drag (or keyboard), and the preview of what a store sees.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FormDetail } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { editorFromDetail, emptyEditor } from './editor-state.js';
import { FormEditor } from './FormEditor.js';
import { moveKeys } from './ReorderList.js';

const now = '2026-11-25T10:00:00.000Z';
const formId = '11111111-1111-4111-8111-111111111111';
const sectionIds = ['33333333-3333-4333-8333-000000000001', '33333333-3333-4333-8333-000000000002'];
const fieldId = (n: number) => `22222222-2222-4222-8222-00000000000${n}`;
const meta = { form_id: formId, updated_at: now, deleted_at: null };
const saved: FormDetail = {
  form: { id: formId, title: 'Opening', description: 'Before 9', status: 'draft', updated_at: now, deleted_at: null },
  sections: [
    { id: sectionIds[0]!, title: 'Outside', position: 0, ...meta },
    { id: sectionIds[1]!, title: 'Inside', position: 1, ...meta },
  ],
  fields: [
    {
      id: fieldId(1),
      section_id: sectionIds[0]!,
      label: 'Doors open',
      type: 'boolean',
      required: true,
      options: null,
      position: 0,
      ...meta,
    },
    {
      id: fieldId(2),
      section_id: sectionIds[0]!,
      label: 'Sign lit',
      type: 'choice',
      required: false,
      options: ['On', 'Off'],
      position: 1,
      ...meta,
    },
    {
      id: fieldId(3),
      section_id: sectionIds[1]!,
      label: 'Till float',
      type: 'number',
      required: false,
      options: null,
      position: 0,
      ...meta,
    },
  ],
};

const scrolled: Element[] = [];
beforeEach(() => {
  scrolled.length = 0;
  // jsdom lays nothing out and has no scrollIntoView: record which element asked to be shown.
  Element.prototype.scrollIntoView = vi.fn(function (this: Element) {
    scrolled.push(this);
  });
});
afterEach(() => {
  delete (Element.prototype as Partial<Element>).scrollIntoView;
});

const setup = (initial = editorFromDetail(saved)) => {
  const api = createTestInsight({
    'forms:save': (draft) => ({ ...saved, form: { ...saved.form, title: draft.form.title } }),
  });
  renderWithInsight(<FormEditor initial={initial} />, api);
  return api;
};

describe('problems beside their field', () => {
  it('a 500-character title: the message in plain words right under Title, scrolled to and focused, nothing sent', async () => {
    const api = setup(emptyEditor());
    const title = screen.getByLabelText('Title');
    fireEvent.change(title, { target: { value: 'x'.repeat(501) } });
    // The editor is long: the problem must come to the manager, not wait below the fold.
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(title).toHaveFocus());
    expect(title).toHaveAccessibleDescription('Keep the title under 500 characters');
    expect(title.nextElementSibling).toHaveTextContent('Keep the title under 500 characters');
    expect(scrolled).toEqual([title]);
    expect(api.callsTo('forms:save')).toEqual([]);
    // Fixed, the message goes at once, before any new Save.
    fireEvent.change(title, { target: { value: 'Opening' } });
    expect(title).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByText('Keep the title under 500 characters')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('a section title that is too long is marked at that section, not only in the summary', async () => {
    setup();
    const second = screen.getByRole('group', { name: 'Section 2' });
    const sectionTitle = within(second).getByLabelText('Section title');
    fireEvent.change(sectionTitle, { target: { value: 'y'.repeat(600) } });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sectionTitle).toHaveFocus());
    expect(sectionTitle).toHaveAccessibleDescription('Keep a section title under 500 characters');
    expect(
      within(screen.getByRole('group', { name: 'Section 1' })).getByLabelText('Section title'),
    ).not.toHaveAttribute('aria-invalid');
  });
});

describe('reordering by drag', () => {
  it('moves the dragged items before or after the drop target, keeping their own order', () => {
    const order = ['a', 'b', 'c', 'd'];
    expect(moveKeys(order, new Set(['d']), { type: 'item', key: 'a', dropPosition: 'before' })).toEqual([
      'd',
      'a',
      'b',
      'c',
    ]);
    expect(moveKeys(order, new Set(['a', 'c']), { type: 'item', key: 'd', dropPosition: 'after' })).toEqual([
      'b',
      'd',
      'a',
      'c',
    ]);
    expect(moveKeys(order, new Set(['b']), { type: 'item', key: 'b', dropPosition: 'after' })).toEqual(order);
    expect(moveKeys(order, new Set(['b']), { type: 'root' })).toEqual(order);
  });

  it('lists sections and each section’s fields as draggable lists, and Save sends the order shown', async () => {
    const api = setup();
    expect(screen.getByRole('grid', { name: 'Order of sections' })).toBeInTheDocument();
    const fieldsOutside = screen.getByRole('grid', { name: 'Order of fields in Outside' });
    expect(
      within(fieldsOutside)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual(['Doors open', 'Sign lit']);
    expect(within(fieldsOutside).getByRole('button', { name: 'Drag Sign lit' })).toBeInTheDocument();
    // A section with one field has nothing to reorder.
    expect(screen.queryByRole('grid', { name: 'Order of fields in Inside' })).not.toBeInTheDocument();
    // The keyboard way stays: Move section down, then the outline follows.
    await userEvent.click(
      within(screen.getByRole('group', { name: 'Section 1' })).getByRole('button', { name: 'Move section down' }),
    );
    const sections = screen.getByRole('grid', { name: 'Order of sections' });
    expect(
      within(sections)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual(['Inside', 'Outside']);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsTo('forms:save')).toHaveLength(1));
    expect(api.callsTo('forms:save')[0]!.sections.map((s) => [s.id, s.position])).toEqual([
      [sectionIds[1], 0],
      [sectionIds[0], 1],
    ]);
  });
});

describe('dragging with the keyboard (React Aria’s drag and drop)', () => {
  it('picks a field up by its grip, drops it before another, and Save sends the new positions', async () => {
    const api = setup();
    const fieldsOutside = screen.getByRole('grid', { name: 'Order of fields in Outside' });
    act(() => within(fieldsOutside).getByRole('button', { name: 'Drag Sign lit' }).focus());
    await userEvent.keyboard('{Enter}'); // pick up
    await userEvent.keyboard('{ArrowUp}'); // its own place…
    await userEvent.keyboard('{ArrowUp}'); // …then before "Doors open"
    await userEvent.keyboard('{Enter}'); // drop
    await waitFor(() =>
      expect(
        within(screen.getByRole('grid', { name: 'Order of fields in Outside' }))
          .getAllByRole('row')
          .map((r) => r.textContent),
      ).toEqual(['Sign lit', 'Doors open']),
    );
    // The editor's own groups follow: Field 1 is now "Sign lit".
    const first = within(screen.getByRole('group', { name: 'Section 1' })).getByRole('group', { name: 'Field 1' });
    expect(within(first).getByLabelText('Label')).toHaveValue('Sign lit');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsTo('forms:save')).toHaveLength(1));
    expect(api.callsTo('forms:save')[0]!.fields.map((f) => [f.label, f.section_index, f.position])).toEqual([
      ['Sign lit', 0, 0],
      ['Doors open', 0, 1],
      ['Till float', 1, 0],
    ]);
  });
});

describe('the preview', () => {
  it('shows the form as a store fills it in, read-only, and going back keeps the edits', async () => {
    setup();
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Opening, revised' } });
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = screen.getByRole('region', { name: 'Preview of what the store sees' });
    expect(within(preview).getByRole('heading', { name: 'Opening, revised' })).toBeInTheDocument();
    expect(within(preview).getByText('Before 9')).toBeInTheDocument();
    const outside = within(preview).getByRole('region', { name: 'Outside' });
    const doors = within(outside).getByRole('group', { name: /Doors open/ });
    expect(
      within(doors)
        .getAllByRole('radio')
        .map((r) => r.parentElement?.textContent?.trim()),
    ).toEqual(['Yes', 'No']);
    expect(within(within(outside).getByRole('group', { name: /Sign lit/ })).getAllByRole('radio')).toHaveLength(2);
    const till = within(preview).getByLabelText('Till float');
    expect(till).toHaveAttribute('type', 'number');
    expect(till).toHaveAttribute('readonly');
    for (const radio of within(preview).getAllByRole('radio')) expect(radio).toBeDisabled();
    expect(screen.queryByLabelText('Section title')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Back to editing' }));
    expect(screen.getByLabelText('Title')).toHaveValue('Opening, revised');
  });
});
