// A synced row's wire JSON, built by PostgreSQL. A pull page used to travel as `to_jsonb(row)`,
// which the driver parsed into objects, wireRowFromPg copied and reshaped (instants to ISO strings,
// internal columns dropped) and Express stringified again: about half the server's CPU per pulled
// row. Here the database writes the JSON text the wire carries, and the server only splices the
// texts into the answer (pull.ts). Same fields and values as wireRowFromPg (rows.ts) gives: the
// columns from the drizzle table minus internalColumns, instants as `toISOString()` spells them.
import { getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import { type TableName } from '../../shared/tables.js';
import { syncedTables } from '../db/schema.js';
import { internalColumns } from './rows.js';

/**
 * An instant as JavaScript's `toISOString()` writes it: UTC, milliseconds, `Z`. `MS` truncates
 * the microseconds, as a JavaScript Date does when the driver reads the value.
 */
const ISO_INSTANT_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const isoInstantText = (ref: string): string => `to_char(${ref} at time zone 'UTC', ${ISO_INSTANT_FORMAT})`;
/** The same for a column given as SQL (the push's batch read). */
export const isoInstant = (column: SQL): SQL =>
  sql`to_char(${column} at time zone 'UTC', ${sql.raw(ISO_INSTANT_FORMAT)})`;

const wireColumns = Object.fromEntries(
  Object.entries(syncedTables).map(([table, columns]) => [
    table,
    // A union of tables defeats getTableColumns' inference; each of its values is a drizzle Column.
    Object.values(getTableColumns(columns) as Record<string, Column>).filter(
      (column) => !(internalColumns as readonly string[]).includes(column.name),
    ),
  ]),
) as Record<TableName, Column[]>;

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * A column's value as JSON text, in parts for concat(): literal text (`text`) or an SQL expression
 * (`sql`). Each part spells the value exactly as row_to_json did (datum_to_json): a uuid or an
 * instant quoted (neither holds a character JSON escapes), an integer and a jsonb as their text,
 * a text through to_json (its escaping); any other type (boolean, double: `NaN` is quoted) through
 * to_json itself. A nullable column is the JSON `null` when null.
 */
type Part = { text: string } | { sql: string };
function valueParts(column: Column, ref: string): Part[] {
  const bare = (expression: string): Part[] =>
    column.notNull ? [{ sql: expression }] : [{ sql: `coalesce((${expression})::text, 'null')` }];
  const quoted = (expression: string): Part[] =>
    column.notNull
      ? [{ text: '"' }, { sql: expression }, { text: '"' }]
      : [{ sql: `coalesce('"' || (${expression})::text || '"', 'null')` }];
  switch (column.columnType) {
    case 'PgUUID':
      return quoted(ref);
    case 'PgTimestamp':
      return quoted(isoInstantText(ref));
    case 'PgBigInt53':
    case 'PgInteger':
    case 'PgJsonb':
      return bare(`${ref}::text`);
    default:
      return bare(`to_json(${ref})::text`);
  }
}

/** concat() of the parts, adjacent texts merged; nested when over PostgreSQL's 100 arguments. */
function concatOf(parts: Part[]): string {
  const args: string[] = [];
  let text = '';
  for (const part of parts) {
    if ('text' in part) {
      text += part.text;
      continue;
    }
    if (text) args.push(quoteLiteral(text));
    text = '';
    args.push(part.sql);
  }
  if (text) args.push(quoteLiteral(text));
  const MAX_ARGS = 90;
  if (args.length <= MAX_ARGS) return `concat(${args.join(', ')})`;
  const chunks: string[] = [];
  for (let i = 0; i < args.length; i += MAX_ARGS) chunks.push(`concat(${args.slice(i, i + MAX_ARGS).join(', ')})`);
  return `concat(${chunks.join(', ')})`;
}

/** How a pull answer spells a row (the request's `row_format`). */
export type RowFormat = 'objects' | 'arrays';

/**
 * SQL text: the wire JSON of a row of `table` (referenced by the table's name), in the table's
 * column order: an object, or for `arrays` an array of the values alone (rows.ts wireColumnOrder
 * names them). One concat() of the columns' texts: row_to_json of a row of named values cost
 * a third more of PostgreSQL's CPU per row (a sub-select and a record per row), and the server
 * only splices the text. Built once per table: it holds only identifiers and constants.
 */
function buildWireRowJson(table: TableName, format: RowFormat): string {
  const t = quoteIdentifier(table);
  const [open, close] = format === 'arrays' ? ['[', ']'] : ['{', '}'];
  const parts = wireColumns[table].flatMap((column, i): Part[] => [
    { text: `${i === 0 ? open : ','}${format === 'arrays' ? '' : `${JSON.stringify(column.name)}:`}` },
    ...valueParts(column, `${t}.${quoteIdentifier(column.name)}`),
  ]);
  return concatOf([...parts, { text: close }]);
}

const rendered = new Map<string, string>();

/** SQL (type text): the wire JSON of a row of `table`, the FROM item named like the table. */
export function wireRowJson(table: TableName, format: RowFormat = 'objects'): SQL {
  const key = `${format}:${table}`;
  let text = rendered.get(key);
  if (text === undefined) rendered.set(key, (text = buildWireRowJson(table, format)));
  return sql.raw(text);
}
