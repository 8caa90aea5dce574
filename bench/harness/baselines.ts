// The raw limits each figure is compared with, measured in the same run on the same machine:
//  - SQLite: better-sqlite3 prepared INSERTs of the same rows into a fresh store with the same
//    schema (same indexes, WAL, synchronous=NORMAL), all in one transaction;
//  - PostgreSQL: an UNNEST upsert of the same rows plus one audit row each, per batch, from as
//    many connections as there are devices.
// Only the database work is timed: reading the rows and converting their values happen outside.
import { getTableColumns, type Column } from 'drizzle-orm';
import pg from 'pg';
import { columnsOf, type TableName } from '../../shared/tables.js';
import { openLocalStore } from '../../main/db/client.js';
import { toSqliteValue, wireColumns } from '../../main/db/rows.js';
import { defaultPoolSize } from '../../server/db/client.js';
import { syncedTables as serverTables } from '../../server/db/schema.js';

/** Connections the raw upserts use for `shares` devices: one each, at most as many as the server's pool. */
export const rawConnections = (shares: number): number => Math.min(shares, defaultPoolSize());

export interface RawFigure {
  rows: number;
  ms: number;
  /** CPU of this process while the timed work ran. */
  cpuMs: number;
}

export interface RawPushFigure extends RawFigure {
  /** Each batch's transaction, begin to commit: the raw counterpart of one push request's latency. */
  batchMs: number[];
  /** CPU of PostgreSQL's backends over the timed work (from `postgresCpuMs`), when it was given. */
  postgresCpuMs: number | null;
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
};

/** A PostgreSQL value as the wire carries it (instants as ISO strings, bigint as number). */
const wireValue = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);

/**
 * Inserts every row the server holds of `tables` into a fresh SQLite store at `file`, in one
 * transaction. Rows are read in chunks (keyset on server_version) so 1M rows stay in flat memory.
 */
export async function rawSqliteInsert(
  pool: pg.Pool,
  tables: TableName[],
  file: string,
): Promise<RawFigure & { faults: number }> {
  const store = openLocalStore(file);
  const result = { rows: 0, ms: 0, cpuMs: 0, faults: 0 };
  const timed = <T>(work: () => T): T => {
    const faults = process.resourceUsage().minorPageFault;
    const cpu = process.cpuUsage();
    const start = performance.now();
    try {
      return work();
    } finally {
      result.ms += performance.now() - start;
      result.cpuMs += cpuMsSince(cpu);
      result.faults += process.resourceUsage().minorPageFault - faults;
    }
  };
  try {
    timed(() => store.sqlite.exec('BEGIN'));
    for (const table of tables) {
      const columns = wireColumns(table);
      const names = [...columns.map((c) => c.name), 'server_version'];
      const insert = store.sqlite.prepare(
        `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
      );
      let after = 0;
      for (;;) {
        const { rows } = await pool.query<Record<string, unknown>>(
          `select * from "${table}" where server_version > $1 order by server_version limit 20000`,
          [after],
        );
        if (rows.length === 0) break;
        const values = rows.map((row) => [
          ...columns.map(({ name, column }) => toSqliteValue(column, wireValue(row[name]))),
          Number(row.server_version),
        ]);
        timed(() => {
          for (const row of values) insert.run(...row);
        });
        result.rows += rows.length;
        after = Number(rows.at(-1)!.server_version);
      }
    }
    timed(() => store.sqlite.exec('COMMIT'));
  } finally {
    store.close();
  }
  return result;
}

/** One device's share of a push: wire rows per table, each with the change id it was queued with. */
export type PushShare = { table: TableName; rows: (Record<string, unknown> & { id: string; change_id: string })[] }[];

/**
 * Scratch copies of the synced tables and the audit log (same columns, defaults and indexes), but
 * not the generated columns' expressions (each synced row's stored wire text, migration 0007):
 * the raw limit is the rows' own storage work, so what keeping that text costs shows in the push's
 * ratio.
 */
export async function createRawTables(pool: pg.Pool, tables: TableName[]): Promise<void> {
  for (const table of tables)
    await pool.query(`create table "raw_${table}" (like "${table}" including all excluding generated)`);
  await pool.query('create table raw_audit_log (like audit_log including all)');
}

function upsertSql(table: TableName): string {
  const columns = getTableColumns(serverTables[table]) as Record<string, Column>;
  const names = columnsOf(table);
  const types = names.map((name) => columns[name]!.getSQLType());
  const arrays = names.map((_, i) => `$${i + 1}::${types[i] === 'jsonb' ? 'text' : types[i]}[]`);
  const selected = names.map((name, i) => (types[i] === 'jsonb' ? `"${name}"::jsonb` : `"${name}"`));
  const updates = names.filter((n) => n !== 'id').map((n) => `"${n}" = excluded."${n}"`);
  return `insert into "raw_${table}" (${names.map((n) => `"${n}"`).join(', ')}, written_by)
          select ${selected.join(', ')}, $${names.length + 1} from unnest(${arrays.join(', ')}) as u(${names.map((n) => `"${n}"`).join(', ')})
          on conflict (id) do update set ${updates.join(', ')}, server_version = nextval('change_version_seq'),
            server_updated_at = now(), written_by = excluded.written_by`;
}

const AUDIT_SQL = `insert into raw_audit_log (device_id, change_id, table_name, record_id, operation, after, outcome)
  select $1, c, $2, r, 'INSERT', a::jsonb, 'applied' from unnest($3::uuid[], $4::uuid[], $5::text[]) as u(c, r, a)`;

/**
 * Upserts every share's rows (with an audit row each) in batches of `batchSize` rows, one
 * transaction per batch, the shares running concurrently: the same rows, batches and
 * concurrency as the devices' pushes, without the sync protocol. Like the server, it holds at
 * most as many connections as the server's pool (defaultPoolSize, server/db/client.ts); a share waits for a free one for each batch.
 * One connection per share would let 50 transactions contend on two cores, which costs
 * PostgreSQL nearly twice the CPU per row and made the raw limit at 50 devices a weak one.
 *
 * The statements are named (prepared once per connection, as the server's are) and each
 * connection runs them once on no rows before the clock starts: a fresh backend's first
 * statements load its catalog caches and plan, which the server's pool did long before its
 * pushes. Without this, 50 cold backends cost PostgreSQL more than the upserts themselves and the
 * raw figure at 50 connections said more about connection start-up than about storage.
 * `postgresCpuMs` reads the CPU of the database's backends so far (BenchServer.cpu).
 */
export async function rawPgUpsert(
  databaseUrl: string,
  shares: { deviceId: string; share: PushShare }[],
  batchSize: number,
  postgresCpuMs?: () => Promise<number>,
): Promise<RawPushFigure> {
  const statements = new Map<TableName, string>();
  const sqlFor = (table: TableName) => {
    if (!statements.has(table)) statements.set(table, upsertSql(table));
    return statements.get(table)!;
  };
  const columnTypes = (table: TableName) => {
    const columns = getTableColumns(serverTables[table]) as Record<string, Column>;
    return columnsOf(table).map((name) => ({ name, json: columns[name]!.getSQLType() === 'jsonb' }));
  };
  const upsert = (client: pg.Client, table: TableName, tableRows: PushShare[number]['rows'], deviceId: string) =>
    client.query({
      name: `raw-upsert-${table}`,
      text: sqlFor(table),
      values: [
        ...columnTypes(table).map(({ name, json }) =>
          tableRows.map((row) => (json ? (row[name] == null ? null : JSON.stringify(row[name])) : (row[name] ?? null))),
        ),
        deviceId,
      ],
    });
  const audit = (client: pg.Client, table: TableName, tableRows: PushShare[number]['rows'], deviceId: string) =>
    client.query({
      name: 'raw-audit',
      text: AUDIT_SQL,
      values: [
        deviceId,
        table,
        tableRows.map((row) => row.change_id),
        tableRows.map((row) => row.id),
        tableRows.map(({ change_id: _, ...row }) => JSON.stringify(row)),
      ],
    });
  const tables = [...new Set(shares.flatMap(({ share }) => share.map(({ table }) => table)))];
  const free = await Promise.all(
    Array.from({ length: rawConnections(shares.length) }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      for (const table of tables) {
        await upsert(client, table, [], 'warm-up');
        await audit(client, table, [], 'warm-up');
      }
      return client;
    }),
  );
  const clients = [...free];
  const waiting: ((client: pg.Client) => void)[] = [];
  const acquire = () =>
    free.length > 0 ? Promise.resolve(free.pop()!) : new Promise<pg.Client>((resolve) => waiting.push(resolve));
  const release = (client: pg.Client) => {
    const next = waiting.shift();
    if (next) next(client);
    else free.push(client);
  };
  const postgresBefore = (await postgresCpuMs?.()) ?? null;
  const cpu = process.cpuUsage();
  const start = performance.now();
  let rows = 0;
  const batchMs: number[] = [];
  let result: RawPushFigure;
  try {
    await Promise.all(
      shares.map(async ({ deviceId, share }) => {
        // Batches cut like the engine's: in apply order, at most batchSize rows each.
        const flat = share.flatMap(({ table, rows: tableRows }) => tableRows.map((row) => ({ table, row })));
        for (let at = 0; at < flat.length; at += batchSize) {
          const batch = flat.slice(at, at + batchSize);
          // Timed from the moment the batch is ready, as a push is from its send: waiting for a
          // connection counts, as it does for a push waiting for the server's pool.
          const batchStart = performance.now();
          const client = await acquire();
          try {
            await client.query('begin');
            for (const table of [...new Set(batch.map((b) => b.table))]) {
              const tableRows = batch.filter((b) => b.table === table).map((b) => b.row);
              await upsert(client, table, tableRows, deviceId);
              await audit(client, table, tableRows, deviceId);
            }
            await client.query('commit');
          } finally {
            release(client);
          }
          batchMs.push(performance.now() - batchStart);
          rows += batch.length;
        }
      }),
    );
    const ms = performance.now() - start;
    const cpuMs = cpuMsSince(cpu);
    // Read while the backends are still connected (an ended backend's CPU can no longer be read).
    const postgresAfter = (await postgresCpuMs?.()) ?? null;
    result = {
      rows,
      ms,
      cpuMs,
      batchMs,
      postgresCpuMs: postgresBefore === null || postgresAfter === null ? null : postgresAfter - postgresBefore,
    };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  return result;
}
