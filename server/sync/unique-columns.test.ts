// A store code is unique among live stores: a manager's push that repeats one (two managers added
// S004 offline) is refused for that row alone, with a reason naming the code; the rest applies.
// Against a real server on PostgreSQL.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make, ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let server: TestServer;
let db: pg.Pool;
let mac1: ProtocolTestClient;
let mac2: ProtocolTestClient;

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
  mac1 = new ProtocolTestClient(server.url, 'mac-001', await server.enroll('mac-001', 'manager'));
  mac2 = new ProtocolTestClient(server.url, 'mac-002', await server.enroll('mac-002', 'manager'));
});
afterAll(async () => {
  await db?.end();
  await server?.dispose();
});

const codes = async () =>
  (await db.query('select code, name from stores where deleted_at is null order by code, name')).rows as Array<{
    code: string;
    name: string;
  }>;

describe('store codes', () => {
  it('refuses a second live store with a code already taken, alone, and applies the rest of the push', async () => {
    const first = make.store('S004', { name: 'Airport' });
    expect((await mac1.push({ stores: [first] })).status).toBe(200);

    const repeat = make.store('S004', { name: 'Airport too' });
    const other = make.store('S005', { name: 'Station' });
    const sameTwice = make.store('S006', { name: 'Mall' });
    const sameTwiceAgain = make.store('S006', { name: 'Mall again' });
    const reply = await mac2.push({ stores: [repeat, other, sameTwice, sameTwiceAgain] });
    expect(reply.status).toBe(200);
    expect(reply.body.rejected).toEqual([
      {
        table: 'stores',
        record_id: repeat.id,
        change_id: repeat.change_id,
        reason: `stores ${repeat.id}: code S004 is already used by stores ${first.id}; choose another code`,
      },
      {
        table: 'stores',
        record_id: sameTwiceAgain.id,
        change_id: sameTwiceAgain.change_id,
        reason: expect.stringContaining('code S006 is already used by stores'),
      },
    ]);
    expect(await codes()).toEqual([
      { code: 'S004', name: 'Airport' },
      { code: 'S005', name: 'Station' },
      { code: 'S006', name: 'Mall' },
    ]);
  });

  it('lets a store keep its own code when edited, and frees a code once its store is deleted', async () => {
    const harbour = make.store('S010', { name: 'Harbour' });
    expect((await mac1.push({ stores: [harbour] })).status).toBe(200);
    const renamed = {
      ...harbour,
      change_id: crypto.randomUUID(),
      name: 'Harbour Front',
      updated_at: new Date().toISOString(),
    };
    const edit = await mac1.push({ stores: [renamed] });
    expect(edit.body.rejected).toEqual([]);

    const deleted = { ...renamed, change_id: crypto.randomUUID(), deleted_at: new Date().toISOString() };
    expect((await mac1.push({ stores: [deleted] })).body.rejected).toEqual([]);
    const again = make.store('S010', { name: 'New harbour' });
    expect((await mac2.push({ stores: [again] })).body.rejected).toEqual([]);
    expect((await codes()).filter((s) => s.code === 'S010')).toEqual([{ code: 'S010', name: 'New harbour' }]);
  });
});
