// What every screen of the Store Manager has: the navigation and the sync panel.
import type { Locator, Page } from '@playwright/test';
import { SyncPanel } from './sync-panel-page.js';

export type Screen =
  'Home' | 'Forms' | 'Submissions' | 'KPIs' | 'Team' | 'Settings' | 'Conflicts' | 'Devices' | 'Stores';

export class AppShell {
  readonly navigation: Locator;
  readonly syncPanel: SyncPanel;
  /** Named "Conflicts" plus "N open" while some are open. */
  readonly conflictsLink: Locator;

  constructor(readonly page: Page) {
    this.navigation = page.getByRole('navigation');
    this.syncPanel = new SyncPanel(page);
    this.conflictsLink = this.navigation.getByRole('link', { name: /^Conflicts\b/ });
  }

  /** Opens a screen from the navigation, as the manager would. */
  async open(screen: Screen) {
    await this.navigation.getByRole('link', { name: new RegExp(`^${screen}\\b`) }).click();
    await this.page.getByRole('heading', { level: 1, name: screen }).waitFor();
  }
}
