// The statements every push batch runs (locks, reads, the write) and the pull's page statement go
// to PostgreSQL as NAMED statements: each connection parses and plans one of them once, not on
// every batch or page. Planning the batch's write (a data-modifying CTE) and reads cost PostgreSQL
// 0.3-1.5 ms per execution, measured: 5-15 µs per pushed row at 100-500 rows per push; planning
// the page's eight branches of wide rows cost more than a delta's rows (a generic plan keeps the
// index range scans in position order whatever the positions). drizzle has no named raw SQL, so
// this goes through its session's prepareQuery, which both drivers take a name in (node-postgres
// prepares it per connection; PGlite ignores it). Every value stays a parameter, so one table's
// statement is one text. Deployments behind PgBouncer in transaction mode need its prepared
// statement support (max_prepared_statements, PgBouncer 1.21 or later).
import { createHash } from 'node:crypto';
import { DrizzleQueryError, is, type SQL } from 'drizzle-orm';
import { NodePgSession } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Queryable } from '../db/client.js';

interface Compiled {
  sql: string;
  params: unknown[];
}

/** What a drizzle database or transaction holds inside (not in its public types). */
interface DrizzleInternals {
  session?: {
    prepareQuery?: (query: Compiled, fields: undefined, name: string, arrayMode: boolean) => { execute(): unknown };
  };
  dialect?: { sqlToQuery?: (query: SQL) => Compiled };
}

/** Statement text → its name (a hash of the text: the same name for the same text in every process). */
const names = new Map<string, string>();
const MAX_NAMES = 1000;

export async function executeNamed(db: Queryable, query: SQL): Promise<unknown> {
  const { session, dialect } = db as unknown as DrizzleInternals;
  if (!session?.prepareQuery || !dialect?.sqlToQuery) return db.execute(query);
  const compiled = dialect.sqlToQuery(query);
  let name = names.get(compiled.sql);
  if (!name) {
    name = `stmt_${createHash('sha1').update(compiled.sql).digest('hex').slice(0, 20)}`;
    if (names.size < MAX_NAMES) names.set(compiled.sql, name);
  }
  // node-postgres: straight to the driver, as drizzle's prepared query would send it (same name,
  // text, parameters and type parsers, the same result). Drizzle builds a prepared-query object
  // with two fresh type-parser tables and runs three async layers (tracing spans, its query cache)
  // around the one call, on each of the ~10 statements of every push and pull request: a fixed
  // cost per request of the server's CPU (docs/benchmarks.md, "The push's fixed cost per request").
  if (is(session, NodePgSession)) {
    const { client } = session as unknown as { client: Pick<pg.Pool, 'query'> };
    try {
      return await client.query({ name, text: compiled.sql, values: compiled.params, types: drizzleTypes });
    } catch (error) {
      // As drizzle reports it (the error middleware and the logs read the driver's error as its cause).
      throw new DrizzleQueryError(compiled.sql, compiled.params, error as Error);
    }
  }
  return session.prepareQuery(compiled, undefined, name, false).execute();
}

/**
 * The type parsers drizzle's node-postgres driver gives its queries (node-postgres/session.js):
 * dates, times and intervals (and their arrays) as PostgreSQL spells them, the rest as pg parses
 * them. One table for every statement instead of two new ones per statement.
 */
const textTypes = new Set<number>([
  pg.types.builtins.TIMESTAMPTZ,
  pg.types.builtins.TIMESTAMP,
  pg.types.builtins.DATE,
  pg.types.builtins.INTERVAL,
  1231, // numeric[]
  1115, // timestamp[]
  1185, // timestamptz[]
  1187, // interval[]
  1182, // date[]
]);
const asText = (value: string) => value;
const drizzleTypes = {
  getTypeParser: (typeId: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
    textTypes.has(typeId) ? asText : (pg.types.getTypeParser(typeId, format) as (value: string) => unknown),
};
