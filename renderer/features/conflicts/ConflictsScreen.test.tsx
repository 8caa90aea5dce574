// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ConflictView } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { ConflictsScreen } from './ConflictsScreen.js';

const recordId = '8d3f1e2a-5b6c-4d7e-8f90-a1b2c3d4e5f6';
const formId = '44444444-4444-4444-8444-444444444444';
const submissionConflict: ConflictView = {
  id: 7,
  table: 'submissions',
  record_id: recordId,
  rule: 'latest_wins',
  resolution: 'server_wins',
  client_data: {
    id: recordId,
    form_id: formId,
    status: 'in_progress',
    store_id: 'store-12',
    submitted_by: 'Manager',
    updated_at: '2026-11-25T10:00:00.000Z',
  },
  server_data: {
    id: recordId,
    form_id: formId,
    status: 'completed',
    store_id: 'store-12',
    submitted_by: 'Phone 3',
    updated_at: '2026-11-25T10:05:00.000Z',
    server_version: '42',
    written_by: 'phone-3',
  },
  differing_fields: ['status', 'submitted_by', 'updated_at'],
  decided_at: '2026-11-25T10:06:00.000Z',
  client_edited_at: null,
  server_edited_at: null,
  status: 'open',
};

const renderConflicts = (conflicts: ConflictView[]) => {
  const api = createTestInsight({
    'conflicts:list': ({ include_closed }) => conflicts.filter((c) => include_closed || c.status === 'open'),
    'conflicts:resolve': () => ({ ok: true }),
    'forms:list': () => [
      {
        id: formId,
        title: 'Opening checklist',
        description: null,
        status: 'published' as const,
        updated_at: '2026-11-25T09:00:00.000Z',
        deleted_at: null,
        section_count: 0,
        field_count: 0,
      },
    ],
  });
  renderWithInsight(<ConflictsScreen />, api);
  return api;
};

const card = async (name: RegExp) => screen.findByRole('article', { name });

describe('ConflictsScreen', () => {
  it('shows both versions side by side and highlights only the fields that differ', async () => {
    renderConflicts([submissionConflict]);
    const article = await card(/Opening checklist at store-12/);
    const table = within(article).getByRole('table');
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['Field', 'This Mac', 'Server (kept)']);

    const row = (field: string) =>
      within(table)
        .getByRole('rowheader', { name: new RegExp(`^${field}`) })
        .closest('tr')!;
    // Field labels and values in words, not column names and codes.
    expect(
      within(row('Status'))
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['In progress', 'Completed']);
    expect(row('Status')).toHaveClass('differs');
    expect(row('Submitted by')).toHaveClass('differs');
    expect(within(row('Status')).getByText('differs')).toBeInTheDocument();
    expect(row('Store')).not.toHaveClass('differs');
    expect(within(row('Store')).queryByText('differs')).not.toBeInTheDocument();
    // The server's bookkeeping is not a difference the manager can act on; ids are in Details.
    expect(within(table).queryByRole('rowheader', { name: /server_version|^Form|^Record/ })).not.toBeInTheDocument();
    expect(within(article).getByText('phone-3')).toBeInTheDocument();
  });

  it('titles each conflict in the manager’s words, says what happened, keeps the ids under Details and links the record', async () => {
    renderConflicts([
      submissionConflict,
      {
        ...submissionConflict,
        id: 9,
        client_data: { ...submissionConflict.client_data, deleted_at: '2026-11-25T10:00:00.000Z' },
      },
    ]);
    const [edited, deleted] = await screen.findAllByRole('article', { name: 'Opening checklist at store-12' });
    expect(edited).toHaveTextContent('You edited this; phone-3 edited it later; the later change was kept.');
    expect(deleted).toHaveTextContent('You deleted this; phone-3 edited it later; the later change was kept.');
    const details = within(edited!).getByText('Details').closest('details')!;
    expect(details).not.toHaveAttribute('open');
    expect(within(details).getByText(recordId)).toBeInTheDocument();
    expect(within(details).getByText(formId)).toBeInTheDocument();
    expect(within(edited!).getByRole('link', { name: 'Open the record' })).toHaveAttribute(
      'href',
      `#/submissions/${recordId}`,
    );
    const deletedRow = within(deleted!)
      .getByRole('rowheader', { name: /^Deleted/ })
      .closest('tr')!;
    expect(
      within(deletedRow)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual([`Deleted ${new Date('2026-11-25T10:00:00.000Z').toLocaleString()}`, '—']);
  });

  it('titles a KPI value by metric, store and period, and a team member by name', async () => {
    renderConflicts([
      {
        ...submissionConflict,
        id: 10,
        table: 'kpi_data',
        client_data: { metric: 'Sales', store_id: 'S1', period: '2026-11', value: 3 },
        server_data: { metric: 'Sales', store_id: 'S1', period: '2026-11', value: 4 },
        differing_fields: ['value'],
      },
      {
        ...submissionConflict,
        id: 11,
        table: 'team',
        rule: 'server_wins',
        client_data: { name: 'Ana', role: 'clerk' },
        server_data: { name: 'Ana', role: 'lead' },
        differing_fields: ['role'],
      },
    ]);
    expect(await card(/^Sales at S1, 2026-11$/)).toBeInTheDocument();
    const member = await card(/^Team member Ana$/);
    expect(member).toHaveTextContent('the server’s version was kept.');
    expect(within(member).getByRole('link', { name: 'Open the team' })).toHaveAttribute('href', '#/team');
  });

  it('names the rule that decided and the outcome', async () => {
    renderConflicts([
      submissionConflict,
      {
        ...submissionConflict,
        id: 8,
        table: 'forms',
        rule: 'manager_wins',
        resolution: 'client_wins',
        client_data: { title: 'Audit' },
        server_data: { title: 'Audit 2' },
      },
    ]);
    const submission = await card(/Opening checklist at store-12/);
    expect(within(submission).getByText(/Latest edit wins/)).toBeInTheDocument();
    expect(within(submission).getByText('The server’s version was kept')).toBeInTheDocument();
    const form = await card(/^Form “Audit 2”$/);
    expect(within(form).getByText(/Manager wins/)).toBeInTheDocument();
    expect(within(form).getByText('This Mac’s version was kept')).toBeInTheDocument();
    expect(
      within(form)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Field', 'This Mac (kept)', 'Server']);
  });

  it('accepts the outcome through conflicts:resolve with action accept', async () => {
    const api = renderConflicts([submissionConflict]);
    await userEvent.click(within(await card(/Opening checklist at store-12/)).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(api.callsTo('conflicts:resolve')).toEqual([{ id: 7, action: 'accept' }]));
  });

  it('applies the other version through conflicts:resolve with action apply_other', async () => {
    const api = renderConflicts([submissionConflict]);
    await userEvent.click(
      within(await card(/Opening checklist at store-12/)).getByRole('button', { name: 'Apply the other version' }),
    );
    await waitFor(() => expect(api.callsTo('conflicts:resolve')).toEqual([{ id: 7, action: 'apply_other' }]));
  });

  it('shows the engine’s refusal when a resolution fails', async () => {
    const api = renderConflicts([submissionConflict]);
    api.handlers['conflicts:resolve'] = () => {
      throw new Error('conflict 7 is already closed');
    };
    await userEvent.click(within(await card(/Opening checklist at store-12/)).getByRole('button', { name: 'Accept' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('conflict 7 is already closed');
  });

  it('hides resolved conflicts and their actions until asked', async () => {
    const api = renderConflicts([{ ...submissionConflict, status: 'accepted' }]);
    expect(await screen.findByText(/No conflicts/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Show resolved conflicts' }));
    const article = await card(/Opening checklist at store-12/);
    expect(within(article).getByText('Accepted')).toBeInTheDocument();
    expect(within(article).queryByRole('button', { name: 'Accept' })).not.toBeInTheDocument();
    expect(api.callsTo('conflicts:list')).toEqual([{ include_closed: false }, { include_closed: true }]);
  });
});
