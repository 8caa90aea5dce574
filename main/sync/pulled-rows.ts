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
import { z } from 'zod';
import { serverColumns } from '../../shared/protocol/sync.js';
import { columnsOf, rowSchemas, tableNames, type TableName } from '../../shared/tables.js';
import type { WireRow } from './local-rows.js';

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
