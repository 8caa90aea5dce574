// The status route against a real PostgreSQL: every enrolled device in last_sync, and only those
// that synced within the active window counted in active_devices.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.dispose();
});

describe('GET /api/v1/sync/status', () => {
  it('counts as active only devices that synced in the last 24 hours, and lists every device', async () => {
    const recent = new ProtocolTestClient(server.url, 'store-001', await server.enroll('store-001', 'store'));
    const stale = new ProtocolTestClient(server.url, 'store-002', await server.enroll('store-002', 'store'));
    await server.enroll('mac-001', 'manager');
    expect((await recent.pull()).status).toBe(200);
    expect((await stale.pull()).status).toBe(200);
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    try {
      await db.query(`update devices set last_sync_at = now() - interval '2 days' where id = 'store-002'`);
    } finally {
      await db.end();
    }

    const status = await (await fetch(`${server.url}/api/v1/sync/status`)).json();
    expect(status).toMatchObject({ status: 'online', active_devices: 1 });
    expect(Object.keys(status.last_sync)).toEqual(['mac-001', 'store-001', 'store-002']);
    expect(status.last_sync['mac-001']).toBeNull();
    expect(Date.parse(status.last_sync['store-002'])).toBeLessThan(Date.now() - 24 * 60 * 60 * 1000);
  });
});
