// Scenario e of issue 5: a sync that keeps failing retries with backoff; the fifth failed attempt
// raises the alert in the sync panel; once the server is back, Sync Now clears it.
import { expect, test } from './fixtures.js';
import { KpisPage } from './page-models/kpis-page.js';

// Counts nothing across the whole server: the worker's shared server will do (fixtures.ts).
test.use({ sharedServer: true });

test('after five failed sync attempts the manager is alerted, and Sync Now clears the alert once the server is back', async ({
  managerApp,
  shell,
  server,
  captureScreen,
}) => {
  const panel = shell.syncPanel;
  await panel.expectUpToDate();
  await panel.check(() => expect(panel.failureAlert).toHaveCount(0));

  await server.stop();
  // A change waiting to go out, so the alert is about work that is kept, not lost.
  await shell.open('KPIs');
  await new KpisPage(managerApp.page).enter({
    metric: 'Footfall',
    value: 310,
    store: 'store-001',
    period: '2026-11-03',
  });
  await panel.syncNow();
  await expect(panel.chip).toHaveAccessibleName(/^Sync: (Offline|Sync failing)/);
  await panel.check(async () => {
    await expect(panel.connection).toHaveText('Offline');
    await expect(panel.attempt).toHaveText(/^Attempt [1-4] of 5$/);
  });

  // The engine retries by itself (backoff of about 2, 4, 8, 16 s with jitter) until the fifth failure.
  await panel.check(async () => {
    await expect(panel.failureAlert).toBeVisible({ timeout: 60_000 });
    await expect(panel.failureAlert).toContainText('Sync failed 5 times');
    await expect(panel.attempt).toHaveText('Attempt 5 of 5');
    await expect(panel.pendingChanges).toHaveText('Pending changes: 1');
    await captureScreen('sync-alert');
  });
  // Closed, the chip alone says it in red.
  await expect(panel.chip).toHaveAccessibleName('Sync: Sync failing');

  await server.start();
  await panel.syncNow();
  await panel.check(() => expect(panel.failureAlert).toHaveCount(0));
  await panel.expectUpToDate();
});
