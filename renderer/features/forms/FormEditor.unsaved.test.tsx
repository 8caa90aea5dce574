// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FormDetail, IpcParsedRequest } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { emptyEditor } from './editor-state.js';
import { FormEditor } from './FormEditor.js';

const formId = '11111111-1111-4111-8111-111111111111';
const saveLikeMain = (draft: IpcParsedRequest<'forms:save'>): FormDetail => ({
  form: {
    id: formId,
    title: draft.form.title,
    description: draft.form.description,
    status: draft.form.status,
    updated_at: '2026-11-25T10:00:00.000Z',
    deleted_at: null,
  },
  sections: [],
  fields: [],
});

beforeEach(() => {
  window.location.hash = '#/forms/new';
});

const setup = () => {
  const api = createTestInsight({ 'forms:save': saveLikeMain });
  renderWithInsight(
    <>
      <a href="#/team">Team</a>
      <FormEditor initial={emptyEditor()} />
    </>,
    api,
  );
  return { api, user: userEvent.setup() };
};

describe('the form editor’s unsaved changes', () => {
  it('keeps Save and Publish with the status in the bar, and says when changes are not saved', async () => {
    const { user } = setup();
    const form = screen.getByRole('form', { name: 'Form editor' });
    const bar = form.querySelector('.form-editor__bar')!;
    expect(within(bar as HTMLElement).getByRole('button', { name: 'Save' })).toBeInTheDocument();
    expect(within(bar as HTMLElement).getByRole('button', { name: 'Publish' })).toBeInTheDocument();
    expect(bar).toHaveTextContent('draft');
    await user.type(within(form).getByLabelText('Title'), 'Weekly audit');
    expect(bar).toHaveTextContent('Unsaved changes');
  });

  it('asks before a link leaves the editor with unsaved changes; Stay keeps them, Leave goes', async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText('Title'), 'Weekly audit');
    await user.click(screen.getByRole('link', { name: 'Team' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Leave without saving?' });
    expect(window.location.hash).toBe('#/forms/new');
    await user.click(within(dialog).getByRole('button', { name: 'Stay' }));
    expect(screen.getByLabelText('Title')).toHaveValue('Weekly audit');
    await user.click(screen.getByRole('link', { name: 'Team' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Leave' }));
    await waitFor(() => expect(window.location.hash).toBe('#/team'));
  });

  it('lets the manager go without asking once the changes are saved', async () => {
    const { api, user } = setup();
    await user.type(screen.getByLabelText('Title'), 'Weekly audit');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsTo('forms:save')).toHaveLength(1));
    expect(await screen.findByText('All changes saved')).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Team' }));
    await waitFor(() => expect(window.location.hash).toBe('#/team'));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });
});
