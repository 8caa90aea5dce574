// Store scopes against a real PostgreSQL (invariant 12): two store devices in S001 and S002 and a
// manager. Each store pulls only its rows; a cross-store push is refused whole; moving a device
// brings every row of its new store and removes the old store's; a manager moving a submission
// removes it (and its answers) from the old store's devices.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullRequest } from '../../shared/protocol/sync.js';
import { openDatabase } from '../db/client.js';
import { make, parentsFor, ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { servePull } from './pull.js';

let server: TestServer;
let manager: ProtocolTestClient;
let db: pg.Pool;
let parents: { form_id: string; field_id: string };

beforeAll(async () => {
  server = await startTestServer();
  manager = new ProtocolTestClient(server.url, 'mac-scope', await server.enroll('mac-scope', 'manager'));
  db = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
  parents = await parentsFor(manager);
});
afterAll(async () => {
  await db?.end();
  await server?.dispose();
});

let devices = 0;
async function storeDevice(store: string): Promise<ProtocolTestClient> {
  const id = `phone-${store}-${++devices}`;
  return new ProtocolTestClient(server.url, id, await server.enroll(id, 'store', store));
}

/** A submission with two answers and a KPI of `store`, pushed by `device`. */
async function storeRows(device: ProtocolTestClient, store: string) {
  const submission = make.submission({ form_id: parents.form_id, store_id: store });
  const answers = [1, 2].map(() => make.answer(submission.id, { field_id: parents.field_id }));
  const kpi = make.kpi({ store_id: store });
  const reply = await device.push({ submissions: [submission], submission_answers: answers, kpi_data: [kpi] });
  expect(reply.status).toBe(200);
  return { submission, answers, kpi, ids: [submission.id, ...answers.map((a) => a.id), kpi.id] };
}

const idsOf = (rows: Record<string, unknown>[], table?: string) =>
  rows.filter((r) => !table || r._table === table).map((r) => r.id as string);

/** Pulls every page from `cursor`, gathering rows and removed ids. */
async function pullEverything(device: ProtocolTestClient, cursor: string | null, extra: Record<string, unknown> = {}) {
  const rows: Record<string, unknown>[] = [];
  const removed: string[] = [];
  let pages = 0;
  for (;;) {
    const reply = await device.pull({ ...extra, cursor });
    expect(reply.status).toBe(200);
    pages += 1;
    for (const [table, list] of Object.entries(reply.body.changes as Record<string, Record<string, unknown>[]>))
      for (const row of list) rows.push({ ...row, _table: table });
    for (const list of Object.values((reply.body.removed ?? {}) as Record<string, string[]>)) removed.push(...list);
    cursor = reply.body.cursor as string;
    if (!reply.body.has_more) return { rows, removed, cursor, pages };
  }
}

/**
 * Pulls until every one of `ids` has arrived (or 10 s pass). The pull horizon may hold a just
 * committed row back for a moment while another transaction of the cluster runs (invariant 1:
 * it errs towards serving later), so "everything" is what arrives once the horizon has moved on.
 */
async function pullUntilHolding(device: ProtocolTestClient, ids: string[]) {
  const all = await pullEverything(device, null);
  for (let tries = 0; tries < 100 && !ids.every((id) => idsOf(all.rows).includes(id)); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const more = await pullEverything(device, all.cursor);
    all.rows.push(...more.rows);
    all.cursor = more.cursor;
  }
  return all;
}

describe('a store device pulls only its store', () => {
  it('gives each store its own submissions, answers, KPIs and team, and every form', async () => {
    const s1 = await storeDevice('S001');
    const s2 = await storeDevice('S002');
    const mine = await storeRows(s1, 'S001');
    const theirs = await storeRows(s2, 'S002');
    const team = ['S001', 'S002'].map((store) => make.team({ store_id: store, name: `Sam of ${store}` }));
    const stores = ['S001', 'S002'].map((code) => make.store(code));
    expect((await manager.push({ stores, team })).status).toBe(200);

    const one = await pullUntilHolding(s1, [...mine.ids, team[0]!.id, stores[0]!.id]);
    expect(idsOf(one.rows)).toEqual(expect.arrayContaining([...mine.ids, team[0]!.id, parents.form_id]));
    expect(idsOf(one.rows)).not.toEqual(expect.arrayContaining([theirs.submission.id]));
    for (const id of [...theirs.ids, team[1]!.id]) expect(idsOf(one.rows)).not.toContain(id);
    // Its own store's record, not the other store's.
    expect(idsOf(one.rows, 'stores')).toEqual([stores[0]!.id]);
    const two = await pullUntilHolding(s2, [...theirs.ids, team[1]!.id]);
    for (const id of [...mine.ids, team[0]!.id]) expect(idsOf(two.rows)).not.toContain(id);
    expect(idsOf(two.rows)).toEqual(expect.arrayContaining([...theirs.ids, team[1]!.id, parents.form_id]));
    // The manager sees every store.
    const all = await pullUntilHolding(manager, [...mine.ids, ...theirs.ids]);
    expect(idsOf(all.rows)).toEqual(expect.arrayContaining([...mine.ids, ...theirs.ids, ...stores.map((s) => s.id)]));
  });

  it('is neither held back nor made to skip a row by another store writing meanwhile', async () => {
    const s1 = await storeDevice('S001');
    const s2 = await storeDevice('S002');
    const start = await pullEverything(s1, null);
    // Many rows of S002, then one of S001: S001's delta is that one row, on one page.
    for (let i = 0; i < 3; i++)
      await s2.push({ kpi_data: Array.from({ length: 50 }, () => make.kpi({ store_id: 'S002' })) });
    const late = make.kpi({ store_id: 'S001' });
    expect((await manager.push({ kpi_data: [late] })).status).toBe(200);
    const delta = await pullEverything(s1, start.cursor, { limit: 10 });
    expect(idsOf(delta.rows)).toEqual([late.id]);
    expect(delta.pages).toBe(1);
  });
});

describe('a store device pushes only its store', () => {
  it('refuses a push holding one row of another store whole, naming that row', async () => {
    const s1 = await storeDevice('S001');
    const good = make.kpi({ store_id: 'S001' });
    const bad = make.kpi({ store_id: 'S002' });
    const reply = await s1.push({ kpi_data: [good, bad] });
    expect(reply.status).toBe(403);
    expect(reply.body.error).toContain(`kpi_data ${bad.id} is for store S002`);
    expect(reply.body.error).toContain('nothing of this push was applied');
    const held = await db.query('select id from kpi_data where id = any($1)', [[good.id, bad.id]]);
    expect(held.rows).toEqual([]);
  });

  it("refuses an edit of another store's row, an answer to its submission and a move to another store", async () => {
    const s1 = await storeDevice('S001');
    const s2 = await storeDevice('S002');
    const theirs = await storeRows(s2, 'S002');
    const mine = await storeRows(s1, 'S001');

    const edit = await s1.push({ kpi_data: [{ ...theirs.kpi, change_id: randomUUID(), value: 1 }] });
    expect(edit.status).toBe(403);
    expect(edit.body.error).toContain(
      `kpi_data ${theirs.kpi.id} belongs to store S002; this device (${s1.deviceId}) belongs to store S001`,
    );

    const answer = make.answer(theirs.submission.id, { field_id: parents.field_id });
    const sneaked = await s1.push({ submission_answers: [answer] });
    expect(sneaked.status).toBe(403);
    expect(sneaked.body.error).toContain(`submission_answers ${answer.id} is for store S002`);

    const moved = await s1.push({
      submissions: [
        { ...mine.submission, change_id: randomUUID(), store_id: 'S002', updated_at: new Date().toISOString() },
      ],
    });
    expect(moved.status).toBe(403);
    expect(moved.body.error).toContain(`submissions ${mine.submission.id} would move from store S001 to store S002`);
    const [row] = (await db.query('select store_id from submissions where id = $1', [mine.submission.id])).rows;
    expect(row.store_id).toBe('S001');
  });

  it('records in the audit log the store a change was made under', async () => {
    const s1 = await storeDevice('S001');
    const { kpi } = await storeRows(s1, 'S001');
    const history = await fetch(`${server.url}/api/v1/audit?table=kpi_data&record_id=${kpi.id}`, {
      headers: { authorization: `Bearer ${manager.token}` },
    }).then((r) => r.json());
    expect(history.entries.map((e: { scope: string | null }) => e.scope)).toEqual(['S001']);
  });
});

describe('moving a device to another store', () => {
  it('brings every row of the new store, paged, and removes the old store rows, without resending forms', async () => {
    const s1 = await storeDevice('S001');
    const s2 = await storeDevice('S002');
    const old = await storeRows(s1, 'S001');
    const before = await pullEverything(s1, null);
    const news = [await storeRows(s2, 'S002'), await storeRows(s2, 'S002')];

    const reply = await manager.post(`/api/v1/devices/${s1.deviceId}/scope`, { store: 'S002' });
    expect(reply.body).toMatchObject({ success: true, store: 'S002', previous_store: 'S001', moved: true });

    const after = await pullEverything(s1, before.cursor, { limit: 2 });
    expect(after.pages).toBeGreaterThan(3);
    const wanted = news.flatMap((n) => n.ids);
    expect(idsOf(after.rows)).toEqual(expect.arrayContaining(wanted));
    expect(idsOf(after.rows, 'forms')).toEqual([]);
    expect(after.removed).toEqual(expect.arrayContaining(old.ids));
    for (const id of old.ids) expect(idsOf(after.rows)).not.toContain(id);
    // The phase is over: a plain position, and nothing more to pull.
    expect(after.cursor).toMatch(/^\d+\.\d+$/);
    const quiet = await s1.pull({ cursor: after.cursor });
    expect(quiet.body.removed).toBeUndefined();
    expect(Object.values(quiet.body.changes).flat()).toEqual([]);

    // Its old store's rows are refused from now on.
    const stale = await s1.push({ kpi_data: [{ ...old.kpi, change_id: randomUUID(), value: 7 }] });
    expect(stale.status).toBe(403);
    expect(stale.body.error).toContain(`belongs to store S001; this device (${s1.deviceId}) belongs to store S002`);
  });

  it('serves a delta under the store the page statement sees, not the one its token was read with', async () => {
    // A pull plans its page from the token's store and checks that plan in the page's own
    // snapshot (pull.ts): a device moved between the token lookup and the page gets the new store.
    const s1 = await storeDevice('S001');
    const s2 = await storeDevice('S002');
    const old = await storeRows(s1, 'S001');
    const before = await pullEverything(s1, null);
    const news = await storeRows(s2, 'S002');
    const moved = await manager.post(`/api/v1/devices/${s1.deviceId}/scope`, { store: 'S002' });
    expect(moved.body).toMatchObject({ store: 'S002', moved: true });

    const open = await openDatabase({ databaseUrl: server.databaseUrl });
    try {
      const stale = { id: s1.deviceId, role: 'store' as const, store_id: 'S001' };
      const request = PullRequest.parse({ device_id: s1.deviceId, cursor: before.cursor, limit: 1000 });
      const answer = JSON.parse((await servePull(open.db, stale, request)).pieces.join('')) as {
        changes: Record<string, { id: string }[]>;
        removed?: Record<string, string[]>;
      };
      const served = Object.values(answer.changes).flatMap((rows) => rows.map((row) => row.id));
      expect(served).toEqual(expect.arrayContaining(news.ids));
      for (const id of old.ids) expect(served).not.toContain(id);
      expect(Object.values(answer.removed ?? {}).flat()).toEqual(expect.arrayContaining(old.ids));
    } finally {
      await open.close();
    }
  });

  it('goes through the same phase for a client that passes back only the timestamp', async () => {
    const s1 = await storeDevice('S001');
    const s2 = await storeDevice('S002');
    const old = await storeRows(s1, 'S001');
    let reply = await s1.pull({});
    let timestamp = reply.body.timestamp as string;
    const theirs = await storeRows(s2, 'S002');
    expect((await manager.post(`/api/v1/devices/${s1.deviceId}/scope`, { store: 'S002' })).status).toBe(200);
    const got: string[] = [];
    const removed: string[] = [];
    for (let page = 0; page < 500; page++) {
      reply = await s1.pull({ last_sync_timestamp: timestamp, limit: 3 });
      got.push(
        ...Object.values(reply.body.changes as Record<string, { id: string }[]>).flatMap((l) => l.map((r) => r.id)),
      );
      removed.push(...Object.values((reply.body.removed ?? {}) as Record<string, string[]>).flat());
      timestamp = reply.body.timestamp;
      if (!reply.body.has_more) break;
    }
    expect(got).toEqual(expect.arrayContaining(theirs.ids));
    expect(removed).toEqual(expect.arrayContaining(old.ids));
  });

  it('refuses to give a manager a store and names an unknown device', async () => {
    const manager2 = await manager.post(`/api/v1/devices/${manager.deviceId}/scope`, { store: 'S001' });
    expect(manager2.status).toBe(400);
    expect(manager2.body.error).toContain('sees every store');
    const unknown = await manager.post('/api/v1/devices/no-such-phone/scope', { store: 'S001' });
    expect(unknown.status).toBe(404);
    const s1 = await storeDevice('S001');
    const bystander = await s1.post(`/api/v1/devices/${s1.deviceId}/scope`, { store: 'S002' });
    expect(bystander.status).toBe(403);
  });
});

describe('a manager moving a row to another store', () => {
  it("removes the submission and its answers from the old store's devices and brings them to the new one's", async () => {
    const s1 = await storeDevice('S001');
    const s2 = await storeDevice('S002');
    const rows = await storeRows(s1, 'S001');
    const one = await pullEverything(s1, null);
    const two = await pullEverything(s2, null);

    const moved = {
      ...rows.submission,
      change_id: randomUUID(),
      store_id: 'S002',
      updated_at: new Date().toISOString(),
    };
    expect((await manager.push({ submissions: [moved] })).status).toBe(200);

    const oneAfter = await pullEverything(s1, one.cursor);
    expect(oneAfter.removed.sort()).toEqual([rows.submission.id, ...rows.answers.map((a) => a.id)].sort());
    expect(idsOf(oneAfter.rows)).toEqual([]);
    const twoAfter = await pullEverything(s2, two.cursor);
    expect(idsOf(twoAfter.rows).sort()).toEqual([rows.submission.id, ...rows.answers.map((a) => a.id)].sort());
    expect(twoAfter.removed).toEqual([]);
  });
  it('serves a row moved away and back again, and does not remove it, when one page holds both moves', async () => {
    const s1 = await storeDevice('S001');
    const rows = await storeRows(s1, 'S001');
    const before = await pullEverything(s1, null);
    const move = async (store: string) => {
      const row = {
        ...rows.submission,
        change_id: randomUUID(),
        store_id: store,
        updated_at: new Date().toISOString(),
      };
      expect((await manager.push({ submissions: [row] })).status).toBe(200);
    };
    await move('S002');
    await move('S001');

    const after = await pullEverything(s1, before.cursor);
    expect(after.pages).toBe(1);
    expect(idsOf(after.rows, 'submissions')).toEqual([rows.submission.id]);
    expect(after.removed).not.toContain(rows.submission.id);
  });
});
