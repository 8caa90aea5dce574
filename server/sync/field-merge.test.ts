// Field-level merge against a real PostgreSQL: a push with base_version merges field by field
// against the row as the audit log holds it at that version (merge.ts, base-images.ts).
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
let parents: { form_id: string; field_id: string };

beforeAll(async () => {
  fixture = await startPushFixture();
  ({ db, manager, store1, store2 } = fixture);
  parents = await parentsFor(manager);
});
afterAll(async () => {
  await fixture?.close();
});

const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const lastAudit = (recordId: string) =>
  db.query('select * from audit_log where record_id = $1 order by id desc limit 1', [recordId]).then((r) => r.rows[0]);

/** Pushes `row` as new, then returns it with the server_version it got (the base both edits start from). */
async function seeded<Row extends { id: string }>(client: ProtocolTestClient, table: string, row: Row) {
  const reply = await client.push({ [table]: [row] });
  expect(reply.status).toBe(200);
  const version = reply.body.applied[table][0].server_version as number;
  return { ...row, base_version: version };
}

describe('two devices edit different fields from the same base', () => {
  it('keeps both edits of a submission (status by a store, submitted_by by the manager), no conflict', async () => {
    const base = await seeded(
      store1,
      'submissions',
      make.submission({ form_id: parents.form_id, updated_at: at(-5000) }),
    );
    const first = await store1.push({
      submissions: [{ ...base, change_id: randomUUID(), status: 'completed', updated_at: at(-2000) }],
    });
    expect(first.body.conflicts).toEqual([]);
    const second = await manager.push(
      { submissions: [{ ...base, change_id: randomUUID(), submitted_by: 'Dana', updated_at: at(-1000) }] },
      { cursor: '0' },
    );
    expect(second.body.conflicts).toEqual([]);
    // The push answer carries the merge, for the device to adopt.
    expect(second.body.applied.submissions[0]).toMatchObject({ status: 'completed', submitted_by: 'Dana' });
    expect(second.body.merged).toEqual([
      expect.objectContaining({ table: 'submissions', record_id: base.id, pushed: ['submitted_by'], kept: ['status'] }),
    ]);
    const row = (await db.query('select status, submitted_by from submissions where id = $1', [base.id])).rows[0];
    expect(row).toEqual({ status: 'completed', submitted_by: 'Dana' });
    expect(await lastAudit(base.id)).toMatchObject({
      outcome: 'merged',
      rule: null,
      merge: { pushed: ['submitted_by'], kept: ['status'], conflicted: [] },
    });
  });

  it('keeps both a KPI value and its target, and a form title and its description', async () => {
    const kpi = await seeded(store1, 'kpi_data', make.kpi({ value: 10, target: 100, updated_at: at(-5000) }));
    await store1.push({ kpi_data: [{ ...kpi, change_id: randomUUID(), value: 11, updated_at: at(-2000) }] });
    const kpiReply = await store2.push({
      kpi_data: [{ ...kpi, change_id: randomUUID(), target: 120, updated_at: at(-3000) }],
    });
    expect(kpiReply.body.conflicts).toEqual([]);
    expect(kpiReply.body.applied.kpi_data[0]).toMatchObject({ value: 11, target: 120 });

    const form = await seeded(manager, 'forms', make.form({ title: 'Opening', description: null }));
    const other = await fixture.enroll('mac-002', 'manager');
    await manager.push({ forms: [{ ...form, change_id: randomUUID(), title: 'Opening (v2)' }] });
    const formReply = await other.push({ forms: [{ ...form, change_id: randomUUID(), description: 'Before 9 am' }] });
    expect(formReply.body.conflicts).toEqual([]);
    expect(formReply.body.applied.forms[0]).toMatchObject({ title: 'Opening (v2)', description: 'Before 9 am' });
  });

  it('merges on top of an earlier merge (its audit image is the next base)', async () => {
    const kpi = await seeded(store1, 'kpi_data', make.kpi({ value: 1, target: 1, period: 'a', updated_at: at(-9000) }));
    await store1.push({ kpi_data: [{ ...kpi, change_id: randomUUID(), value: 2, updated_at: at(-8000) }] });
    const merged = await store2.push({
      kpi_data: [{ ...kpi, change_id: randomUUID(), target: 2, updated_at: at(-7000) }],
    });
    const mergedVersion = merged.body.applied.kpi_data[0].server_version as number;
    await store1.push({
      kpi_data: [
        {
          ...kpi,
          value: 2,
          target: 2,
          change_id: randomUUID(),
          period: 'b',
          updated_at: at(-6000),
          base_version: mergedVersion,
        },
      ],
    });
    const reply = await store2.push({
      kpi_data: [
        { ...kpi, value: 3, target: 2, change_id: randomUUID(), updated_at: at(-5000), base_version: mergedVersion },
      ],
    });
    expect(reply.body.conflicts).toEqual([]);
    expect(reply.body.applied.kpi_data[0]).toMatchObject({ value: 3, target: 2, period: 'b' });
  });
});

describe('two devices edit the same field', () => {
  it('lets the rule decide that field and names only it in the conflict; the other field is kept', async () => {
    const kpi = await seeded(store1, 'kpi_data', make.kpi({ value: 10, target: 100, updated_at: at(-9000) }));
    await store1.push({
      kpi_data: [{ ...kpi, change_id: randomUUID(), value: 11, target: 110, updated_at: at(-2000) }],
    });
    // store2's edit is older: latest_wins keeps the server's value; store2's period still lands.
    const reply = await store2.push({
      kpi_data: [{ ...kpi, change_id: randomUUID(), value: 12, period: 'Q1', updated_at: at(-4000) }],
    });
    expect(reply.body.conflicts).toEqual([
      expect.objectContaining({
        resolution: 'server_wins',
        rule: 'latest_wins',
        fields: [{ field: 'value', client_value: 12, server_value: 11, base_value: 10, resolution: 'server_wins' }],
      }),
    ]);
    expect(reply.body.applied.kpi_data[0]).toMatchObject({ value: 11, target: 110, period: 'Q1' });
    expect(await lastAudit(kpi.id)).toMatchObject({
      outcome: 'merged',
      rule: 'latest_wins',
      merge: { pushed: ['period'], kept: ['target'], conflicted: ['value'] },
    });
    // The conflict is stored with its fields.
    const stored = (await db.query('select fields from conflicts where record_id = $1', [kpi.id])).rows[0];
    expect(stored.fields).toEqual([expect.objectContaining({ field: 'value', resolution: 'server_wins' })]);
  });

  it('decides a store delete against a manager edit of another field by the rule, as a whole row', async () => {
    const form = await seeded(manager, 'forms', make.form({ title: 'Delete me?' }));
    const other = await fixture.enroll('mac-004', 'manager');
    await manager.push({ forms: [{ ...form, change_id: randomUUID(), description: 'still used' }] });
    const reply = await other.push({
      forms: [{ ...form, change_id: randomUUID(), deleted_at: at(0), updated_at: at(0) }],
    });
    expect(reply.body.conflicts).toEqual([
      expect.objectContaining({ rule: 'manager_wins', resolution: 'client_wins' }),
    ]);
    expect(reply.body.conflicts[0]).not.toHaveProperty('fields');
  });
});

describe('clients without base_version (the seed’s)', () => {
  it('get the row-level rule as before: the whole later row wins', async () => {
    const { base_version: _unused, ...kpi } = await seeded(
      store1,
      'kpi_data',
      make.kpi({ value: 10, target: 100, updated_at: at(-9000) }),
    );
    await store1.push({ kpi_data: [{ ...kpi, change_id: randomUUID(), value: 11, updated_at: at(-4000) }] });
    const reply = await store2.push(
      { kpi_data: [{ ...kpi, change_id: randomUUID(), target: 120, updated_at: at(-2000) }] },
      { cursor: '0' },
    );
    expect(reply.body.conflicts).toEqual([expect.objectContaining({ resolution: 'client_wins', rule: 'latest_wins' })]);
    expect(reply.body.conflicts[0]).not.toHaveProperty('fields');
    // store1's value edit is lost from the row (kept in the conflict), as the seed's rules say.
    expect(reply.body.applied.kpi_data[0]).toMatchObject({ value: 10, target: 120 });
  });

  it('fall back to the row-level rule when the base version has no image (unknown version)', async () => {
    const kpi = await seeded(store1, 'kpi_data', make.kpi({ value: 10, updated_at: at(-9000) }));
    await store1.push({ kpi_data: [{ ...kpi, change_id: randomUUID(), value: 11, updated_at: at(-4000) }] });
    const reply = await store2.push({
      kpi_data: [{ ...kpi, base_version: 1, change_id: randomUUID(), target: 5, updated_at: at(-2000) }],
    });
    expect(reply.body.conflicts).toEqual([expect.objectContaining({ resolution: 'client_wins' })]);
    expect(reply.body.conflicts[0]).not.toHaveProperty('fields');
  });

  it('refuses a base_version that is not a whole number with a clear message, writing nothing', async () => {
    const kpi = make.kpi({ base_version: 'v1' });
    const reply = await store1.push({ kpi_data: [kpi] });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain('base_version');
    expect(Number((await db.query('select count(*) n from kpi_data where id = $1', [kpi.id])).rows[0].n)).toBe(0);
  });
});
