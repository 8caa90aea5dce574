// A push is all or nothing on the server: one transaction around every table's changes, their
// audit entries and the device's last-sync time. Here PostgreSQL refuses a row that the protocol
// allows, because the server's own schema disagrees with the protocol (a column narrowed to 11
// characters, as a botched migration would leave it): a class-22 error that is the server's fault,
// not the device's. The push is refused after the tables before it were written; the device gets a
// 500 with a generic message (so it retries later instead of setting its change aside), the log
// gets the database's words, and the server keeps none of the push, so a retry cannot meet a
// half-applied push. Through the public HTTP route, on a real PostgreSQL.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { enrollDevice } from '../auth/devices.js';
import { openDatabase, type OpenDatabase } from '../db/client.js';
import { closeHttp, createLogger, listen } from '../start.js';
import { make, ProtocolTestClient } from '../testing/sync-client.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-server.js';

const logLines: { level: number; msg: string; pg_code?: string }[] = [];
let database: TestDatabase;
let open: OpenDatabase;
let http: Server;
let admin: pg.Pool;
let manager: ProtocolTestClient;
let store: ProtocolTestClient;

beforeAll(async () => {
  database = await createTestDatabase('push_tx');
  open = await openDatabase({ databaseUrl: database.url });
  const logger = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line)) });
  http = await listen(createApp({ db: open.db, logger, bodyLimit: '1mb' }), 0);
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  admin = new pg.Pool({ connectionString: database.url, max: 1 });
  manager = new ProtocolTestClient(url, 'tx-manager', await enrollDevice(open.db, 'tx-manager', 'manager'));
  store = new ProtocolTestClient(url, 'tx-store', await enrollDevice(open.db, 'tx-store', 'store'));
});
afterAll(async () => {
  await closeHttp(http);
  await admin?.end();
  await open?.close();
  await database?.drop();
});

const count = async (text: string, values: unknown[]) =>
  Number((await admin.query<{ n: string }>(text, values)).rows[0]!.n);

describe('a push whose last row PostgreSQL refuses through the server’s own fault', () => {
  it('answers 500 with a generic message, logs the cause, and keeps neither the good submission before it nor its audit entry', async () => {
    // A form the server has, so the submission is good on every count.
    const form = make.form({ status: 'published' });
    expect((await manager.push({ forms: [form] })).status).toBe(200);

    // The server's schema drifts from the protocol (which allows 200 characters). The row's stored
    // wire text is made from the column, so it goes first (this test pulls nothing).
    await admin.query('alter table kpi_data drop column wire');
    await admin.query('alter table kpi_data alter column metric type varchar(11)');
    const submission = make.submission({ form_id: form.id, status: 'completed' });
    // KPIs are applied after submissions: the submission is already written when the KPI fails.
    const badKpi = make.kpi({ metric: 'sales yesterday' });
    const reply = await store.push({ submissions: [submission], kpi_data: [badKpi] });

    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ success: false, error: 'internal server error' });
    const logged = logLines.find((line) => line.level >= 50 && line.pg_code === '22001');
    expect(logged?.msg).toMatch(/server data or server SQL/);
    expect(await count('select count(*) as n from submissions where id = $1', [submission.id])).toBe(0);
    expect(await count('select count(*) as n from kpi_data where id = $1', [badKpi.id])).toBe(0);
    expect(await count('select count(*) as n from audit_log where device_id = $1', ['tx-store'])).toBe(0);
    // Not even the device's last sync moved: the server saw no push from it.
    expect(
      await count('select count(*) as n from devices where id = $1 and last_sync_at is not null', ['tx-store']),
    ).toBe(0);

    // The same submission with a KPI the narrowed column holds then goes through whole, each change audited once.
    const retry = await store.push({ submissions: [submission], kpi_data: [{ ...badKpi, metric: 'sales today' }] });
    expect(retry.status).toBe(200);
    expect(retry.body.duplicates).toBe(0);
    expect(await count('select count(*) as n from submissions where id = $1', [submission.id])).toBe(1);
    expect(await count('select count(*) as n from audit_log where device_id = $1', ['tx-store'])).toBe(2);
    // ...and its last sync is written by the push that went through (the refused one counted for nothing).
    expect(
      await count('select count(*) as n from devices where id = $1 and last_sync_at is not null', ['tx-store']),
    ).toBe(1);
  });
});
