// How much of a pulled page is checked, and why.
//
// The page's shape is parsed once by the HTTP client (shared/protocol/sync.ts PullResponse: known
// tables, arrays of objects, cursor, has_more). Each row then needs only what the device itself
// relies on to apply it safely: an object with a string `id`, an integer `server_version` (the
// upsert only moves versions forward, invariant 11) and every wire column present (a missing one
// would silently become NULL). A complete row is applied as it came, without a full zod parse:
//  - the server is trusted for row content. The device reaches it with its own token over a URL
//    the user configured, and every row the server holds entered through a push parsed with these
//    same shared schemas (invariant 8) into typed PostgreSQL columns; parsing it again on every
//    device for every pull re-checks what the server already guaranteed, and cost about as much
//    CPU per row as applying it;
//  - a row that is still wrong cannot tear anything: it is written through the drizzle columns'
//    conversions under SQLite's constraints, inside the page's one transaction, so a row SQLite
//    refuses rolls back the whole page and its cursor (invariant 11).
// A row that is NOT complete is untrusted: it gets the full per-row parse of the registry's schema,
// which fills defaults an older server may leave out, or refuses the page with the reason before
// anything is written.
//
// The engine asks for rows as arrays of values (`row_format: 'arrays'`), named once per table by
// the page's `columns`: a third fewer bytes to decode and parse and one array per row instead of
// an object with its keys. An array row is complete when `columns` names every column the device
// stores and the row holds a value for each; it is then applied from the array as it came, its
// values picked by position. Columns the device does not know are ignored, as an object row's
// extra fields are; a page whose columns lack one the device stores is rebuilt into objects and
// takes the untrusted path above.
import { z } from 'zod';
import { serverColumns } from '../../shared/protocol/sync.js';
import { columnsOf, rowSchemas, tableNames, type TableName } from '../../shared/tables.js';
import type { TableStatements, WireRow } from './local-rows.js';

/** A server row as it is applied; unknown extra fields are ignored (a newer server may add some). */
export type PulledRow = WireRow & { server_version: number };

const pulledRowSchemas = Object.fromEntries(
  tableNames.map((table) => [table, z.object({ ...rowSchemas[table].shape, ...serverColumns })]),
) as unknown as Record<TableName, z.ZodType<PulledRow>>;

const columnsByTable = Object.fromEntries(tableNames.map((table) => [table, columnsOf(table)])) as Record<
  TableName,
  string[]
>;

function isComplete(table: TableName, row: Record<string, unknown>): row is PulledRow {
  if (typeof row.id !== 'string' || !Number.isSafeInteger(row.server_version)) return false;
  for (const column of columnsByTable[table]) if (!(column in row)) return false;
  return true;
}

/** The page's rows of `table`, ready to apply; throws (naming the row) before anything is written. */
export function checkPulledRows(table: TableName, rows: readonly Record<string, unknown>[]): PulledRow[] {
  return rows.map((row, index) => {
    if (isComplete(table, row)) return row;
    const result = pulledRowSchemas[table].safeParse(row);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(`pulled ${table}[${index}] is not a valid row: ${issue?.path.join('.')} ${issue?.message}`);
    }
    return result.data;
  });
}

/** A page's checked rows of one table, in whichever shape they came, as the apply reads them. */
export interface PulledRows {
  readonly length: number;
  id(index: number): string;
  serverVersion(index: number): number;
  /** Writes row `index` through the table's upsert if it is newer (local-rows.ts); rows written. */
  write(statements: TableStatements, index: number): number;
}

/** Object rows (checkPulledRows) as PulledRows. */
export function objectRows(rows: readonly PulledRow[]): PulledRows {
  return {
    length: rows.length,
    id: (index) => rows[index]!.id,
    serverVersion: (index) => rows[index]!.server_version,
    write: (statements, index) => statements.applyRow(rows[index]!, rows[index]!.server_version),
  };
}

/**
 * The page's rows of `table` sent as arrays of values in the order of `columns`, ready to apply;
 * throws (naming the row) before anything is written.
 */
export function checkPulledArrays(
  table: TableName,
  columns: readonly string[] | undefined,
  rows: readonly unknown[][],
): PulledRows {
  if (!columns) throw new Error(`pulled ${table} rows are arrays, but the page names no columns for them`);
  const at = (column: string) => columns.indexOf(column);
  // Where each column the device stores sits in the page's rows (wire columns, then server_version).
  const positions = [...columnsByTable[table], 'server_version'].map(at);
  if (positions.includes(-1)) {
    // A server whose rows lack a column: named objects, checked and completed row by row.
    const named = rows.map((values) => Object.fromEntries(columns.map((column, i) => [column, values[i]])));
    return objectRows(checkPulledRows(table, named));
  }
  const idAt = at('id');
  const versionAt = positions.at(-1)!;
  rows.forEach((values, index) => {
    if (values.length !== columns.length)
      throw new Error(
        `pulled ${table}[${index}] is not a valid row: ${values.length} values for ${columns.length} columns`,
      );
    if (typeof values[idAt] !== 'string')
      throw new Error(`pulled ${table}[${index}] is not a valid row: id is not a string`);
    if (!Number.isSafeInteger(values[versionAt]))
      throw new Error(`pulled ${table}[${index}] is not a valid row: server_version is not an integer`);
  });
  return {
    length: rows.length,
    id: (index) => rows[index]![idAt] as string,
    serverVersion: (index) => rows[index]![versionAt] as number,
    write: (statements, index) => statements.applyValues(rows[index]!, positions),
  };
}
