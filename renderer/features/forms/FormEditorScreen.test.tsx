// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FormDetail } from '../../../shared/ipc.js';
import { createTestInsight } from '../../testing/test-insight.js';
import { renderWithInsight } from '../../testing/render.js';
import { FormEditorScreen } from './FormEditorScreen.js';

const formId = '33333333-3333-4333-8333-333333333333';
const now = '2026-11-25T10:00:00.000Z';

beforeEach(() => {
  window.location.hash = '#/forms/new';
});

describe('FormEditorScreen', () => {
  it('keeps a new form open after its first save, at its own address, with the saved-form actions', async () => {
    let saved: FormDetail | null = null;
    const api = createTestInsight({
      'forms:save': (draft) => {
        saved = {
          form: {
            id: formId,
            title: draft.form.title,
            description: draft.form.description,
            status: draft.form.status,
            updated_at: now,
            deleted_at: null,
          },
          sections: [],
          fields: [],
        };
        return saved;
      },
      'forms:get': () => saved!,
      'forms:set-status': ({ status }) => {
        saved = { ...saved!, form: { ...saved!.form, status } };
        return saved.form;
      },
    });
    renderWithInsight(<FormEditorScreen id={null} />, api);
    const user = userEvent.setup();
    expect(screen.getByRole('heading', { level: 1, name: 'New form' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Title'), 'Weekly audit');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    expect(await screen.findByRole('heading', { level: 1, name: 'Edit form' })).toBeInTheDocument();
    expect(window.location.hash).toBe(`#/forms/${formId}`);
    expect(screen.getByLabelText('Title')).toHaveValue('Weekly audit');

    // Archiving beside the editor, then saving again, keeps the form archived.
    await user.click(await screen.findByRole('button', { name: 'Archive' }));
    expect(await screen.findByText('Status: archived')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsTo('forms:save')).toHaveLength(2));
    expect(api.callsTo('forms:save')[1]!.form).toEqual({
      id: formId,
      title: 'Weekly audit',
      description: null,
      status: 'archived',
    });
  });
});

describe('Deleting a form from its editor', () => {
  const saved: FormDetail = {
    form: {
      id: formId,
      title: 'Weekly audit',
      description: null,
      status: 'published',
      updated_at: now,
      deleted_at: null,
    },
    sections: [],
    fields: [],
  };
  const setup = () => {
    let deleted = false;
    const api = createTestInsight({
      // As main does: a deleted form is no longer found.
      'forms:get': ({ id }) => {
        if (deleted || id !== formId) throw new Error('Form not found');
        return saved;
      },
      'forms:delete': () => {
        deleted = true;
        return { ok: true };
      },
    });
    window.location.hash = `#/forms/${formId}`;
    renderWithInsight(<FormEditorScreen id={formId} />, api);
    return { api, user: userEvent.setup() };
  };

  it('asks for confirmation in the page, then deletes that form and goes back to the list', async () => {
    const { api, user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Delete form' }));

    // The first click only asks.
    expect(api.callsTo('forms:delete')).toHaveLength(0);
    const ask = screen.getByRole('group', { name: 'Delete this form?' });
    expect(ask).toHaveTextContent('Delete “Weekly audit”?');
    expect(within(ask).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Delete form' })).not.toBeInTheDocument();

    await user.click(within(ask).getByRole('button', { name: 'Confirm delete' }));
    await waitFor(() => expect(window.location.hash).toBe('#/forms'));
    expect(api.callsTo('forms:delete')).toEqual([{ id: formId }]);
    // The gone form is not fetched again on the way out (it would only show "Could not load").
    expect(api.callsTo('forms:get')).toHaveLength(1);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('sends nothing when the manager cancels, and offers Delete form again', async () => {
    const { api, user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Delete form' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(screen.getByRole('button', { name: 'Delete form' })).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Confirm delete' })).not.toBeInTheDocument();
    expect(api.callsTo('forms:delete')).toHaveLength(0);
    expect(window.location.hash).toBe(`#/forms/${formId}`);
  });

  it('stays on the form and says why when main refuses the delete', async () => {
    const { api, user } = setup();
    api.handlers['forms:delete'] = () => {
      throw new Error('The local store is read-only');
    };
    await user.click(await screen.findByRole('button', { name: 'Delete form' }));
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not delete the form: The local store is read-only',
    );
    expect(window.location.hash).toBe(`#/forms/${formId}`);
    expect(screen.getByLabelText('Title')).toHaveValue('Weekly audit');
  });
});
