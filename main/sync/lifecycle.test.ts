// The engine's life around its runs: listeners that throw, stop() while a reconnect probe is on the
// wire, and start() after stop(). Each of these once left the process or the retry count in a bad
// state; the engine lives as long as the app, so none of them may.
import { describe, expect, it } from 'vitest';
import { createKpi } from '../repos/index.js';
import { SyncEngine } from './engine.js';
import { eventually, useServerWithDevices } from './testing/devices.js';

const world = useServerWithDevices();
const device = world.device;

describe('engine lifecycle', () => {
  it('a status or data-changed listener that throws neither fails the sync nor leaves its promise hanging', async () => {
    const manager = await device(world.server, 'life-listener', 'manager');
    createKpi(manager.store, { metric: 'footfall', value: 1 });
    // A host whose window is gone: sending the status throws.
    manager.engine.on('status', () => {
      throw new Error('window destroyed');
    });
    manager.engine.on('data-changed', () => {
      throw new Error('window destroyed');
    });
    await manager.engine.syncNow('sync-now');
    expect(manager.engine.lastRun).toMatchObject({ ok: true, error: null });
    expect(manager.engine.status()).toMatchObject({ state: 'idle', pending_count: 0 });
  });

  it('a reconnect probe that answers after stop() starts no sync, even when the store is closed by then', async () => {
    const manager = await device(world.server, 'life-probe', 'manager');
    let failPulls = true;
    let releaseStatus: () => void = () => {};
    let statusHeld = false;
    let statusRead = false;
    const requests: string[] = [];
    const gated: typeof fetch = async (input, init) => {
      const url = String(input);
      requests.push(url);
      if (url.endsWith('/sync/pull') && failPulls) throw new TypeError('fetch failed');
      if (url.endsWith('/sync/status')) {
        statusHeld = true;
        await new Promise<void>((resolve) => (releaseStatus = resolve));
        // The real answer, telling the test when the probe has read it.
        const answer = await fetch(input, init);
        const body = await answer.text();
        const response = new Response(body, { status: answer.status, headers: { 'content-type': 'application/json' } });
        const read = response.text.bind(response);
        response.text = async () => {
          const text = await read();
          statusRead = true;
          return text;
        };
        return response;
      }
      return fetch(input, init);
    };
    const engine = new SyncEngine({
      store: manager.store,
      fetch: gated,
      probeIntervalMs: 10,
      backoffBaseMs: 60_000,
      backoffCapMs: 60_000,
    });
    await engine.start();
    expect(engine.status().state).toBe('offline');
    await eventually(() => statusHeld, 5000, 'the probe to ask the server');

    await engine.stop();
    manager.store.close();
    failPulls = false;
    const before = requests.length;
    releaseStatus();
    // The probe's answer arrives after stop: nothing more may be asked of the server (and nothing
    // may touch the closed store: that would be an unhandled rejection, which fails this file).
    await eventually(() => statusRead, 5000, 'the probe to read the answer');
    // What the probe does with the answer runs before the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(requests.slice(before)).toEqual([]);
  });

  it('start() after stop() starts the attempts over instead of continuing toward the alert', async () => {
    const manager = await device(world.server, 'life-restart', 'manager');
    const offline: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const engine = new SyncEngine({
      store: manager.store,
      fetch: offline,
      maxAttempts: 3,
      backoffBaseMs: 200,
      backoffCapMs: 2000,
      probeIntervalMs: 60_000,
    });
    await engine.start();
    await eventually(() => engine.status().attempt === 2, 5000, 'a second failed attempt');
    await engine.stop();
    expect(engine.status().next_retry_at).toBeNull();

    await engine.start();
    // A fresh start-up is attempt 1 of a new series, not the 3rd (which would raise the alert at once).
    expect(engine.status()).toMatchObject({ state: 'offline', attempt: 1 });
    await engine.stop();
  });

  it('stop() during a paged pull ends the run after the page on the wire, and a store closed then takes nothing down', async () => {
    const manager = await device(world.server, 'life-stop-mgr', 'manager');
    Array.from({ length: 30 }, (_, i) => createKpi(manager.store, { metric: 'stop', value: i }));
    await manager.engine.syncNow();

    for (const closeStore of [false, true]) {
      const storeDevice = await device(world.server, `life-stop-${closeStore}`, 'store');
      let pulls = 0;
      let release: () => void = () => {};
      const gated: typeof fetch = async (input, init) => {
        if (String(input).endsWith('/sync/pull') && ++pulls === 2)
          await new Promise<void>((resolve) => (release = resolve));
        return fetch(input, init);
      };
      const engine = new SyncEngine({ store: storeDevice.store, fetch: gated, pageSize: 10 });
      engine.on('status', () => {}); // a host listening, as app-core does
      const run = engine.syncNow('start-up');
      await eventually(() => pulls === 2, 5000, 'the second page on the wire');
      void engine.stop(); // not awaited: the run stays in flight while the store closes under it, the case under test; `run` is awaited below
      if (closeStore) storeDevice.store.close(); // app-core closes it once its wait for the run gives up
      release();
      const settled = await Promise.race([
        run.then(() => 'settled'),
        new Promise((resolve) => setTimeout(() => resolve('hanging'), 5000)),
      ]);
      expect(settled).toBe('settled');
      expect(pulls).toBe(2);
      if (!closeStore) expect(engine.status().state).not.toBe('pulling');
    }
  });

  it('a Sync Now pressed during a run that fails runs right after it, instead of waiting out the backoff', async () => {
    const manager = await device(world.server, 'life-syncnow', 'manager');
    let pulls = 0;
    let release: () => void = () => {};
    const failing: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/sync/pull')) {
        pulls += 1;
        if (pulls === 1) await new Promise<void>((resolve) => (release = resolve));
        throw new TypeError('fetch failed');
      }
      return fetch(input, init);
    };
    const engine = new SyncEngine({
      store: manager.store,
      fetch: failing,
      backoffBaseMs: 60_000,
      backoffCapMs: 60_000,
      probeIntervalMs: 60_000,
    });
    const startUp = engine.start();
    await eventually(() => pulls === 1, 5000, 'the start-up pull on the wire');
    const syncNow = engine.syncNow('sync-now');
    release();
    await startUp;
    const settled = await Promise.race([
      syncNow.then(() => 'ran'),
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 3000)),
    ]);
    expect(settled).toBe('ran');
    expect(pulls).toBe(2);
    expect(engine.status()).toMatchObject({ state: 'offline', attempt: 2 });
    await engine.stop();
  });
});
