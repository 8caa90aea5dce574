// Between a drizzle row and a wire row. Property names equal column names (server/db/schema.ts),
// so the only translation is instants: Date objects in the database layer, ISO strings on the wire.
import { getTableColumns, type Column } from 'drizzle-orm';
import { tableNames, wireColumnsOf, type TableName } from '../../shared/tables.js';
import { syncedTables } from '../db/schema.js';

export type WireRow = Record<string, unknown>;

/** A table's columns of one drizzle column type, per table (derived from the drizzle tables, never listed by hand). */
const columnsOfType = (columnType: string) =>
  Object.fromEntries(
    Object.entries(syncedTables).map(([table, columns]) => [
      table,
      // A union of tables defeats getTableColumns' inference; each of its values is a drizzle Column.
      Object.values(getTableColumns(columns) as Record<string, Column>)
        .filter((column) => column.columnType === columnType)
        .map((column) => column.name),
    ]),
  ) as Record<TableName, string[]>;

const instantColumns = columnsOfType('PgTimestamp');
/** The uuid columns plus the push's change_id: everything withCanonicalUuids lower-cases. */
const uuidColumns = Object.fromEntries(
  Object.entries(columnsOfType('PgUUID')).map(([table, columns]) => [table, [...columns, 'change_id']]),
) as Record<TableName, string[]>;

/**
 * A pushed row with its uuids (record id, references, change_id) in lower case, the one spelling
 * PostgreSQL gives back. UUIDs are case-insensitive (RFC 4122) and some devices write them in
 * upper case (iOS); compared as strings against what the database returns, an upper-case id would
 * miss its server row (no conflict check, no `applied` entry) and an upper-case change_id its audit
 * entry (a retry failing on the exactly-once index with 500, for ever).
 */
export function withCanonicalUuids<Row extends WireRow>(table: TableName, row: Row): Row {
  // Nearly every device writes them in lower case already: the row itself, no copy (a push's rows
  // live until its answer is sent, so a copy of each is promoted to the old generation).
  let out: WireRow | null = null;
  for (const column of uuidColumns[table]) {
    const value = row[column];
    if (typeof value !== 'string') continue;
    const lower = value.toLowerCase();
    if (lower !== value) (out ??= { ...row })[column] = lower;
  }
  return (out ?? row) as Row;
}

/**
 * The server's own columns that never travel: the writing transaction (a pull position's half,
 * handed out only inside the opaque cursor), the corrected edit time (sent as a conflict's
 * client_edited_at / server_edited_at, where a person reads it) and the row's stored wire text
 * (`wire`, a generated column drizzle does not declare: migration 0007, wire-json.ts).
 */
export const internalColumns = ['server_txid', 'edited_at', 'wire'] as const;

/** A database row (from drizzle, or from `to_jsonb`) as the wire carries it: instants as ISO strings. */
export function wireRowFromPg(table: TableName, row: Record<string, unknown>): WireRow {
  const out: WireRow = { ...row };
  for (const column of internalColumns) delete out[column];
  for (const column of instantColumns[table]) {
    const value = out[column];
    if (value instanceof Date) out[column] = value.toISOString();
    else if (typeof value === 'string') out[column] = new Date(value).toISOString();
  }
  return out;
}

const jsonColumns = columnsOfType('PgJsonb');

/**
 * The wire columns in the order the database spells a row (the drizzle table's, without
 * internalColumns): also the order of a row's values in a pull answer asked as arrays (wire-json.ts).
 */
export const wireColumnOrder = Object.fromEntries(
  Object.entries(syncedTables).map(([table, columns]) => [
    table,
    Object.values(getTableColumns(columns) as Record<string, Column>)
      .map((column) => column.name)
      .filter((name) => !(internalColumns as readonly string[]).includes(name)),
  ]),
) as Record<TableName, string[]>;

/** jsonb's order of object keys: shorter first, then by their UTF-8 bytes. */
const jsonbKeyOrder = (a: string, b: string) => {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length - bb.length || Buffer.compare(ba, bb);
};

/** A JSON value as jsonb gives it back: the same values, object keys in jsonb's order. */
export function asJsonb(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(asJsonb);
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort(jsonbKeyOrder)
      .map((key) => [key, asJsonb(object[key])]),
  );
}

/**
 * The row a push wrote, as the database now holds it and a pull would give it (wireRowFromPg of the
 * stored row): the wire columns written (`written`: the values PostgreSQL stored, already in the
 * spelling it answers with: instants as toISOString, uuids in lower case) plus the server's
 * columns. Built here instead of read back: spelling the row as wire JSON in PostgreSQL (to_char
 * of every instant) cost more database CPU per row than the upsert itself. A jsonb column's
 * objects get jsonb's key order; every other value is stored as sent (wire.test: storedRow equals
 * the row read back, for every column type).
 */
export function storedRow(
  table: TableName,
  written: WireRow,
  server: { server_version: number; server_updated_at: string; written_by: string },
): WireRow {
  const out = blankRow(table, wireColumnOrder);
  const json = jsonColumns[table];
  for (const column of wireColumnOrder[table]) {
    if (column in server) out[column] = server[column as keyof typeof server];
    else {
      const value = written[column] ?? null;
      out[column] = json.includes(column) ? asJsonb(value) : value;
    }
  }
  return out;
}

const blanks = new Map<Record<TableName, readonly string[]>, Map<TableName, WireRow>>();

/**
 * A new row of the table's columns (in `order`), all null, to be filled in. A copy of one template:
 * every row of a table then shares one shape from the start, where adding its columns one by one to
 * `{}` (or Object.fromEntries of [column, value] pairs) walks V8's shape transitions by key, and
 * allocates the pairs, for every row.
 */
function blankRow(table: TableName, order: Record<TableName, readonly string[]>): WireRow {
  let perTable = blanks.get(order);
  if (!perTable) blanks.set(order, (perTable = new Map<TableName, WireRow>()));
  let blank = perTable.get(table);
  if (!blank) {
    blank = {};
    for (const column of order[table]) blank[column] = null;
    perTable.set(table, blank);
  }
  return { ...blank };
}

const wireColumnLists = Object.fromEntries(tableNames.map((table) => [table, wireColumnsOf(table)])) as Record<
  TableName,
  readonly string[]
>;

/** Only the table's wire columns (drops change_id and the server's bookkeeping). */
export function wireColumnsOnly(table: TableName, row: WireRow): WireRow {
  const out = blankRow(table, wireColumnLists);
  for (const column of wireColumnLists[table]) out[column] = row[column] ?? null;
  return out;
}

/**
 * Seed, conflict detection step 3 ("different field values"): two versions conflict only if a
 * column other than the id and the writer's clock differs. JSON is compared by value, not text:
 * jsonb reorders object keys.
 */
export function sameData(table: TableName, a: WireRow, b: WireRow): boolean {
  for (const column of wireColumnLists[table]) {
    if (column === 'id' || column === 'updated_at') continue;
    if (!sameValue(normalise(a[column]), normalise(b[column]))) return false;
  }
  return true;
}

const normalise = (value: unknown) => {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value;
};

/** Two column values equal by value (JSON by content, instants by the moment they name). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') {
    // Instants may differ in spelling only (…Z vs …+00:00).
    const ta = Date.parse(a);
    return /^\d{4}-\d\d-\d\dT/.test(a) && /^\d{4}-\d\d-\d\dT/.test(b) && !Number.isNaN(ta) && ta === Date.parse(b);
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}
