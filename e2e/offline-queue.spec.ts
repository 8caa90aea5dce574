// Scenario c of issue 5 (the seed's Example 3): the server goes away; the manager keeps working;
// the sync panel says offline and counts the queued changes; when the server is back the queue
// drains by itself, in the order the changes were made, and a store device receives all of them.
import { expect, test } from './fixtures.js';
import { FormsPage } from './page-models/forms-page.js';
import { KpisPage } from './page-models/kpis-page.js';
import { openingChecklist } from './support/opening-checklist.js';
import { auditTrailOf } from './support/server-records.js';

test('work done while the server is down is queued, shown as pending, and reaches the server in order and then the stores once it is back', async ({
  managerApp,
  shell,
  server,
  managerDevice,
  storeDevice,
  captureScreen,
}) => {
  // A server stop and start, the engine's reconnect probe and store-device CLI runs.
  test.slow();
  const page = managerApp.page;
  const panel = shell.syncPanel;
  const forms = new FormsPage(page);
  await shell.open('Forms');
  await forms.createForm(openingChecklist.title, openingChecklist.sections, { publish: true });
  await panel.expectUpToDate();
  await storeDevice.pull();
  const appliedBefore = (await auditTrailOf(server.databaseUrl, managerDevice.deviceId)).length;

  await server.stop();

  // 1. The form gets a new title and a new field.
  await shell.open('Forms');
  const editor = await forms.openForm(openingChecklist.title);
  await editor.title.fill('Opening checklist v2');
  const frontOfStore = editor.section(1);
  await frontOfStore.getByRole('button', { name: 'Add field' }).click();
  await editor.fillField(frontOfStore.getByRole('group', { name: 'Field 3', exact: true }), {
    label: 'Doors unlocked',
    type: 'Yes / No',
    required: true,
  });
  await editor.save();
  await panel.check(async () => {
    await expect(panel.connection).toHaveText('Offline');
    await expect(panel.pendingChanges).not.toHaveText('Pending changes: 0');
  });
  const afterFormEdit = await panel.pendingCount();

  // 2. Two days of sales, one queued change each.
  const kpis = new KpisPage(page);
  await shell.open('KPIs');
  await kpis.enter({ metric: 'Sales', value: 1200, store: 'store-001', period: '2026-11-01', target: 1000 });
  await panel.expectPending(afterFormEdit + 1);
  await kpis.enter({ metric: 'Sales', value: 950, store: 'store-001', period: '2026-11-02', target: 1000 });
  await panel.expectPending(afterFormEdit + 2);
  await panel.expectConnection('Offline');
  await expect(panel.chip).toHaveAccessibleName(`Sync: Offline · ${afterFormEdit + 2} pending`);
  await expect(kpis.row('Sales', 'store-001', '2026-11-02').getByRole('cell')).toContainText([
    '950',
    '1000',
    '50 below',
  ]);
  await captureScreen('kpis-offline');

  // Nothing reached the server meanwhile.
  expect(await auditTrailOf(server.databaseUrl, managerDevice.deviceId)).toHaveLength(appliedBefore);

  // The server comes back: the app notices by itself (reconnect probe) and drains the queue.
  await server.start();
  await panel.expectPending(0, { timeout: 60_000 });
  await panel.expectConnection('Online');

  const drained = (await auditTrailOf(server.databaseUrl, managerDevice.deviceId)).slice(appliedBefore);
  expect(drained).toHaveLength(afterFormEdit + 2);
  const position = (predicate: (after: Record<string, unknown>) => boolean, table: string) =>
    drained.findIndex((row) => row.table_name === table && row.after !== null && predicate(row.after));
  const titleChange = position((after) => after.title === 'Opening checklist v2', 'forms');
  const newField = position((after) => after.label === 'Doors unlocked', 'fields');
  const firstDay = position((after) => after.value === 1200, 'kpi_data');
  const secondDay = position((after) => after.value === 950, 'kpi_data');
  expect([titleChange, newField, firstDay, secondDay].every((index) => index >= 0)).toBe(true);
  // In the order they were made (the form edit was one save, then each KPI value).
  expect(Math.max(titleChange, newField)).toBeLessThan(firstDay);
  expect(firstDay).toBeLessThan(secondDay);

  // The store device receives every change.
  await storeDevice.pull();
  const storeForms = await storeDevice.list<{ id: string; title: string }>('forms');
  expect(storeForms.map((form) => form.title)).toEqual(['Opening checklist v2']);
  const storeFields = await storeDevice.list<{ form_id: string; label: string }>('fields');
  expect(
    storeFields
      .filter((f) => f.form_id === storeForms[0]!.id)
      .map((f) => f.label)
      .sort(),
  ).toEqual(['Doors unlocked', 'Lights on', 'Shelf state', 'Till float']);
  const storeKpis = await storeDevice.list<{ metric: string; value: number; period: string; store_id: string }>(
    'kpi_data',
  );
  expect(storeKpis.map((k) => [k.metric, k.store_id, k.period, k.value]).sort()).toEqual([
    ['Sales', 'store-001', '2026-11-01', 1200],
    ['Sales', 'store-001', '2026-11-02', 950],
  ]);
});
