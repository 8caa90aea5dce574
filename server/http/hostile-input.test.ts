// Invariants 8 and 9: bad input, bad tokens and forbidden writes get a 4xx whose message names the
// problem, nothing of the request is written, and the server stays up.
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROTLI_WINDOW_BITS } from '../app.js';
import { make, ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let server: TestServer;
let db: pg.Pool;
let manager: ProtocolTestClient;
let store: ProtocolTestClient;

beforeAll(async () => {
  server = await startTestServer({ bodyLimit: '100kb' });
  db = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
  manager = new ProtocolTestClient(server.url, 'mac-001', await server.enroll('mac-001', 'manager'));
  store = new ProtocolTestClient(server.url, 'store-001', await server.enroll('store-001', 'store'));
});
afterAll(async () => {
  await db?.end();
  await server?.dispose();
});

/** Every row of every table the server writes, as one fingerprint. */
const snapshot = async () => {
  const tables = [
    'forms',
    'form_sections',
    'fields',
    'form_templates',
    'submissions',
    'submission_answers',
    'team',
    'kpi_data',
    'settings',
    'stores',
    'audit_log',
    'conflicts',
  ];
  const counts = await Promise.all(
    tables.map(async (t) => [t, (await db.query(`select count(*)::int n from ${t}`)).rows[0].n]),
  );
  return Object.fromEntries(counts);
};

/** Sends one bad request, checks its status and message, and that the database did not change. */
async function refused(send: () => Promise<{ status: number; body: any }>, status: number, message: RegExp) {
  const before = await snapshot();
  const reply = await send();
  expect(reply.status).toBe(status);
  expect(reply.body.success).toBe(false);
  expect(reply.body.error).toMatch(message);
  expect(await snapshot()).toEqual(before);
  // Still up.
  expect((await fetch(`${server.url}/api/v1/sync/status`)).status).toBe(200);
  return reply.body;
}

const valid = () => ({ kpi_data: [make.kpi()] });

describe('a push that is not valid is refused whole', () => {
  it('refuses malformed JSON', async () => {
    await refused(
      () => store.post('/api/v1/sync/push', '{"device_id": "store-001", "changes": {'),
      400,
      /malformed JSON body/,
    );
  });

  it('refuses an unknown table, naming it', async () => {
    const body = await refused(
      () => store.push({ ...valid(), widgets: [{ id: 'x' }] }),
      400,
      /unknown table "widgets"/,
    );
    expect(body.details[0].path).toBe('changes');
  });

  it('refuses an unknown column, naming table, row and column', async () => {
    const body = await refused(
      () => manager.push({ ...valid(), forms: [{ ...make.form(), colour: 'red' }] }),
      400,
      /changes\.forms\[0\]: unknown column "colour"/,
    );
    expect(body.details).toEqual([{ path: 'changes.forms[0]', message: 'unknown column "colour"' }]);
  });

  it('refuses a wrong type, naming the column', async () => {
    await refused(
      () => store.push({ ...valid(), submissions: [make.submission({ status: 42 })] }),
      400,
      /changes\.submissions\[0\]\.status/,
    );
    // A value of the wrong type is not "missing": the message says what it must be and what it got.
    await refused(
      () => store.push({ kpi_data: [make.kpi({ value: 'lots' })] }),
      400,
      /changes\.kpi_data\[0\]\.value: must be a number, got a string$/,
    );
  });

  it('refuses a missing required column', async () => {
    const { metric: _, ...noMetric } = make.kpi();
    await refused(
      () => store.push({ ...valid(), kpi_data: [make.kpi(), noMetric] }),
      400,
      /changes\.kpi_data\[1\]\.metric: is required/,
    );
  });

  it('treats SQL in table or column names as unknown names', async () => {
    await refused(() => store.push({ 'kpi_data; drop table kpi_data; --': [make.kpi()] }), 400, /unknown table/);
    await refused(
      () => store.push({ kpi_data: [{ ...make.kpi(), 'value = 0; delete from kpi_data; --': 1 }] }),
      400,
      /unknown column "value = 0; delete from kpi_data; --"/,
    );
    expect((await db.query(`select to_regclass('kpi_data') as t`)).rows[0].t).toBe('kpi_data');
  });

  it('refuses a body over the limit with 413 naming the limit', async () => {
    const big = Array.from({ length: 2000 }, () => make.kpi({ period: 'x'.repeat(100) }));
    await refused(() => store.push({ kpi_data: big }), 413, /limit is 100kb/);
  });

  it('refuses a gzip body that inflates past the limit (a zip bomb) with 413', async () => {
    const bomb = gzipSync(JSON.stringify({ device_id: 'store-001', pad: ' '.repeat(5_000_000) }));
    await refused(() => store.post('/api/v1/sync/push', bomb, { 'content-encoding': 'gzip' }), 413, /limit/);
  });

  it('refuses a body that is not an object', async () => {
    await refused(() => store.post('/api/v1/sync/push', '[1,2]'), 400, /invalid push/);
  });

  it('refuses a value PostgreSQL cannot store (a NUL character) with 400 naming the row and field', async () => {
    const body = await refused(
      () => store.push({ kpi_data: [make.kpi(), make.kpi({ metric: 'bad\u0000metric' })] }),
      400,
      /NUL character .* at changes\.kpi_data\[1\]\.metric, which PostgreSQL cannot store/,
    );
    expect(body.details).toEqual([
      { path: 'changes.kpi_data[1].metric', message: 'holds the NUL character (U+0000), which cannot be stored' },
    ]);
  });

  it('refuses a NUL character inside a JSON value, in a key too, naming where it is', async () => {
    const answer = (value: unknown) => ({ ...make.answer(crypto.randomUUID()), value });
    const inValue = await refused(
      () => store.push({ submission_answers: [answer({ note: ['ok', 'a\u0000b'] })] }),
      400,
      /NUL character/,
    );
    expect(inValue.details[0].path).toBe('changes.submission_answers[0].value.note[1]');
    const inKey = await refused(() => store.push({ submission_answers: [answer({ 'k\u0000': 1 })] }), 400, /NUL/);
    expect(inKey.details[0].path).toBe('changes.submission_answers[0].value.k\u0000');
  });

  it('refuses a list position beyond what the server stores (a PostgreSQL integer) with 400 naming the field', async () => {
    const form = make.form();
    const field = make.field(form.id, { position: 2_147_483_648 });
    const body = await refused(() => manager.push({ forms: [form], fields: [field] }), 400, /invalid push/);
    expect(body.details[0].path).toBe('changes.fields[0].position');
  });

  it('refuses a time PostgreSQL cannot store (year 0, also once its offset is applied) with 400 naming the field', async () => {
    for (const updated_at of ['0000-06-01T00:00:00Z', '0001-01-01T00:00:00+01:00']) {
      const body = await refused(() => store.push({ kpi_data: [make.kpi({ updated_at })] }), 400, /invalid push/);
      expect(body.details[0]).toEqual({
        path: 'changes.kpi_data[0].updated_at',
        message: 'must be in the year 1 or later',
      });
    }
  });

  it('refuses a cursor beyond any position (past a PostgreSQL bigint) with 400, not a database error', async () => {
    const body = await refused(() => store.pull({ cursor: '9999999999999999999.1' }), 400, /invalid pull request/);
    expect(body.details[0]).toMatchObject({ path: 'cursor', message: expect.stringMatching(/opaque cursor/) });
    // Not digits at all: the same 400 (the bigint check must not throw on them).
    for (const cursor of ['abc', '12.x'])
      await refused(() => store.pull({ cursor }), 400, /cursor must be the opaque cursor a pull returned/);
  });

  it('refuses JSON nested thousands deep with 400 naming the limit, not a 500 (zod would overflow its stack)', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const answer = { ...make.answer(crypto.randomUUID()), value: '@' };
    const text = JSON.stringify({
      device_id: 'store-001',
      timestamp: new Date().toISOString(),
      changes: { submission_answers: [answer] },
    });
    const body = await refused(
      () => store.post('/api/v1/sync/push', text.replace('"@"', deep)),
      400,
      /nested deeper than \d+ levels/,
    );
    expect(body.details[0].path).toMatch(/^changes\.submission_answers\[0\]\.value\[0\]/);
  });

  it('refuses a "__proto__" key with 400 instead of silently dropping it from a JSON value', async () => {
    const answer = { ...make.answer(crypto.randomUUID()), value: '@' };
    const text = JSON.stringify({
      device_id: 'store-001',
      timestamp: new Date().toISOString(),
      changes: { submission_answers: [answer] },
    });
    const body = await refused(
      () => store.post('/api/v1/sync/push', text.replace('"@"', '{"__proto__": {"x": 1}, "a": 2}')),
      400,
      /"__proto__"/,
    );
    expect(body.details[0].path).toBe('changes.submission_answers[0].value');
  });

  it('applies nothing when one row of many is bad', async () => {
    const rows = [make.kpi(), make.kpi(), make.kpi({ value: null })];
    await refused(() => store.push({ kpi_data: rows }), 400, /changes\.kpi_data\[2\]\.value/);
  });
});

describe('identity and roles (invariant 9)', () => {
  it('refuses a missing or unknown token with 401', async () => {
    await refused(
      () =>
        fetch(`${server.url}/api/v1/sync/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }).then(async (r) => ({ status: r.status, body: await r.json() })),
      401,
      /missing bearer token/,
    );
    const impostor = new ProtocolTestClient(server.url, 'store-001', 'isk_not-a-real-token');
    await refused(() => impostor.push(valid()), 401, /unknown or revoked token/);
  });

  it('refuses a token used with another device_id with 403', async () => {
    await refused(() => store.push(valid(), { device_id: 'mac-001' }), 403, /belongs to device store-001, not mac-001/);
    await refused(() => store.pull({ device_id: 'mac-001' }), 403, /belongs to device store-001/);
  });

  it('refuses a store device writing a manager-only table, for the whole push', async () => {
    for (const table of ['forms', 'team', 'settings', 'form_templates', 'fields', 'form_sections']) {
      const row = {
        forms: make.form(),
        team: make.team(),
        settings: { id: crypto.randomUUID(), key: 'k', updated_at: new Date().toISOString() },
        form_templates: { id: crypto.randomUUID(), name: 'n', updated_at: new Date().toISOString() },
        fields: {
          id: crypto.randomUUID(),
          form_id: crypto.randomUUID(),
          label: 'l',
          updated_at: new Date().toISOString(),
        },
        form_sections: { id: crypto.randomUUID(), form_id: crypto.randomUUID(), updated_at: new Date().toISOString() },
      }[table];
      const body = await refused(
        () => store.push({ ...valid(), [table]: [row] }),
        403,
        new RegExp(`may not write ${table}`),
      );
      expect(body.error).toMatch(/nothing of this push was applied/);
    }
  });

  it('lets the store device push its own tables', async () => {
    const reply = await store.push(valid());
    expect(reply.status).toBe(200);
  });
});

describe('compression', () => {
  it('accepts a gzip request body', async () => {
    const kpi = make.kpi();
    const body = gzipSync(
      JSON.stringify({ device_id: 'store-001', timestamp: new Date().toISOString(), changes: { kpi_data: [kpi] } }),
    );
    const reply = await store.post('/api/v1/sync/push', body, { 'content-encoding': 'gzip' });
    expect(reply.status).toBe(200);
    expect(reply.body.applied.kpi_data[0].id).toBe(kpi.id);
  });

  /** A pull page as it comes off the wire, asking for `acceptEncoding`. */
  const rawPull = (acceptEncoding: string) =>
    new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      const req = request(
        `${server.url}/api/v1/sync/pull`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'accept-encoding': acceptEncoding,
            authorization: `Bearer ${store.token}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ device_id: 'store-001' }));
    });

  it('gzips a response when the client accepts it', async () => {
    await store.push({ kpi_data: Array.from({ length: 50 }, () => make.kpi()) });
    const raw = await rawPull('gzip');
    expect(raw.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(raw.body).toString('utf8')).success).toBe(true);
  });

  it('answers brotli with a 2^18-byte window, so the device decodes into a small ring buffer', async () => {
    await store.push({ kpi_data: Array.from({ length: 50 }, () => make.kpi()) });
    const raw = await rawPull('br, gzip');
    expect(raw.encoding).toBe('br');
    expect(brotliWindowBits(raw.body)).toBe(BROTLI_WINDOW_BITS);
    expect(BROTLI_WINDOW_BITS).toBeLessThanOrEqual(18);
    expect(JSON.parse(brotliDecompressSync(raw.body).toString('utf8')).success).toBe(true);
  });
});

/** WBITS from a brotli stream's header (RFC 7932 section 9.1), read from its first bits. */
function brotliWindowBits(stream: Buffer): number {
  const bits = stream[0]! | (stream[1]! << 8);
  if ((bits & 1) === 0) return 16;
  const n = (bits >> 1) & 7;
  if (n !== 0) return 17 + n;
  const m = (bits >> 4) & 7;
  return m === 0 ? 17 : 8 + m;
}

describe('unknown routes', () => {
  it('answers 404 as JSON', async () => {
    const response = await fetch(`${server.url}/api/v1/nothing`);
    expect(response.status).toBe(404);
    expect((await response.json()).error).toMatch(/no route GET \/api\/v1\/nothing/);
  });
});
