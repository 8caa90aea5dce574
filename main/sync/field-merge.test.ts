// Field-level merge end to end (real PostgreSQL, real SQLite files, real HTTP): two devices edit
// different fields of one record from the same base → after sync every device holds both edits,
// with no conflict; the same field → the rule decides and the conflict names only that field,
// whose other value the manager can apply alone.
import { describe, expect, it } from 'vitest';
import type { TableName } from '../../shared/tables.js';
import { createKpi, saveForm, startSubmission } from '../repos/index.js';
import { editLocalRow, minutesFromNow, useServerWithDevices, type TestDevice } from './testing/devices.js';

const world = useServerWithDevices();
const device = world.device;
const at = minutesFromNow;
const edit = editLocalRow;

/** Syncs every device twice (push, then pull what the others pushed) and returns each device's row. */
async function rowsEverywhere(table: TableName, id: string, all: TestDevice[]) {
  for (let round = 0; round < 2; round++) for (const d of all) await d.engine.syncNow();
  return all.map((d) => d.rows(table).get(id));
}

const simpleForm = (title: string) => ({ form: { title, status: 'published' as const }, sections: [], fields: [] });

describe('field-level merge between devices', () => {
  it('keeps a store’s status and the manager’s submitted_by of one submission, and KPI value and target', async () => {
    const manager = await device(world.server, 'fm-manager', 'manager');
    const store = await device(world.server, 'fm-store', 'store');
    const form = saveForm(manager.store, simpleForm('Cash count')).form;
    await manager.engine.syncNow();
    await store.engine.syncNow();
    const submission = startSubmission(store.store, { form_id: form.id, store_id: 'S1' });
    const kpi = createKpi(store.store, { metric: 'daily_sales', value: 10, target: 100, store_id: 'S1' });
    await store.engine.syncNow();
    await manager.engine.syncNow();

    // Both edit from the same base, offline from each other; the manager's edits are the later ones.
    edit(store, 'submissions', submission.id, { status: 'completed' }, at(0));
    edit(store, 'kpi_data', kpi.id, { value: 11 }, at(0));
    edit(manager, 'submissions', submission.id, { submitted_by: 'Dana' }, at(1));
    edit(manager, 'kpi_data', kpi.id, { target: 120 }, at(1));
    await store.engine.syncNow();
    await manager.engine.syncNow();

    for (const row of await rowsEverywhere('submissions', submission.id, [store, manager])) {
      expect(row).toMatchObject({ status: 'completed', submitted_by: 'Dana' });
    }
    for (const row of await rowsEverywhere('kpi_data', kpi.id, [store, manager])) {
      expect(row).toMatchObject({ value: 11, target: 120 });
    }
    expect(manager.engine.listConflicts({ include_closed: true })).toEqual([]);
    expect(store.engine.listConflicts({ include_closed: true })).toEqual([]);
    // The pusher adopted the merged row from the push answer: nothing left queued.
    expect(manager.engine.listPendingChanges()).toEqual([]);
    // The merges are listed for the sync panel (newest first), with the fields of each side.
    expect(manager.engine.listRecentMerges()).toEqual([
      expect.objectContaining({ table: 'kpi_data', record_id: kpi.id, pushed: ['target'], kept: ['value'] }),
      expect.objectContaining({
        table: 'submissions',
        record_id: submission.id,
        pushed: ['submitted_by'],
        kept: ['status'],
      }),
    ]);
  });

  it('keeps one manager’s form title and another’s description', async () => {
    const mac = await device(world.server, 'fm-mac', 'manager');
    const laptop = await device(world.server, 'fm-laptop', 'manager');
    const form = saveForm(mac.store, simpleForm('Weekly audit')).form;
    await mac.engine.syncNow();
    await laptop.engine.syncNow();

    edit(mac, 'forms', form.id, { title: 'Weekly audit (v2)' }, at(0));
    edit(laptop, 'forms', form.id, { description: 'Fridays before close' }, at(-5));
    await mac.engine.syncNow();
    await laptop.engine.syncNow();
    for (const row of await rowsEverywhere('forms', form.id, [mac, laptop])) {
      expect(row).toMatchObject({ title: 'Weekly audit (v2)', description: 'Fridays before close' });
    }
    expect(laptop.engine.listConflicts({ include_closed: true })).toEqual([]);
  });

  it('sends several local edits of one record with the oldest base, and merges them as one', async () => {
    const manager = await device(world.server, 'fm-many-manager', 'manager');
    const store = await device(world.server, 'fm-many-store', 'store');
    const kpi = createKpi(store.store, { metric: 'footfall', value: 1, target: 1, period: 'a' });
    await store.engine.syncNow();
    await manager.engine.syncNow();
    edit(manager, 'kpi_data', kpi.id, { target: 2 }, at(0));
    await manager.engine.syncNow();
    // Two edits queued before a push, of two fields the manager did not touch.
    edit(store, 'kpi_data', kpi.id, { value: 2 }, at(1));
    edit(store, 'kpi_data', kpi.id, { period: 'b' }, at(2));
    await store.engine.syncNow();
    for (const row of await rowsEverywhere('kpi_data', kpi.id, [store, manager])) {
      expect(row).toMatchObject({ value: 2, target: 2, period: 'b' });
    }
    expect(store.engine.listConflicts({ include_closed: true })).toEqual([]);
  });

  it('lets the rule decide a field both changed, lists only it, and applies its other value alone', async () => {
    const manager = await device(world.server, 'fm-same-manager', 'manager');
    const store = await device(world.server, 'fm-same-store', 'store');
    const kpi = createKpi(store.store, { metric: 'waste', value: 5, target: 3, store_id: 'S2' });
    await store.engine.syncNow();
    await manager.engine.syncNow();

    edit(store, 'kpi_data', kpi.id, { value: 6, period: 'W1' }, at(2));
    await store.engine.syncNow();
    // The manager's edit of value is older: latest_wins keeps the store's; the target still lands.
    edit(manager, 'kpi_data', kpi.id, { value: 7, target: 4 }, at(1));
    await manager.engine.syncNow();

    const [conflict] = manager.engine.listConflicts();
    expect(conflict).toMatchObject({ rule: 'latest_wins', resolution: 'server_wins', differing_fields: ['value'] });
    expect(conflict!.fields).toEqual([
      { field: 'value', client_value: 7, server_value: 6, base_value: 5, resolution: 'server_wins', applied: false },
    ]);
    expect(manager.rows('kpi_data').get(kpi.id)).toMatchObject({ value: 6, target: 4, period: 'W1' });

    await manager.engine.resolveConflict(conflict!.id, 'apply_other', 'value');
    expect(manager.engine.listConflicts()).toEqual([]);
    for (const row of await rowsEverywhere('kpi_data', kpi.id, [store, manager])) {
      expect(row).toMatchObject({ value: 7, target: 4, period: 'W1' });
    }
  });
});
