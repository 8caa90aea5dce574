// Pull against a real PostgreSQL: pages and cursors (invariants 1 and 11's server side), echo
// suppression, the legacy timestamp mode, and what each role may pull (invariant 9).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make, parentsFor, ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { PULL_NEXT_HEADERS } from '../../shared/protocol/sync.js';
import { tableNames } from '../../shared/tables.js';
import { PAGE_BYTES } from './pull.js';

let server: TestServer;
let manager: ProtocolTestClient;
let store1: ProtocolTestClient;
let store2: ProtocolTestClient;
let db: pg.Pool;

beforeAll(async () => {
  server = await startTestServer();
  manager = new ProtocolTestClient(server.url, 'mac-001', await server.enroll('mac-001', 'manager'));
  store1 = new ProtocolTestClient(server.url, 'store-001', await server.enroll('store-001', 'store'));
  store2 = new ProtocolTestClient(server.url, 'store-002', await server.enroll('store-002', 'store'));
  db = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
});
afterAll(async () => {
  await db?.end();
  await server?.dispose();
});

/** Pulls kpi_data to its end, then writes three rows after that cursor; returns the cursor. */
async function threeNewKpiRows(): Promise<string> {
  const { cursor } = await manager.pullAll(null, { tables: ['kpi_data'], limit: 5000 });
  await db.query(
    // Written as a push writes them: at this transaction's position, after the cursor.
    `insert into kpi_data (id, updated_at, metric, value, written_by, server_txid)
     select gen_random_uuid(), now(), 'daily_sales', n, 'store-001', pg_current_xact_id()::text::bigint
     from generate_series(1, 3) n`,
  );
  return cursor;
}

describe('a large pull comes in pages', () => {
  it('pages through 20k rows with has_more and the cursor, every row exactly once, in version order', async () => {
    // Seeded in one statement (push speed is not what this test is about), versions from the
    // same sequence a push draws from.
    const seeded = await db.query(
      `insert into kpi_data (id, updated_at, metric, value, written_by)
       select gen_random_uuid(), now(), 'daily_sales', n, 'store-001' from generate_series(1, 20000) n
       returning id`,
    );
    const ids = new Set<string>(seeded.rows.map((r) => r.id as string));
    const first = await manager.pull({ limit: 5000 });
    expect(first.body).toMatchObject({ has_more: true, total: 20_000 });
    expect(first.body.changes.kpi_data).toHaveLength(5000);

    const all = await manager.pullAll(null, { limit: 3000 });
    expect(all.pages).toBe(7);
    expect(all.rows).toHaveLength(20_000);
    expect(new Set(all.rows.map((r) => r.id))).toEqual(ids);
    const versions = all.rows.map((r) => r.server_version as number);
    expect(versions.every((v, i) => i === 0 || v > versions[i - 1]!)).toBe(true);
    // The cursor is an opaque position (`<txid>.<version>`), past every row served.
    expect(all.cursor).toMatch(/^\d+\.\d+$/);

    // Nothing new: an empty page; the cursor may only move on past transactions settled meanwhile.
    const after = await manager.pull({ cursor: all.cursor });
    expect(after.body).toMatchObject({ has_more: false, total: 0 });
    const [txid, next] = [all.cursor, after.body.cursor as string].map((c) => BigInt(c.split('.')[0]!));
    expect(next! >= txid!).toBe(true);
    expect(after.body.changes.kpi_data).toEqual([]);
  });

  it('leaves out total when asked to, and still says whether more rows wait', async () => {
    const cursor = await threeNewKpiRows();
    const first = await manager.pull({ cursor, tables: ['kpi_data'], limit: 2, with_total: false });
    expect(first.body.has_more).toBe(true);
    expect(first.body).not.toHaveProperty('total');
    expect(first.body.changes.kpi_data).toHaveLength(2);
    const second = await manager.pull({ cursor: first.body.cursor, tables: ['kpi_data'], limit: 2, with_total: false });
    expect(second.body).toMatchObject({ has_more: false });
    expect(second.body.changes.kpi_data).toHaveLength(1);
    // Asked (or not said), the total is there as before.
    expect((await manager.pull({ cursor, tables: ['kpi_data'], limit: 2 })).body).toMatchObject({ total: 3 });
  });

  it('sends rows as arrays of values when asked, in the order its columns name, the same rows and pages', async () => {
    // Every synced table, with a store device's scoped and unscoped ones: rows of all of them.
    const objects = await manager.pullAll(null, { limit: 4000 });
    const arrays: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const reply = await manager.pull({ cursor, limit: 4000, row_format: 'arrays' });
      expect(reply.status).toBe(200);
      const body = reply.body as {
        changes: Record<string, unknown[][]>;
        columns: Record<string, string[]>;
        cursor: string;
        has_more: boolean;
      };
      // Every table pulled is named, with the columns the object rows carry.
      expect(Object.keys(body.columns).sort()).toEqual(Object.keys(body.changes).sort());
      for (const [table, rows] of Object.entries(body.changes)) {
        for (const values of rows) {
          expect(values).toHaveLength(body.columns[table]!.length);
          arrays.push({
            ...Object.fromEntries(body.columns[table]!.map((column, i) => [column, values[i]])),
            _table: table,
          });
        }
      }
      pages += 1;
      cursor = body.cursor;
      if (!body.has_more) break;
    }
    expect(pages).toBe(objects.pages);
    expect(arrays.length).toBeGreaterThan(20_000);
    expect(arrays).toEqual(objects.rows);
    // Objects stay the default, without columns.
    expect((await manager.pull({ limit: 1 })).body).not.toHaveProperty('columns');
  });

  it('refuses an unknown row format with a message naming the formats', async () => {
    const reply = await manager.pull({ limit: 1, row_format: 'csv' });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toMatch(/objects.*arrays|row_format/);
  });

  it('says in headers, before the body, where the next page starts: the cursor, timestamp and has_more of the body', async () => {
    const cursor = await threeNewKpiRows();
    const next = (reply: { headers: Headers }) =>
      Object.values(PULL_NEXT_HEADERS).map((name) => reply.headers.get(name));
    const first = await manager.pull({ cursor, tables: ['kpi_data'], limit: 2, with_total: false });
    expect(first.body.has_more).toBe(true);
    expect(next(first)).toEqual([first.body.cursor, first.body.timestamp, '1']);
    const last = await manager.pull({ cursor: first.body.cursor, tables: ['kpi_data'], limit: 2 });
    expect(last.body.has_more).toBe(false);
    expect(next(last)).toEqual([last.body.cursor, last.body.timestamp, '0']);
  });

  it('refuses a page size above 10,000 with a message naming the limit', async () => {
    const reply = await manager.pull({ limit: 10_001 });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatch(/limit/);
  });
});

describe('a page of large rows', () => {
  it('ends after PAGE_BYTES of rows, however many the limit allows, and the pages still hold every row once', async () => {
    const { body: start } = await manager.pull({ tables: ['form_templates'], limit: 1 });
    // 12 templates of ~1 MB each (a definition with an embedded logo, say): 12 MB in all.
    const big = 'x'.repeat(1_000_000);
    const ids: string[] = [];
    for (let push = 0; push < 2; push++) {
      const rows = Array.from({ length: 6 }, () => ({
        id: randomUUID(),
        change_id: randomUUID(),
        name: 'Logo',
        definition: { logo: big },
        updated_at: new Date().toISOString(),
      }));
      ids.push(...rows.map((row) => row.id));
      expect((await manager.push({ form_templates: rows })).status).toBe(200);
    }
    const reader = new ProtocolTestClient(server.url, 'mac-reader', await server.enroll('mac-reader', 'manager'));
    const first = await reader.pull({ cursor: start.cursor, tables: ['form_templates'], limit: 1000 });
    expect(first.status).toBe(200);
    expect(first.body.has_more).toBe(true);
    expect(JSON.stringify(first.body).length).toBeLessThan(PAGE_BYTES + 1_100_000);
    const all = await reader.pullAll(start.cursor, { tables: ['form_templates'], limit: 1000 });
    expect(all.rows.map((row) => row.id)).toEqual(ids);
    expect(all.pages).toBeGreaterThan(1);
  });
});

describe('the cursor', () => {
  it('merges tables in version order and resumes exactly where the last page ended', async () => {
    const { body: start } = await manager.pull({ limit: 1, tables: ['team'] });
    const startCursor = start.cursor as string;
    const form = make.form();
    const member = make.team();
    await manager.push({ forms: [form] });
    await manager.push({ team: [member] });
    const page1 = await store2.pull({ cursor: startCursor, limit: 1, tables: ['forms', 'team'] });
    expect(page1.body.changes.forms.map((r: { id: string }) => r.id)).toEqual([form.id]);
    expect(page1.body.changes.team).toEqual([]);
    expect(page1.body).toMatchObject({ has_more: true, total: 2 });
    const page2 = await store2.pull({ cursor: page1.body.cursor, limit: 1, tables: ['forms', 'team'] });
    expect(page2.body.changes.team.map((r: { id: string }) => r.id)).toEqual([member.id]);
    expect(page2.body).toMatchObject({ has_more: false, total: 1 });
  });

  it("leaves a device's own pushes out of its delta pulls but moves its cursor past them", async () => {
    const { body: start } = await store1.pull({ tables: ['submissions'], limit: 1 });
    const cursor0 = (await store1.pullAll(start.cursor, { tables: ['submissions'] })).cursor;
    const mine = make.submission({ form_id: (await parentsFor(manager)).form_id });
    expect((await store1.push({ submissions: [mine] })).status).toBe(200);
    const own = await store1.pull({ cursor: cursor0, tables: ['submissions'] });
    expect(own.body.changes.submissions).toEqual([]);
    expect(own.body.cursor).not.toBe(cursor0);
    // Past it: another device pulling from there does not get it again.
    const beyond = await store2.pull({ cursor: own.body.cursor, tables: ['submissions'] });
    expect(beyond.body.changes.submissions).toEqual([]);
    // Another device does get it.
    const other = await store2.pull({ cursor: cursor0, tables: ['submissions'] });
    expect(other.body.changes.submissions.map((r: { id: string }) => r.id)).toEqual([mine.id]);
    // A full sync (no cursor) includes a device's own rows: it may have lost its database.
    const full = await store1.pullAll(null, { tables: ['submissions'] });
    expect(full.rows.map((r) => r.id)).toContain(mine.id);
  });

  it('sends the server bookkeeping with every row, timestamps as ISO strings', async () => {
    const kpi = make.kpi({ deleted_at: '2025-12-18T10:00:00+02:00' });
    const pushed = await store1.push({ kpi_data: [kpi] });
    const before = String(pushed.body.applied.kpi_data[0].server_version - 1);
    const { rows } = await manager.pullAll(before, { tables: ['kpi_data'] });
    const row = rows.find((r) => r.id === kpi.id)!;
    expect(row).toMatchObject({ written_by: 'store-001', deleted_at: '2025-12-18T08:00:00.000Z' });
    expect(row.server_updated_at).toMatch(/Z$/);
    expect(typeof row.server_version).toBe('number');
    // The server's own columns stay home (the position travels only inside the opaque cursor).
    expect(row).not.toHaveProperty('server_txid');
    expect(row).not.toHaveProperty('edited_at');
  });
});

describe("the seed's last_sync_timestamp (a safe watermark)", () => {
  it('resumes exactly where the page that handed it out ended, and a full sync from a time it never handed out', async () => {
    const { cursor } = await manager.pullAll(null, { tables: ['kpi_data'], limit: 5000 });
    const seen = (await manager.pull({ cursor, tables: ['kpi_data'] })).body.timestamp as string;
    const kpi = make.kpi({ metric: `seed-${randomUUID()}` });
    await store1.push({ kpi_data: [kpi] });
    const reply = await manager.pull({ last_sync_timestamp: seen, tables: ['kpi_data'] });
    expect(reply.body.changes.kpi_data.map((r: { id: string }) => r.id)).toEqual([kpi.id]);
    expect(reply.body.has_more).toBe(false);
    // Its own timestamp, passed back: nothing new.
    const again = await manager.pull({ last_sync_timestamp: reply.body.timestamp, tables: ['kpi_data'] });
    expect(again.body.changes.kpi_data).toEqual([]);
    // Timestamps are unique even when pulls come at once (each maps to its own page's end).
    const stamps = await Promise.all(Array.from({ length: 8 }, () => manager.pull({ tables: ['team'], limit: 1 })));
    expect(new Set(stamps.map((r) => r.body.timestamp)).size).toBe(8);
    // A time before every handed-out timestamp: a full sync, nothing skipped.
    const old = await manager.pull({ last_sync_timestamp: '2000-01-01T00:00:00Z', tables: ['kpi_data'], limit: 1 });
    expect(old.body.total).toBeGreaterThan(20_000);
  });
});

describe('who pulls what (invariant 9)', () => {
  it('gives a store device its tables by default, never templates or settings', async () => {
    const reply = await store1.pull({ limit: 1 });
    expect(Object.keys(reply.body.changes).sort()).toEqual(
      ['fields', 'form_sections', 'forms', 'kpi_data', 'submission_answers', 'stores', 'submissions', 'team'].sort(),
    );
  });

  it('refuses a store device asking for settings or form_templates with 403', async () => {
    for (const table of ['settings', 'form_templates']) {
      const reply = await store1.pull({ tables: ['forms', table as 'settings'] });
      expect(reply.status).toBe(403);
      expect(reply.body.error).toContain(table);
    }
  });

  it('lets a manager pull every table', async () => {
    const reply = await manager.pull({ limit: 1 });
    expect(Object.keys(reply.body.changes).sort()).toEqual([...tableNames].sort());
  });
});
