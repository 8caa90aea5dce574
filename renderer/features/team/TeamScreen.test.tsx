// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcReply } from '../../../shared/ipc.js';
import { ToastProvider } from '../../components/Toasts.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { testStores } from '../../testing/stores.js';
import { TeamScreen } from './TeamScreen.js';

const memberId = '12121212-1212-4212-8212-000000000001';
const ana: IpcReply<'team:list'>[number] = {
  id: memberId,
  name: 'Ana Lima',
  role: 'Supervisor',
  store_id: 'north-01',
  email: 'ana@example.com',
  active: true,
  updated_at: '2026-11-25T10:00:00.000Z',
  deleted_at: null,
};

const setup = (members: IpcReply<'team:list'>) => {
  let team = members;
  const api = createTestInsight({
    'stores:list': () => testStores,
    'team:list': () => team,
    'team:save': (input) => {
      team = team.map((m) => (m.id === input.id ? { ...m, ...input } : m));
      return team.find((m) => m.id === input.id)!;
    },
    'team:delete': ({ id }) => {
      team = team.filter((m) => m.id !== id);
      return { ok: true };
    },
  });
  renderWithInsight(
    <ToastProvider>
      <TeamScreen />
    </ToastProvider>,
    api,
  );
  return api;
};

describe('the Team screen', () => {
  it('with nobody yet, says how to add people and why to deactivate rather than delete', async () => {
    setup([]);
    expect(await screen.findByText('No team members yet.')).toBeInTheDocument();
    expect(screen.getByText(/Add the people who work in your stores with the form above/)).toBeInTheDocument();
  });

  it('names each member’s store as people read it, and a code that is no store record as it is', async () => {
    setup([ana, { ...ana, id: '12121212-1212-4212-8212-000000000002', name: 'Bo Chen', store_id: 'S002' }]);
    const storeOf = async (name: string) =>
      within((await screen.findByRole('rowheader', { name })).closest('tr')!).getAllByRole('cell')[1];
    await waitFor(async () => expect(await storeOf('Bo Chen')).toHaveTextContent('S002 · Harbour'));
    expect(await storeOf('Ana Lima')).toHaveTextContent('north-01');
  });

  it('a row’s context menu edits and deactivates the member', async () => {
    const api = setup([ana]);
    const row = (await screen.findByRole('rowheader', { name: 'Ana Lima' })).closest('tr')!;
    fireEvent.contextMenu(row, { clientX: 5, clientY: 5 });
    const menu = await screen.findByRole('menu', { name: 'Actions for Ana Lima' });
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((i) => i.textContent),
    ).toEqual(['Edit', 'Deactivate', 'Delete…']);
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Deactivate' }));
    await waitFor(() =>
      expect(api.callsTo('team:save')).toEqual([expect.objectContaining({ id: memberId, active: false })]),
    );
    fireEvent.contextMenu(row);
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    expect(await screen.findByRole('form', { name: 'Edit team member' })).toBeInTheDocument();
  });

  it('Delete asks first, from the button or the menu; Cancel sends nothing', async () => {
    const api = setup([ana]);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete Ana Lima' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete this team member?' });
    expect(dialog).toHaveTextContent('deactivate them instead');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.callsTo('team:delete')).toEqual([]);
    fireEvent.contextMenu(screen.getByRole('rowheader', { name: 'Ana Lima' }).closest('tr')!);
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Delete…' }));
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.callsTo('team:delete')).toEqual([{ id: memberId }]));
    expect(await screen.findByText('Ana Lima deleted.')).toBeInTheDocument();
    expect(await screen.findByText('No team members yet.')).toBeInTheDocument();
  });
});
