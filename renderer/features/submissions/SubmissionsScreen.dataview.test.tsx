// @vitest-environment jsdom
// The Submissions screen as a data view (issue 11): search (Cmd+F), sortable columns, counts that
// follow the filters and open a store's list, and each row's context menu.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IpcReply } from '../../../shared/ipc.js';
import { useAppShortcuts } from '../../app/use-app-shortcuts.js';
import { ToastProvider } from '../../components/Toasts.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { SubmissionsScreen } from './SubmissionsScreen.js';

const formId = '44444444-4444-4444-8444-444444444444';
const rowId = '55555555-5555-4555-8555-000000000001';
const row: IpcReply<'submissions:list'>['rows'][number] = {
  id: rowId,
  form_id: formId,
  form_title: 'Opening audit',
  status: 'completed',
  store_id: 'north-01',
  submitted_by: 'Ana',
  completed_at: null,
  updated_at: '2026-11-25T10:00:00.000Z',
  deleted_at: null,
};

const clientHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight')!;
beforeAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 360 });
});
afterAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', clientHeight);
});

const WithShortcuts = () => {
  useAppShortcuts({ screen: 'submissions' });
  return <SubmissionsScreen />;
};

const setup = () => {
  let deleted = false;
  const api = createTestInsight({
    'submissions:list': () => (deleted ? { rows: [], total: 0 } : { rows: [row], total: 1 }),
    'submissions:completion-counts': () => [
      { form_id: formId, form_title: 'Opening audit', store_id: 'north-01', completed: 1, in_progress: 0 },
      { form_id: formId, form_title: 'Opening audit', store_id: null, completed: 2, in_progress: 0 },
    ],
    'forms:list': () => [
      {
        id: formId,
        title: 'Opening audit',
        description: null,
        status: 'published',
        updated_at: '2026-11-25T10:00:00.000Z',
        deleted_at: null,
        section_count: 0,
        field_count: 0,
      },
    ],
    'submissions:delete': () => {
      deleted = true;
      return { ok: true };
    },
  });
  renderWithInsight(
    <ToastProvider>
      <WithShortcuts />
    </ToastProvider>,
    api,
  );
  return api;
};

beforeEach(async () => {
  // The screen keeps its filters for the session: start each test from none.
  setup();
  await userEvent.click(await screen.findByRole('button', { name: 'Clear filters' }));
  document.body.innerHTML = '';
});

describe('searching submissions', () => {
  it('Cmd+F puts the cursor in the search; the words go to main for the list and the counts; Esc clears', async () => {
    const api = setup();
    await screen.findByText('1 submission');
    await userEvent.keyboard('{Meta>}f{/Meta}');
    const search = screen.getByRole('searchbox', { name: 'Search submissions' });
    expect(search).toHaveFocus();
    await userEvent.keyboard('north');
    await waitFor(() => expect(api.callsTo('submissions:list').at(-1)).toMatchObject({ search: 'north', offset: 0 }));
    expect(api.callsTo('submissions:completion-counts').at(-1)).toEqual({ search: 'north' });
    await userEvent.keyboard('{Escape}');
    expect(search).toHaveValue('');
    await waitFor(() => expect(api.callsTo('submissions:list').at(-1)).toEqual({ offset: 0, limit: 200 }));
  });
});

describe('sorting submissions', () => {
  it('a column header sorts by it, ascending then descending, asking main for the sorted pages', async () => {
    const api = setup();
    const table = await screen.findByRole('table', { name: 'Submissions' });
    const header = (name: string) => within(table).getByRole('columnheader', { name });
    expect(header('Last changed')).toHaveAttribute('aria-sort', 'descending');
    expect(header('Store')).toHaveAttribute('aria-sort', 'none');
    await userEvent.click(within(header('Store')).getByRole('button'));
    await waitFor(() =>
      expect(api.callsTo('submissions:list').at(-1)).toEqual({
        sort: 'store',
        direction: 'asc',
        offset: 0,
        limit: 200,
      }),
    );
    expect(header('Store')).toHaveAttribute('aria-sort', 'ascending');
    expect(header('Last changed')).toHaveAttribute('aria-sort', 'none');
    await userEvent.click(within(header('Store')).getByRole('button'));
    await waitFor(() => expect(api.callsTo('submissions:list').at(-1)).toMatchObject({ direction: 'desc' }));
    expect(header('Store')).toHaveAttribute('aria-sort', 'descending');
    // Back to the newest change first: the default order, asked for as such.
    await userEvent.click(within(header('Last changed')).getByRole('button'));
    await waitFor(() => expect(api.callsTo('submissions:list').at(-1)).toEqual({ offset: 0, limit: 200 }));
    expect(header('Last changed')).toHaveAttribute('aria-sort', 'descending');
  });
});

describe('completion counts', () => {
  it('a store opens the list of that form at that store, and the counts follow', async () => {
    const api = setup();
    const counts = await screen.findByRole('table', { name: 'Completion counts' });
    // A row without a store has nothing to narrow to.
    expect(within(counts).queryByRole('button', { name: 'No store' })).not.toBeInTheDocument();
    await userEvent.click(within(counts).getByRole('button', { name: 'north-01' }));
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: 'Store' })).toHaveValue('north-01 (not in Stores)'),
    );
    expect(screen.getByLabelText('Form')).toHaveValue(formId);
    await waitFor(() =>
      expect(api.callsTo('submissions:list').at(-1)).toEqual({
        form_id: formId,
        store_id: 'north-01',
        offset: 0,
        limit: 200,
      }),
    );
    expect(api.callsTo('submissions:completion-counts').at(-1)).toEqual({ form_id: formId, store_id: 'north-01' });
  });
});

describe('a row’s context menu', () => {
  it('offers Open, Export CSV and Delete…; Delete asks first, then deletes with Undo offered', async () => {
    const api = setup();
    const table = await screen.findByRole('table', { name: 'Submissions' });
    const rowElement = (await within(table).findByRole('link', { name: 'Opening audit' })).closest('[role="row"]')!;
    fireEvent.contextMenu(rowElement, { clientX: 10, clientY: 10 });
    const menu = await screen.findByRole('menu', { name: 'Actions for Opening audit' });
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((item) => item.textContent),
    ).toEqual(['Open', 'Export CSV', 'Delete…']);
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Delete…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete this submission?' });
    expect(api.callsTo('submissions:delete')).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.callsTo('submissions:delete')).toEqual([{ id: rowId }]));
    expect(await screen.findByRole('status')).toHaveTextContent('Submission deleted.');
    expect(await screen.findByText('There are no submissions yet.')).toBeInTheDocument();
  });

  it('Open goes to the submission', async () => {
    setup();
    const link = await screen.findByRole('link', { name: 'Opening audit' });
    act(() => {
      fireEvent.contextMenu(link.closest('[role="row"]')!);
    });
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Open' }));
    expect(window.location.hash).toBe(`#/submissions/${rowId}`);
  });
});
