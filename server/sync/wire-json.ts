// A synced row's wire JSON, built by PostgreSQL. A pull page used to travel as `to_jsonb(row)`,
// which the driver parsed into objects, wireRowFromPg copied and reshaped (instants to ISO strings,
// internal columns dropped) and Express stringified again: about half the server's CPU per pulled
// row. Here the database writes the JSON text the wire carries, and the server only splices the
// texts into the answer (pull-answer.ts). Same fields and values as wireRowFromPg (rows.ts) gives: the
// columns from the drizzle table minus internalColumns, instants as `toISOString()` spells them.
import { getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import { type TableName } from '../../shared/tables.js';
import { syncedTables } from '../db/schema.js';
import { internalColumns } from './rows.js';

/**
 * An instant as JavaScript's `toISOString()` writes it: UTC, milliseconds, `Z`. `MS` truncates
 * the microseconds, as a JavaScript Date does when the driver reads the value.
 */
export const isoInstant = (column: SQL): SQL =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const wireColumns = Object.fromEntries(
  Object.entries(syncedTables).map(([table, columns]) => [
    table,
    // A union of tables defeats getTableColumns' inference; each of its values is a drizzle Column.
    Object.values(getTableColumns(columns) as Record<string, Column>).filter(
      (column) => !(internalColumns as readonly string[]).includes(column.name),
    ),
  ]),
) as Record<TableName, Column[]>;

/**
 * SQL: the wire JSON object of a row of `table` (referenced by the table's name), as row_to_json
 * of a row of named values: `json`, not `jsonb`, so it keeps the column order and costs no binary
 * conversion; a jsonb column is embedded as the JSON value it holds. (json_build_object costs the
 * same but writes `"key" : value`, 8 % more bytes, and takes at most 50 columns.)
 */
export function wireRowJson(table: TableName): SQL {
  const t = sql.identifier(table);
  const named = wireColumns[table].map((column) => {
    const ref = sql`${t}.${sql.identifier(column.name)}`;
    const value = column.columnType === 'PgTimestamp' ? isoInstant(ref) : ref;
    return sql`${value} as ${sql.identifier(column.name)}`;
  });
  return sql`row_to_json((select r from (select ${sql.join(named, sql`, `)}) as r))`;
}
