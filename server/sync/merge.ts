// Field-level three-way merge, as a PURE function (no database): a pushed row, the row the server
// holds and the row as it was at the push's base_version (what the pusher edited). Unit-tested
// without PostgreSQL (merge.test.ts); decide.ts calls it when a push carries base_version and the
// server still has that version's image (audit log, base-images.ts).
//
// The merge invariant: an edit of a field is never lost to an edit of ANOTHER field. Each field
// is judged alone against the base:
//   only the pusher changed it   → the pushed value;
//   only others changed it       → the server's value;
//   both, to the same value      → that value (no conflict);
//   both, to different values    → the table's rule decides (a conflict names the field).
// JSON values (answers, options, settings) are one field each: merged as whole values.
// A delete (or undelete) on either side is not merged: the row-level rule decides, as before.
import type { FieldConflict, Resolution } from '../../shared/protocol/sync.js';
import { columnsOf, type TableName } from '../../shared/tables.js';
import { sameValue, type WireRow } from './rows.js';

/** Columns merged field by field: every column but the id, the writer's clock and the tombstone. */
export const mergedColumns = (table: TableName): string[] =>
  columnsOf(table).filter((column) => column !== 'id' && column !== 'updated_at' && column !== 'deleted_at');

export interface MergeInput {
  table: TableName;
  /** The row as it was at the push's base_version. */
  base: WireRow;
  /** The row the server holds now. */
  server: WireRow;
  /** The row as the device pushed it. */
  pushed: WireRow;
  /** What the table's rule says between the two edits (a rule decides by role and edit time, not by field). */
  resolution: Resolution;
}

export interface MergeResult {
  /** The server row with the merged field values (wire columns; updated_at is the server's). */
  row: WireRow;
  /** Fields taken from the push (only the pusher changed them). */
  pushed: string[];
  /** Fields kept from the server (only others changed them since the base). */
  kept: string[];
  /** Fields both changed to different values, each decided by the rule. */
  conflicts: FieldConflict[];
}

const value = (row: WireRow, column: string): unknown => row[column] ?? null;

/** Whether the deleted_at of either side moved away from the base: then no field-level merge. */
export function touchesTombstone(input: Pick<MergeInput, 'base' | 'server' | 'pushed'>): boolean {
  const base = value(input.base, 'deleted_at');
  return !sameValue(value(input.pushed, 'deleted_at'), base) || !sameValue(value(input.server, 'deleted_at'), base);
}

/** The three-way merge; null when a tombstone is involved (the row-level rule decides). */
export function mergeFields(input: MergeInput): MergeResult | null {
  if (touchesTombstone(input)) return null;
  const { table, base, server, pushed, resolution } = input;
  const row: WireRow = Object.fromEntries(columnsOf(table).map((column) => [column, value(server, column)]));
  const result: MergeResult = { row, pushed: [], kept: [], conflicts: [] };
  for (const field of mergedColumns(table)) {
    const mine = value(pushed, field);
    const theirs = value(server, field);
    const was = value(base, field);
    const iChanged = !sameValue(mine, was);
    const theyChanged = !sameValue(theirs, was);
    if (iChanged && !theyChanged) {
      row[field] = mine;
      result.pushed.push(field);
    } else if (theyChanged && !iChanged) {
      result.kept.push(field);
    } else if (iChanged && theyChanged && !sameValue(mine, theirs)) {
      row[field] = resolution === 'client_wins' ? mine : theirs;
      result.conflicts.push({ field, client_value: mine, server_value: theirs, base_value: was, resolution });
    }
  }
  return result;
}
