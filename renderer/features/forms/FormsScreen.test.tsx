// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcReply } from '../../../shared/ipc.js';
import { ToastProvider } from '../../components/Toasts.js';
import { createTestInsight, type ChannelHandlers } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { FormsScreen } from './FormsScreen.js';

const now = '2026-11-25T10:00:00.000Z';
const formId = '11111111-1111-4111-8111-111111111111';
const templateId = '99999999-9999-4999-8999-000000000001';
const form: IpcReply<'forms:list'>[number] = {
  id: formId,
  title: 'Opening audit',
  description: null,
  status: 'published',
  updated_at: now,
  deleted_at: null,
  section_count: 2,
  field_count: 5,
};

const setup = (handlers: ChannelHandlers = {}) => {
  let forms = [form];
  let templates: IpcReply<'templates:list'> = [
    { id: templateId, name: 'Morning checks', definition: null, updated_at: now, deleted_at: null },
  ];
  const api = createTestInsight({
    'forms:list': () => forms,
    'templates:list': () => templates,
    'forms:delete': ({ id }) => {
      forms = forms.filter((f) => f.id !== id);
      return { ok: true };
    },
    'templates:rename': ({ id, name }) => {
      templates = templates.map((t) => (t.id === id ? { ...t, name } : t));
      return templates.find((t) => t.id === id)!;
    },
    'templates:delete': ({ id }) => {
      templates = templates.filter((t) => t.id !== id);
      return { ok: true };
    },
    'submissions:list': () => ({ rows: [], total: 0 }),
    ...handlers,
  });
  renderWithInsight(
    <ToastProvider>
      <FormsScreen />
    </ToastProvider>,
    api,
  );
  return api;
};

describe('the Forms screen', () => {
  it('with no forms, says what a form is for and how to make one', async () => {
    setup({ 'forms:list': () => [], 'templates:list': () => [] });
    expect(await screen.findByText('No forms yet.')).toBeInTheDocument();
    expect(screen.getByText(/Press New form \(⌘N\).*then\s+Publish/)).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Forms' })).not.toBeInTheDocument();
  });

  it('a row’s context menu opens, archives and deletes (asking first) the form', async () => {
    const api = setup({ 'forms:set-status': ({ id, status }) => ({ ...form, id, status }) });
    const row = (await screen.findByRole('rowheader', { name: 'Opening audit' })).closest('tr')!;
    fireEvent.contextMenu(row, { clientX: 20, clientY: 20 });
    const menu = await screen.findByRole('menu', { name: 'Actions for Opening audit' });
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((item) => item.textContent),
    ).toEqual(['Open', 'Export submissions (CSV)', 'Archive', 'Delete…']);
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Archive' }));
    await waitFor(() => expect(api.callsTo('forms:set-status')).toEqual([{ id: formId, status: 'archived' }]));

    fireEvent.contextMenu(row);
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Delete…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete this form?' });
    expect(dialog).toHaveTextContent('every store device');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.callsTo('forms:delete')).toEqual([]);
    fireEvent.contextMenu(row);
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Delete…' }));
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.callsTo('forms:delete')).toEqual([{ id: formId }]));
    expect(await screen.findByText('Form “Opening audit” deleted.')).toBeInTheDocument();
    expect(await screen.findByText('No forms yet.')).toBeInTheDocument();
  });

  it('Export submissions asks main for that form’s submissions only', async () => {
    const api = setup();
    URL.createObjectURL = () => 'blob:test';
    URL.revokeObjectURL = () => {};
    const row = (await screen.findByRole('rowheader', { name: 'Opening audit' })).closest('tr')!;
    fireEvent.contextMenu(row);
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Export submissions (CSV)' }));
    await waitFor(() => expect(api.callsTo('submissions:list')).toEqual([{ form_id: formId, offset: 0, limit: 1000 }]));
  });
});

describe('templates', () => {
  it('are renamed in place; an empty name is refused beside the field', async () => {
    const api = setup();
    const templates = await screen.findByRole('table', { name: 'Templates' });
    await userEvent.click(within(templates).getByRole('button', { name: 'Rename Morning checks' }));
    const rename = screen.getByRole('form', { name: 'Rename Morning checks' });
    const input = within(rename).getByLabelText('New name');
    expect(input).toHaveFocus();
    await userEvent.clear(input);
    await userEvent.type(input, '   {Enter}');
    expect(input).toHaveAccessibleDescription('Name the template');
    expect(api.callsTo('templates:rename')).toEqual([]);
    await userEvent.clear(input);
    await userEvent.type(input, 'Opening checks{Enter}');
    await waitFor(() => expect(api.callsTo('templates:rename')).toEqual([{ id: templateId, name: 'Opening checks' }]));
    expect(await within(templates).findByRole('rowheader', { name: 'Opening checks' })).toBeInTheDocument();
    expect(screen.getByText('Template renamed to “Opening checks”.')).toBeInTheDocument();
  });

  it('are deleted only after the confirmation that says it reaches every manager device', async () => {
    const api = setup();
    const templates = await screen.findByRole('table', { name: 'Templates' });
    await userEvent.click(within(templates).getByRole('button', { name: 'Delete Morning checks' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete this template?' });
    expect(dialog).toHaveTextContent('every manager device. Forms already made from it stay as they are.');
    expect(api.callsTo('templates:delete')).toEqual([]);
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(api.callsTo('templates:delete')).toEqual([{ id: templateId }]));
    await waitFor(() => expect(screen.queryByRole('table', { name: 'Templates' })).not.toBeInTheDocument());
  });
});
