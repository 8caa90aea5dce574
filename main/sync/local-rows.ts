// Reading and writing synced rows of the local store in their wire shape, for the engine.
// Pulls write thousands of rows per page, so this uses one prepared statement per table with
// positional values; the column conversions (JSON, booleans) come from main/db/rows.ts, looked up
// once per table (sqliteConverter): a pulled row converts only its JSON and boolean columns and is
// bound from one array the statement reuses, with no call into drizzle per value and no new array
// per row.
// (rows.ts's upsertSyncedRow is the repositories' write: it replaces unconditionally; the engine's
// upsert here replaces only with a newer server_version.)
import { wireColumnsOf, type TableName } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { fromSqliteRow, sqliteConverter, upsertSql, wireColumns } from '../db/rows.js';

export type WireRow = Record<string, unknown> & { id: string };

interface Runnable {
  run(...values: unknown[]): { changes: number };
}

export interface TableStatements {
  /** Insert, or replace when the incoming server_version is newer than the one we hold. */
  upsertIfNewer: Runnable;
  /** upsertIfNewer of one wire row; the number of rows it wrote (0: we hold that version or newer). */
  applyRow(row: Record<string, unknown>, serverVersion: number | null): number;
  /**
   * applyRow of a row sent as an array of values: `positions[i]` is where the statement's i-th
   * column (wire columns, then server_version) sits in `values`.
   */
  applyValues(values: readonly unknown[], positions: readonly number[]): number;
  select: { get(id: string): Record<string, unknown> | undefined };
  /** SQLite values in the statement's column order (wire columns, then server_version). */
  values(row: Record<string, unknown>, serverVersion: number | null): unknown[];
  fromSqlite(raw: Record<string, unknown>): WireRow & { server_version: number | null };
}

const cache = new WeakMap<LocalStore['sqlite'], Map<TableName, TableStatements>>();

export function tableStatements(store: LocalStore, table: TableName): TableStatements {
  let perStore = cache.get(store.sqlite);
  if (!perStore) cache.set(store.sqlite, (perStore = new Map<TableName, TableStatements>()));
  const existing = perStore.get(table);
  if (existing) return existing;

  const columns = wireColumns(table);
  const wireNames = columns.map((c) => c.name);
  const converters = columns.map(({ column }) => sqliteConverter(column));
  const names = [...wireNames, 'server_version'];
  /** SQLite values of `row` into `into`, in the statement's order (server_version last). */
  const fill = (into: unknown[], row: Record<string, unknown>, serverVersion: number | null) => {
    for (let i = 0; i < wireNames.length; i += 1) {
      const value = row[wireNames[i]!];
      const convert = converters[i];
      into[i] = convert ? convert(value) : (value ?? null);
    }
    into[wireNames.length] = serverVersion;
    return into;
  };
  const fillFromValues = (into: unknown[], values: readonly unknown[], positions: readonly number[]) => {
    for (let i = 0; i < wireNames.length; i += 1) {
      const value = values[positions[i]!];
      const convert = converters[i];
      into[i] = convert ? convert(value) : (value ?? null);
    }
    into[wireNames.length] = values[positions[wireNames.length]!];
    return into;
  };
  // better-sqlite3 copies the values into the statement when it runs: one array serves every row.
  const bound: unknown[] = new Array<unknown>(names.length).fill(null);
  // Versions only move forward: an old server version never overwrites a newer one, so a
  // tombstone never comes back to life (invariant 11). NULL: a row we never had from the server.
  const upsertIfNewer = store.sqlite.prepare(
    upsertSql(table, names, {
      parameters: 'positional',
      onlyIf: `"${table}".server_version IS NULL OR excluded.server_version > "${table}".server_version`,
    }),
  );
  const statements: TableStatements = {
    upsertIfNewer,
    applyRow: (row, serverVersion) => upsertIfNewer.run(fill(bound, row, serverVersion)).changes,
    applyValues: (values, positions) => upsertIfNewer.run(fillFromValues(bound, values, positions)).changes,
    select: store.sqlite.prepare(`SELECT * FROM "${table}" WHERE id = ?`),
    values: (row, serverVersion) => fill(new Array<unknown>(names.length), row, serverVersion),
    fromSqlite(raw) {
      return {
        ...(fromSqliteRow(table, raw) as WireRow),
        server_version: (raw.server_version as number | null) ?? null,
      };
    },
  };
  perStore.set(table, statements);
  return statements;
}

/** The local row in wire shape (plus server_version), or undefined. */
export function readLocalRow(store: LocalStore, table: TableName, id: string) {
  const statements = tableStatements(store, table);
  const raw = statements.select.get(id);
  return raw ? statements.fromSqlite(raw) : undefined;
}

/** Keeps only the table's wire columns: server bookkeeping and change ids never reach local tables. */
export function pickWireColumns(table: TableName, row: Record<string, unknown>): WireRow {
  const picked: Record<string, unknown> = {};
  for (const column of wireColumnsOf(table)) if (column in row) picked[column] = row[column];
  return picked as WireRow;
}
