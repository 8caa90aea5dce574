// Two guards of the engine that keep what a person sees from going backwards, each driven
// through the real engine against the real server, with the network between them scripted by an
// injected fetch:
// - a push's answer never overwrites a row edited again while that push was on the wire (the
//   queue still holds the newer edit: an offline user would see it reverted);
// - only a newer server_version replaces a local row, so an older page arriving late (a stale
//   answer from a cache or a slow retry) cannot bring a deleted row back.
import { describe, expect, it } from 'vitest';
import { createKpi, deleteKpi } from '../repos/index.js';
import { PullArraysResponse } from '../../shared/protocol/sync.js';
import { readLocalRow } from './local-rows.js';
import { editLocalRow, minutesFromNow, useServerWithDevices } from './testing/devices.js';

const world = useServerWithDevices();

const isPath = (input: Parameters<typeof fetch>[0], path: string) =>
  String(input instanceof Request ? input.url : input).endsWith(path);
const unreachable = () =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });

describe('a push answer and an edit made while the push was on the wire', () => {
  it('keeps the newer edit on screen while the queue holds it, also when the device then goes offline', async () => {
    let duringPush: (() => void) | null = null;
    let offline = false;
    const network: typeof fetch = async (input, init) => {
      if (offline) throw unreachable();
      const response = await fetch(input, init);
      if (isPath(input, '/sync/push') && duringPush) {
        // The server has answered; the engine has not applied the answer yet.
        const edit = duringPush;
        duringPush = null;
        edit();
      }
      return response;
    };
    const manager = await world.device(world.server, 'guard-push-editor', 'manager', { fetch: network });
    const kpi = createKpi(manager.store, { metric: 'footfall', value: 1, store_id: 'S1' });
    duringPush = () => {
      editLocalRow(manager, 'kpi_data', kpi.id, { value: 2 }, minutesFromNow(0));
      // The connection drops right after: the second edit cannot be pushed in this run.
      offline = true;
    };

    await manager.engine.syncNow('edit pushed', 'push');

    // The first edit reached the server; the second is still queued, and it is what the user sees.
    expect((await world.serverDb.rows('kpi_data')).get(kpi.id)).toMatchObject({ value: 1 });
    expect(manager.engine.lastRun?.ok).toBe(false);
    const queued = manager.engine.listPendingChanges();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ table: 'kpi_data', record_id: kpi.id });
    expect(readLocalRow(manager.store, 'kpi_data', kpi.id)).toMatchObject({ value: 2 });

    // Back online: the newer edit reaches the server and both sides agree.
    offline = false;
    await manager.engine.syncNow('back online');
    expect(manager.engine.lastRun?.ok).toBe(true);
    expect(manager.engine.status().pending_count).toBe(0);
    expect((await world.serverDb.rows('kpi_data')).get(kpi.id)).toMatchObject({ value: 2 });
    expect(readLocalRow(manager.store, 'kpi_data', kpi.id)).toMatchObject({ value: 2 });
  });
});

describe('a late page older than what the device holds', () => {
  it('does not bring back a row the device already knows is deleted', async () => {
    const manager = await world.device(world.server, 'guard-old-page-manager', 'manager');
    const kpi = createKpi(manager.store, { metric: 'returns', value: 3, store_id: 'S2' });
    await manager.engine.syncNow();
    expect(manager.engine.lastRun?.ok).toBe(true);

    // The store device's network keeps a copy of the pull answers it saw, and can serve one again.
    let lastPullAnswer: string | null = null;
    let serveStale = false;
    const network: typeof fetch = async (input, init) => {
      if (isPath(input, '/sync/pull') && serveStale && lastPullAnswer) {
        serveStale = false;
        return new Response(lastPullAnswer, { status: 200, headers: { 'content-type': 'application/json' } });
      }
      const response = await fetch(input, init);
      if (isPath(input, '/sync/pull')) lastPullAnswer = await response.clone().text();
      return response;
    };
    const store = await world.device(world.server, 'guard-old-page-store', 'store', { fetch: network });
    await store.engine.syncNow();
    const stale = lastPullAnswer!;
    // The engine asks for rows as arrays of values, named by the page's columns.
    const stalePage = PullArraysResponse.parse(JSON.parse(stale));
    const idAt = stalePage.columns.kpi_data!.indexOf('id');
    expect(stalePage.changes.kpi_data?.map((values) => values[idAt])).toContain(kpi.id);
    const live = readLocalRow(store.store, 'kpi_data', kpi.id)!;
    expect(live.deleted_at).toBeNull();

    // The manager deletes the KPI; the store device pulls the tombstone.
    deleteKpi(manager.store, kpi.id);
    await manager.engine.syncNow();
    await store.engine.syncNow();
    const tombstone = readLocalRow(store.store, 'kpi_data', kpi.id)!;
    expect(tombstone.deleted_at).toEqual(expect.any(String));
    expect(tombstone.server_version).toBeGreaterThan(live.server_version!);

    // The old page, with the row still alive at its older version, arrives late.
    lastPullAnswer = stale;
    serveStale = true;
    await store.engine.syncNow('stale page');
    expect(serveStale).toBe(false);
    expect(store.engine.lastRun?.ok).toBe(true);
    expect(readLocalRow(store.store, 'kpi_data', kpi.id)).toEqual(tombstone);

    // And the next real pull still agrees with the server.
    await store.engine.syncNow();
    expect(readLocalRow(store.store, 'kpi_data', kpi.id)).toMatchObject({ deleted_at: tombstone.deleted_at });
  });
});
