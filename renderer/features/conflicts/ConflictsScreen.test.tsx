// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ConflictView } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { ConflictsScreen } from './ConflictsScreen.js';

const recordId = '8d3f1e2a-5b6c-4d7e-8f90-a1b2c3d4e5f6';
const submissionConflict: ConflictView = {
  id: 7,
  table: 'submissions',
  record_id: recordId,
  rule: 'latest_wins',
  resolution: 'server_wins',
  client_data: {
    id: recordId,
    status: 'in_progress',
    store_id: 'store-12',
    submitted_by: 'Manager',
    updated_at: '2026-11-25T10:00:00.000Z',
  },
  server_data: {
    id: recordId,
    status: 'completed',
    store_id: 'store-12',
    submitted_by: 'Phone 3',
    updated_at: '2026-11-25T10:05:00.000Z',
    server_version: '42',
    written_by: 'phone-3',
  },
  differing_fields: ['status', 'submitted_by', 'updated_at'],
  decided_at: '2026-11-25T10:06:00.000Z',
  status: 'open',
};

const renderConflicts = (conflicts: ConflictView[]) => {
  const api = createTestInsight({
    'conflicts:list': ({ include_closed }) => conflicts.filter((c) => include_closed || c.status === 'open'),
    'conflicts:resolve': () => ({ ok: true }),
  });
  renderWithInsight(<ConflictsScreen />, api);
  return api;
};

const card = async (name: RegExp) => screen.findByRole('article', { name });

describe('ConflictsScreen', () => {
  it('shows both versions side by side and highlights only the fields that differ', async () => {
    renderConflicts([submissionConflict]);
    const article = await card(/Submissions/);
    const table = within(article).getByRole('table');
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Field', 'This Mac', 'Server (kept)']);

    const row = (field: string) => within(table).getByRole('rowheader', { name: new RegExp(`^${field}`) }).closest('tr')!;
    expect(within(row('status')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['in_progress', 'completed']);
    expect(row('status')).toHaveClass('differs');
    expect(row('submitted_by')).toHaveClass('differs');
    expect(within(row('status')).getByText('differs')).toBeInTheDocument();
    expect(row('store_id')).not.toHaveClass('differs');
    expect(within(row('store_id')).queryByText('differs')).not.toBeInTheDocument();
    // The server's bookkeeping is not a difference the manager can act on.
    expect(within(table).queryByRole('rowheader', { name: 'server_version' })).not.toBeInTheDocument();
    expect(within(article).getByText('phone-3')).toBeInTheDocument();
  });

  it('names the rule that decided and the outcome', async () => {
    renderConflicts([submissionConflict, { ...submissionConflict, id: 8, table: 'forms', rule: 'manager_wins', resolution: 'client_wins' }]);
    const submission = await card(/Submissions/);
    expect(within(submission).getByText(/Latest edit wins/)).toBeInTheDocument();
    expect(within(submission).getByText('The server’s version was kept')).toBeInTheDocument();
    const form = await card(/Forms/);
    expect(within(form).getByText(/Manager wins/)).toBeInTheDocument();
    expect(within(form).getByText('This Mac’s version was kept')).toBeInTheDocument();
    expect(within(form).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Field', 'This Mac (kept)', 'Server']);
  });

  it('accepts the outcome through conflicts:resolve with action accept', async () => {
    const api = renderConflicts([submissionConflict]);
    await userEvent.click(within(await card(/Submissions/)).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(api.callsTo('conflicts:resolve')).toEqual([{ id: 7, action: 'accept' }]));
  });

  it('applies the other version through conflicts:resolve with action apply_other', async () => {
    const api = renderConflicts([submissionConflict]);
    await userEvent.click(within(await card(/Submissions/)).getByRole('button', { name: 'Apply the other version' }));
    await waitFor(() => expect(api.callsTo('conflicts:resolve')).toEqual([{ id: 7, action: 'apply_other' }]));
  });

  it('shows the engine’s refusal when a resolution fails', async () => {
    const api = renderConflicts([submissionConflict]);
    api.handlers['conflicts:resolve'] = () => {
      throw new Error('conflict 7 is already closed');
    };
    await userEvent.click(within(await card(/Submissions/)).getByRole('button', { name: 'Accept' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('conflict 7 is already closed');
  });

  it('hides resolved conflicts and their actions until asked', async () => {
    const api = renderConflicts([{ ...submissionConflict, status: 'accepted' }]);
    expect(await screen.findByText(/No conflicts/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Show resolved conflicts' }));
    const article = await card(/Submissions/);
    expect(within(article).getByText('Accepted')).toBeInTheDocument();
    expect(within(article).queryByRole('button', { name: 'Accept' })).not.toBeInTheDocument();
    expect(api.callsTo('conflicts:list')).toEqual([{ include_closed: false }, { include_closed: true }]);
  });
});
