// A push no longer reads its written rows back from PostgreSQL: the answer's `applied` rows are
// built by storedRow (rows.ts) from the rows it sent plus the server's columns. That is only right
// if PostgreSQL stores every value exactly as sent, so here every synced table gets a row with every
// column set (and one with every nullable column null), written through the push's own statement
// (writeBatch), and storedRow must equal the row read back as the wire JSON a pull serves, values
// and the key order of jsonb objects alike; the audit entry must hold the row as sent.
import { randomUUID } from 'node:crypto';
import { getTableColumns, sql, type Column } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { columnsOf, tableNames, type TableName } from '../../shared/tables.js';
import { rowsOf } from '../db/client.js';
import { syncedTables } from '../db/schema.js';
import { useTestDatabase } from '../testing/test-database.js';
import { writeBatch } from './persist.js';
import { storedRow, type WireRow } from './rows.js';
import { wireRowJson } from './wire-json.js';

const open = useTestDatabase('stored_row');

const drizzleColumns = (table: TableName) =>
  Object.fromEntries(
    Object.values(getTableColumns(syncedTables[table]) as Record<string, Column>).map((c) => [c.name, c]),
  );

/** A value as it reaches the push after the door's zod parse: instants as toISOString, uuids in lower case. */
function valueFor(column: Column, n: number, sparse: boolean): unknown {
  if (sparse && !column.notNull) return null;
  switch (column.columnType) {
    case 'PgUUID':
      return randomUUID();
    case 'PgTimestamp':
      return new Date(Date.UTC(2026, 10, 30, 1, 2, 3, 450 + n)).toISOString();
    case 'PgBigInt53':
    case 'PgInteger':
      return 7 + n;
    case 'PgBoolean':
      return n % 2 === 0;
    case 'PgDoublePrecision':
      return 0.1 + 0.2;
    case 'PgJsonb':
      // Keys jsonb reorders (by length, then bytes), nested, non-ASCII, numbers it spells its own way.
      return { zeta: [1, 'ä "q"', null, 2.5, 1e21], alpha: { nested: true, b: 1, aa: 2 }, ü: 0.1, a: -0, é: 'x' };
    default:
      return column.enumValues?.[0] ?? `text ${n} with "quotes" and \\ and ü`;
  }
}

describe('the row a push wrote, as the answer gives it', () => {
  it('equals the row PostgreSQL holds, for every synced table and column type', async () => {
    let compared = 0;
    for (const table of tableNames) {
      const columns = drizzleColumns(table);
      for (const [n, sparse] of [
        [1, false],
        [2, true],
      ] as const) {
        const row: WireRow = Object.fromEntries(columnsOf(table).map((c) => [c, valueFor(columns[c]!, n, sparse)]));
        const at = new Date(Date.UTC(2026, 10, 30, 4, 5, 6, 789));
        const [held] = await open.db.transaction(async (tx) => {
          // Parents are beside the point here: foreign keys off for this transaction only.
          await tx.execute(sql`set local session_replication_role = replica`);
          const written = await writeBatch(tx, {
            deviceId: 'store-1',
            at,
            table,
            scope: null,
            audits: [
              {
                at,
                device_id: 'store-1',
                change_id: randomUUID(),
                table_name: table,
                record_id: row.id as string,
                operation: 'INSERT',
                before: null,
                after: row,
                outcome: 'applied',
                rule: null,
                edited_at: at,
                merge: null,
              },
            ],
            toWrite: [{ ...row, edited_at: at.toISOString() }],
            heldVersion: () => null,
          });
          return [...written.values()];
        });
        const [stored] = rowsOf<{ j: string; after: unknown }>(
          await open.db.execute(sql`select ${wireRowJson(table)}::text as j,
            (select after from audit_log where record_id = ${row.id as string}::uuid) as after
            from ${sql.identifier(table)} where id = ${row.id as string}::uuid`),
        );
        const built = storedRow(table, row, {
          server_version: held!,
          server_updated_at: at.toISOString(),
          written_by: 'store-1',
        });
        // Same text once parsed and stringified: same values and the same key order.
        expect(JSON.stringify(built), `${table} ${sparse ? 'sparse' : 'full'}`).toBe(
          JSON.stringify(JSON.parse(stored!.j)),
        );
        expect(stored!.after).toEqual(JSON.parse(JSON.stringify(row)));
        compared += 1;
      }
    }
    expect(compared).toBe(tableNames.length * 2);
  }, 60_000);
});
