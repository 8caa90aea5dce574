// Sync analytics and /metrics against a real server on a real PostgreSQL: a manager and a store
// device push, pull, meet a conflict and get refused; the manager's GET /api/v1/sync/devices then
// shows each device's numbers, a store token is refused, and /metrics shows the series move.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceActivityResponse } from '../../shared/protocol/analytics.js';
import type { ErrorResponse, PushResponse } from '../../shared/protocol/sync.js';
import { make, ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer, createTestDatabase, type TestServer } from '../testing/test-server.js';
import { createApp } from '../app.js';
import { enrollDevice } from '../auth/devices.js';
import { openDatabase } from '../db/client.js';
import { closeHttp, createLogger, listen } from '../start.js';

let server: TestServer;
let manager: ProtocolTestClient;
let store: ProtocolTestClient;

beforeAll(async () => {
  server = await startTestServer();
  manager = new ProtocolTestClient(server.url, 'mac-001', await server.enroll('mac-001', 'manager'));
  store = new ProtocolTestClient(server.url, 'store-001', await server.enroll('store-001', 'store'));
});
afterAll(async () => {
  await server?.dispose();
});

const get = async (path: string, token?: string) => {
  const response = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  const body = response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : null;
  return { status: response.status, text, body };
};
const analytics = async (query = '') => {
  const reply = await get(`/api/v1/sync/devices${query}`, manager.token);
  expect(reply.status, reply.text).toBe(200);
  return DeviceActivityResponse.parse(reply.body);
};
const deviceIn = (response: DeviceActivityResponse, id: string) => response.devices.find((d) => d.device_id === id)!;

/** A Prometheus sample's value, e.g. sample(text, 'insight_sync_rows_pushed_total', {table: 'kpi_data'}). */
function sample(metrics: string, name: string, labels: Record<string, string>): number {
  for (const line of metrics.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) has[key!] = value!;
    if (Object.entries(labels).every(([key, value]) => has[key] === value)) return Number(match[3]);
  }
  return 0;
}

describe('GET /api/v1/sync/devices', () => {
  it('shows each device its pushes, pulls, rows, conflicts per table, failures and refused changes', async () => {
    // The manager publishes a form and a KPI; the store fills in a submission and pulls.
    const kpi = make.kpi({ updated_at: new Date().toISOString() });
    expect((await manager.push({ forms: [make.form()], kpi_data: [kpi] })).status).toBe(200);
    const submission = make.submission();
    expect(
      (await store.push({ submissions: [submission], submission_answers: [make.answer(submission.id)] })).status,
    ).toBe(200);
    const pulled = await store.pullAll();
    expect(pulled.rows.length).toBeGreaterThan(0);
    expect((await manager.pull({ last_sync_timestamp: null })).status).toBe(200);

    // The store edits the KPI from an older base with an older clock: a conflict it loses.
    const stale = {
      ...kpi,
      change_id: randomUUID(),
      value: 1,
      updated_at: new Date(Date.now() - 60_000).toISOString(),
    };
    const conflicted = await store.push({ kpi_data: [stale] }, { cursor: '0' });
    expect((conflicted.body as PushResponse).conflicts).toEqual([
      expect.objectContaining({ table: 'kpi_data', rule: 'latest_wins', resolution: 'server_wins' }),
    ]);

    // Refused for good: a store may not write forms (2 rows), and a malformed row (1 row).
    expect((await store.push({ forms: [make.form(), make.form()] })).status).toBe(403);
    expect((await store.push({ kpi_data: [{ id: 'not-a-uuid' }] })).status).toBe(400);
    // Unreadable JSON is refused before the token is checked, and still counts as the store's failure.
    expect((await store.post('/api/v1/sync/push', '{"device_id": ')).status).toBe(400);

    // Recorded after each answer is sent, so the last ones may land a moment later.
    await expect
      .poll(async () => deviceIn(await analytics(), 'store-001').totals)
      .toMatchObject({ refused: 3, failures: 3 });
    const response = await analytics('?days=3');
    expect(response.devices.map((d) => d.device_id)).toEqual(['mac-001', 'store-001']);
    const storeDevice = deviceIn(response, 'store-001');
    expect(storeDevice.role).toBe('store');
    expect(storeDevice.last_sync_at).not.toBeNull();
    expect(storeDevice.days.map((d) => d.day)).toEqual([response.from, expect.any(String), response.to]);
    expect(storeDevice.days.slice(0, 2).every((d) => d.pulls + d.pushes + d.failures === 0)).toBe(true);
    expect(storeDevice.days[2]).toEqual({
      day: response.to,
      pulls: pulled.pages,
      pushes: 2,
      rows_pulled: pulled.rows.length,
      rows_pushed: 3,
      failures: 3,
      refused: 3,
    });
    expect(storeDevice.conflicts).toEqual({ kpi_data: 1 });
    expect(storeDevice.totals).toMatchObject({ pushes: 2, failures: 3, refused: 3, conflicts: 1 });

    const managerDevice = deviceIn(response, 'mac-001');
    expect(managerDevice.role).toBe('manager');
    expect(managerDevice.totals).toMatchObject({
      pushes: 1,
      pulls: 1,
      rows_pushed: 2,
      failures: 0,
      refused: 0,
      conflicts: 0,
    });
    expect(managerDevice.conflicts).toEqual({});
  });

  it('never fails a sync when its activity cannot be recorded: the push is applied and the miss is logged', async () => {
    const database = await createTestDatabase('analytics_unrecorded');
    const opened = await openDatabase({ databaseUrl: database.url });
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const app = createApp({ db: opened.db, logger: createLogger('info', sink), bodyLimit: '1mb' });
    const http = await listen(app, 0);
    try {
      const client = new ProtocolTestClient(
        `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
        'store-009',
        await enrollDevice(opened.db, 'store-009', 'store'),
      );
      await opened.db.execute(sql`alter table device_activity rename to device_activity_gone`);
      const kpi = make.kpi();
      const pushed = await client.push({ kpi_data: [kpi] });
      expect(pushed.status).toBe(200);
      expect((pushed.body as PushResponse).applied.kpi_data).toEqual([expect.objectContaining({ id: kpi.id })]);
      await expect.poll(() => lines.some((line) => line.includes('device activity not recorded'))).toBe(true);
    } finally {
      await closeHttp(http);
      await opened.close();
      await database.drop();
    }
  });

  it('names the stores each device pushed rows for, so the Stores screen can list who works where', async () => {
    expect(
      (await store.push({ kpi_data: [make.kpi({ store_id: 'S003' }), make.kpi({ store_id: 'S001' }), make.kpi()] }))
        .status,
    ).toBe(200);
    const device = deviceIn(await analytics(), 'store-001');
    expect(device.stores_named).toEqual(['S001', 'S003']);
    expect(deviceIn(await analytics(), 'mac-001').stores_named).toEqual([]);
    // Enrolled before scopes (no store): it belongs to none; a scoped device's store is named.
    expect(device.store_id).toBeNull();
    await server.enroll('store-002', 'store', 'S002');
    expect(deviceIn(await analytics(), 'store-002').store_id).toBe('S002');
    expect(deviceIn(await analytics(), 'mac-001').store_id).toBeNull();
  });

  it('is for manager devices only: a store token gets 403 with a clear message, no token 401', async () => {
    const refused = await get('/api/v1/sync/devices', store.token);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      success: false,
      error: 'only manager devices may read the sync analytics of every device',
    });
    expect((await get('/api/v1/sync/devices')).status).toBe(401);
  });

  it('refuses a window it cannot show, saying why', async () => {
    for (const [query, message] of [
      ['?days=0', 'days must be at least 1'],
      ['?days=91', 'days must be at most 90'],
      ['?days=2.5', 'days must be a whole number'],
      ['?days=week', 'days must be a number'],
    ]) {
      const reply = await get(`/api/v1/sync/devices${query}`, manager.token);
      expect(reply.status, query).toBe(400);
      expect((reply.body as ErrorResponse).error, query).toContain(message);
    }
    // The default window is a week.
    expect((await analytics()).devices[0]!.days).toHaveLength(7);
  });
});

describe('GET /metrics', () => {
  it('holds request latency per route, rows pulled and pushed, conflicts by rule and active devices, and they move', async () => {
    const before = (await get('/metrics')).text;
    const kpi = make.kpi();
    await manager.push({ kpi_data: [kpi] });
    const stale = {
      ...kpi,
      change_id: randomUUID(),
      value: 2,
      updated_at: new Date(Date.now() - 60_000).toISOString(),
    };
    await store.push({ kpi_data: [stale] }, { cursor: '0' });
    await store.pullAll();

    const scrape = await get('/metrics');
    expect(scrape.status).toBe(200);
    const after = scrape.text;
    const moved = (name: string, labels: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    const push = { route: '/api/v1/sync/push', method: 'POST', status: '200' };
    expect(moved('insight_http_request_duration_seconds_count', push)).toBe(2);
    expect(sample(after, 'insight_http_request_duration_seconds_bucket', { ...push, le: '+Inf' })).toBe(
      sample(after, 'insight_http_request_duration_seconds_count', push),
    );
    expect(moved('insight_sync_rows_pushed_total', { table: 'kpi_data' })).toBe(2);
    expect(moved('insight_sync_rows_pulled_total', { table: 'kpi_data' })).toBeGreaterThanOrEqual(1);
    expect(
      moved('insight_sync_conflicts_total', { table: 'kpi_data', rule: 'latest_wins', resolution: 'server_wins' }),
    ).toBe(1);
    expect(sample(after, 'insight_active_devices', { role: 'manager' })).toBe(1);
    expect(sample(after, 'insight_active_devices', { role: 'store' })).toBe(1);
    expect(after).toContain('process_cpu_user_seconds_total');
    // A made-up path adds no series of its own.
    await get('/no/such/path/' + randomUUID());
    expect((await get('/metrics')).text).not.toContain('/no/such/path');
  });

  it('asks for METRICS_TOKEN when one is set, and is gone when turned off', async () => {
    const guarded = await startTestServer({
      databaseUrl: server.databaseUrl,
      metrics: { token: 'scrape-secret-0123456789' },
    });
    const off = await startTestServer({ databaseUrl: server.databaseUrl, metrics: { enabled: false } });
    try {
      const denied = await fetch(`${guarded.url}/metrics`);
      expect(denied.status).toBe(401);
      expect(((await denied.json()) as { error: string }).error).toContain('METRICS_TOKEN');
      expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const allowed = await fetch(`${guarded.url}/metrics`, {
        headers: { authorization: 'Bearer scrape-secret-0123456789' },
      });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('insight_active_devices');
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
    } finally {
      await guarded.dispose();
      await off.dispose();
    }
  });
});
