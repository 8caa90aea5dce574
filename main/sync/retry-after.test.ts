// The engine honours the server's Retry-After: a real server on PostgreSQL limits this device to a
// few requests a minute and answers the next one 429 with Retry-After; the retry the engine then
// schedules (the status' next_retry_at) is that far off, not its own sub-second backoff. The clock
// and the jitter are fixed, so the assertion is on the scheduled time, never on a wall-clock wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollDevice } from '../../server/auth/devices.js';
import { startServer, type RunningServer } from '../../server/start.js';
import { createTestDatabase, type TestDatabase } from '../../server/testing/test-server.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { saveConnection } from './config.js';
import { SyncEngine } from './engine.js';

let database: TestDatabase;
let server: RunningServer;
let store: TemporaryStore;

beforeAll(async () => {
  database = await createTestDatabase('engine_retry_after');
  server = await startServer({
    port: 0,
    databaseUrl: database.url,
    logLevel: 'silent',
    limits: { deviceRequestsPerMinute: 3 },
  });
});
afterAll(async () => {
  store?.remove();
  await server?.close();
  await database?.drop();
});

describe("the engine and the server's Retry-After", () => {
  it('schedules the next attempt no sooner than the server asked, though its own backoff is 80 ms at most', async () => {
    const token = await enrollDevice(server.db, 'store-busy-engine', 'store');
    store = openTemporaryStore('insight-retry-after-');
    saveConnection(store, { server_url: server.url, device_id: 'store-busy-engine', token, role: 'store' });

    // The real answers, with the Retry-After of each 429 noted as the engine received it.
    const retryAfters: number[] = [];
    const noting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 429) retryAfters.push(Number(response.headers.get('retry-after')));
      return response;
    };
    const now = Date.parse('2026-11-29T10:00:00.000Z');
    const engine = new SyncEngine({
      store,
      fetch: noting,
      now: () => new Date(now),
      random: () => 0.5,
      backoffBaseMs: 20,
      backoffCapMs: 80,
      maxAttempts: 5,
    });
    try {
      await engine.start();
      for (let run = 0; run < 6 && retryAfters.length === 0; run++) await engine.syncNow();

      expect(retryAfters).toHaveLength(1);
      const [seconds] = retryAfters;
      expect(seconds).toBeGreaterThanOrEqual(1);
      const status = engine.status();
      expect(status).toMatchObject({ state: 'error', attempt: 1 });
      expect(status.error).toMatch(/more requests than/);
      // max(backoff with jitter ≤ 80 ms, Retry-After): the server's wait wins, to the millisecond.
      expect(status.next_retry_at).toBe(new Date(now + seconds! * 1000).toISOString());
    } finally {
      await engine.stop();
    }
  });
});
