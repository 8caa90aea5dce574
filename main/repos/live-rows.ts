// Reading live rows: every reader of the repositories skips tombstones (deleted_at set), so a
// deleted record never shows in the UI even though its row stays for sync. Table and column names
// come from the table registry, never from user input.
import type { RowOf, TableName } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { fromSqliteRow, fromSqliteValue, wireColumns } from '../db/rows.js';
import { preparedOnce } from '../db/statements.js';
import { NotFoundError } from './errors.js';

/** The live row with this id, or undefined when it is missing or tombstoned. */
export function findLive<T extends TableName>(store: LocalStore, table: T, id: string): RowOf<T> | undefined {
  const raw = preparedOnce(store.sqlite, `SELECT * FROM "${table}" WHERE id = ? AND deleted_at IS NULL`).get(id);
  return raw ? fromSqliteRow(table, raw as Record<string, unknown>) : undefined;
}

/** The live row with this id; a NotFoundError naming `what` otherwise. */
export function requireLive<T extends TableName>(store: LocalStore, table: T, id: string, what: string): RowOf<T> {
  const row = findLive(store, table, id);
  if (!row) throw new NotFoundError(what, id);
  return row;
}

/**
 * Only `columns` of the live row with this id, or undefined when it is missing or tombstoned. For
 * a write's checks on the hot path: better-sqlite3 builds every selected value and column name
 * anew per row, so reading the two columns a check needs costs half of `SELECT *`.
 */
export function findLiveColumns<T extends TableName, K extends keyof RowOf<T> & string>(
  store: LocalStore,
  table: T,
  id: string,
  columns: readonly K[],
): Pick<RowOf<T>, K> | undefined {
  const raw = preparedOnce(
    store.sqlite,
    `SELECT ${columns.map((name) => `"${name}"`).join(', ')} FROM "${table}" WHERE id = ? AND deleted_at IS NULL`,
  ).get(id) as Record<string, unknown> | undefined;
  if (!raw) return undefined;
  const row: Record<string, unknown> = {};
  for (const { name, column } of wireColumns(table)) if (name in raw) row[name] = fromSqliteValue(column, raw[name]);
  return row as Pick<RowOf<T>, K>;
}

/** `columns` of the live row with this id; a NotFoundError naming `what` otherwise. */
export function requireLiveColumns<T extends TableName, K extends keyof RowOf<T> & string>(
  store: LocalStore,
  table: T,
  id: string,
  what: string,
  columns: readonly K[],
): Pick<RowOf<T>, K> {
  const row = findLiveColumns(store, table, id, columns);
  if (!row) throw new NotFoundError(what, id);
  return row;
}

/** Live rows whose `column` equals `value` (e.g. a form's sections), in `orderBy` order. */
export function liveRowsWhere<T extends TableName>(
  store: LocalStore,
  table: T,
  column: keyof RowOf<T> & string,
  value: string,
  orderBy = 'position, id',
): RowOf<T>[] {
  const raws = preparedOnce(
    store.sqlite,
    `SELECT * FROM "${table}" WHERE "${column}" = ? AND deleted_at IS NULL ORDER BY ${orderBy}`,
  ).all(value) as Record<string, unknown>[];
  return raws.map((raw) => fromSqliteRow(table, raw));
}
