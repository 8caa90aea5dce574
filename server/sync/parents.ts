// Referential integrity of a push (the parents of shared/tables.ts): a row naming a parent the
// server has never had (and that no earlier part of this push wrote) is refused alone, with a
// reason a person can act on. Tables are applied parents first, so a parent pushed earlier in the
// same push is already there; a tombstoned parent counts (its history is kept).
import { tableRegistry, type TableName, type TableSpec } from '../../shared/tables.js';
import type { Queryable } from '../db/client.js';
import { syncedTables } from '../db/schema.js';
import { isAnyUuid } from './any-of.js';
import type { PushedRow } from './decide.js';

// drizzle's generics cannot follow a table chosen at run time (a union of tables defeats its
// overloads). Every synced table has the same uuid `id` (schema.ts), the only column named here,
// so one table's type stands for all; the rows selected are read as plain records.
type AnyTable = (typeof syncedTables)['forms'];

/** Record id → reason, for the rows of `rows` whose parent the server lacks. Tombstones need none. */
export async function missingParents(tx: Queryable, table: TableName, rows: PushedRow[]): Promise<Map<string, string>> {
  const missing = new Map<string, string>();
  const live = rows.filter((row) => !row.deleted_at);
  const parents: TableSpec['parents'] = tableRegistry[table].parents;
  for (const [parent, column] of Object.entries(parents) as [TableName, string][]) {
    const wanted = [...new Set(live.map((row) => row[column]).filter((id): id is string => typeof id === 'string'))];
    if (wanted.length === 0) continue;
    const t = syncedTables[parent] as AnyTable;
    const found = new Set(
      ((await tx.select({ id: t.id }).from(t).where(isAnyUuid(t.id, wanted))) as { id: string }[]).map((r) => r.id),
    );
    for (const row of live) {
      const id = row[column];
      if (typeof id !== 'string' || found.has(id) || missing.has(row.id)) continue;
      missing.set(
        row.id,
        `${table} ${row.id} names ${column} ${id}, but the server has no ${parent} row with that id; push the ${parent} row first (or correct ${column})`,
      );
    }
  }
  return missing;
}
