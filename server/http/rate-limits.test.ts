// Limits on abuse against the real server: an address that keeps failing to authenticate, and a
// device that sends more than its share (requests or rows a minute), get 429 with Retry-After;
// meanwhile every other device keeps being served (its own budget is untouched).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollDevice } from '../auth/devices.js';
import { startServer, type RunningServer } from '../start.js';
import { make, ProtocolTestClient } from '../testing/sync-client.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-server.js';

let database: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  database = await createTestDatabase('rate_limits');
  server = await startServer({
    port: 0,
    databaseUrl: database.url,
    logLevel: 'silent',
    // Trusting loopback proxies lets the test speak for several client addresses (X-Forwarded-For).
    trustProxy: 'loopback',
    limits: { authFailuresPerMinute: 5, deviceRequestsPerMinute: 20, deviceRowsPerMinute: 50 },
  });
});
afterAll(async () => {
  await server?.close();
  await database?.drop();
});

const from = (address: string) => ({ 'x-forwarded-for': address });

describe('failed authentications from one address', () => {
  it('get 429 with Retry-After after the limit, even with a good token; other addresses are not affected', async () => {
    const token = await enrollDevice(server.db, 'store-auth', 'store');
    const guesser = new ProtocolTestClient(server.url, 'store-auth', 'isk_wrong');
    const honest = new ProtocolTestClient(server.url, 'store-auth', token);
    // Successful requests from the address do not count against it.
    for (let i = 0; i < 10; i++)
      expect((await honest.post('/api/v1/sync/pull', { device_id: 'store-auth' }, from('203.0.113.7'))).status).toBe(
        200,
      );
    for (let i = 0; i < 5; i++)
      expect((await guesser.post('/api/v1/sync/pull', { device_id: 'store-auth' }, from('203.0.113.7'))).status).toBe(
        401,
      );
    const blocked = await fetch(`${server.url}/api/v1/sync/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...from('203.0.113.7') },
      body: JSON.stringify({ device_id: 'store-auth' }),
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await blocked.json()).error).toMatch(
      /too many failed authentications from this address; retry after \d+ s/,
    );
    expect((await honest.post('/api/v1/sync/pull', { device_id: 'store-auth' }, from('198.51.100.9'))).status).toBe(
      200,
    );
  });
});

describe('one device sending more than its share', () => {
  it('gets 429 with Retry-After while another device keeps pushing successfully', async () => {
    const hammer = new ProtocolTestClient(
      server.url,
      'store-hammer',
      await enrollDevice(server.db, 'store-hammer', 'store'),
    );
    const calm = new ProtocolTestClient(server.url, 'store-calm', await enrollDevice(server.db, 'store-calm', 'store'));
    // The hammering device fires 40 pulls at once (its budget is 20 a minute) while the calm one
    // pushes a KPI after each of a few of them.
    const hammering = Promise.all(Array.from({ length: 40 }, () => hammer.pull()));
    const calmPushes = [];
    for (let i = 0; i < 5; i++) calmPushes.push(await calm.push({ kpi_data: [make.kpi({ store_id: 'S-calm' })] }));
    const hammered = await hammering;

    expect(hammered.filter((r) => r.status === 429).length).toBe(20);
    expect(hammered.filter((r) => r.status === 200).length).toBe(20);
    expect(hammered.find((r) => r.status === 429)?.body.error).toMatch(/more requests than its share/);
    for (const push of calmPushes) {
      expect(push.status).toBe(200);
      expect(push.body.applied.kpi_data).toHaveLength(1);
    }
  });

  it('pushing more rows a minute than its budget gets 429 naming the limit; the first push always fits', async () => {
    const bulk = new ProtocolTestClient(server.url, 'store-bulk', await enrollDevice(server.db, 'store-bulk', 'store'));
    const rows = (n: number) => ({ kpi_data: Array.from({ length: n }, () => make.kpi({ store_id: 'S-bulk' })) });
    expect((await bulk.push(rows(60))).status).toBe(200);
    const refused = await fetch(`${server.url}/api/v1/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bulk.token}` },
      body: JSON.stringify({ device_id: 'store-bulk', timestamp: new Date().toISOString(), changes: rows(1) }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await refused.json()).error).toMatch(/pushes more than its share \(50 rows a minute\)/);
    const other = new ProtocolTestClient(
      server.url,
      'store-other',
      await enrollDevice(server.db, 'store-other', 'store'),
    );
    expect((await other.push(rows(40))).status).toBe(200);
  });
});
