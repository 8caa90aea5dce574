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
import type { SQL } from 'drizzle-orm';
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
  return session.prepareQuery(compiled, undefined, name, false).execute();
}
