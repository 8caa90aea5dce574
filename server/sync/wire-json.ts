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

/**
 * Where the expression is evaluated: in a query (`query`: PostgreSQL's own functions, joined by
 * concat()), or as the generated column `wire` (`stored`: a generated column may only call
 * immutable functions, so the instants and the to_json values go through the immutable wrappers
 * of migration 0007, every part is cast to text, and the parts are joined with `||`).
 */
type Evaluated = 'query' | 'stored';

function valueParts(column: Column, ref: string, evaluated: Evaluated): Part[] {
  const bare = (expression: string): Part[] =>
    column.notNull ? [{ sql: expression }] : [{ sql: `coalesce((${expression})::text, 'null')` }];
  const quoted = (expression: string): Part[] =>
    column.notNull
      ? [{ text: '"' }, { sql: expression }, { text: '"' }]
      : [{ sql: `coalesce('"' || (${expression})::text || '"', 'null')` }];
  const stored = evaluated === 'stored';
  switch (column.columnType) {
    case 'PgUUID':
      return quoted(stored ? `${ref}::text` : ref);
    case 'PgTimestamp':
      return quoted(stored ? `wire_instant(${ref})` : isoInstantText(ref));
    case 'PgBigInt53':
    case 'PgInteger':
    case 'PgJsonb':
      return bare(`${ref}::text`);
    default:
      return bare(stored ? `wire_json(${ref})` : `to_json(${ref})::text`);
  }
}

/** The parts as one SQL expression, adjacent texts merged: concat() in a query, `||` stored. */
function joinParts(parts: Part[], evaluated: Evaluated): string {
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
  if (evaluated === 'stored') return `(${args.join(' || ')})`;
  // concat() takes at most 100 arguments: nested beyond that.
  const MAX_ARGS = 90;
  if (args.length <= MAX_ARGS) return `concat(${args.join(', ')})`;
  const chunks: string[] = [];
  for (let i = 0; i < args.length; i += MAX_ARGS) chunks.push(`concat(${args.slice(i, i + MAX_ARGS).join(', ')})`);
  return `concat(${chunks.join(', ')})`;
}

/** How a pull answer spells a row (the request's `row_format`). */
export type RowFormat = 'objects' | 'arrays';

/**
 * SQL text: the wire JSON of a row of `table`, in the table's column order: an object, or for
 * `arrays` an array of the values alone (rows.ts wireColumnOrder names them). One concat() of the
 * columns' texts: row_to_json of a row of named values cost a third more of PostgreSQL's CPU per
 * row (a sub-select and a record per row), and the server only splices the text. In a query
 * each column is named with its table's name; in the generated column's expression, alone.
 */
function buildWireRowJson(table: TableName, format: RowFormat, evaluated: Evaluated): string {
  const qualifier = evaluated === 'stored' ? '' : `${quoteIdentifier(table)}.`;
  const [open, close] = format === 'arrays' ? ['[', ']'] : ['{', '}'];
  const parts = wireColumns[table].flatMap((column, i): Part[] => [
    { text: `${i === 0 ? open : ','}${format === 'arrays' ? '' : `${JSON.stringify(column.name)}:`}` },
    ...valueParts(column, `${qualifier}${quoteIdentifier(column.name)}`, evaluated),
  ]);
  return joinParts([...parts, { text: close }], evaluated);
}

/**
 * The expression of each synced table's generated column `wire`: the row as a pull answer asked
 * as arrays carries it. PostgreSQL writes it with the row (a few µs of its CPU per written row,
 * less since migration 0008 made the two wrappers PL/pgSQL) instead of on every pull of it (~5 µs
 * per pulled row, most of PostgreSQL's share of a pull; docs/benchmarks.md, "Each row's wire text
 * stored with it"). Migration 0007 holds these expressions as they were then; wire-json.test.ts
 * checks that every table's `wire` still equals what this builds, so a column added later fails
 * the tests until a migration defines `wire` again.
 */
export function storedWireExpression(table: TableName): string {
  return buildWireRowJson(table, 'arrays', 'stored');
}

const rendered = new Map<string, string>();

/**
 * SQL (type text): the wire JSON of a row of `table`, the FROM item named like the table. As
 * arrays: the row's stored `wire`; as objects (seed clients, older engines): built here.
 */
export function wireRowJson(table: TableName, format: RowFormat = 'objects'): SQL {
  if (format === 'arrays') return sql.raw(`${quoteIdentifier(table)}."wire"`);
  let text = rendered.get(table);
  if (text === undefined) rendered.set(table, (text = buildWireRowJson(table, 'objects', 'query')));
  return sql.raw(text);
}
