// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { chooseStore, testStores } from '../../testing/stores.js';
import { TeamMemberForm } from './TeamMemberForm.js';

const saved = (request: { name: string; email?: string | null; store_id?: string | null }) => ({
  id: crypto.randomUUID(),
  name: request.name,
  role: null,
  store_id: request.store_id ?? null,
  email: request.email ?? null,
  active: true,
  updated_at: '2026-11-25T10:00:00.000Z',
  deleted_at: null,
});

describe('Adding a team member', () => {
  it('checks the e-mail as an e-mail and says so next to the field; nothing is sent', async () => {
    const api = createTestInsight({ 'team:save': saved });
    renderWithInsight(<TeamMemberForm member={null} onDone={() => {}} />, api);
    const form = screen.getByRole('form', { name: 'Add team member' });
    await userEvent.type(within(form).getByLabelText('Name'), 'Ana');
    await userEvent.type(within(form).getByLabelText('Email'), 'ana at example');
    await userEvent.click(within(form).getByRole('button', { name: 'Add member' }));
    const email = within(form).getByLabelText('Email');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Enter an e-mail address like ana@example.com');
    // The message sits right under its own field.
    expect(email.closest('.labelled-field')).toHaveTextContent('Enter an e-mail address like ana@example.com');
    expect(within(form).getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
    expect(api.callsTo('team:save')).toEqual([]);

    await userEvent.clear(email);
    await userEvent.type(email, 'ana@example.com');
    await userEvent.click(within(form).getByRole('button', { name: 'Add member' }));
    await waitFor(() =>
      expect(api.callsTo('team:save')).toEqual([expect.objectContaining({ name: 'Ana', email: 'ana@example.com' })]),
    );
  });

  it('puts a missing name under the Name field', async () => {
    const api = createTestInsight({ 'team:save': saved });
    renderWithInsight(<TeamMemberForm member={null} onDone={() => {}} />, api);
    await userEvent.click(screen.getByRole('button', { name: 'Add member' }));
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('A team member needs a name');
  });

  it('picks the member’s store from the stores, and saves its code', async () => {
    const api = createTestInsight({ 'team:save': saved, 'stores:list': () => testStores });
    renderWithInsight(<TeamMemberForm member={null} onDone={() => {}} />, api);
    const user = userEvent.setup();
    const form = screen.getByRole('form', { name: 'Add team member' });
    await user.type(within(form).getByLabelText('Name'), 'Bruno');
    await chooseStore(user, 'S001', { container: form });
    await user.click(within(form).getByRole('button', { name: 'Add member' }));
    await waitFor(() =>
      expect(api.callsTo('team:save')).toEqual([expect.objectContaining({ name: 'Bruno', store_id: 'S001' })]),
    );
  });
});
