// The wire JSON PostgreSQL writes for a pulled row (wire-json.ts) must be, field for field and
// value for value, the row wireRowFromPg made from `to_jsonb` before: every synced table, every column
// type, instants with microseconds (truncated to the millisecond, as a JavaScript Date does) and
// odd doubles, on PostgreSQL and on the embedded database. So must each row's stored `wire` (the
// arrays a pull serves, a generated column of migration 0007).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { tableNames, type TableName } from '../../shared/tables.js';
import { openDatabase, rowsOf, type OpenDatabase } from '../db/client.js';
import { syncedTables } from '../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-server.js';
import { wireColumnOrder, wireRowFromPg } from './rows.js';
import { storedWireExpression, wireRowJson } from './wire-json.js';

const columnsOf = (table: TableName) => Object.values(getTableColumns(syncedTables[table]) as Record<string, Column>);

/** A value for every column of a row, by its type; `sparse` leaves every nullable column null. */
function valueFor(column: Column, n: number, sparse: boolean): SQL {
  if (sparse && !column.notNull) return sql`null`;
  switch (column.columnType) {
    case 'PgUUID':
      return sql`gen_random_uuid()`;
    case 'PgTimestamp':
      // Microseconds the wire drops, and an instant given in another zone.
      return sql`${`2026-11-30 01:02:03.45678${n}+05:30`}::timestamptz`;
    case 'PgBigInt53':
      return sql`${String(1000 + n)}::bigint`;
    case 'PgInteger':
      return sql`${String(7 + n)}::integer`;
    case 'PgBoolean':
      return sql`true`;
    case 'PgDoublePrecision':
      return sql`${String(0.1 + 0.2)}::float8`;
    case 'PgJsonb':
      return sql`${JSON.stringify({ zeta: [1, 'ä "q"', null, 2.5], alpha: { nested: true } })}::jsonb`;
    default:
      return sql`${column.enumValues?.[0] ?? `text ${n} with "quotes" and \\ and ü`}`;
  }
}

async function compareEveryTable(open: OpenDatabase): Promise<number> {
  let compared = 0;
  for (const table of tableNames) {
    const t = sql.identifier(table);
    const columns = columnsOf(table);
    const names = sql.raw(columns.map((c) => `"${c.name}"`).join(', '));
    await open.db.transaction(async (tx) => {
      // Parents are beside the point here: foreign keys off for this transaction only.
      await tx.execute(sql`set local session_replication_role = replica`);
      for (const [n, sparse] of [
        [1, false],
        [2, true],
      ] as const) {
        const values = sql.join(
          columns.map((c) => valueFor(c, n, sparse)),
          sql`, `,
        );
        await tx.execute(sql`insert into ${t} (${names}) values (${values})`);
      }
    });
    const rows = rowsOf<{ r: Record<string, unknown>; j: string; a: string; built: string }>(
      await open.db.execute(
        sql`select to_jsonb(${t}) as r, ${wireRowJson(table)}::text as j, ${wireRowJson(table, 'arrays')} as a,
              ${sql.raw(storedWireExpression(table))} as built
            from ${t}`,
      ),
    );
    expect(rows).toHaveLength(2);
    for (const { r, j, a, built } of rows) {
      const expected = JSON.parse(JSON.stringify(wireRowFromPg(table, r))) as Record<string, unknown>;
      expect(JSON.parse(j), table).toEqual(expected);
      // The stored `wire` (migration 0007): the same values in wireColumnOrder, and exactly the
      // text storedWireExpression builds now (a column added without a migration redefining
      // `wire` fails here).
      expect(JSON.parse(a), table).toEqual(wireColumnOrder[table].map((column) => expected[column]));
      expect(a, table).toBe(built);
      compared += 1;
    }
  }
  return compared;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('a pulled row as PostgreSQL writes it for the wire', () => {
  it('equals the row wireRowFromPg made from to_jsonb, for every synced table, on PostgreSQL', async () => {
    const database: TestDatabase = await createTestDatabase('wire_json');
    cleanups.push(() => database.drop());
    const open = await openDatabase({ databaseUrl: database.url });
    cleanups.push(() => open.close());
    expect(await compareEveryTable(open)).toBe(tableNames.length * 2);
  }, 60_000);

  it('equals it on the embedded database too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wire-json-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const open = await openDatabase({ dataDir: dir });
    cleanups.push(() => open.close());
    expect(await compareEveryTable(open)).toBe(tableNames.length * 2);
  }, 120_000);
});
