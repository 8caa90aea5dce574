// A push's device_activity increment rides on its live notice's statement (one statement and one
// round trip fewer per push request): the push is counted once, the other devices are told, and
// neither is lost through the other (a refused pair is run as two statements).
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { enrollDevice } from '../auth/devices.js';
import { openDatabase, rowsOf, type OpenDatabase } from '../db/client.js';
import { closeHttp, createLogger, listen } from '../start.js';
import { make, ProtocolTestClient } from '../testing/sync-client.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-server.js';
import type { ChangeNotice } from './bus.js';
import { PgChangeBus } from './pg-bus.js';

let database: TestDatabase;
let opened: OpenDatabase;
let bus: PgChangeBus;
let http: Awaited<ReturnType<typeof listen>>;
let client: ProtocolTestClient;
const lines: string[] = [];
const notices: ChangeNotice[] = [];

/** The text of every statement this process sends to PostgreSQL while `work` runs. */
async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const texts: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
    const text = typeof config === 'string' ? config : (config as { text?: string } | null)?.text;
    if (text) texts.push(text.replace(/\s+/g, ' ').trim());
    return (query as (...args: unknown[]) => unknown).call(this, config, ...rest);
  } as typeof query;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = query;
  }
  return texts;
}

const pushesCounted = async (device: string) =>
  rowsOf<{ pushes: number; rows_pushed: number }>(
    await opened.db.execute(sql`select pushes, rows_pushed from device_activity where device_id = ${device}`),
  )[0] ?? { pushes: 0, rows_pushed: 0 };

beforeAll(async () => {
  database = await createTestDatabase('notice_activity');
  opened = await openDatabase({ databaseUrl: database.url });
  bus = new PgChangeBus(database.url, opened.db, createLogger('silent'));
  await bus.ready;
  bus.subscribe((notice) => notices.push(notice));
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
  const app = createApp({ db: opened.db, logger: createLogger('info', sink), bodyLimit: '1mb', changes: bus });
  http = await listen(app, 0);
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  client = new ProtocolTestClient(url, 'store-021', await enrollDevice(opened.db, 'store-021', 'store'));
});
afterAll(async () => {
  await closeHttp(http);
  await bus?.close();
  await opened?.close();
  await database?.drop();
});
afterEach(() => {
  notices.length = 0;
});

describe('a push counted with its live notice', () => {
  it('sends the notice and the device_activity upsert as one statement, and counts the push once', async () => {
    const texts = await statementsDuring(async () => {
      expect((await client.push({ kpi_data: [make.kpi(), make.kpi()] })).status).toBe(200);
      await expect.poll(() => notices.length).toBe(1);
      await expect.poll(() => pushesCounted('store-021')).toEqual({ pushes: 1, rows_pushed: 2 });
    });
    const activity = texts.filter((text) => text.includes('insert into device_activity'));
    expect(activity).toHaveLength(1);
    expect(activity[0]).toMatch(/^with alongside as \(insert into device_activity .* select pg_notify\(/);
    expect(notices[0]).toMatchObject({ tables: ['kpi_data'], device_id: 'store-021' });
    // Nothing is counted a second time when the request finishes.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await pushesCounted('store-021')).toEqual({ pushes: 1, rows_pushed: 2 });
  });

  it('still counts a push that wrote nothing (no notice to carry it) when the request finishes', async () => {
    const kpi = make.kpi();
    expect((await client.push({ kpi_data: [kpi] })).status).toBe(200);
    await expect.poll(() => pushesCounted('store-021')).toEqual({ pushes: 2, rows_pushed: 3 });
    // The same change again (a retry whose answer was lost): a duplicate, nothing written, no notice.
    expect((await client.push({ kpi_data: [kpi] })).status).toBe(200);
    await expect.poll(() => pushesCounted('store-021')).toEqual({ pushes: 3, rows_pushed: 4 });
  });

  it('loses neither the notice nor the sync when the activity cannot be recorded: the miss is logged', async () => {
    await opened.db.execute(sql`alter table device_activity rename to device_activity_gone`);
    try {
      expect((await client.push({ kpi_data: [make.kpi()] })).status).toBe(200);
      await expect.poll(() => notices.length).toBe(1);
      await expect.poll(() => lines.some((line) => line.includes('device activity not recorded'))).toBe(true);
      expect(lines.some((line) => line.includes('change notice not sent'))).toBe(false);
    } finally {
      await opened.db.execute(sql`alter table device_activity_gone rename to device_activity`);
    }
  });
});
