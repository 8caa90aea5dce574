// The one place the live channel reads or compares cursors. Everywhere else a cursor is opaque:
// when the cursor's format changes (the pull endpoint owns it), this file alone follows.
import { sql } from 'drizzle-orm';
import type { PushResponse } from '../../shared/protocol/sync.js';
import type { TableName } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';

/** The cursor a pull of `tables` would reach now (null: none of them holds a row). */
export async function highWaterCursor(db: Queryable, tables: readonly TableName[]): Promise<string | null> {
  if (tables.length === 0) return null;
  // Each max() is an index-only lookup on the table's server_version index.
  const maxes = tables.map((table) => sql`(select max(server_version) from ${sql.identifier(table)})`);
  const [row] = rowsOf<{ high: string | number | null }>(await db.execute(sql`select greatest(${sql.join(maxes, sql`, `)})::bigint as high`));
  return row?.high === null || row?.high === undefined ? null : String(row.high);
}

/** Whether `high` is past `cursor` (a device that has pulled nothing is behind any row). */
export function isNewer(high: string, cursor: string | null): boolean {
  if (cursor === null) return true;
  try {
    return BigInt(high) > BigInt(cursor);
  } catch {
    // A cursor we cannot read: a pull sorts it out, and a poke too many costs one empty pull.
    return true;
  }
}

/** The cursor a push's applied rows reach (null: it applied nothing). */
export function pushedVersion(response: Pick<PushResponse, 'applied'>): string | null {
  let high: bigint | null = null;
  for (const rows of Object.values(response.applied)) {
    for (const row of rows ?? []) {
      const version = BigInt(row.server_version);
      if (high === null || version > high) high = version;
    }
  }
  return high === null ? null : String(high);
}

/** A's position compared with B's, for batching pokes: the later of two versions. */
export function laterVersion(a: string, b: string): string {
  try {
    return BigInt(a) >= BigInt(b) ? a : b;
  } catch {
    return b;
  }
}
