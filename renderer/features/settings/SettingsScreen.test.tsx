// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { SettingsScreen } from './SettingsScreen.js';

const config: AppConfig = {
  server_url: 'http://127.0.0.1:8000',
  device_id: 'manager-mac',
  has_token: true,
  role: 'manager',
  sync_interval_minutes: 5,
};

describe('SettingsScreen: background sync interval', () => {
  it('accepts only whole minutes from 1 to 1440, and sends a valid one', async () => {
    let current = config;
    const api = createTestInsight({
      'config:get': () => current,
      'config:set-interval': ({ sync_interval_minutes }) => (current = { ...current, sync_interval_minutes }),
    });
    renderWithInsight(<SettingsScreen />, api);
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Sync interval' });
    const input = within(form).getByLabelText('Sync interval (minutes)');
    const save = within(form).getByRole('button', { name: 'Save interval' });
    expect(input).toHaveValue(5);

    for (const wrong of ['0', '1441', '2.5']) {
      await user.clear(input);
      await user.type(input, wrong);
      expect(within(form).getByText('Enter whole minutes from 1 to 1440.')).toBeInTheDocument();
      expect(save).toBeDisabled();
    }

    await user.clear(input);
    await user.type(input, '15');
    expect(within(form).queryByText('Enter whole minutes from 1 to 1440.')).not.toBeInTheDocument();
    await user.click(save);
    await waitFor(() => expect(api.callsTo('config:set-interval')).toEqual([{ sync_interval_minutes: 15 }]));
    expect(await within(screen.getByRole('form', { name: 'Sync interval' })).findByRole('status')).toHaveTextContent(
      'The app now syncs every 15 minutes.',
    );
    await waitFor(() => expect(api.callsTo('config:get')).toHaveLength(2));
    expect(screen.getByRole('status')).toHaveTextContent('The app now syncs every 15 minutes.');
  });
});
