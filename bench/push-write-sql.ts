// The push's write statement (persist.ts: upsert + audit in one statement, rows as one jsonb
// parameter) against the bench's raw UNNEST upsert + audit (harness/baselines.ts) of the same rows,
// alone: PostgreSQL's CPU per row (the backend's /proc/<pid>/schedstat) and minor faults, both
// alternated round by round on a fresh database, every uuid fresh each round. The statements are
// captured from a real bench run (bench/statement-cpu.mjs):
//
//   STATEMENT_CPU_CAPTURE=/tmp/writes.json BENCH_SERVER_NODE_FLAGS="--import ./bench/statement-cpu.mjs" npm run bench -- push
//   npx tsx bench/push-write-sql.ts /tmp/writes.json [rounds=30]
//
// CLIENTS=4 runs the same statements from four connections at once (as the server's pool and the
// raw baseline do); SHARE=0.4 keeps that share of each batch's rows (0.4: the 200-row pushes of
// 50 devices).
import { readFileSync } from 'node:fs';
import { getTableColumns, type Column } from 'drizzle-orm';
import pg from 'pg';
import { columnsOf, type TableName } from '../shared/tables.js';
import { openDatabase } from '../server/db/client.js';
import { syncedTables } from '../server/db/schema.js';
import { createTestDatabase } from '../server/testing/test-server.js';
import { withFreshUuids } from './harness/push-replay.js';

type Captured = { text: string; values: unknown[] };
type Entry = { c: string; w: Record<string, unknown> };

const [file = '/tmp/writes.json', roundsArg = '30'] = process.argv.slice(2);
const rounds = Number(roundsArg);
// The first WARM_ROUNDS prepare, plan and warm the caches; only the rounds after them are counted.
const WARM_ROUNDS = 4;
if (!Number.isInteger(rounds) || rounds <= WARM_ROUNDS) {
  console.error(
    `rounds must be a whole number above ${WARM_ROUNDS} (the first ${WARM_ROUNDS} only warm up): got ${roundsArg}`,
  );
  process.exit(2);
}
const clients = Number(process.env.CLIENTS ?? 1);
const share = Number(process.env.SHARE ?? 1);
const captured = JSON.parse(readFileSync(file, 'utf8')) as Captured[];
const batches = (['submissions', 'submission_answers'] as TableName[]).map((table) => {
  const statement = captured.find((c) => c.text.includes(`insert into "${table}"`));
  if (!statement) throw new Error(`${file} holds no write of ${table}`);
  const entries = JSON.parse(statement.values[0] as string) as Entry[];
  return { table, statement, entries: entries.slice(0, Math.round(entries.length * share)) };
});
const rowsPerRound = batches.reduce((n, b) => n + b.entries.length, 0);

/** The entries with every uuid replaced (consistently within the round), so each round inserts. */
const freshEntries = (entries: Entry[]): Entry[] =>
  JSON.parse(withFreshUuids(JSON.stringify(entries), new Map())) as Entry[];

// The raw baseline's statements (harness/baselines.ts), on the real tables.
const sqlTypes = (table: TableName) => {
  const columns = getTableColumns(syncedTables[table]) as Record<string, Column>;
  return columnsOf(table).map((name) => ({ name, type: columns[name]!.getSQLType() }));
};
const rawUpsert = (table: TableName) => {
  const cols = sqlTypes(table);
  const names = cols.map((c) => `"${c.name}"`).join(', ');
  return `insert into "${table}" (${names}, written_by)
    select ${cols.map((c) => (c.type === 'jsonb' ? `"${c.name}"::jsonb` : `"${c.name}"`)).join(', ')}, $${cols.length + 1}
    from unnest(${cols.map((c, i) => `$${i + 1}::${c.type === 'jsonb' ? 'text' : c.type}[]`).join(', ')}) as u(${names})
    on conflict (id) do update set ${cols
      .filter((c) => c.name !== 'id')
      .map((c) => `"${c.name}" = excluded."${c.name}"`)
      .join(
        ', ',
      )}, server_version = nextval('change_version_seq'), server_updated_at = now(), written_by = excluded.written_by`;
};
const RAW_AUDIT = `insert into audit_log (device_id, change_id, table_name, record_id, operation, after, outcome)
  select $1, c, $2, r, 'INSERT', a::jsonb, 'applied' from unnest($3::uuid[], $4::uuid[], $5::text[]) as u(c, r, a)`;

const variants: Record<string, (c: pg.Client, batch: (typeof batches)[number], entries: Entry[]) => Promise<unknown>> =
  {
    push: (c, { table, statement }, entries) =>
      c.query({
        name: `push-${table}`,
        text: statement.text,
        values: [JSON.stringify(entries), ...statement.values.slice(1)],
      }),
    raw: async (c, { table }, entries) => {
      const cols = sqlTypes(table);
      await c.query({
        name: `raw-${table}`,
        text: rawUpsert(table),
        values: [
          ...cols.map(({ name, type }) =>
            entries.map((e) => (type === 'jsonb' ? JSON.stringify(e.w[name]) : e.w[name])),
          ),
          'raw-device',
        ],
      });
      await c.query({
        name: 'raw-audit',
        text: RAW_AUDIT,
        values: [
          'raw-device',
          table,
          entries.map((e) => e.c),
          entries.map((e) => e.w.id),
          entries.map(({ w: { edited_at: _, ...row } }) => JSON.stringify(row)),
        ],
      });
    },
  };

const cpuNs = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
const faultsOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const database = await createTestDatabase('bench_push_write_sql');
try {
  await (await openDatabase({ databaseUrl: database.url, poolSize: 1 })).close(); // migrations
  const connections = await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      return { client, pid: (client as unknown as { processID: number }).processID };
    }),
  );
  const results = new Map(Object.keys(variants).map((name) => [name, { cpu: [] as number[], faults: [] as number[] }]));
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 ? Object.keys(variants).reverse() : Object.keys(variants);
    for (const name of order) {
      await Promise.all(
        connections.map(async ({ client, pid }) => {
          const work = batches.map((batch) => ({ batch, entries: freshEntries(batch.entries) }));
          await client.query('begin');
          const cpu = cpuNs(pid);
          const faulted = faultsOf(pid);
          for (const { batch, entries } of work) await variants[name]!(client, batch, entries);
          const used = (cpuNs(pid) - cpu) / 1000;
          const faults = faultsOf(pid) - faulted;
          await client.query('commit');
          if (round >= WARM_ROUNDS) {
            results.get(name)!.cpu.push(used / rowsPerRound);
            results.get(name)!.faults.push(faults / rowsPerRound);
          }
        }),
      );
    }
  }
  console.log(
    `${rowsPerRound} rows per round (${batches.map((b) => `${b.entries.length} ${b.table}`).join(', ')}), ${clients} connection(s)`,
  );
  for (const [name, { cpu, faults }] of results) {
    console.log(
      `${name.padEnd(5)} PostgreSQL CPU per row: median ${median(cpu).toFixed(1)} µs (min ${Math.min(...cpu).toFixed(1)}), minor faults per row ${median(faults).toFixed(2)}`,
    );
  }
  await Promise.all(connections.map(({ client }) => client.end()));
} finally {
  await database.drop();
}
