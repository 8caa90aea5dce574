// A push is all or nothing on the server: one transaction around every table's changes, their
// audit entries and the device's last-sync time. A row that passes validation at the door but
// that PostgreSQL refuses (text holding a NUL character, which `text` cannot store) aborts the
// push after the tables before it were written; the device gets a 400 and the server keeps none
// of it, so a retry or a fix of the bad row cannot meet a half-applied push. Through the public
// HTTP route, on a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { make, SyncClient } from '../testing/sync-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let server: TestServer;
let database: pg.Pool;
let manager: SyncClient;
let store: SyncClient;

beforeAll(async () => {
  server = await startTestServer();
  database = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
  manager = new SyncClient(server.url, 'tx-manager', await server.enroll('tx-manager', 'manager'));
  store = new SyncClient(server.url, 'tx-store', await server.enroll('tx-store', 'store'));
});
afterAll(async () => {
  await database?.end();
  await server?.dispose();
});

const count = async (text: string, values: unknown[]) =>
  Number((await database.query<{ n: string }>(text, values)).rows[0]!.n);

describe('a push whose last row PostgreSQL refuses', () => {
  it('answers 400 and keeps neither the good submission before it nor its audit entry', async () => {
    // A form the server has, so the submission is good on every count.
    const form = make.form({ status: 'published' });
    expect((await manager.push({ forms: [form] })).status).toBe(200);

    const submission = make.submission({ form_id: form.id, status: 'completed' });
    // Valid JSON and valid for the protocol (a string of at most 200 characters), but PostgreSQL
    // text cannot hold U+0000. KPIs are applied after submissions: the submission is already written.
    const badKpi = make.kpi({ metric: 'sales\u0000today' });
    const reply = await store.push({ submissions: [submission], kpi_data: [badKpi] });

    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ success: false, error: expect.stringContaining('cannot be stored') });
    expect(await count('select count(*) as n from submissions where id = $1', [submission.id])).toBe(0);
    expect(await count('select count(*) as n from kpi_data where id = $1', [badKpi.id])).toBe(0);
    expect(await count('select count(*) as n from audit_log where device_id = $1', ['tx-store'])).toBe(0);
    // Not even the device's last sync moved: the server saw no push from it.
    const status = await (await fetch(`${server.url}/api/v1/sync/status`)).json();
    expect(status.last_sync['tx-store'] ?? null).toBeNull();

    // The same submission with a good KPI then goes through whole, each change audited once.
    const retry = await store.push({ submissions: [submission], kpi_data: [{ ...badKpi, metric: 'sales today' }] });
    expect(retry.status).toBe(200);
    expect(retry.body.duplicates).toBe(0);
    expect(await count('select count(*) as n from submissions where id = $1', [submission.id])).toBe(1);
    expect(await count('select count(*) as n from audit_log where device_id = $1', ['tx-store'])).toBe(2);
  });
});
