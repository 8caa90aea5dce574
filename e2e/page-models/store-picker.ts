// A StorePicker (renderer/components/StorePicker.tsx) as a person uses it: type part of the code
// in the combo box, click the store in the list that opens.
import { expect, type Locator } from '@playwright/test';

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Picks the store `code` in the picker labelled `label` inside `scope` (a form, the filters). */
export async function pickStore(scope: Locator, code: string, label = 'Store'): Promise<void> {
  const input = scope.getByRole('combobox', { name: label });
  await input.fill(code);
  const option = new RegExp(`^${escaped(code)} · `);
  // The list is a popover outside the form.
  await scope.page().getByRole('option', { name: option }).click();
  await expect(input).toHaveValue(option);
}
