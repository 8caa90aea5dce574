// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcParsedRequest, IpcReply } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { chooseStore, testStores } from '../../testing/stores.js';
import { submissionsCsv } from './export-csv.js';
import { SubmissionsScreen } from './SubmissionsScreen.js';

const formId = '44444444-4444-4444-8444-444444444444';
const row = (n: number, title = `Audit ${n}`): IpcReply<'submissions:list'>['rows'][number] => ({
  id: `55555555-5555-4555-8555-${String(n).padStart(12, '0')}`,
  form_id: formId,
  form_title: title,
  status: n % 2 ? 'completed' : 'in_progress',
  store_id: 'store-1',
  submitted_by: n === 1 ? 'Ana "the boss", manager' : null,
  completed_at: null,
  updated_at: '2026-11-25T10:00:00.000Z',
  deleted_at: null,
});

const api = (count: (request: IpcParsedRequest<'submissions:list'>) => number) =>
  createTestInsight({
    'stores:list': () => testStores,
    'submissions:list': (request) => {
      const total = count(request);
      const rows = Array.from({ length: Math.max(0, Math.min(request.limit, total - request.offset)) }, (_, i) =>
        row(request.offset + i + 1),
      );
      return { rows, total };
    },
    'submissions:completion-counts': () => [],
    'forms:list': () => [],
  });

describe('the Submissions screen', () => {
  it('says what to do when there are none, and offers to clear filters that match nothing', async () => {
    const insight = api(() => 0);
    renderWithInsight(<SubmissionsScreen />, insight);
    expect(await screen.findByText('There are no submissions yet.')).toBeInTheDocument();
    expect(screen.getByText(/Publish a form so stores can fill it in/)).toBeInTheDocument();
    expect(await screen.findByText(/^No submissions yet: each store’s count appears here/)).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Completed');
    expect(await screen.findByText('No submissions match these filters.')).toBeInTheDocument();
    expect(await screen.findByText(/^Nothing to count: the counts follow the search and filters/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Show all submissions' }));
    expect(await screen.findByText('There are no submissions yet.')).toBeInTheDocument();
    expect(screen.getByLabelText('Status')).toHaveValue('');
  });

  it('keeps the filters when the manager comes back from a submission', async () => {
    const insight = api(() => 3);
    renderWithInsight(<SubmissionsScreen />, insight);
    await userEvent.selectOptions(await screen.findByLabelText('Status'), 'Completed');
    await chooseStore(userEvent.setup(), 'S001');
    cleanup(); // the detail replaces the screen…
    renderWithInsight(<SubmissionsScreen />, insight); // …and "All submissions" brings it back
    expect(await screen.findByLabelText('Status')).toHaveValue('completed');
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Store' })).toHaveValue('S001 · Downtown'));
    await waitFor(() =>
      expect(insight.callsTo('submissions:list').at(-1)).toMatchObject({ status: 'completed', store_id: 'S001' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
  });

  it('offers the export of what is shown in its toolbar', async () => {
    renderWithInsight(
      <SubmissionsScreen />,
      api(() => 3),
    );
    const toolbar = (await screen.findByRole('heading', { level: 1, name: 'Submissions' })).closest('header')!;
    expect(within(toolbar).getByRole('button', { name: 'Export CSV' })).toBeEnabled();
  });
});

describe('the CSV export', () => {
  it('holds every row the filters match, across pages, with the list’s columns, quoted where needed', async () => {
    const insight = api(() => 2345);
    const csv = await submissionsCsv(insight, { status: 'completed' });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Form,Store,Status,Submitted by,Last changed,Completed,Id');
    expect(lines).toHaveLength(2346);
    expect(lines[1]).toBe(
      `Audit 1,store-1,Completed,"Ana ""the boss"", manager",2026-11-25T10:00:00.000Z,,${row(1).id}`,
    );
    expect(insight.callsTo('submissions:list')).toEqual(
      [0, 1000, 2000].map((offset) => ({ status: 'completed', offset, limit: 1000 })),
    );
  });
});
