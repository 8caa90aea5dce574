// A pushed row naming a parent the server never had is refused alone, with a reason; the rest of
// the push is applied. And the seed's payload (server/test_data/push_payload.json) works against a
// fresh server with the devices `npm start` enrolls.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make, parentsFor, ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let server: TestServer;
let db: pg.Pool;
let manager: ProtocolTestClient;
let store: ProtocolTestClient;

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
  manager = new ProtocolTestClient(server.url, 'mac-001', await server.enroll('mac-001', 'manager'));
  store = new ProtocolTestClient(server.url, 'store-001', await server.enroll('store-001', 'store'));
});
afterAll(async () => {
  await db?.end();
  await server?.dispose();
});

const exists = async (table: string, id: string) =>
  (await db.query(`select 1 from ${table} where id = $1`, [id])).rowCount === 1;
const audited = async (id: string) =>
  Number((await db.query('select count(*) n from audit_log where record_id = $1', [id])).rows[0].n);

describe('referential integrity', () => {
  it('refuses a submission naming a form the server never had, alone, and applies the rest of the push', async () => {
    const { form_id, field_id } = await parentsFor(manager);
    const orphan = make.submission({ form_id: randomUUID() });
    const good = make.submission({ form_id });
    // An answer to a submission earlier in the same push is fine; one naming an unknown field is not.
    const answer = make.answer(good.id, { field_id });
    const strayAnswer = make.answer(good.id, { field_id: randomUUID() });
    const kpi = make.kpi();
    const reply = await store.push({
      submissions: [orphan, good],
      submission_answers: [answer, strayAnswer],
      kpi_data: [kpi],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.rejected).toEqual([
      {
        table: 'submissions',
        record_id: orphan.id,
        change_id: orphan.change_id,
        reason: expect.stringMatching(/form_id .* no forms row/),
      },
      {
        table: 'submission_answers',
        record_id: strayAnswer.id,
        change_id: strayAnswer.change_id,
        reason: expect.stringMatching(/field_id .* no fields row/),
      },
    ]);
    expect(reply.body.applied.submissions.map((r: { id: string }) => r.id)).toEqual([good.id]);
    expect(reply.body.applied.submission_answers.map((r: { id: string }) => r.id)).toEqual([answer.id]);
    for (const [table, id] of [
      ['submissions', good.id],
      ['submission_answers', answer.id],
      ['kpi_data', kpi.id],
    ] as const) {
      expect(await exists(table, id)).toBe(true);
    }
    // Nothing of a refused change is written or audited...
    expect(await exists('submissions', orphan.id)).toBe(false);
    expect(await audited(orphan.id)).toBe(0);
    // ...so the same change goes through once its parent is there (not counted as a duplicate).
    await manager.push({ forms: [make.form({ id: orphan.form_id })] });
    const again = await store.push({ submissions: [orphan] });
    expect(again.body).toMatchObject({ rejected: [], duplicates: 0 });
    expect(await exists('submissions', orphan.id)).toBe(true);
  });

  it('accepts a child of a tombstoned parent, and a child whose parent comes earlier in the same push', async () => {
    const form = make.form();
    const section = {
      id: randomUUID(),
      change_id: randomUUID(),
      form_id: form.id,
      title: 'Front',
      updated_at: new Date().toISOString(),
    };
    const field = make.field(form.id, { section_id: section.id });
    const first = await manager.push({ fields: [field], form_sections: [section], forms: [form] });
    expect(first.body.rejected).toEqual([]);
    await manager.push({ forms: [{ ...form, change_id: randomUUID(), deleted_at: new Date().toISOString() }] });
    const late = make.submission({ form_id: form.id });
    const reply = await store.push({ submissions: [late] });
    expect(reply.body.rejected).toEqual([]);
    expect(await exists('submissions', late.id)).toBe(true);
  });

  it('lets a tombstone through without its parent (deleting an orphan harms nothing)', async () => {
    const gone = make.submission({ form_id: randomUUID(), deleted_at: new Date().toISOString() });
    const reply = await store.push({ submissions: [gone] });
    expect(reply.body.rejected).toEqual([]);
  });
});

describe('the seed payload', () => {
  it('is applied whole by the manager npm start enrolls, on a fresh server, and a second post is all duplicates', async () => {
    const fresh = await startTestServer();
    try {
      const path = fileURLToPath(new URL('../test_data/push_payload.json', import.meta.url));
      const payload = JSON.parse(readFileSync(path, 'utf8'));
      const client = new ProtocolTestClient(
        fresh.url,
        payload.device_id,
        await fresh.enroll(payload.device_id, 'manager'),
      );
      expect(payload.device_id).toBe('store-manager');
      const reply = await client.post('/api/v1/sync/push', payload);
      expect(reply.status).toBe(200);
      expect(reply.body.rejected).toEqual([]);
      expect(reply.body.conflicts).toEqual([]);
      const rows = Object.values(payload.changes as Record<string, unknown[]>).flat().length;
      const applied = Object.values(reply.body.applied as Record<string, unknown[]>).flat().length;
      expect(applied).toBe(rows);
      const retry = await client.post('/api/v1/sync/push', payload);
      expect(retry.body.duplicates).toBe(rows);
    } finally {
      await fresh.dispose();
    }
  });
});
