// Live sync from the engine's side, against real servers: a store's push reaches the manager's
// local store by itself (no Sync Now, the interval pull 5 minutes away) even through another
// server process; the link comes back after a server restart and brings what it missed; and
// where the upgrade is refused the engine says `polling` and syncs as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableName } from '../../shared/tables.js';
import { startServerProcess, type ServerProcess } from '../../server/testing/server-process.js';
import { createKpi } from '../repos/index.js';
import { eventually, useServerWithDevices } from './testing/devices.js';
import { startUpgradeBlockingProxy } from './testing/upgrade-blocking-proxy.js';

const world = useServerWithDevices();
let two: ServerProcess;
const live = { reconnectBaseMs: 50, reconnectCapMs: 300 };

beforeAll(async () => {
  two = await startServerProcess(world.server.databaseUrl);
}, 60_000);
afterAll(async () => {
  await two?.stop();
});

describe('live sync in the engine', () => {
  it("brings a store's push into the manager's store by itself, through another server process", async () => {
    const manager = await world.device(world.server, 'live-eng-manager', 'manager', { live, serverUrl: two.url });
    const store = await world.device(world.server, 'live-eng-store', 'store');
    const changed: TableName[][] = [];
    manager.engine.on('data-changed', (tables) => changed.push(tables));
    await manager.engine.start();
    await eventually(() => manager.engine.status().mode === 'live', 5000, 'the live socket');

    const kpi = createKpi(store.store, { metric: 'footfall', value: 42 });
    await store.engine.syncNow('sync-now', 'push');
    expect(store.engine.lastRun).toMatchObject({ ok: true });
    await eventually(() => manager.rows('kpi_data').has(kpi.id), 5000, 'the row on the manager');
    expect(manager.engine.lastRun?.reason).toBe('poke');
    // The renderer hears of it (app-core forwards data-changed), so the lists refresh by themselves.
    expect(changed.some((tables) => tables.includes('kpi_data'))).toBe(true);
    await manager.engine.stop();
    expect(manager.engine.status().mode).toBe('polling');
  });

  it('reconnects after a server restart and brings the change it missed while the socket was down', async () => {
    const manager = await world.device(world.server, 'live-eng-restart', 'manager', { live });
    const store = await world.device(world.server, 'live-eng-restart-store', 'store', { serverUrl: two.url });
    await manager.engine.start();
    await eventually(() => manager.engine.status().mode === 'live', 5000, 'the live socket');

    await world.server.stop();
    await eventually(() => manager.engine.status().mode === 'polling', 5000, 'polling while the server is down');
    // Pushed through the other process while the manager's server is away: its poke goes nowhere.
    const kpi = createKpi(store.store, { metric: 'missed', value: 1 });
    await store.engine.syncNow('sync-now', 'push');
    expect(store.engine.lastRun).toMatchObject({ ok: true });

    await world.server.start();
    await eventually(() => manager.engine.status().mode === 'live', 10_000, 'the socket back');
    // The hello after reconnecting says where the manager is; the server pokes; the pull brings it.
    await eventually(() => manager.rows('kpi_data').has(kpi.id), 10_000, 'the missed row');
    await manager.engine.stop();
  });

  it('falls back to polling where the upgrade is refused, and syncs as before', async () => {
    const proxy = await startUpgradeBlockingProxy(world.server.url);
    try {
      const manager = await world.device(world.server, 'live-eng-proxy', 'manager', { live, serverUrl: proxy.url });
      const store = await world.device(world.server, 'live-eng-proxy-store', 'store');
      await manager.engine.start();
      await eventually(() => proxy.refused >= 2, 5000, 'the link to try again after a refusal');
      expect(manager.engine.status()).toMatchObject({ mode: 'polling', state: 'idle', online: true });

      // No poke can come: the change waits for the next trigger, which brings it.
      const kpi = createKpi(store.store, { metric: 'polled', value: 7 });
      await store.engine.syncNow('sync-now', 'push');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(manager.rows('kpi_data').has(kpi.id)).toBe(false);
      await manager.engine.syncNow('interval', 'pull');
      expect(manager.rows('kpi_data').has(kpi.id)).toBe(true);
      await manager.engine.stop();
    } finally {
      await proxy.close();
    }
  });
});
