// Stores for component tests, and choosing one in a StorePicker the way a person does: click the
// field, type part of the code or name, click the option.
import { screen, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import type { RowOf } from '../../shared/tables.js';

export const testStore = (code: string, name: string, over: Partial<RowOf<'stores'>> = {}): RowOf<'stores'> => ({
  id: crypto.randomUUID(),
  code,
  name,
  region: null,
  active: true,
  updated_at: '2026-11-25T10:00:00.000Z',
  deleted_at: null,
  ...over,
});

/** S001 Downtown, S002 Harbour, S003 Old Mill (inactive). */
export const testStores = [
  testStore('S001', 'Downtown', { region: 'Centre' }),
  testStore('S002', 'Harbour', { region: 'North' }),
  testStore('S003', 'Old Mill', { active: false }),
];

/** Picks the store whose code is `code` in the picker labelled `label` inside `container`. */
export async function chooseStore(
  user: UserEvent,
  code: string,
  { container = document.body, label = 'Store' }: { container?: HTMLElement; label?: string } = {},
): Promise<void> {
  const input = within(container).getByRole('combobox', { name: label });
  await user.click(input);
  await user.clear(input);
  await user.type(input, code);
  // The options live in a popover outside the form.
  await user.click(await screen.findByRole('option', { name: new RegExp(`^${code} · `) }));
}
