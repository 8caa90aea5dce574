// The renderer's fact lists (<dl class="facts">: Status, Store, Rule, …), as the submission detail
// and the conflict cards show them: the value shown next to a fact's name.
import type { Locator, Page } from '@playwright/test';

export function factIn(scope: Page | Locator, name: string): Locator {
  return scope.locator('dl.facts dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd[1]');
}
