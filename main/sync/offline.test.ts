// Seed testing list 4 and 8: offline queue processing (the server goes away, edits queue in
// order, the server returns, the queue drains in order by itself, nothing lost) and sync retry
// after failure (backoff attempts, the alert after 5, the next trigger clears it).
import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/ipc.js';
import { createKpi, saveForm } from '../repos/index.js';
import { SyncEngine } from './engine.js';
import { eventually, useServerWithDevices } from './testing/devices.js';

const world = useServerWithDevices();
const device = world.device;

describe('offline queue processing', () => {
  it('queues edits while the server is away and drains them in order, by itself, when it returns', async () => {
    const manager = await device(world.server, 'off-manager', 'manager', {
      backoffBaseMs: 30,
      backoffCapMs: 60,
      maxAttempts: 1000,
    });
    const storeDevice = await device(world.server, 'off-store', 'store');
    await manager.engine.start();
    expect(manager.engine.status().state).toBe('idle');

    await world.server.stop();
    const form = saveForm(manager.store, {
      form: { title: 'Offline form', status: 'published' },
      sections: [],
      fields: [],
    });
    const kpis = Array.from({ length: 5 }, (_, i) =>
      createKpi(manager.store, { metric: 'footfall', value: i, store_id: 'S2' }),
    );
    await eventually(() => manager.engine.status().state === 'offline', 5000, 'the offline state');
    const offline = manager.engine.status();
    expect(offline).toMatchObject({ online: false, pending_count: 6 });
    expect(offline.attempt).toBeGreaterThanOrEqual(1);

    await world.server.start();
    // Reconnect: the probe notices the server and the queue drains without any user action.
    await eventually(
      () => manager.engine.status().pending_count === 0 && manager.engine.status().state === 'idle',
      10_000,
      'the queue to drain',
    );
    expect(manager.engine.status().online).toBe(true);
    // In order: the server's audit log holds the changes in the order they were made, once each.
    const audit = await world.serverDb.query<{ table_name: string; record_id: string }>(
      "select table_name, record_id from audit_log where device_id = 'off-manager' order by id",
    );
    expect(audit.map((a) => a.record_id)).toEqual([form.form.id, ...kpis.map((k) => k.id)]);
    // And a store device receives every change.
    await storeDevice.engine.syncNow();
    expect(storeDevice.rows('kpi_data').size).toBe(5);
    expect(storeDevice.rows('forms').has(form.form.id)).toBe(true);
  });
});

describe('retry after failure', () => {
  it('backs off, raises the alert after 5 failed attempts, keeps the queue, and the next trigger clears it', async () => {
    const requests: string[] = [];
    const counting: typeof fetch = (input, init) => {
      requests.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    const manager = await device(world.server, 'retry-manager', 'manager', { probeIntervalMs: 40, fetch: counting });
    await world.server.stop();
    const statuses: SyncStatus[] = [];
    manager.engine.on('status', (s) => statuses.push(s));
    createKpi(manager.store, { metric: 'returns', value: 3 });
    await manager.engine.start();
    await eventually(() => manager.engine.status().state === 'alert', 10_000, 'the alert');

    const failures = statuses.filter((s) => s.state === 'offline' || s.state === 'alert');
    // Attempts 1..4 each wait for a retry; the 5th raises the alert and schedules nothing more.
    expect(failures.map((s) => s.attempt).filter((a, i, all) => all.indexOf(a) === i)).toEqual([1, 2, 3, 4, 5]);
    expect(failures.filter((s) => s.state === 'offline').every((s) => s.next_retry_at !== null)).toBe(true);
    const alert = manager.engine.status();
    expect(alert).toMatchObject({
      state: 'alert',
      attempt: 5,
      max_attempts: 5,
      next_retry_at: null,
      pending_count: 1,
      online: false,
    });
    expect(alert.error).toContain('Cannot reach the sync server');
    // The alert stays: no more automatic attempts. The reconnect probe keeps asking whether the
    // server is back (three probes outlast the longest backoff), and nothing else is sent.
    const atAlert = requests.length;
    const probes = () => requests.slice(atAlert).filter((path) => path.endsWith('/sync/status')).length;
    await eventually(() => probes() >= 3, 5000, 'three reconnect probes after the alert');
    expect(requests.slice(atAlert).filter((path) => !path.endsWith('/sync/status'))).toEqual([]);
    expect(manager.engine.status()).toMatchObject({ state: 'alert', attempt: 5 });

    await world.server.start();
    await manager.engine.syncNow('sync-now');
    // (The probe, noticing the server too, may add a reconnect run of its own: wait for it as well.)
    await eventually(() => manager.engine.status().state === 'idle', 5000, 'the engine idle');
    expect(manager.engine.status()).toMatchObject({
      state: 'idle',
      attempt: 0,
      error: null,
      pending_count: 0,
      online: true,
    });
  });

  it('after the alert, notices by itself that the server is back and clears the alert', async () => {
    const manager = await device(world.server, 'probe-manager', 'manager');
    await world.server.stop();
    createKpi(manager.store, { metric: 'returns', value: 4 });
    await manager.engine.start();
    await eventually(() => manager.engine.status().state === 'alert', 10_000, 'the alert');
    await world.server.start();
    await eventually(() => manager.engine.status().state === 'idle', 10_000, 'the probe to reconnect');
    expect(manager.engine.status()).toMatchObject({ attempt: 0, pending_count: 0, online: true });
  });

  it('waits exponentially longer between attempts, with jitter, up to the cap', async () => {
    const delaysWith = async (random: number) => {
      const manager = await device(world.server, `backoff-${random}`, 'manager');
      const closed = await import('node:net').then(
        ({ createServer }) =>
          new Promise<number>((resolve) => {
            const probe = createServer().listen(0, '127.0.0.1', () => {
              const { port } = probe.address() as { port: number };
              probe.close(() => resolve(port));
            });
          }),
      );
      manager.store.sqlite
        .prepare("UPDATE sync_metadata SET value = ? WHERE key = 'server_url'")
        .run(`http://127.0.0.1:${closed}`);
      const delays: number[] = [];
      const engine = new SyncEngine({
        store: manager.store,
        random: () => random,
        backoffBaseMs: 1000,
        backoffCapMs: 4000,
        probeIntervalMs: 3_600_000,
        // Record each retry delay and fire it at once: no real waiting.
        timers: {
          setTimeout: (callback, ms) => {
            // The 5-minute pull and the hourly probe never come within this test.
            if (ms >= 5 * 60_000) return null;
            delays.push(ms);
            return setTimeout(callback, 0);
          },
          clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
        },
      });
      await engine.start();
      await eventually(() => engine.status().state === 'alert', 10_000, 'the alert');
      await engine.stop();
      return delays;
    };
    // Attempts 1..4 are followed by a retry (the 5th raises the alert): 1 s, 2 s, 4 s, then the cap.
    expect(await delaysWith(0.999999)).toEqual([1000, 2000, 4000, 4000]);
    // Jitter: half of each delay is random.
    expect(await delaysWith(0)).toEqual([500, 1000, 2000, 2000]);
  });

  it('coalesces triggers that arrive during a run into exactly one more run', async () => {
    const manager = await device(world.server, 'coalesce-manager', 'manager');
    let pulls = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('/sync/pull')) pulls += 1;
      return fetch(input, init);
    };
    const engine = new SyncEngine({ store: manager.store, fetch: counting });
    const first = engine.syncNow('one', 'pull');
    const rest = [engine.syncNow('two', 'pull'), engine.syncNow('three', 'pull'), engine.syncNow('four', 'pull')];
    await Promise.all([first, ...rest]);
    expect(pulls).toBe(2);
    await engine.stop();
  });
});
