// Invariants the engine owns (docs/invariants.md): 4 (a pull never clobbers an unpushed local edit, and the
// push that follows still lets the server see the concurrent edit), 10 (a refused change neither
// blocks the queue nor vanishes) and 11 (the cursor moves only with a durably applied page).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { writeLocal } from '../db/outbox.js';
import { createKpi, saveForm, startSubmission } from '../repos/index.js';
import { SyncClient } from './http.js';
import { readLocalRow } from './local-rows.js';
import { compareCursors, cursorKey, readMetadata } from './metadata.js';
import { pullChanges } from './pull.js';
import { SyncEngine } from './engine.js';
import { editLocalRow, eventually, minutesFromNow, useServerWithDevices, type TestDevice } from './testing/devices.js';

const world = useServerWithDevices();
const device = world.device;

const at = minutesFromNow;
const edit = editLocalRow;
const pullOnly = (d: TestDevice) =>
  pullChanges({
    store: d.store,
    client: new SyncClient({ serverUrl: world.server.url, deviceId: d.id, token: d.token }),
    tables: ['forms', 'submissions', 'kpi_data'],
  });
const publishedForm = (d: TestDevice, title: string) =>
  saveForm(d.store, { form: { title, status: 'published' }, sections: [], fields: [] }).form;

describe('invariant 4: a pull never clobbers an unpushed local edit', () => {
  it('keeps the local edit through a pull, and the later push still meets the concurrent edit as a conflict', async () => {
    const manager = await device(world.server, 'i4-manager', 'manager');
    const store = await device(world.server, 'i4-store', 'store');
    const form = publishedForm(manager, 'Inv 4');
    await manager.engine.syncNow();
    await store.engine.syncNow();
    const submission = startSubmission(store.store, { form_id: form.id });
    await store.engine.syncNow();
    await manager.engine.syncNow();

    edit(store, 'submissions', submission.id, { submitted_by: 'store (earlier)' }, at(1));
    edit(manager, 'submissions', submission.id, { submitted_by: 'manager (later)' }, at(2));
    await manager.engine.syncNow();

    const pulled = await pullOnly(store);
    expect(pulled.keptLocal).toBe(1);
    expect(store.rows('submissions').get(submission.id)).toMatchObject({ submitted_by: 'store (earlier)' });
    expect(store.engine.status().pending_count).toBe(1);

    // The pull moved the cursor past the manager's edit; the push must not claim to have seen it,
    // or the server would let the earlier edit overwrite the later one.
    await store.engine.syncNow();
    expect(store.engine.listConflicts()[0]).toMatchObject({
      record_id: submission.id,
      resolution: 'server_wins',
      rule: 'latest_wins',
    });
    expect(store.rows('submissions').get(submission.id)).toMatchObject({ submitted_by: 'manager (later)' });
    expect((await world.serverDb.rows('submissions')).get(submission.id)).toMatchObject({
      submitted_by: 'manager (later)',
    });
  });
});

describe('invariant 4 while requests are on the wire', () => {
  it('an edit made while a pull page is on the wire survives the page, and its push still meets the concurrent edit', async () => {
    const manager = await device(world.server, 'i4w-manager', 'manager');
    const store = await device(world.server, 'i4w-store', 'store');
    const form = publishedForm(manager, 'Inv 4 wire');
    await manager.engine.syncNow();
    await store.engine.syncNow();
    const submission = startSubmission(store.store, { form_id: form.id });
    await store.engine.syncNow();
    await manager.engine.syncNow();
    edit(manager, 'submissions', submission.id, { submitted_by: 'manager (later)' }, at(2));
    await manager.engine.syncNow();

    let release: () => void = () => {};
    let held = false;
    const gated: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/sync/pull') && !held) {
        held = true; // the page has left the server; it is applied once released
        await new Promise<void>((resolve) => (release = resolve));
      }
      return response;
    };
    const engine = new SyncEngine({ store: store.store, fetch: gated });
    const pulling = engine.syncNow('interval', 'pull');
    await eventually(() => held, 5000, 'the page on the wire');
    edit(store, 'submissions', submission.id, { submitted_by: 'store (earlier)' }, at(1));
    release();
    await pulling;
    expect(store.rows('submissions').get(submission.id)).toMatchObject({ submitted_by: 'store (earlier)' });
    await engine.syncNow('sync-now');
    expect(engine.listConflicts()[0]).toMatchObject({
      record_id: submission.id,
      resolution: 'server_wins',
      rule: 'latest_wins',
    });
    expect(store.rows('submissions').get(submission.id)).toMatchObject({ submitted_by: 'manager (later)' });
    await engine.stop();
  });

  it('an edit made while its own earlier change is being pushed is neither overwritten by the answer nor lost', async () => {
    const manager = await device(world.server, 'i4p-manager', 'manager');
    const kpi = createKpi(manager.store, { metric: 'wire', value: 1 });
    let release: () => void = () => {};
    let held = false;
    const gated: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/sync/push') && !held) {
        held = true;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return response;
    };
    const engine = new SyncEngine({ store: manager.store, fetch: gated });
    const pushing = engine.syncNow('local-write', 'push');
    await eventually(() => held, 5000, 'the push on the wire');
    const { server_version: _v, ...current } = readLocalRow(manager.store, 'kpi_data', kpi.id)!;
    writeLocal(manager.store, 'kpi_data', { ...current, value: 2, updated_at: at(0) } as never, 'UPDATE');
    release();
    await pushing;
    expect(manager.rows('kpi_data').get(kpi.id)).toMatchObject({ value: 2 });
    expect(engine.status().pending_count).toBe(0);
    expect((await world.serverDb.rows('kpi_data')).get(kpi.id)).toMatchObject({ value: 2 });
    await engine.stop();
  });
});

describe('invariant 10: a refused change neither blocks the queue nor vanishes', () => {
  it('sets the refused change aside with the reason, pushes the rest, and a discard restores the server row', async () => {
    const manager = await device(world.server, 'i10-manager', 'manager');
    const store = await device(world.server, 'i10-store', 'store', { batchSize: 50 });
    const form = publishedForm(manager, 'Inv 10');
    await manager.engine.syncNow();
    await store.engine.syncNow();

    const before = createKpi(store.store, { metric: 'queue', value: 1 });
    // A store device may not write forms: the server refuses this change for good (403).
    edit(store, 'forms', form.id, { title: 'Renamed by a store' }, at(0));
    const after = createKpi(store.store, { metric: 'queue', value: 2 });
    await store.engine.syncNow();

    expect(store.engine.lastRun?.ok).toBe(true);
    expect(store.engine.lastRun?.pushed).toMatchObject({ pushed: 2, refused: 1 });
    const serverKpis = await world.serverDb.rows('kpi_data');
    expect(serverKpis.has(before.id) && serverKpis.has(after.id)).toBe(true);
    const [refused] = store.engine.listPendingChanges({ needsAttentionOnly: true });
    expect(refused).toMatchObject({ table: 'forms', record_id: form.id, needs_attention: true });
    expect(refused!.last_error).toContain('may not write forms');
    expect(store.engine.status()).toMatchObject({ pending_count: 0, needs_attention_count: 1 });
    // Still visible locally, untouched by the pull of the same run.
    expect(store.rows('forms').get(form.id)).toMatchObject({ title: 'Renamed by a store' });

    store.engine.discardChange(refused!.id);
    await store.engine.syncNow();
    expect(store.engine.status().needs_attention_count).toBe(0);
    expect(store.rows('forms').get(form.id)).toMatchObject({ title: 'Inv 10' });
  });
});

describe('invariant 10 for a change the server rejects alone', () => {
  it("sets a change naming a form the server never had aside with the server's reason, and the queue moves on", async () => {
    const manager = await device(world.server, 'i10r-manager', 'manager');
    const store = await device(world.server, 'i10r-store', 'store');
    const form = publishedForm(manager, 'Inv 10 parents');
    await manager.engine.syncNow();
    await store.engine.syncNow();
    const submission = startSubmission(store.store, { form_id: form.id });
    await store.engine.syncNow();

    // The submission now names a form the server never had; the KPIs around it are fine.
    const before = createKpi(store.store, { metric: 'rejected', value: 1 });
    const stray = randomUUID();
    edit(store, 'submissions', submission.id, { form_id: stray }, at(0));
    const after = createKpi(store.store, { metric: 'rejected', value: 2 });
    await store.engine.syncNow();

    expect(store.engine.lastRun?.ok).toBe(true);
    expect(store.engine.lastRun?.pushed).toMatchObject({ refused: 1 });
    const serverKpis = await world.serverDb.rows('kpi_data');
    expect(serverKpis.has(before.id) && serverKpis.has(after.id)).toBe(true);
    expect((await world.serverDb.rows('submissions')).get(submission.id)).toMatchObject({ form_id: form.id });
    const [refused] = store.engine.listPendingChanges({ needsAttentionOnly: true });
    expect(refused).toMatchObject({ table: 'submissions', record_id: submission.id, needs_attention: true });
    expect(refused!.last_error).toContain(`form_id ${stray}`);
    expect(store.engine.status()).toMatchObject({ pending_count: 0, needs_attention_count: 1 });
  });
});

describe('invariant 11: the cursor moves only with a durably applied page', () => {
  it('leaves the cursor and the rows of a page that failed midway as they were, and resumes from there', async () => {
    const manager = await device(world.server, 'i11-manager', 'manager');
    const store = await device(world.server, 'i11-store', 'store', { pageSize: 10 });
    const kpis = Array.from({ length: 25 }, (_, i) => createKpi(manager.store, { metric: 'inv11', value: i }));
    await manager.engine.syncNow();

    // A real SQLite failure in the middle of the second page (row 15 of 25).
    store.store.sqlite.exec(
      `CREATE TRIGGER fail_midway BEFORE INSERT ON kpi_data WHEN NEW.id = '${kpis[14]!.id}'
       BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`,
    );
    await store.engine.syncNow();
    expect(store.engine.lastRun?.ok).toBe(false);
    expect(store.engine.lastRun?.error).toContain('disk trouble');
    const cursorAfterFailure = readMetadata(store.store, cursorKey('kpi_data'));
    // Earlier pages are in, with their cursor; nothing of the failed page is: the local rows are a
    // prefix of the server's version order, and the cursor is below the first row not applied.
    const held = kpis.filter((k) => store.rows('kpi_data').has(k.id)).length;
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(15);
    const ours = new Set(kpis.map((k) => k.id));
    expect([...store.rows('kpi_data').keys()].filter((id) => ours.has(id)).sort()).toEqual(
      kpis
        .slice(0, held)
        .map((k) => k.id)
        .sort(),
    );
    // (The cursor is the server's position `<txid>.<version>` of the last row served.)
    const [firstMissing] = await world.serverDb.query<{ position: string }>(
      "select server_txid || '.' || server_version as position from kpi_data where id = $1",
      [kpis[held]!.id],
    );
    expect(cursorAfterFailure).not.toBeNull();
    expect(compareCursors(cursorAfterFailure!, firstMissing!.position)).toBeLessThan(0);

    store.store.sqlite.exec('DROP TRIGGER fail_midway');
    await store.engine.syncNow();
    const heldNow = store.rows('kpi_data');
    expect(kpis.filter((k) => heldNow.has(k.id)).length).toBe(25);
    expect(compareCursors(readMetadata(store.store, cursorKey('kpi_data'))!, cursorAfterFailure!)).toBeGreaterThan(0);
  });
});

describe('invariant 11 with a discard during a pull', () => {
  it('a discard made while a pull page is on the wire still brings the server row back', async () => {
    const manager = await device(world.server, 'i11d-manager', 'manager');
    const store = await device(world.server, 'i11d-store', 'store');
    const form = publishedForm(manager, 'Inv 11 discard');
    await manager.engine.syncNow();
    await store.engine.syncNow();
    edit(store, 'forms', form.id, { title: 'Renamed by a store' }, at(0));
    await store.engine.syncNow();
    const [refused] = store.engine.listPendingChanges({ needsAttentionOnly: true });
    expect(refused).toMatchObject({ table: 'forms', record_id: form.id });

    // Hold the next pull on the wire, discard meanwhile, then let the page arrive.
    let release: () => void = () => {};
    let held = false;
    const gated: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/sync/pull') && !held) {
        held = true;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return fetch(input, init);
    };
    const engine = new SyncEngine({ store: store.store, fetch: gated });
    const pulling = engine.syncNow('interval', 'pull');
    await eventually(() => held, 5000, 'the pull to be on the wire');
    engine.discardChange(refused!.id);
    release();
    await pulling;
    await engine.syncNow('sync-now');
    expect(store.rows('forms').get(form.id)).toMatchObject({ title: 'Inv 11 discard' });
    await engine.stop();
  });
});
