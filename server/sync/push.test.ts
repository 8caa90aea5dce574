// Push against a real PostgreSQL: exactly once (invariant 2), conflict rules decided at push time
// and recorded (invariants 5, 7), tombstones.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make, parentsFor, type ProtocolTestClient } from '../testing/sync-client.js';
import { startPushFixture, type PushFixture } from '../testing/push-fixture.js';

let fixture: PushFixture;
let db: pg.Pool;
let manager: ProtocolTestClient;
let store1: ProtocolTestClient;
let store2: ProtocolTestClient;
/** A form and field on the server, for submissions and answers to name. */
let parents: { form_id: string; field_id: string };

beforeAll(async () => {
  fixture = await startPushFixture();
  ({ db, manager, store1, store2 } = fixture);
  parents = await parentsFor(manager);
});
afterAll(async () => {
  await fixture?.close();
});

const count = async (query: string, params: unknown[] = []) => Number((await db.query(query, params)).rows[0].n);
const auditFor = (recordId: string) =>
  db.query('select * from audit_log where record_id = $1 order by id', [recordId]).then((r) => r.rows);

describe('exactly once (invariant 2)', () => {
  it('applies a push retried after a lost response once: one row, one audit entry', async () => {
    const submission = make.submission({ status: 'completed', form_id: parents.form_id });
    const answer = make.answer(submission.id, { field_id: parents.field_id });
    const body = { submissions: [submission], submission_answers: [answer] };
    const first = await store1.push(body);
    expect(first.status).toBe(200);
    expect(first.body.duplicates).toBe(0);
    const version = first.body.applied.submissions[0].server_version;

    const retry = await store1.push(body);
    expect(retry.status).toBe(200);
    expect(retry.body.duplicates).toBe(2);
    // The retry hears the same answer: the row as the server holds it, at the same version.
    expect(retry.body.applied.submissions[0]).toMatchObject({
      id: submission.id,
      server_version: version,
      change_id: submission.change_id,
    });
    expect(await count('select count(*) n from submissions where id = $1', [submission.id])).toBe(1);
    expect(await count('select count(*) n from audit_log where change_id = $1', [submission.change_id])).toBe(1);
    expect(await count('select count(*) n from audit_log where change_id = $1', [answer.change_id])).toBe(1);
  });

  it('counts a change id repeated within one push once', async () => {
    const a = make.kpi();
    const b = make.kpi({ change_id: a.change_id });
    const reply = await store1.push({ kpi_data: [a, b] });
    expect(reply.status).toBe(200);
    expect(reply.body.duplicates).toBe(1);
    expect(await count('select count(*) n from audit_log where change_id = $1', [a.change_id])).toBe(1);
  });

  it('does not re-apply an old change id over a newer edit of the same record', async () => {
    const kpi = make.kpi({ value: 1 });
    await store1.push({ kpi_data: [kpi] });
    const newer = { ...kpi, change_id: randomUUID(), value: 2, updated_at: new Date(Date.now() + 1000).toISOString() };
    await store1.push({ kpi_data: [newer] });
    const replay = await store1.push({ kpi_data: [kpi] });
    expect(replay.body.duplicates).toBe(1);
    expect(replay.body.applied.kpi_data[0].value).toBe(2);
    expect((await db.query('select value from kpi_data where id = $1', [kpi.id])).rows[0].value).toBe(2);
  });

  it('returns a recorded conflict again to a retried push', async () => {
    const member = make.team({ name: 'Original' });
    await manager.push({ team: [member] });
    const rival = { ...member, change_id: randomUUID(), name: 'Renamed by manager 2' };
    const manager2 = await fixture.enroll('mac-002', 'manager');
    const first = await manager2.push({ team: [rival] }, { cursor: '0' });
    expect(first.body.conflicts).toHaveLength(1);
    const retry = await manager2.push({ team: [rival] }, { cursor: '0' });
    expect(retry.body.duplicates).toBe(1);
    expect(retry.body.conflicts).toEqual(first.body.conflicts);
    expect(await count('select count(*) n from conflicts where change_id = $1', [rival.change_id])).toBe(1);
  });
});

describe('pushes at once, without a global lock (per-record locks)', () => {
  it('applies a push retried many times at once exactly once', async () => {
    const kpis = Array.from({ length: 5 }, () => make.kpi());
    const replies = await Promise.all(Array.from({ length: 8 }, () => store1.push({ kpi_data: kpis })));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(replies.map((r) => r.body.duplicates).sort()).toEqual([0, 5, 5, 5, 5, 5, 5, 5]);
    for (const kpi of kpis)
      expect(await count('select count(*) n from audit_log where record_id = $1', [kpi.id])).toBe(1);
  });

  it('serialises two devices inserting one new id at once: one INSERT, and the other meets it', async () => {
    const kpi = make.kpi({ value: 1 });
    const rival = { ...kpi, change_id: randomUUID(), value: 2 };
    const [a, b] = await Promise.all([store1.push({ kpi_data: [kpi] }), store2.push({ kpi_data: [rival] })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const audit = await auditFor(kpi.id);
    expect(audit.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE']);
    // The second saw the first's row: a conflict decided by the rule, not a silent overwrite.
    expect(a.body.conflicts.length + b.body.conflicts.length).toBe(1);
  });
});

describe('uuids spelled in upper case (RFC 4122: case-insensitive on input; iOS writes them so)', () => {
  it('counts a retried change whose change_id is upper case once instead of failing with 500', async () => {
    const kpi = make.kpi({ change_id: randomUUID().toUpperCase() });
    expect((await store1.push({ kpi_data: [kpi] })).status).toBe(200);
    const retry = await store1.push({ kpi_data: [kpi] });
    expect(retry.status).toBe(200);
    expect(retry.body.duplicates).toBe(1);
    expect(await count('select count(*) n from audit_log where change_id = $1', [kpi.change_id])).toBe(1);
  });

  it('conflict-checks an edit whose record id is upper case, and answers it in applied', async () => {
    const kpi = make.kpi({ value: 1 });
    await store1.push({ kpi_data: [kpi] });
    const stale = {
      ...kpi,
      id: kpi.id.toUpperCase(),
      change_id: randomUUID(),
      value: 2,
      updated_at: new Date(Date.now() - 60_000).toISOString(),
    };
    const reply = await store2.push({ kpi_data: [stale] }, { cursor: '0' });
    expect(reply.status).toBe(200);
    expect(reply.body.conflicts).toHaveLength(1);
    expect(reply.body.conflicts[0]).toMatchObject({ resolution: 'server_wins', rule: 'latest_wins' });
    expect(reply.body.applied.kpi_data).toHaveLength(1);
    expect(reply.body.applied.kpi_data[0].value).toBe(1);
    expect((await db.query('select value from kpi_data where id = $1', [kpi.id])).rows[0].value).toBe(1);
  });

  it('applies two edits of one record spelled in different cases in order, not as a 500', async () => {
    const kpi = make.kpi({ value: 1 });
    const reply = await store1.push({
      kpi_data: [kpi, { ...kpi, id: kpi.id.toUpperCase(), change_id: randomUUID(), value: 2 }],
    });
    expect(reply.status).toBe(200);
    expect((await db.query('select value from kpi_data where id = $1', [kpi.id])).rows[0].value).toBe(2);
  });
});

describe('order (invariant 5)', () => {
  it('applies parents before children and two edits of one record in the order made', async () => {
    const submission = make.submission({ form_id: parents.form_id });
    const answer = make.answer(submission.id, { field_id: parents.field_id });
    const edited = { ...submission, change_id: randomUUID(), status: 'completed' };
    // Children listed first on purpose: the server applies by the registry's parent order.
    const reply = await store1.push({ submission_answers: [answer], submissions: [submission, edited] });
    expect(reply.status).toBe(200);
    const [sub] = (await db.query('select status, server_version from submissions where id = $1', [submission.id]))
      .rows;
    const [ans] = (await db.query('select server_version from submission_answers where id = $1', [answer.id])).rows;
    expect(sub.status).toBe('completed');
    expect(Number(ans.server_version)).toBeGreaterThan(Number(sub.server_version));
    const audit = await auditFor(submission.id);
    expect(audit.map((a) => [a.operation, a.after.status])).toEqual([
      ['INSERT', 'in_progress'],
      ['UPDATE', 'completed'],
    ]);
  });
});

describe('conflicts, decided by the table rule at push time', () => {
  it('manager_wins: a manager overwrites a form another manager changed since its base', async () => {
    const form = make.form({ title: 'v1' });
    const { cursor } = await manager.pullAll(null, { tables: ['forms'] });
    await manager.push({ forms: [form] });
    const other = await fixture.enroll('mac-003', 'manager');
    const reply = await other.push({ forms: [{ ...form, change_id: randomUUID(), title: 'v2' }] }, { cursor });
    expect(reply.body.conflicts).toEqual([
      expect.objectContaining({ table: 'forms', record_id: form.id, resolution: 'client_wins', rule: 'manager_wins' }),
    ]);
    expect(reply.body.conflicts[0].client_data.title).toBe('v2');
    expect(reply.body.conflicts[0].server_data.title).toBe('v1');
    expect(reply.body.applied.forms[0].title).toBe('v2');
  });

  it('latest_wins: the later updated_at wins, and the loser is kept in the audit log and conflicts (invariant 7)', async () => {
    const t0 = Date.now();
    const submission = make.submission({ form_id: parents.form_id, updated_at: new Date(t0).toISOString() });
    await store1.push({ submissions: [submission] });
    // store2 edits with an OLDER clock reading: it loses.
    const older = {
      ...submission,
      change_id: randomUUID(),
      status: 'completed',
      updated_at: new Date(t0 - 60_000).toISOString(),
    };
    const lost = await store2.push({ submissions: [older] }, { cursor: '0' });
    expect(lost.body.conflicts[0]).toMatchObject({
      resolution: 'server_wins',
      rule: 'latest_wins',
      change_id: older.change_id,
    });
    expect(lost.body.applied.submissions[0].status).toBe('in_progress');
    const audit = await auditFor(submission.id);
    expect(audit.at(-1)).toMatchObject({ outcome: 'server_wins', rule: 'latest_wins', device_id: 'store-002' });
    expect(audit.at(-1).after.status).toBe('completed');
    expect(await count('select count(*) n from conflicts where change_id = $1', [older.change_id])).toBe(1);

    // A later edit wins.
    const later = {
      ...submission,
      change_id: randomUUID(),
      status: 'completed',
      updated_at: new Date(t0 + 60_000).toISOString(),
    };
    const won = await store2.push({ submissions: [later] }, { cursor: '0' });
    expect(won.body.conflicts[0]).toMatchObject({ resolution: 'client_wins' });
    expect(won.body.applied.submissions[0]).toMatchObject({ status: 'completed', written_by: 'store-002' });
  });

  it('latest_wins: a device whose clock is days ahead cannot win by its clock', async () => {
    const kpi = make.kpi({ value: 10 });
    await store1.push({ kpi_data: [kpi] });
    const ahead = 3 * 24 * 3600_000;
    // Its edit was really made a minute BEFORE store1's; its clock says 3 days later.
    const skewed = {
      ...kpi,
      change_id: randomUUID(),
      value: 99,
      updated_at: new Date(Date.parse(kpi.updated_at) - 60_000 + ahead).toISOString(),
    };
    const reply = await store2.push(
      { kpi_data: [skewed] },
      { cursor: '0', timestamp: new Date(Date.now() + ahead).toISOString() },
    );
    expect(reply.body.conflicts[0]).toMatchObject({ resolution: 'server_wins', rule: 'latest_wins' });
    expect((await db.query('select value from kpi_data where id = $1', [kpi.id])).rows[0].value).toBe(10);
  });

  it('latest_wins: a row stored by a device whose clock ran days ahead does not win by that clock later', async () => {
    const kpi = make.kpi({ value: 10 });
    await store1.push({ kpi_data: [kpi] });
    // What store1 has seen: everything up to and including its own row.
    const base = (await store1.pullAll(null, { tables: ['kpi_data'] })).cursor;
    // store2's clock runs 3 days ahead: its edit, seen by nobody yet, is stored with that updated_at.
    const ahead = 3 * 24 * 3600_000;
    const skewed = {
      ...kpi,
      change_id: randomUUID(),
      value: 99,
      updated_at: new Date(Date.now() + ahead).toISOString(),
    };
    await store2.push({ kpi_data: [skewed] }, { cursor: base, timestamp: new Date(Date.now() + ahead).toISOString() });
    // store1 (right clock) edits afterwards, really later, without having pulled store2's edit.
    const later = { ...kpi, change_id: randomUUID(), value: 11, updated_at: new Date(Date.now() + 1000).toISOString() };
    const reply = await store1.push({ kpi_data: [later] }, { cursor: base });
    expect(reply.body.conflicts[0]).toMatchObject({ resolution: 'client_wins', rule: 'latest_wins' });
    expect((await db.query('select value from kpi_data where id = $1', [kpi.id])).rows[0].value).toBe(11);
  });

  it('server_wins: team keeps the server version even against a manager', async () => {
    const member = make.team({ name: 'Kim' });
    await manager.push({ team: [member] });
    const other = await fixture.enroll('mac-004', 'manager');
    const reply = await other.push(
      { team: [{ ...member, change_id: randomUUID(), name: 'Kimberly' }] },
      { cursor: '0' },
    );
    expect(reply.body.conflicts[0]).toMatchObject({ resolution: 'server_wins', rule: 'server_wins' });
    expect(reply.body.applied.team[0].name).toBe('Kim');
  });

  it('is no conflict when the pusher had already seen the server version (cursor) or wrote it itself', async () => {
    const kpi = make.kpi({ value: 1 });
    await store1.push({ kpi_data: [kpi] });
    const seen = (await store2.pullAll(null, { tables: ['kpi_data'] })).cursor;
    const reply = await store2.push(
      {
        kpi_data: [
          { ...kpi, change_id: randomUUID(), value: 2, updated_at: new Date(Date.now() - 3600_000).toISOString() },
        ],
      },
      { cursor: seen },
    );
    expect(reply.body.conflicts).toEqual([]);
    expect(reply.body.applied.kpi_data[0].value).toBe(2);
    const own = await store2.push({ kpi_data: [{ ...kpi, change_id: randomUUID(), value: 3 }] }, { cursor: '0' });
    expect(own.body.conflicts).toEqual([]);
  });

  it('detects a concurrent change by last_sync_timestamp when no cursor is sent', async () => {
    const kpi = make.kpi({ value: 1 });
    // store2's last pull, before store1's edit: a timestamp the server handed out.
    const before = (await store2.pull({ tables: ['kpi_data'], limit: 1 })).body.timestamp as string;
    await store1.push({ kpi_data: [kpi] });
    const edit = (value: number) => [
      { ...kpi, change_id: randomUUID(), value, updated_at: new Date(Date.now() - 60_000).toISOString() },
    ];
    const stale = await store2.push({ kpi_data: edit(5) }, { last_sync_timestamp: before });
    expect(stale.body.conflicts).toHaveLength(1);
    expect(stale.body.conflicts[0]).toMatchObject({ resolution: 'server_wins' });
    // After a pull that brought store1's row, the same kind of edit is no conflict.
    const pages = await store2.pullAll(null, { tables: ['kpi_data'] });
    expect(pages.rows.map((row) => row.id)).toContain(kpi.id);
    const seen = (await store2.pull({ tables: ['kpi_data'], cursor: pages.cursor })).body.timestamp as string;
    const fresh = await store2.push({ kpi_data: edit(6) }, { last_sync_timestamp: seen });
    expect(fresh.body.conflicts).toEqual([]);
  });

  it('is no conflict when only updated_at differs', async () => {
    const kpi = make.kpi({ value: 7 });
    await store1.push({ kpi_data: [kpi] });
    const reply = await store2.push({
      kpi_data: [{ ...kpi, change_id: randomUUID(), updated_at: new Date(Date.now() - 3600_000).toISOString() }],
    });
    expect(reply.body.conflicts).toEqual([]);
  });
});

describe('tombstones', () => {
  it('records a delete as a DELETE whose row stays, with deleted_at', async () => {
    const kpi = make.kpi();
    await store1.push({ kpi_data: [kpi] });
    const deletedAt = new Date().toISOString();
    await store1.push({ kpi_data: [{ ...kpi, change_id: randomUUID(), deleted_at: deletedAt }] });
    const [row] = (await db.query('select deleted_at from kpi_data where id = $1', [kpi.id])).rows;
    expect(row.deleted_at.toISOString()).toBe(deletedAt);
    expect((await auditFor(kpi.id)).map((a) => a.operation)).toEqual(['INSERT', 'DELETE']);
  });

  it('conflict-checks a delete like an update: a store delete of a newer row loses', async () => {
    const kpi = make.kpi({ updated_at: new Date().toISOString() });
    await store1.push({ kpi_data: [kpi] });
    const reply = await store2.push(
      {
        kpi_data: [
          {
            ...kpi,
            change_id: randomUUID(),
            deleted_at: new Date().toISOString(),
            updated_at: new Date(Date.now() - 600_000).toISOString(),
          },
        ],
      },
      { cursor: '0' },
    );
    expect(reply.body.conflicts[0]).toMatchObject({ resolution: 'server_wins' });
    expect(reply.body.applied.kpi_data[0].deleted_at).toBeNull();
  });
});

describe('the audit trail', () => {
  it('gives a manager a record history and refuses a store device', async () => {
    const kpi = make.kpi();
    await store1.push({ kpi_data: [kpi] });
    const get = (client: ProtocolTestClient) =>
      fetch(`${fixture.server.url}/api/v1/audit?table=kpi_data&record_id=${kpi.id}`, {
        headers: { authorization: `Bearer ${client.token}` },
      });
    const ok = await get(manager);
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.entries).toEqual([
      expect.objectContaining({ operation: 'INSERT', outcome: 'applied', device_id: 'store-001', table: 'kpi_data' }),
    ]);
    expect((await get(store1)).status).toBe(403);
  });
});
