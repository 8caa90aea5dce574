// @vitest-environment jsdom
// Home as a manager reads it on a Wednesday afternoon: who is missing today's inspections first,
// a KPI's trend at every store against its targets over a chosen period, the latest submissions
// (each opening its detail) and sync at a glance with the way to Devices.
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CompletionCell, IpcReply } from '../../../shared/ipc.js';
import { idleStatus } from '../../../shared/testing/sync-status.js';
import { renderWithInsight } from '../../testing/render.js';
import { createTestInsight, type ChannelHandlers } from '../../testing/test-insight.js';
import { DashboardScreen } from './DashboardScreen.js';

// Wednesday 25 November 2026, 15:00 local time.
const now = new Date(2026, 10, 25, 15, 0);
const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();

const cell = (
  form_title: string,
  store_id: string,
  completed_today: number,
  days_done_week: number,
): CompletionCell => ({
  form_id: crypto.randomUUID(),
  form_title,
  store_id,
  completed_today,
  days_done_week,
  days_expected_week: 3,
  state: completed_today === 0 ? 'missing' : days_done_week < 3 ? 'behind' : 'done',
});

const submission = (form_title: string, store_id: string, status: 'completed' | 'in_progress', minutesAgo: number) => ({
  id: crypto.randomUUID(),
  form_id: crypto.randomUUID(),
  form_title,
  store_id,
  status,
  submitted_by: null,
  completed_at: status === 'completed' ? at(minutesAgo) : null,
  updated_at: at(minutesAgo),
  deleted_at: null,
});

const overview: IpcReply<'kpis:overview'> = [
  {
    id: crypto.randomUUID(),
    metric: 'Sales',
    store_id: 'S2',
    value: 750,
    target: 800,
    period: '2026-11-24',
    updated_at: at(60),
  },
  {
    id: crypto.randomUUID(),
    metric: 'Footfall',
    store_id: 'S1',
    value: 300,
    target: null,
    period: '2026-11-24',
    updated_at: at(60),
  },
  {
    id: crypto.randomUUID(),
    metric: 'Sales',
    store_id: 'S1',
    value: 1200,
    target: 1000,
    period: '2026-11-24',
    updated_at: at(60),
  },
];
const salesTrend: IpcReply<'kpis:trend'> = [
  { store_id: 'S1', period: '2026-10-01', value: 900, target: 1000 },
  { store_id: 'S2', period: '2026-10-01', value: 700, target: 800 },
  { store_id: 'S1', period: '2026-11-01', value: 1200, target: 1000 },
  { store_id: 'S2', period: '2026-11-01', value: 750, target: 800 },
];

const devicesAnswer = (): IpcReply<'sync:devices'> => {
  const quiet = { pulls: 3, pushes: 1, rows_pulled: 10, rows_pushed: 2, failures: 0, refused: 0 };
  const device = (device_id: string, role: 'manager' | 'store', last: string | null, failures = 0) => ({
    device_id,
    role,
    last_sync_at: last,
    revoked_at: null,
    store_id: role === 'store' ? device_id.replace('store-', 'S') : null,
    stores_named: [],
    days: [{ day: '2026-11-25', ...quiet, failures }],
    totals: { ...quiet, failures, conflicts: 0 },
    conflicts: {},
  });
  return {
    success: true,
    timestamp: now.toISOString(),
    from: '2026-11-19',
    to: '2026-11-25',
    devices: [
      device('mac-1', 'manager', at(2)),
      device('store-001', 'store', at(30), 2),
      device('store-002', 'store', null),
    ],
  };
};

const full: ChannelHandlers = {
  'dashboard:completion': () => [
    cell('Opening checklist', 'S3', 0, 1),
    cell('Safety walk', 'S1', 0, 0),
    cell('Opening checklist', 'S2', 1, 2),
    cell('Opening checklist', 'S1', 2, 3),
  ],
  'forms:list': () => [],
  'kpis:overview': () => overview,
  'kpis:trend': ({ metric }) => (metric === 'Sales' ? salesTrend : []),
  'submissions:list': () => ({
    rows: [submission('Opening checklist', 'S2', 'completed', 5), submission('Safety walk', 'S1', 'in_progress', 90)],
    total: 2,
  }),
  'sync:status': () => ({ ...idleStatus, last_sync_at: at(2), pending_count: 0, open_conflicts: 1 }),
  'sync:devices': devicesAnswer,
};

const renderHome = (handlers: ChannelHandlers = full) => {
  const api = createTestInsight(handlers);
  renderWithInsight(<DashboardScreen now={now} />, api);
  return api;
};

const region = (name: string) => screen.getByRole('region', { name });

describe('Home', () => {
  it('lists today’s completion per store and form, missing first, for the manager’s own day and week', async () => {
    const api = renderHome();
    const table = await screen.findByRole('table', { name: 'Completion today and this week' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.children].map((c) => c.textContent?.trim()));
    expect(rows).toEqual([
      ['Opening checklist', 'S3', 'Not yet', '1 of 3 days', 'Missing today'],
      ['Safety walk', 'S1', 'Not yet', '0 of 3 days', 'Missing today'],
      ['Opening checklist', 'S2', 'Done', '2 of 3 days', 'Behind this week'],
      ['Opening checklist', 'S1', 'Done ×2', '3 of 3 days', 'On track'],
    ]);
    expect(
      within(region('Today and this week')).getByText('2 of 4 inspections done today · 1 behind this week'),
    ).toBeVisible();
    expect(api.callsTo('dashboard:completion')).toEqual([
      { today: '2026-11-25', week_start: '2026-11-23', utc_offset_minutes: -now.getTimezoneOffset() },
    ]);
  });

  it('shows the first rows of a long list, and all of them on request', async () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      cell('Opening checklist', `S${String(i).padStart(2, '0')}`, 0, 0),
    );
    renderHome({ ...full, 'dashboard:completion': () => many });
    const table = await screen.findByRole('table', { name: 'Completion today and this week' });
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 8);
    await userEvent.click(screen.getByRole('button', { name: 'Show all 12' }));
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 12);
  });

  it('charts a metric at every store against targets, for the period picked', async () => {
    const api = renderHome();
    const card = region('KPI trends');
    expect(
      await within(card).findByRole('img', { name: 'Sales by store, last 3 months: 2 stores, 4 values' }),
    ).toBeVisible();
    expect(api.callsTo('kpis:trend')).toEqual([{ metric: 'Sales', from: '2026-09' }]);
    const latest = within(card).getByRole('table', { name: 'Sales: latest against target' });
    expect(within(latest).getByRole('row', { name: /S1/ })).toHaveTextContent('2026-11-011,2001,000On target');
    expect(within(latest).getByRole('row', { name: /S2/ })).toHaveTextContent('75080050 below');

    const user = userEvent.setup();
    await user.click(within(card).getByRole('radio', { name: '12 months' }));
    await waitFor(() => expect(api.callsTo('kpis:trend').at(-1)).toEqual({ metric: 'Sales', from: '2025-12' }));
    expect(await within(card).findByRole('img', { name: /last 12 months/ })).toBeVisible();
    await user.click(within(card).getByRole('radio', { name: '4 weeks' }));
    await waitFor(() => expect(api.callsTo('kpis:trend').at(-1)).toEqual({ metric: 'Sales', from: '2026-10-29' }));

    await user.selectOptions(within(card).getByLabelText('Metric'), 'Footfall');
    expect(await within(card).findByText('No Footfall values in the last 4 weeks.', { exact: false })).toBeVisible();
  });

  it('lists the latest submissions, each a link to its detail', async () => {
    renderHome();
    const list = await screen.findByRole('list', { name: 'Recent submissions' });
    const links = within(list).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual(['Opening checklist', 'Safety walk']);
    expect(links[0]).toHaveAttribute('href', expect.stringMatching(/^#\/submissions\/[0-9a-f-]{36}$/));
    expect(within(list).getAllByRole('listitem')[0]).toHaveTextContent('S2 · 5 min ago');
    expect(within(list).getAllByRole('listitem')[1]).toHaveTextContent('In progress');
  });

  it('sums up sync, with the devices’ week from the server and a way to Devices', async () => {
    renderHome();
    const card = region('Sync');
    expect(await within(card).findByText('Synced 2 min ago')).toBeVisible();
    expect(within(card).getByRole('link', { name: '1' })).toHaveAttribute('href', '#/conflicts');
    expect(
      await within(card).findByText('2 of 3 devices synced in the last day; 2 failed or refused requests in 7 days.'),
    ).toBeVisible();
    expect(within(card).getByRole('link', { name: 'Open Devices' })).toHaveAttribute('href', '#/devices');
  });
});

describe('Home with nothing yet', () => {
  const empty: ChannelHandlers = {
    'dashboard:completion': () => [],
    'forms:list': () => [],
    'kpis:overview': () => [],
    'kpis:trend': () => [],
    'submissions:list': () => ({ rows: [], total: 0 }),
    'sync:status': () => ({ ...idleStatus, last_sync_at: null }),
    'sync:devices': () => {
      throw new Error('The server cannot be reached');
    },
  };

  it('says what to do first on every card', async () => {
    const api = renderHome(empty);
    const completion = region('Today and this week');
    expect(await within(completion).findByText(/No form is published yet/)).toBeVisible();
    expect(within(completion).getByRole('link', { name: 'Create a form' })).toHaveAttribute('href', '#/forms/new');
    expect(await within(region('KPI trends')).findByText('No KPI values yet')).toBeVisible();
    expect(within(region('KPI trends')).getByRole('link', { name: 'KPIs' })).toHaveAttribute('href', '#/kpis');
    expect(await within(region('Recent submissions')).findByText('No submissions yet')).toBeVisible();
    expect(
      await within(region('Sync')).findByText('Device activity needs the server: The server cannot be reached'),
    ).toBeVisible();
    expect(within(region('Sync')).getByText('Not synced yet')).toBeVisible();
    expect(api.callsTo('kpis:trend')).toEqual([]); // no metric, nothing to chart
  });

  it('with a published form but no store yet, says how stores appear', async () => {
    renderHome({
      ...empty,
      'forms:list': () => [
        {
          id: crypto.randomUUID(),
          title: 'Opening checklist',
          description: null,
          status: 'published',
          updated_at: at(10),
          deleted_at: null,
          section_count: 1,
          field_count: 3,
        },
      ],
    });
    expect(await within(region('Today and this week')).findByText(/No store has sent a submission yet/)).toBeVisible();
  });
});
