// A manager app updated before its server: the engine asks for pages of 10,000 rows, which a
// server from before them refuses (400 naming `limit`, at most 5000). The engine asks again at
// 5000 and syncs everything. The older server is the real one whose validation answers for it:
// a pull asking for more than 5000 rows reaches it as a pull of 10,001, which it refuses exactly
// as the older one refused 5001.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { localTransaction } from '../db/outbox.js';
import { DEFAULT_PULL_PAGE, OLDER_SERVER_MAX_PAGE } from './pull.js';
import { useServerWithDevices } from './testing/devices.js';

const world = useServerWithDevices();

/** The engine's fetch towards a server that serves at most OLDER_SERVER_MAX_PAGE rows per page. */
function olderServer(asked: number[]): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    // A pull's body is small JSON, never compressed (http.ts compresses large bodies only).
    if (!url.endsWith('/sync/pull') || !(init?.body instanceof Uint8Array)) return fetch(input, init);
    const body = JSON.parse(Buffer.from(init.body).toString('utf8')) as { limit?: number };
    asked.push(body.limit ?? 0);
    if ((body.limit ?? 0) <= OLDER_SERVER_MAX_PAGE) return fetch(input, init);
    return fetch(input, { ...init, body: JSON.stringify({ ...body, limit: 10_001 }) });
  };
}

describe('an older server that serves at most 5000 rows per page', () => {
  it('is asked again at 5000 and the device pulls every row', async () => {
    const manager = await world.device(world.server, 'older-manager', 'manager');
    const at = new Date().toISOString();
    localTransaction(manager.store, (local) => {
      for (let i = 0; i < 12_000; i += 1)
        local.write(
          'kpi_data',
          { id: randomUUID(), metric: 'sales', value: i, store_id: 'S1', period: '2026-11', updated_at: at },
          'INSERT',
        );
    });
    await manager.engine.syncNow();
    expect(manager.engine.lastRun?.ok, manager.engine.lastRun?.error ?? undefined).toBe(true);

    const asked: number[] = [];
    const store = await world.device(world.server, 'older-store', 'store', { fetch: olderServer(asked) });
    await store.engine.syncNow();
    expect(store.engine.lastRun?.ok, store.engine.lastRun?.error ?? undefined).toBe(true);
    expect(store.rows('kpi_data').size).toBe(12_000);
    // Refused once at the engine's size, then every page at the older server's.
    expect(asked[0]).toBe(DEFAULT_PULL_PAGE);
    expect(asked.slice(1).every((limit) => limit === OLDER_SERVER_MAX_PAGE)).toBe(true);
    expect(asked.length).toBeGreaterThanOrEqual(4);
  });
});
