// Prepared statements compiled once per connection. better-sqlite3's prepare() parses and plans
// the SQL every call (tens of µs, more than running a primary-key lookup), so the hot paths (a
// local edit's checks, the outbox) reuse one statement per SQL text. Only SQL built from code
// constants and registry names goes through here, never user input, so the cache stays small.
import type Database from 'better-sqlite3';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The statement for `sql` on this connection, prepared on first use. */
export function preparedOnce(sqlite: Database.Database, sql: string): Database.Statement {
  let statements = cache.get(sqlite);
  if (!statements) cache.set(sqlite, (statements = new Map<string, Database.Statement>()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = sqlite.prepare(sql)));
  return statement;
}
