// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppConfig, IpcReply, SyncStatus } from '../../shared/ipc.js';
import { idleStatus } from '../testing/sync-status.js';
import { createTestInsight } from '../testing/test-insight.js';
import { App, NotConnected } from './App.js';

afterEach(cleanup);
beforeEach(() => {
  window.location.hash = '';
});

const unconfigured: AppConfig = { server_url: null, device_id: null, has_token: false, role: null, sync_interval_minutes: 5 };
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
    'team:list': () => [...team],
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
    expect(screen.getByRole('region', { name: 'Sync status' })).toBeInTheDocument();
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

  it('names every screen in the navigation, with the sync panel beside it', async () => {
    appWith(configured);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((link) => link.textContent)).toEqual([
      'Forms',
      'Submissions',
      'KPIs',
      'Team',
      'Settings',
      'Conflicts',
    ]);
    expect(within(nav).getByRole('link', { name: 'Forms' })).toHaveAttribute('aria-current', 'page');
    expect(await screen.findByRole('heading', { level: 1, name: 'Forms' })).toBeInTheDocument();
    expect(await within(screen.getByRole('region', { name: 'Sync status' })).findByText('Online')).toBeInTheDocument();
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
