// The sync status (renderer/features/sync/): a chip in the toolbar ("Sync: Synced 2 min ago",
// "Sync: 3 pending", "Sync: Offline") that opens a popover with the whole sync panel, whose words
// are decided in renderer/features/sync/describe-status.ts.
//
// The popover is modal (the screen underneath is inert while it is open), so every check opens
// it, looks, and closes it again with Esc: `check(fn)`, or the helpers below built on it.
import { expect, type Locator, type Page } from '@playwright/test';

export class SyncPanel {
  /** The chip; its accessible name is "Sync: " + what it shows. */
  readonly chip: Locator;
  /** The popover's dialog ("Sync details") holding the panel. */
  readonly popover: Locator;
  readonly region: Locator;
  /** "Online", "Offline" or "Not set up". */
  readonly connection: Locator;
  readonly pendingChanges: Locator;
  readonly lastSync: Locator;
  readonly attempt: Locator;
  readonly progress: Locator;
  /** The alert raised after the last failed attempt. */
  readonly failureAlert: Locator;
  readonly syncNowButton: Locator;
  /** "Open conflicts: N", a link to the conflict panel (only while there are some). */
  readonly openConflicts: Locator;
  /** "Live" while the engine holds its live socket (issue 12). */
  readonly live: Locator;

  constructor(readonly page: Page) {
    this.chip = page.getByRole('button', { name: /^Sync: / });
    this.popover = page.getByRole('dialog', { name: 'Sync details' });
    this.region = this.popover.getByRole('region', { name: 'Sync status' });
    this.connection = this.region.getByText(/^(Online|Offline|Not set up)$/);
    this.pendingChanges = this.region.getByText(/^Pending changes: \d+$/);
    this.lastSync = this.region.getByText(/^Last sync: /);
    this.attempt = this.region.getByText(/^Attempt \d+ of \d+$/);
    this.progress = this.region.getByText(/^Syncing: \d+ \/ \d+ rows/);
    this.failureAlert = this.region.getByRole('alert').filter({ hasText: /Sync failed \d+ times/ });
    this.syncNowButton = this.region.getByRole('button', { name: 'Sync Now' });
    this.openConflicts = this.region.getByRole('link', { name: /^Open conflicts: \d+$/ });
    this.live = this.region.getByText(/^Live$/);
  }

  async open() {
    if (!(await this.region.isVisible())) await this.chip.click();
    await this.region.waitFor();
  }

  async close() {
    if (await this.region.isVisible()) {
      // Into the popover's dialog first: Sync Now disables itself while it runs, which leaves the
      // focus on the page's body, where Esc would not reach the popover.
      await this.popover.press('Escape');
      await this.region.waitFor({ state: 'hidden' });
    }
  }

  /** Opens the popover, runs `look`, and closes it again so the screen underneath is usable. */
  async check<T>(look: () => Promise<T>): Promise<T> {
    await this.open();
    try {
      return await look();
    } finally {
      await this.close();
    }
  }

  async expectConnection(text: 'Online' | 'Offline' | 'Not set up', options?: { timeout?: number }) {
    await this.check(() => expect(this.connection).toHaveText(text, options));
  }

  async expectLive(options?: { timeout?: number }) {
    await this.check(() => expect(this.live).toBeVisible(options));
  }

  async pendingCount(): Promise<number> {
    const text = await this.check(() => this.pendingChanges.textContent());
    const match = /Pending changes: (\d+)/.exec(text ?? '');
    if (!match) throw new Error(`No pending count in the sync panel: ${text}`);
    return Number(match[1]);
  }

  async expectPending(count: number, options?: { timeout?: number }) {
    await this.check(() => expect(this.pendingChanges).toHaveText(`Pending changes: ${count}`, options));
  }

  /** Clicks Sync Now in the popover (the run itself is awaited through what the screens show next). */
  async syncNow() {
    await this.check(() => this.syncNowButton.click());
  }

  async expectUpToDate() {
    await this.check(async () => {
      await expect(this.connection).toHaveText('Online');
      await expect(this.region.getByText('Up to date', { exact: true })).toBeVisible();
      await expect(this.pendingChanges).toHaveText('Pending changes: 0');
    });
    await expect(this.chip).toHaveAccessibleName(/^Sync: (Synced|Not synced yet)/);
  }
}
