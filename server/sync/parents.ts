// Referential integrity of a push (the parents of shared/tables.ts): a row naming a parent the
// server has never had (and that no earlier part of this push wrote) is refused alone, with a
// reason a person can act on. Tables are applied parents first, so a parent pushed earlier in the
// same push is already there; a tombstoned parent counts (its history is kept). The parents are
// looked up in the batch's one read (batch-read.ts).
import { tableRegistry, type TableName, type TableSpec } from '../../shared/tables.js';
import type { PushedRow } from './decide.js';

/** A parent table and the ids of it that live rows of the batch name (tombstones need none). */
export interface ParentLookup {
  parent: TableName;
  column: string;
  ids: string[];
}

export function parentLookups(table: TableName, rows: PushedRow[]): ParentLookup[] {
  const live = rows.filter((row) => !row.deleted_at);
  const parents: TableSpec['parents'] = tableRegistry[table].parents;
  return (Object.entries(parents) as [TableName, string][])
    .map(([parent, column]) => ({
      parent,
      column,
      ids: [...new Set(live.map((row) => row[column]).filter((id): id is string => typeof id === 'string'))],
    }))
    .filter((lookup) => lookup.ids.length > 0);
}

/** Record id → reason, for the rows of `rows` whose parent the server lacks (`found`: parent table → ids it has). */
export function missingParents(
  table: TableName,
  rows: PushedRow[],
  found: ReadonlyMap<TableName, ReadonlySet<string>>,
): Map<string, string> {
  const missing = new Map<string, string>();
  for (const { parent, column } of parentLookups(table, rows)) {
    const held = found.get(parent) ?? new Set<string>();
    for (const row of rows) {
      const id = row[column];
      if (row.deleted_at || typeof id !== 'string' || held.has(id) || missing.has(row.id)) continue;
      missing.set(
        row.id,
        `${table} ${row.id} names ${column} ${id}, but the server has no ${parent} row with that id; push the ${parent} row first (or correct ${column})`,
      );
    }
  }
  return missing;
}
