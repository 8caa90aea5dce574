// Columns no two live rows may share (the registry's `unique`: a store's code). Two managers may
// each add store S004 while offline; the second push to arrive is refused for that row alone, with
// a reason the manager can act on (invariant 10: set aside, shown, never silently dropped), and
// the rest of the push goes on. Checked here rather than by a unique index so that the refusal is
// a reason on one row, not a failed push; the push's per-record locks do not cover two different
// records, so two pushes of the same new code at the same instant could both pass (rare: two
// managers; the Stores screen then shows both, and either can be renamed).
import { sql } from 'drizzle-orm';
import { tableRegistry, type TableName, type TableSpec } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';
import type { PushedRow } from './decide.js';

/** Record id → reason, for the live rows of `rows` repeating a unique value another live row holds. */
export async function repeatedUniqueValues(
  tx: Queryable,
  table: TableName,
  rows: PushedRow[],
): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  const spec: TableSpec = tableRegistry[table];
  const live = rows.filter((row) => !row.deleted_at);
  for (const column of spec.unique ?? []) {
    const values = [...new Set(live.map((row) => row[column]).filter((v): v is string => typeof v === 'string'))];
    if (values.length === 0) continue;
    const held = rowsOf<{ id: string; value: string }>(
      await tx.execute(sql`select id::text as id, ${sql.identifier(column)} as value from ${sql.identifier(table)}
        where deleted_at is null and ${sql.identifier(column)} in (${sql.join(
          values.map((v) => sql`${v}`),
          sql`, `,
        )})`),
    );
    // Who holds each value now: the server's live rows, then (in push order) the rows of this batch.
    const holder = new Map<string, string>();
    const pushedIds = new Set(live.map((row) => row.id));
    // A row of this batch re-saving its own value (or giving it up) does not hold it against itself.
    for (const { id, value } of held) if (!pushedIds.has(id)) holder.set(value, id);
    for (const row of live) {
      const value = row[column];
      if (typeof value !== 'string') continue;
      const other = holder.get(value);
      if (other && other !== row.id) {
        refused.set(
          row.id,
          `${table} ${row.id}: ${column} ${value} is already used by ${table} ${other}; choose another ${column}`,
        );
      } else {
        holder.set(value, row.id);
      }
    }
  }
  return refused;
}
