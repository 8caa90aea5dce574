// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
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
          form: { id: formId, title: draft.form.title, description: draft.form.description, status: draft.form.status, updated_at: now, deleted_at: null },
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
    expect(api.callsTo('forms:save')[1]!.form).toEqual({ id: formId, title: 'Weekly audit', description: null, status: 'archived' });
  });
});
