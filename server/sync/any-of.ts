// `column = any($1::uuid[])`: a set of ids as ONE parameter. drizzle's inArray makes a parameter
// per value, and building 1,000-value lists (three per batch) through its SQL builder cost more
// server CPU than the push's whole decision (10-15 % of the server's CPU in a push profile).
import { sql, type Column, type SQL } from 'drizzle-orm';

/** A PostgreSQL array literal: every element quoted, `"` and `\` escaped (safe for any text). */
export const arrayLiteral = (values: readonly string[]): string =>
  `{${values.map((value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;

/** SQL: `column` is one of `ids` (uuids). */
export const isAnyUuid = (column: Column | SQL, ids: readonly string[]): SQL =>
  sql`${column} = any(${arrayLiteral(ids)}::uuid[])`;
