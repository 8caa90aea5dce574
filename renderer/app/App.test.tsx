// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppConfig, IpcReply, SyncStatus } from '../../shared/ipc.js';
import { idleStatus } from '../../shared/testing/sync-status.js';
import { createTestInsight } from '../testing/test-insight.js';
import { App, NotConnected } from './App.js';

afterEach(cleanup);
beforeEach(() => {
  window.location.hash = '';
});

const unconfigured: AppConfig = {
  server_url: null,
  device_id: null,
  has_token: false,
  role: null,
  sync_interval_minutes: 5,
};
const configured: AppConfig = {
  server_url: 'http://127.0.0.1:8000',
  device_id: 'manager-mac',
  has_token: true,
  role: 'manager',
  sync_interval_minutes: 5,
};
const status: SyncStatus = { ...idleStatus, last_sync_at: null };
const member = (name: string): IpcReply<'team:list'>[number] => ({
  id: crypto.randomUUID(),
  name,
  role: null,
  store_id: 'store-1',
  email: null,
  active: true,
  updated_at: '2026-11-25T10:00:00.000Z',
  deleted_at: null,
});

const appWith = (config: AppConfig) => {
  let current = config;
  const team = [member('Ana')];
  const api = createTestInsight({
    'config:get': () => current,
    'sync:status': () => (current.has_token ? status : { ...status, state: 'not_configured' }),
    'sync:now': () => ({ ok: true }),
    'forms:list': () => [],
    'templates:list': () => [],
    // Home, the screen the app opens on.
    'dashboard:completion': () => [],
    'kpis:overview': () => [],
    'submissions:list': () => ({ rows: [], total: 0 }),
    'sync:devices': () => {
      throw new Error('offline');
    },
    'team:list': () => [...team],
    'stores:list': () => [],
    'config:connect': ({ token }) => {
      if (token !== 'right-token') throw new Error('The server does not accept this device token.');
      current = configured;
      return current;
    },
  });
  render(<App api={api} />);
  return { api, team };
};

describe('App', () => {
  it('asks for the connection on first run, shows a refused token clearly, then opens the app', async () => {
    const { api } = appWith(unconfigured);
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { name: 'Connect to your Insight server' })).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Server connection' });
    await user.type(within(form).getByLabelText('Server URL'), 'http://127.0.0.1:8000');
    await user.type(within(form).getByLabelText('Device ID'), 'manager-mac');
    await user.type(within(form).getByLabelText('Device token'), 'wrong-token');
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    const alert = await within(form).findByRole('alert');
    expect(alert).toHaveTextContent('Could not connect');
    expect(alert).toHaveTextContent('The server does not accept this device token.');

    await user.clear(within(form).getByLabelText('Device token'));
    await user.type(within(form).getByLabelText('Device token'), 'right-token');
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    expect(await screen.findByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Sync: / })).toBeInTheDocument();
    expect(api.callsTo('config:connect').at(-1)).toEqual({
      server_url: 'http://127.0.0.1:8000',
      device_id: 'manager-mac',
      token: 'right-token',
    });
  });

  it('checks the setup fields before calling the core', async () => {
    const { api } = appWith(unconfigured);
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Server connection' });
    await user.type(within(form).getByLabelText('Server URL'), 'nas.local');
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    expect(await within(form).findByText(/Enter the server address/)).toBeInTheDocument();
    expect(within(form).getByText('Enter the device token')).toBeInTheDocument();
    expect(api.callsTo('config:connect')).toHaveLength(0);
  });

  it('names every screen in the navigation, with the sync chip opening the sync panel', async () => {
    appWith(configured);
    const user = userEvent.setup();
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(['Home', 'Forms', 'Submissions', 'KPIs', 'Team', 'Conflicts', 'Settings', 'Devices', 'Stores']);
    // The app opens on Home.
    expect(within(nav).getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
    expect(await screen.findByRole('heading', { level: 1, name: 'Home' })).toBeInTheDocument();
    // Never synced yet: the chip says so; it opens the whole panel, and Esc closes it.
    const chip = await screen.findByRole('button', { name: 'Sync: Not synced yet' });
    expect(screen.queryByRole('region', { name: 'Sync status' })).not.toBeInTheDocument();
    await user.click(chip);
    expect(
      await within(await screen.findByRole('region', { name: 'Sync status' })).findByText('Online'),
    ).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Sync status' })).not.toBeInTheDocument());
  });

  it('opens screens from the keyboard: Cmd+1…9 in sidebar order, Cmd+, Settings, Cmd+N a new form', async () => {
    appWith(configured);
    await screen.findByRole('navigation', { name: 'Main' });
    await userEvent.keyboard('{Meta>}3{/Meta}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Submissions' })).toBeInTheDocument();
    await userEvent.keyboard('{Control>}6{/Control}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Conflicts' })).toBeInTheDocument();
    await userEvent.keyboard('{Meta>},{/Meta}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    await userEvent.keyboard('{Meta>}8{/Meta}');
    // Devices is loaded on demand (recharts): give the import time on a busy machine.
    expect(await screen.findByRole('heading', { level: 1, name: 'Devices' }, { timeout: 5_000 })).toBeInTheDocument();
    // Stores came after Devices: Cmd+9; there, Cmd+N starts a new store (its Code field).
    await userEvent.keyboard('{Meta>}9{/Meta}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Stores' })).toBeInTheDocument();
    await userEvent.keyboard('{Meta>}n{/Meta}');
    expect(within(screen.getByRole('form', { name: 'Add store' })).getByLabelText('Code')).toHaveFocus();
    await userEvent.keyboard('{Meta>}5{/Meta}');
    await screen.findByRole('heading', { level: 1, name: 'Team' });
    // On Team, Cmd+N starts a new member (the Name field); on Forms it opens a new form.
    await userEvent.keyboard('{Meta>}n{/Meta}');
    expect(within(screen.getByRole('form', { name: 'Add team member' })).getByLabelText('Name')).toHaveFocus();
    await userEvent.keyboard('{Meta>}1{/Meta}');
    await screen.findByRole('heading', { level: 1, name: 'Home' });
    await userEvent.keyboard('{Meta>}2{/Meta}');
    await screen.findByRole('heading', { level: 1, name: 'Forms' });
    await userEvent.keyboard('{Meta>}n{/Meta}');
    expect(await screen.findByRole('heading', { level: 1, name: 'New form' })).toBeInTheDocument();
    expect(window.location.hash).toBe('#/forms/new');
  });

  it('shows a reconnecting overlay while the web host is gone, and refetches when it is back', async () => {
    const { api } = appWith(configured);
    await screen.findByRole('heading', { level: 1, name: 'Home' });
    await waitFor(() => expect(api.callsTo('dashboard:completion')).toHaveLength(1));
    act(() => void window.dispatchEvent(new CustomEvent('insight-connection', { detail: { connected: false } })));
    expect(await screen.findByRole('alertdialog', { name: 'Reconnecting to the Store Manager…' })).toBeInTheDocument();
    act(() => void window.dispatchEvent(new CustomEvent('insight-connection', { detail: { connected: true } })));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await waitFor(() => expect(api.callsTo('dashboard:completion').length).toBeGreaterThan(1));
  });

  it('refetches what a data:changed event names', async () => {
    window.location.hash = '#/team';
    const { api, team } = appWith(configured);
    const table = await screen.findByRole('table', { name: 'Team' });
    expect(within(table).getByText('Ana')).toBeInTheDocument();
    team.push(member('Bruno'));
    act(() => api.emit('data:changed', { tables: ['kpi_data'] }));
    // Unrelated tables leave the team alone...
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(within(table).queryByText('Bruno')).not.toBeInTheDocument();
    // ...and a change to the team table shows up without a reload.
    act(() => api.emit('data:changed', { tables: ['team'] }));
    expect(await within(table).findByText('Bruno')).toBeInTheDocument();
  });

  it('starts a sync with Cmd/Ctrl+Shift+S, like the app menu', async () => {
    const { api } = appWith(configured);
    await screen.findByRole('navigation', { name: 'Main' });
    await userEvent.keyboard('{Control>}{Shift>}S{/Shift}{/Control}');
    await waitFor(() => expect(api.callsTo('sync:now')).toHaveLength(1));
  });

  it('says so when no Store Manager core is connected', () => {
    render(<NotConnected />);
    expect(screen.getByRole('heading', { name: 'Not connected to the Store Manager core' })).toBeInTheDocument();
  });
});
