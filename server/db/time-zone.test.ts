// The server reads instants back from PostgreSQL in whatever time zone the session uses; the
// database's own default (postgresql.conf, or `alter database … set timezone`) is not ours to pick.
// Outside UTC, PostgreSQL writes old instants with local-mean-time offsets that carry seconds
// ("+00:19:32"), which JavaScript cannot parse: one such row made every pull that met it a 500.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make, ProtocolTestClient } from '../testing/sync-client.js';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from '../testing/test-server.js';

let database: TestDatabase;
let server: TestServer;
let store: ProtocolTestClient;
let other: ProtocolTestClient;

beforeAll(async () => {
  database = await createTestDatabase('sync_time_zone');
  const name = new URL(database.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`alter database "${name}" set timezone to 'Europe/Amsterdam'`);
  await admin.end();
  server = await startTestServer({ databaseUrl: database.url });
  store = new ProtocolTestClient(server.url, 'store-001', await server.enroll('store-001', 'store'));
  other = new ProtocolTestClient(server.url, 'store-002', await server.enroll('store-002', 'store'));
});
afterAll(async () => {
  await server?.dispose();
  await database?.drop();
});

describe('a database whose time zone is not UTC', () => {
  it('sends and compares an 1850 instant as the same ISO string it was given', async () => {
    const kpi = make.kpi({ updated_at: '1850-01-01T00:00:00.000Z' });
    const pushed = await store.push({ kpi_data: [kpi] });
    expect(pushed.status).toBe(200);
    expect(pushed.body.applied.kpi_data[0].updated_at).toBe('1850-01-01T00:00:00.000Z');

    const pulled = await other.pull({ tables: ['kpi_data'] });
    expect(pulled.status).toBe(200);
    expect(pulled.body.changes.kpi_data[0]).toMatchObject({ id: kpi.id, updated_at: '1850-01-01T00:00:00.000Z' });

    // Conflict detection reads the stored row too.
    const edit = await other.push({
      kpi_data: [{ ...kpi, change_id: randomUUID(), value: 5, updated_at: new Date().toISOString() }],
    });
    expect(edit.status).toBe(200);
    expect(edit.body.conflicts[0]).toMatchObject({ resolution: 'client_wins' });
  });
});
