// Invariant 12 end to end: engines with their own SQLite files against a real server. Two store
// devices (S001, S002) and a manager: each store's local store holds only its own rows; moving a
// device brings the new store's rows and removes the old store's, and an unpushed edit of an
// old-store row is set aside with a reason naming both stores (never lost, never blocking); a
// manager moving a submission removes it and its answers from the old store's device.
import { describe, expect, it } from 'vitest';
import { answerField, createKpi, saveForm, startSubmission } from '../repos/index.js';
import { tablesReadableBy } from '../../shared/tables.js';
import { SyncClient } from './http.js';
import { pullChanges } from './pull.js';
import { editLocalRow, minutesFromNow, useServerWithDevices, type TestDevice } from './testing/devices.js';

const world = useServerWithDevices();

/** The store_id of every local row of the store-scoped tables (answers: through their submission). */
function localStores(d: TestDevice): Set<string | null> {
  const stores = new Set<string | null>();
  for (const table of ['submissions', 'kpi_data', 'team'] as const)
    for (const row of d.rows(table).values()) stores.add(row.store_id as string | null);
  const submissions = d.rows('submissions');
  for (const answer of d.rows('submission_answers').values())
    stores.add((submissions.get(answer.submission_id as string)?.store_id as string | undefined) ?? 'orphan answer');
  return stores;
}

async function moveDevice(manager: TestDevice, deviceId: string, store: string) {
  const reply = await fetch(`${world.server.url}/api/v1/devices/${deviceId}/scope`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${manager.token}` },
    body: JSON.stringify({ store }),
  });
  expect(reply.status).toBe(200);
}

async function stage(prefix: string) {
  const manager = await world.device(world.server, `${prefix}-mac`, 'manager');
  const one = await world.device(world.server, `${prefix}-s1`, 'store', { store: 'S001' });
  const two = await world.device(world.server, `${prefix}-s2`, 'store', { store: 'S002' });
  const { form, fields } = saveForm(manager.store, {
    form: { title: `${prefix} checklist`, status: 'published' },
    sections: [],
    fields: [{ section_index: null, label: 'Shelves', type: 'text', required: false, position: 0 }],
  });
  await manager.engine.syncNow();
  const rowsOf = async (d: TestDevice, store: string) => {
    await d.engine.syncNow();
    const submission = startSubmission(d.store, { form_id: form.id, store_id: store });
    const answer = answerField(d.store, { submission_id: submission.id, field_id: fields[0]!.id, value: 'full' });
    const kpi = createKpi(d.store, { metric: 'sales', value: 10, store_id: store });
    await d.engine.syncNow();
    return { submission, answer, kpi };
  };
  return { manager, one, two, mine: await rowsOf(one, 'S001'), theirs: await rowsOf(two, 'S002') };
}

describe('invariant 12: a store device holds only its own store', () => {
  it("keeps each store's rows out of the other store's local SQLite", async () => {
    const { manager, one, two, mine, theirs } = await stage('own');
    await one.engine.syncNow();
    await two.engine.syncNow();
    await manager.engine.syncNow();
    expect(localStores(one)).toEqual(new Set(['S001']));
    expect(localStores(two)).toEqual(new Set(['S002']));
    expect(one.rows('forms').size).toBe(1);
    expect(manager.rows('submissions').has(mine.submission.id)).toBe(true);
    expect(manager.rows('submissions').has(theirs.submission.id)).toBe(true);
  });

  it('moving a device brings the new store, removes the old, and sets an unpushed old-store edit aside without blocking', async () => {
    const { manager, one, theirs, mine } = await stage('move');
    // An edit of an S001 row that has not reached the server when the device is moved.
    editLocalRow(one, 'kpi_data', mine.kpi.id, { value: 99 }, minutesFromNow(0));
    await moveDevice(manager, one.id, 'S002');
    await one.engine.syncNow();

    expect(localStores(one)).toEqual(new Set(['S002']));
    expect(one.rows('submissions').has(theirs.submission.id)).toBe(true);
    expect(one.rows('submission_answers').has(theirs.answer.id)).toBe(true);
    expect(one.rows('kpi_data').has(mine.kpi.id)).toBe(false);
    // The edit is kept, set aside with the server's reason naming both stores.
    const [parked] = one.engine.listPendingChanges({ needsAttentionOnly: true });
    expect(parked).toMatchObject({ table: 'kpi_data', record_id: mine.kpi.id, needs_attention: true });
    expect(parked!.last_error).toContain('belongs to store S001');
    expect(parked!.last_error).toContain('belongs to store S002');
    // The queue goes on: a new edit in its new store syncs.
    const fresh = createKpi(one.store, { metric: 'footfall', value: 3, store_id: 'S002' });
    await one.engine.syncNow();
    expect(one.engine.status().pending_count).toBe(0);
    expect((await world.serverDb.rows('kpi_data')).get(fresh.id)).toMatchObject({ value: 3, store_id: 'S002' });
    // Nothing was deleted on the server, and the old value stands there.
    expect((await world.serverDb.rows('kpi_data')).get(mine.kpi.id)).toMatchObject({ value: 10, store_id: 'S001' });
  });

  it('a pull that removes a row with a still-queued edit sets the edit aside with a reason, and keeps its data', async () => {
    const { manager, one, mine } = await stage('park');
    editLocalRow(one, 'submission_answers', mine.answer.id, { value: 'half' }, minutesFromNow(0));
    await moveDevice(manager, one.id, 'S002');
    // A pull alone (as when the edit is made while the pull is on the wire): no push went first.
    await pullChanges({
      store: one.store,
      client: new SyncClient({ serverUrl: world.server.url, deviceId: one.id, token: one.token }),
      tables: tablesReadableBy('store'),
    });
    expect(one.rows('submission_answers').has(mine.answer.id)).toBe(false);
    expect(one.rows('submissions').has(mine.submission.id)).toBe(false);
    const [parked] = one.engine.listPendingChanges({ needsAttentionOnly: true });
    expect(parked).toMatchObject({ table: 'submission_answers', record_id: mine.answer.id });
    expect(parked!.last_error).toContain('belongs to store S001, which this device no longer syncs');
    expect(one.engine.status().pending_count).toBe(0);
  });

  it("a manager moving a submission to another store removes it and its answers from the old store's device", async () => {
    const { manager, one, two, mine } = await stage('row');
    await manager.engine.syncNow();
    editLocalRow(manager, 'submissions', mine.submission.id, { store_id: 'S002' }, minutesFromNow(1));
    await manager.engine.syncNow();
    await one.engine.syncNow();
    await two.engine.syncNow();
    expect(one.rows('submissions').has(mine.submission.id)).toBe(false);
    expect(one.rows('submission_answers').has(mine.answer.id)).toBe(false);
    expect(two.rows('submissions').get(mine.submission.id)).toMatchObject({ store_id: 'S002' });
    expect(two.rows('submission_answers').has(mine.answer.id)).toBe(true);
    expect(localStores(one)).toEqual(new Set(['S001']));
    expect(localStores(two)).toEqual(new Set(['S002']));
  });
});
