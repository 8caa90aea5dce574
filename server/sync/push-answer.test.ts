// The push's answer by versions (answer: 'versions', push-answer.ts), against a real PostgreSQL: a
// row the server holds exactly as it was sent comes back as its id, server_version and change_id
// only; every row the server changed in any way (a merge, a winner, a spelling) comes back whole,
// as it does for a client that did not ask.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make, type ProtocolTestClient } from '../testing/sync-client.js';
import { startPushFixture, type PushFixture } from '../testing/push-fixture.js';

let fixture: PushFixture;
let db: pg.Pool;
let manager: ProtocolTestClient;
let store1: ProtocolTestClient;
let store2: ProtocolTestClient;

beforeAll(async () => {
  fixture = await startPushFixture();
  ({ db, manager, store1, store2 } = fixture);
});
afterAll(async () => {
  await fixture?.close();
});

const versions = { answer: 'versions' };
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const heldVersion = async (table: string, id: string) =>
  Number((await db.query(`select server_version from ${table} where id = $1`, [id])).rows[0].server_version);
/** What the answer names per table: whole rows by id, versions by id. */
const named = (body: {
  applied: Record<string, { id: string }[]>;
  stored_as_pushed?: Record<string, { id: string }[]>;
}) => ({
  whole: Object.values(body.applied).flatMap((rows) => rows.map((row) => row.id)),
  versions: Object.values(body.stored_as_pushed ?? {}).flatMap((rows) => rows.map((row) => row.id)),
});

describe('a push asking for versions', () => {
  it('answers each row stored as pushed with its id, its version and its change id, and nothing whole', async () => {
    const kpis = [make.kpi({ value: 1 }), make.kpi({ value: 2, store_id: 'store-001', period: '2026-11' })];
    const reply = await store1.push({ kpi_data: kpis }, versions);
    expect(reply.status).toBe(200);
    expect(reply.body.applied).toEqual({ kpi_data: [] });
    expect(reply.body.stored_as_pushed).toEqual({
      kpi_data: await Promise.all(
        kpis.map(async (kpi) => ({
          id: kpi.id,
          server_version: await heldVersion('kpi_data', kpi.id),
          change_id: kpi.change_id,
        })),
      ),
    });
  });

  it('gives a client that does not ask the whole rows, as before', async () => {
    const kpi = make.kpi();
    const reply = await store1.push({ kpi_data: [kpi] });
    expect(reply.body).not.toHaveProperty('stored_as_pushed');
    expect(reply.body.applied.kpi_data).toEqual([
      expect.objectContaining({
        ...kpi,
        server_version: await heldVersion('kpi_data', kpi.id),
        written_by: 'store-001',
      }),
    ]);
  });

  it('answers a merge with others’ edits whole, beside a row stored as pushed in the same push', async () => {
    const kpi = make.kpi({ value: 1, updated_at: at(-5000) });
    const base = (await store1.push({ kpi_data: [kpi] })).body.applied.kpi_data[0].server_version as number;
    await manager.push({
      kpi_data: [{ ...kpi, change_id: randomUUID(), target: 9, updated_at: at(-3000), base_version: base }],
    });
    const plain = make.kpi();
    const edit = { ...kpi, change_id: randomUUID(), period: 'Q4', updated_at: at(-1000), base_version: base };
    const reply = await store1.push({ kpi_data: [edit, plain] }, { ...versions, cursor: '0' });
    expect(reply.body.merged).toEqual([
      expect.objectContaining({ record_id: kpi.id, pushed: ['period'], kept: ['target'] }),
    ]);
    expect(reply.body.applied.kpi_data).toEqual([expect.objectContaining({ id: kpi.id, period: 'Q4', target: 9 })]);
    expect(named(reply.body)).toEqual({ whole: [kpi.id], versions: [plain.id] });
  });

  it('answers a change that lost (server_wins) with the server’s row whole', async () => {
    const member = make.team({ name: 'Kim' });
    await manager.push({ team: [member] });
    const other = await fixture.enroll('mac-002', 'manager');
    const reply = await other.push(
      { team: [{ ...member, change_id: randomUUID(), name: 'Kimberly' }] },
      {
        ...versions,
        cursor: '0',
      },
    );
    expect(reply.body.conflicts).toEqual([expect.objectContaining({ resolution: 'server_wins' })]);
    expect(reply.body.applied.team).toEqual([expect.objectContaining({ id: member.id, name: 'Kim' })]);
    expect(named(reply.body).versions).toEqual([]);
  });

  it('answers a retry as the row now stands: by version while it is as sent, whole once another device changed it', async () => {
    const kpi = make.kpi({ value: 1, updated_at: at(-5000) });
    const first = await store1.push({ kpi_data: [kpi] }, versions);
    const retry = await store1.push({ kpi_data: [kpi] }, versions);
    expect(retry.body.duplicates).toBe(1);
    expect(retry.body.stored_as_pushed).toEqual(first.body.stored_as_pushed);

    await store2.push({ kpi_data: [{ ...kpi, change_id: randomUUID(), value: 2, updated_at: at(-1000) }] });
    const late = await store1.push({ kpi_data: [kpi] }, versions);
    expect(late.body.duplicates).toBe(1);
    expect(late.body.applied.kpi_data).toEqual([
      expect.objectContaining({ id: kpi.id, value: 2, server_version: await heldVersion('kpi_data', kpi.id) }),
    ]);
    expect(named(late.body).versions).toEqual([]);
  });

  it('answers whole a row the server spelled otherwise than it was sent', async () => {
    const upper = make.kpi();
    const sent = {
      // A uuid in upper case (stored in lower case).
      upper: { ...upper, id: upper.id.toUpperCase() },
      // A time with an offset (stored as toISOString writes it).
      offset: make.kpi({ updated_at: '2026-01-02T03:04:05+00:00' }),
      // A setting's JSON with keys out of jsonb's order (stored reordered).
      json: { id: randomUUID(), change_id: randomUUID(), key: 'k1', value: { bb: 1, a: 2 }, updated_at: at(0) },
      // A column left out that takes a default other than null (a form's status: draft).
      defaulted: make.form(),
    };
    const same = {
      json: { id: randomUUID(), change_id: randomUUID(), key: 'k2', value: { a: 2, bb: 1 }, updated_at: at(0) },
      form: make.form({ description: null, status: 'draft' }),
    };
    const reply = await manager.push(
      {
        forms: [sent.defaulted, same.form],
        kpi_data: [sent.upper, sent.offset],
        settings: [sent.json, same.json],
      },
      versions,
    );
    expect(reply.status).toBe(200);
    expect(named(reply.body)).toEqual({
      whole: [sent.defaulted.id, upper.id, sent.offset.id, sent.json.id],
      versions: [same.form.id, same.json.id],
    });
    expect(reply.body.applied.settings[0].value).toEqual({ a: 2, bb: 1 });
  });

  it('answers whole the rows of a change id sent twice in one push', async () => {
    const kpi = make.kpi();
    const reply = await store1.push({ kpi_data: [kpi, { ...kpi }] }, versions);
    expect(reply.body.duplicates).toBe(1);
    expect(named(reply.body)).toEqual({ whole: [kpi.id, kpi.id], versions: [] });
  });
});
