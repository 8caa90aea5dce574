// The always-visible sync panel (renderer/features/sync/SyncPanel.tsx): its words are decided in
// renderer/features/sync/describe-status.ts.
import { expect, type Locator, type Page } from '@playwright/test';

export class SyncPanel {
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

  constructor(readonly page: Page) {
    this.region = page.getByRole('region', { name: 'Sync status' });
    this.connection = this.region.getByText(/^(Online|Offline|Not set up)$/);
    this.pendingChanges = this.region.getByText(/^Pending changes: \d+$/);
    this.lastSync = this.region.getByText(/^Last sync: /);
    this.attempt = this.region.getByText(/^Attempt \d+ of \d+$/);
    this.progress = this.region.getByText(/^Syncing: \d+ \/ \d+ rows/);
    this.failureAlert = this.region.getByRole('alert').filter({ hasText: /Sync failed \d+ times/ });
    this.syncNowButton = this.region.getByRole('button', { name: 'Sync Now' });
    this.openConflicts = this.region.getByRole('link', { name: /^Open conflicts: \d+$/ });
  }

  async pendingCount(): Promise<number> {
    const text = await this.pendingChanges.textContent();
    const match = /Pending changes: (\d+)/.exec(text ?? '');
    if (!match) throw new Error(`No pending count in the sync panel: ${text}`);
    return Number(match[1]);
  }

  async expectPending(count: number) {
    await expect(this.pendingChanges).toHaveText(`Pending changes: ${count}`);
  }

  /** Clicks Sync Now (the run itself is awaited through what the screens show next). */
  async syncNow() {
    await this.syncNowButton.click();
  }

  async expectUpToDate() {
    await expect(this.connection).toHaveText('Online');
    await expect(this.region.getByText('Up to date', { exact: true })).toBeVisible();
    await this.expectPending(0);
  }
}
