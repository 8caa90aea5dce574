// Fuzzing of push and pull bodies with fast-check arbitraries (invariants 8 and 9, beyond the
// hand-picked cases of server/http/hostile-input.test.ts): a valid-shaped push of a store is
// accepted whole; a push or pull made hostile in any one way (unknown table or column, wrong type,
// oversized, deep JSON, bad UUID, bad timestamp, wrong device_id for the token, a store writing a
// manager table) gets a 4xx with a message, leaves every table and the audit log as they were,
// and the server answers the next good request. FAULTS_FUZZ_RUNS (default 100) bodies per property.
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make, ProtocolTestClient } from '../server/testing/sync-client.js';
import { startTestServer, type TestServer } from '../server/testing/test-server.js';
import { ErrorResponse, MAX_PULL_PAGE } from '../shared/protocol/sync.js';
import { rowSchemas, tableNames, tableRegistry, type TableName } from '../shared/tables.js';

const numRuns = Number(process.env.FAULTS_FUZZ_RUNS ?? 100);
const seed = process.env.FAULTS_SEED ? Number(process.env.FAULTS_SEED) : undefined;

const parents = { form: crypto.randomUUID(), field: crypto.randomUUID(), submission: crypto.randomUUID() };
let server: TestServer;
let db: pg.Pool;
let manager: ProtocolTestClient;
let store: ProtocolTestClient;

beforeAll(async () => {
  // One store device sends every fuzzed request: at soak sizes (FAULTS_FUZZ_RUNS in the thousands)
  // that is more than a device's default budget of requests a minute, and a 429 is not what these
  // properties test (server/http/rate-limits.test.ts does).
  server = await startTestServer({ bodyLimit: '100kb', rateLimits: { deviceRequestsPerMinute: 1_000_000 } });
  db = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
  db.on('error', () => {}); // an idle connection ended at teardown is discarded, not a failure (devices.ts)
  manager = new ProtocolTestClient(server.url, 'fuzz-mac', await server.enroll('fuzz-mac', 'manager'));
  store = new ProtocolTestClient(server.url, 'fuzz-store', await server.enroll('fuzz-store', 'store'));
  // Parents the fuzzed rows point at, so a valid-shaped row names a form, field and submission the server has.
  expect(
    (
      await manager.push({
        forms: [{ ...make.form(), id: parents.form }],
        fields: [{ id: parents.field, form_id: parents.form, label: 'Count', updated_at: new Date().toISOString() }],
      })
    ).status,
  ).toBe(200);
  expect(
    (await store.push({ submissions: [make.submission({ id: parents.submission, form_id: parents.form })] })).status,
  ).toBe(200);
});
afterAll(async () => {
  await db?.end();
  await server?.dispose();
});

/** Row counts of every synced table, the audit log and the conflicts: a refused request changes none. */
async function snapshot(): Promise<Record<string, number>> {
  const names = [...tableNames, 'audit_log', 'conflicts'];
  const { rows } = await db.query(
    names.map((t) => `select '${t}' as t, count(*)::int as n from "${t}"`).join(' union all '),
  );
  return Object.fromEntries(rows.map((r: { t: string; n: number }) => [r.t, r.n]));
}

// ---- valid-shaped rows ----

const iso = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());
const text = (max: number) =>
  fc.string({ minLength: 1, maxLength: Math.min(max, 40) }).filter((s) => !s.includes('\u0000'));
// Without "__proto__" keys and NUL characters, which the server refuses in any body (a 400 from
// body-shape.ts before anything else is looked at): jsonValue makes such keys now and then, and a
// "valid-shaped" row holding one would be refused for that instead of what its property tests.
const json = fc
  .jsonValue({ maxDepth: 3 })
  .map((v) => JSON.stringify(v))
  .filter((text) => !text.includes('"__proto__":') && !text.includes('\\u0000'))
  .map((text) => JSON.parse(text) as unknown);
const base = { id: fc.uuid(), updated_at: iso };

const storeRows = {
  submissions: fc.record({
    ...base,
    form_id: fc.constant(parents.form),
    status: fc.constantFrom('in_progress', 'completed'),
    store_id: fc.option(text(200)),
    submitted_by: fc.option(text(200)),
  }),
  submission_answers: fc.record({
    ...base,
    submission_id: fc.constant(parents.submission),
    field_id: fc.constant(parents.field),
    value: json,
  }),
  kpi_data: fc.record({
    ...base,
    metric: text(200),
    value: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }),
    period: fc.option(text(50)),
    target: fc.option(fc.integer()),
  }),
};
type StoreTable = keyof typeof storeRows;
const storeTables = Object.keys(storeRows) as StoreTable[];
/** Columns that take any JSON: a "wrong type" there is not wrong. */
const jsonColumns = new Set(['value', 'options', 'definition']);

const validStorePush = fc
  .array(
    fc.constantFrom(...storeTables).chain((t) => storeRows[t].map((row) => [t, row] as const)),
    { minLength: 1, maxLength: 6 },
  )
  .map((rows) => {
    const changes: Record<string, Record<string, unknown>[]> = {};
    // A fresh change id per row and per run: fast-check repeats its favourite uuids (and a shrink
    // replays a body), and a change id the server has logged is by design a duplicate it skips.
    for (const [table, row] of rows) (changes[table] ??= []).push({ ...row, change_id: crypto.randomUUID() });
    return changes;
  });

// ---- hostile variants: one fault each, on top of a valid push ----

type Changes = Record<string, Record<string, unknown>[]>;
interface Hostile {
  what: string;
  client: 'store' | 'manager';
  /** Overrides of the push body's top-level fields. */
  extra?: Record<string, unknown>;
  changes: Changes;
  /** The status the server must answer with. */
  status: number[];
}

const firstRow = (changes: Changes) => {
  const [table, rows] = Object.entries(changes)[0]!;
  return { table, row: rows[0]! };
};
const withFirstRow = (
  changes: Changes,
  change: (row: Record<string, unknown>, table: string) => Record<string, unknown>,
): Changes => {
  const { table, row } = firstRow(changes);
  return { ...changes, [table]: [change({ ...row }, table), ...changes[table]!.slice(1)] };
};
const notA = (names: readonly string[]) =>
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !names.includes(s) && s !== '__proto__');
const knownColumns = [...new Set([...tableNames.flatMap((t) => Object.keys(rowSchemas[t].shape)), 'change_id'])];
const deep = (depth: number): unknown => (depth === 0 ? 1 : [deep(depth - 1)]);

const hostilePush: fc.Arbitrary<Hostile> = fc.oneof(
  fc.tuple(validStorePush, notA(tableNames)).map(([changes, name]) => ({
    what: `unknown table ${JSON.stringify(name)}`,
    client: 'store' as const,
    changes: { ...changes, [name]: [{ id: 'x' }] },
    status: [400],
  })),
  fc.tuple(validStorePush, notA(knownColumns), fc.jsonValue()).map(([changes, column, value]) => ({
    what: `unknown column ${JSON.stringify(column)}`,
    client: 'store' as const,
    changes: withFirstRow(changes, (row) => ({ ...row, [column]: value })),
    status: [400],
  })),
  fc
    .tuple(validStorePush, fc.nat(), fc.oneof(fc.object({ maxDepth: 1 }), fc.array(fc.integer(), { minLength: 1 })))
    .map(([changes, k, value]) => ({
      what: 'a wrong type',
      client: 'store' as const,
      changes: withFirstRow(changes, (row) => {
        const columns = Object.keys(row).filter((c) => !jsonColumns.has(c) && c !== 'change_id');
        return { ...row, [columns[k % columns.length]!]: value };
      }),
      status: [400],
    })),
  fc.tuple(validStorePush, fc.constantFrom(201, 2_001, 60_000)).map(([changes, length]) => ({
    what: `an oversized text (${length} characters)`,
    client: 'store' as const,
    changes: {
      ...changes,
      kpi_data: [
        ...(changes.kpi_data ?? []),
        { id: crypto.randomUUID(), updated_at: new Date().toISOString(), metric: 'm'.repeat(length), value: 1 },
      ],
    },
    status: [400],
  })),
  validStorePush.map((changes) => ({
    what: 'a body over the size limit',
    client: 'store' as const,
    changes: {
      ...changes,
      kpi_data: Array.from({ length: 800 }, () => ({
        id: crypto.randomUUID(),
        updated_at: new Date().toISOString(),
        metric: 'x'.repeat(150),
        value: 1,
      })),
    },
    status: [413],
  })),
  fc.tuple(validStorePush, fc.integer({ min: 200, max: 3000 })).map(([changes, depth]) => ({
    what: `JSON nested ${depth} deep`,
    client: 'store' as const,
    changes: {
      ...changes,
      submission_answers: [
        {
          id: crypto.randomUUID(),
          updated_at: new Date().toISOString(),
          submission_id: crypto.randomUUID(),
          field_id: crypto.randomUUID(),
          value: deep(depth),
        },
      ],
    },
    status: [400],
  })),
  fc
    .tuple(
      validStorePush,
      fc.constantFrom('id', 'change_id'),
      fc.string({ maxLength: 40 }).filter((s) => !/^[0-9a-f-]{36}$/i.test(s)),
    )
    .map(([changes, column, bad]) => ({
      what: `a bad UUID in ${column}`,
      client: 'store' as const,
      changes: withFirstRow(changes, (row) => ({ ...row, [column]: bad })),
      status: [400],
    })),
  fc.tuple(validStorePush, fc.string({ maxLength: 30 })).map(([changes, bad]) => ({
    what: `a bad updated_at ${JSON.stringify(bad)}`,
    client: 'store' as const,
    changes: withFirstRow(changes, (row) => ({ ...row, updated_at: bad })),
    status: [400],
  })),
  validStorePush.map((changes) => ({
    what: "another device's device_id with this token",
    client: 'store' as const,
    extra: { device_id: 'fuzz-mac' },
    changes,
    status: [403],
  })),
  fc
    .tuple(
      validStorePush,
      fc.constantFrom(...tableNames.filter((t) => !(tableRegistry[t].writers as readonly string[]).includes('store'))),
    )
    .map(([changes, table]) => ({
      what: `a store writing ${table}`,
      client: 'store' as const,
      changes: { ...changes, [table]: [managerRow(table)] },
      status: [403],
    })),
  fc.tuple(validStorePush, fc.oneof(fc.string(), fc.integer(), fc.constant(null))).map(([changes, timestamp]) => ({
    what: `a bad push timestamp ${JSON.stringify(timestamp)}`,
    client: 'store' as const,
    extra: { timestamp },
    changes,
    status: [400],
  })),
);

function managerRow(table: TableName): Record<string, unknown> {
  const id = crypto.randomUUID();
  const updated_at = new Date().toISOString();
  const form_id = crypto.randomUUID();
  const rows: Partial<Record<TableName, Record<string, unknown>>> = {
    forms: { id, updated_at, title: 'Forbidden' },
    form_sections: { id, updated_at, form_id },
    fields: { id, updated_at, form_id, label: 'Forbidden' },
    form_templates: { id, updated_at, name: 'Forbidden' },
    team: { id, updated_at, name: 'Forbidden' },
    settings: { id, updated_at, key: 'forbidden' },
    stores: { id, updated_at, code: 'S-forbidden', name: 'Forbidden' },
  };
  return rows[table]!;
}

const hostilePull = fc.oneof(
  fc
    .string({ maxLength: 25 })
    .filter((s) => !/^\d{1,19}$/.test(s))
    .map((cursor) => ({ what: `cursor ${JSON.stringify(cursor)}`, body: { cursor }, status: [400] })),
  fc
    .oneof(
      fc.integer({ max: 0 }),
      fc.integer({ min: MAX_PULL_PAGE + 1 }),
      fc.double({ min: 1.1, max: 10, noNaN: true }).filter((d) => !Number.isInteger(d)),
      fc.string(),
    )
    .map((limit) => ({ what: `limit ${JSON.stringify(limit)}`, body: { limit }, status: [400] })),
  notA(tableNames).map((table) => ({
    what: `unknown table ${JSON.stringify(table)}`,
    body: { tables: [table] },
    status: [400],
  })),
  fc
    .constantFrom('settings', 'form_templates')
    .map((table) => ({ what: `a store pulling ${table}`, body: { tables: [table] }, status: [403] })),
  fc
    .string({ maxLength: 30 })
    .filter((s) => Number.isNaN(Date.parse(s)))
    .map((ts) => ({
      what: `last_sync_timestamp ${JSON.stringify(ts)}`,
      body: { last_sync_timestamp: ts },
      status: [400],
    })),
  fc.constant({ what: "another device's device_id", body: { device_id: 'fuzz-mac' }, status: [403] }),
);

/** The server still works: a good pull answers 200. */
async function stillUp() {
  const reply = await store.pull({ tables: ['kpi_data'], limit: 1 });
  expect(reply.status).toBe(200);
}

describe('fuzzed push and pull bodies', () => {
  it('a valid-shaped store push is accepted whole: every row once in the audit log', async () => {
    await fc.assert(
      fc.asyncProperty(validStorePush, async (changes) => {
        const before = await snapshot();
        const reply = await store.push(changes);
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        const rows = Object.values(changes).reduce((n, list) => n + list.length, 0);
        expect((await snapshot()).audit_log! - before.audit_log!).toBe(rows);
      }),
      { numRuns: Math.max(1, Math.floor(numRuns / 3)), seed },
    );
  });

  it('a hostile push gets a 4xx with a message, stores nothing, and the server stays up', async () => {
    await fc.assert(
      fc.asyncProperty(hostilePush, async (hostile) => {
        const before = await snapshot();
        const client = hostile.client === 'store' ? store : manager;
        const reply = await client.push(hostile.changes, hostile.extra);
        expect(
          hostile.status,
          `${hostile.what}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`,
        ).toContain(reply.status);
        // A refusal in the wire's shape: success false and a message (details optional).
        expect(ErrorResponse.safeParse(reply.body).success, JSON.stringify(reply.body)).toBe(true);
        expect(await snapshot(), `${hostile.what} left something behind`).toEqual(before);
        await stillUp();
      }),
      { numRuns, seed },
    );
  });

  it('a hostile pull gets a 4xx with a message, and the server stays up', async () => {
    await fc.assert(
      fc.asyncProperty(hostilePull, async (hostile) => {
        const reply = await store.pull(hostile.body);
        expect(
          hostile.status,
          `${hostile.what}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`,
        ).toContain(reply.status);
        // A refusal in the wire's shape: success false and a message (details optional).
        expect(ErrorResponse.safeParse(reply.body).success, JSON.stringify(reply.body)).toBe(true);
        await stillUp();
      }),
      { numRuns, seed },
    );
  });
});
