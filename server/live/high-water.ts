// The one place the live channel reads or compares cursors. A cursor is a position in the change
// stream, `<txid>.<version>` (server/sync/position.ts owns the format); a poke's `version` is the
// highest position written to its tables, a hint for the device (its pull's cursor stays the truth).
import { sql, type SQL } from 'drizzle-orm';
import type { TableName } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';
import { executeNamed } from '../sync/named-statement.js';
import { comparePositions, formatCursor, parseCursor, positionOf, type Position } from '../sync/position.js';

/**
 * SQL: the highest position written to `tables` now, as one row (server_txid, server_version), or
 * none when none of them holds a row. Each branch is one step down the table's (server_txid,
 * server_version) index.
 */
export function highWaterSql(tables: readonly TableName[]): SQL {
  const branches = tables.map(
    (table) =>
      sql`(select server_txid, server_version from ${sql.identifier(table)} order by server_txid desc, server_version desc limit 1)`,
  );
  return sql`select server_txid, server_version from (${sql.join(branches, sql` union all `)}) as high
    order by server_txid desc, server_version desc limit 1`;
}

/** The highest position written to `tables` now (null: none of them holds a row). */
export async function highWaterCursor(db: Queryable, tables: readonly TableName[]): Promise<string | null> {
  if (tables.length === 0) return null;
  // A named statement (one per set of tables), planned once per connection.
  const [row] = rowsOf<{ server_txid: string | number; server_version: string | number }>(
    await executeNamed(db, highWaterSql(tables)),
  );
  return row ? formatCursor(positionOf(row)) : null;
}

const readable = (cursor: string): Position | null => {
  try {
    return parseCursor(cursor);
  } catch {
    return null;
  }
};

/** Whether `high` is past `cursor` (a device that has pulled nothing is behind any row). */
export function isNewer(high: string, cursor: string | null): boolean {
  const a = readable(high);
  const b = cursor === null ? null : readable(cursor);
  // A cursor we cannot read: a pull sorts it out, and a poke too many costs one empty pull.
  if (a === null || b === null) return true;
  return comparePositions(a, b) > 0;
}

/** The later of two cursors, for batching pokes. */
export function laterVersion(a: string, b: string): string {
  const pa = readable(a);
  const pb = readable(b);
  if (pa === null) return b;
  if (pb === null) return a;
  return comparePositions(pa, pb) >= 0 ? a : b;
}
