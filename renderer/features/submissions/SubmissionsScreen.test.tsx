// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcParsedRequest, IpcReply } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { chooseStore, testStores } from '../../testing/stores.js';
import { SubmissionsScreen } from './SubmissionsScreen.js';

const total = 100_000;
const formId = '44444444-4444-4444-8444-444444444444';

/** Plays main's paging: row i of the 100k is made on demand, so the test holds none of them. */
const page = ({ offset, limit, status }: IpcParsedRequest<'submissions:list'>): IpcReply<'submissions:list'> => {
  const count = status === 'in_progress' ? 3 : total;
  const rows = Array.from({ length: Math.max(0, Math.min(limit, count - offset)) }, (_, i) => {
    const n = offset + i;
    return {
      id: `55555555-5555-4555-8555-${String(n).padStart(12, '0')}`,
      form_id: formId,
      form_title: `Audit ${n}`,
      status: 'completed' as const,
      store_id: `store-${n % 20}`,
      submitted_by: null,
      completed_at: null,
      updated_at: '2026-11-25T10:00:00.000Z',
      deleted_at: null,
    };
  });
  return { rows, total: count };
};

// jsdom lays nothing out: give the list's scroller a height so the virtualizer has a window.
const clientHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight')!;
beforeAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 360 });
});
afterAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', clientHeight);
});

const setup = () => {
  const api = createTestInsight({
    'stores:list': () => testStores,
    'submissions:list': page,
    'submissions:completion-counts': () => [
      { form_id: formId, form_title: 'Audit', store_id: 'store-1', completed: 4, in_progress: 1 },
    ],
    'forms:list': () => [],
  });
  renderWithInsight(<SubmissionsScreen />, api);
  return api;
};

describe('SubmissionsScreen', () => {
  it('shows 100,000 submissions with only the visible rows in the page, fetching only their pages', async () => {
    const api = setup();
    expect(await screen.findByText('100,000 submissions')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Submissions' });
    expect(await within(table).findByRole('link', { name: 'Audit 0' })).toBeInTheDocument();
    const rows = within(table).getAllByRole('row');
    expect(rows.length).toBeLessThan(60);
    expect(api.callsTo('submissions:list').map((r) => r.offset)).toEqual([0]);

    // Jump to the middle: the page holding row 50,000 is fetched, and nothing in between.
    const scroller = table.querySelector('.submission-list__scroller')!;
    act(() => {
      scroller.scrollTop = 50_000 * 36;
      scroller.dispatchEvent(new Event('scroll'));
    });
    expect(await within(table).findByRole('link', { name: 'Audit 50000' })).toBeInTheDocument();
    const offsets = new Set(api.callsTo('submissions:list').map((r) => r.offset));
    expect(offsets).toEqual(new Set([0, 49_800, 50_000]));
    expect(within(table).queryByRole('link', { name: 'Audit 0' })).not.toBeInTheDocument();
  });

  it('sends the chosen filters to main', async () => {
    const api = setup();
    await screen.findByText('100,000 submissions');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'In progress');
    await chooseStore(userEvent.setup(), 'S002');
    expect(await screen.findByText('3 submissions')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.callsTo('submissions:list').at(-1)).toEqual({
        status: 'in_progress',
        store_id: 'S002',
        offset: 0,
        limit: 200,
      }),
    );
  });

  it('shows completion counts per form and store', async () => {
    setup();
    const counts = await screen.findByRole('table', { name: 'Completion counts' });
    expect(within(counts).getByRole('rowheader', { name: 'Audit' })).toBeInTheDocument();
    expect(
      within(counts)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['store-1', '4', '1']);
  });
});
