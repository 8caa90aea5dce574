// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { RowOf } from '../../shared/tables.js';
import { createTestInsight } from '../testing/test-insight.js';
import { renderWithInsight } from '../testing/render.js';
import { StorePicker } from './StorePicker.js';

const store = (code: string, name: string, active = true): RowOf<'stores'> => ({
  id: crypto.randomUUID(),
  code,
  name,
  region: null,
  active,
  updated_at: '2026-11-25T10:00:00.000Z',
  deleted_at: null,
});

const stores = [store('S001', 'Downtown'), store('S002', 'Harbour'), store('S003', 'Old Mill', false)];

/** The picker beside what was chosen, held in state as the screens hold it. */
const Harness = ({ initial }: { initial: string | null }) => {
  const [value, setValue] = useState<string | null>(initial);
  return (
    <>
      <StorePicker value={value} onChange={setValue} emptyLabel="Any store" />
      <output aria-label="chosen">{value ?? 'none'}</output>
    </>
  );
};

const renderPicker = (initial: string | null = null) => {
  const api = createTestInsight({ 'stores:list': () => stores });
  renderWithInsight(<Harness initial={initial} />, api);
  return screen.getAllByRole('combobox', { name: 'Store' }).at(-1)!;
};

describe('StorePicker', () => {
  it('offers the active stores by code and name, narrowed by what is typed, and gives back the code', async () => {
    const input = renderPicker();
    const user = userEvent.setup();
    expect(input).toHaveAttribute('placeholder', 'Any store');
    await user.click(input);
    const options = await screen.findAllByRole('option');
    // The inactive Old Mill is not offered for new rows.
    expect(options.map((o) => o.textContent)).toEqual(['S001 · Downtown', 'S002 · Harbour']);

    await user.type(input, 'harb');
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['S002 · Harbour']));
    await user.click(screen.getByRole('option', { name: 'S002 · Harbour' }));
    expect(screen.getByLabelText('chosen')).toHaveTextContent('S002');
    expect(input).toHaveValue('S002 · Harbour');
  });

  it('goes back to no store with its clear button', async () => {
    const input = renderPicker('S001');
    const user = userEvent.setup();
    await waitFor(() => expect(input).toHaveValue('S001 · Downtown'));
    await user.click(screen.getByRole('button', { name: 'Clear store' }));
    expect(screen.getByLabelText('chosen')).toHaveTextContent('none');
    await waitFor(() => expect(input).toHaveValue(''));
    expect(screen.queryByRole('button', { name: 'Clear store' })).not.toBeInTheDocument();
  });

  it('goes back to no store when its text is emptied', async () => {
    const input = renderPicker('S002');
    const user = userEvent.setup();
    await waitFor(() => expect(input).toHaveValue('S002 · Harbour'));
    await user.clear(input);
    await user.tab();
    expect(screen.getByLabelText('chosen')).toHaveTextContent('none');
  });

  it('still shows the store a row already names when it is inactive or not a store record', async () => {
    const inactive = renderPicker('S003');
    await waitFor(() => expect(inactive).toHaveValue('S003 · Old Mill (inactive)'));
    const legacy = renderPicker('store-001');
    await waitFor(() => expect(legacy).toHaveValue('store-001 (not in Stores)'));
  });
});
