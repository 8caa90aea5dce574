// The one place that converts between a synced table's wire row (shared/tables.ts: JSON values,
// booleans, no server bookkeeping) and what SQLite stores (JSON as text, booleans as 0/1, plus
// `server_version`). The conversions come from the drizzle columns themselves
// (mapToDriverValue / mapFromDriverValue), so the schema stays the single definition of each column.
// The repositories write through main/db/outbox.ts; the sync engine applies pulled and pushed-back
// rows through main/sync/local-rows.ts (an upsert that only moves server_version forward), built
// on the same conversions.
import type Database from 'better-sqlite3';
import { Column, getTableColumns } from 'drizzle-orm';
import { columnsOf, type RowOf, type TableName } from '../../shared/tables.js';
import { syncedTables } from './schema.js';

/** A row as drizzle returns it from a synced table (wire columns plus server_version). */
export type LocalRow<T extends TableName> = (typeof syncedTables)[T]['$inferSelect'];

interface LocalColumn {
  /** The wire / SQL column name (they are the same in our schema). */
  name: string;
  column: Column;
}

const columnCache = new Map<TableName, LocalColumn[]>();

/** The wire columns of a table with their drizzle column (server_version excluded). */
export function wireColumns(table: TableName): LocalColumn[] {
  let cached = columnCache.get(table);
  if (!cached) {
    const drizzleColumns = getTableColumns(syncedTables[table]) as Record<string, Column>;
    cached = columnsOf(table).map((name) => {
      const column = drizzleColumns[name];
      // A registry column without a local column would be silently lost on every write.
      if (!column) throw new Error(`main/db/schema.ts lacks column ${table}.${name} of the table registry`);
      return { name, column };
    });
    columnCache.set(table, cached);
  }
  return cached;
}

/** Wire value → SQLite value (JSON → text, boolean → 0/1). null stays SQL NULL, as drizzle does. */
export function toSqliteValue(column: Column, value: unknown): unknown {
  return value === null || value === undefined ? null : column.mapToDriverValue(value);
}

/**
 * A column's wire → SQLite conversion as one function, or null where it is the identity (text,
 * integer and real columns: drizzle's base `mapToDriverValue` returns its value), so that a writer
 * of many rows converts only the JSON and boolean columns. null stays SQL NULL, as above.
 */
export function sqliteConverter(column: Column): ((value: unknown) => unknown) | null {
  if (column.mapToDriverValue === Column.prototype.mapToDriverValue) return null;
  return (value) => (value === null || value === undefined ? null : column.mapToDriverValue(value));
}

/** SQLite value → wire value. */
export function fromSqliteValue(column: Column, value: unknown): unknown {
  return value === null || value === undefined ? null : column.mapFromDriverValue(value);
}

/** A validated wire row as named SQLite parameters for a raw statement (`@column`). */
function toSqliteParams<T extends TableName>(table: T, row: RowOf<T>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const { name, column } of wireColumns(table)) {
    params[name] = toSqliteValue(column, (row as Record<string, unknown>)[name]);
  }
  return params;
}

/** A raw SQLite row (from `sqlite.prepare(...).get()`) as a wire row; server_version is dropped. */
export function fromSqliteRow<T extends TableName>(table: T, raw: Record<string, unknown>): RowOf<T> {
  const row: Record<string, unknown> = {};
  for (const { name, column } of wireColumns(table)) row[name] = fromSqliteValue(column, raw[name]);
  return row as RowOf<T>;
}

/**
 * A drizzle row (already mapped by drizzle) as a wire row: only the registry's columns, so
 * server_version and any join extras never leak into replies or the outbox.
 */
export function wireRowFromSqlite<T extends TableName>(
  table: T,
  local: LocalRow<T> | Record<string, unknown>,
): RowOf<T> {
  const row: Record<string, unknown> = {};
  for (const { name } of wireColumns(table)) row[name] = (local as Record<string, unknown>)[name] ?? null;
  return row as RowOf<T>;
}

/**
 * The one SQLite upsert of a synced row, for every writer of synced tables (local edits here,
 * pulled pages in sync/local-rows.ts): insert `names`, or on the same id update every other one
 * of them. `onlyIf` limits the update (a pulled row only over an older version); `parameters` is
 * how values are bound (`@name` for an object, `?` for an array in `names`' order).
 */
export function upsertSql(
  table: TableName,
  names: readonly string[],
  options: { parameters: 'named' | 'positional'; onlyIf?: string },
): string {
  const quoted = (name: string) => `"${name}"`;
  const values = names.map((name) => (options.parameters === 'named' ? `@${name}` : '?'));
  const updates = names.filter((name) => name !== 'id').map((name) => `${quoted(name)} = excluded.${quoted(name)}`);
  return (
    `INSERT INTO ${quoted(table)} (${names.map(quoted).join(', ')}) VALUES (${values.join(', ')}) ` +
    `ON CONFLICT(id) DO UPDATE SET ${updates.join(', ')}` +
    (options.onlyIf ? ` WHERE ${options.onlyIf}` : '')
  );
}

// Prepared statements are compiled once per connection and table.
const upsertCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function upsertStatement(sqlite: Database.Database, table: TableName, withServerVersion: boolean): Database.Statement {
  let perConnection = upsertCache.get(sqlite);
  if (!perConnection) upsertCache.set(sqlite, (perConnection = new Map<string, Database.Statement>()));
  const key = `${table}:${withServerVersion}`;
  let statement = perConnection.get(key);
  if (!statement) {
    const names = wireColumns(table).map((c) => c.name);
    if (withServerVersion) names.push('server_version');
    statement = sqlite.prepare(upsertSql(table, names, { parameters: 'named' }));
    perConnection.set(key, statement);
  }
  return statement;
}

/**
 * Inserts or replaces a synced row from a validated wire row. Without `serverVersion` the row's
 * server_version is left as it was (a local edit does not change which server version we hold);
 * with it (a store seeded as if pulled, in tests) it is set.
 */
export function upsertSyncedRow<T extends TableName>(
  sqlite: Database.Database,
  table: T,
  row: RowOf<T>,
  options: { serverVersion?: number | null } = {},
): void {
  const withServerVersion = options.serverVersion !== undefined;
  const params = toSqliteParams(table, row);
  if (withServerVersion) params.server_version = options.serverVersion;
  upsertStatement(sqlite, table, withServerVersion).run(params);
}
