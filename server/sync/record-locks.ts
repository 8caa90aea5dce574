// Per-record serialisation of pushes, replacing one global push lock (pushes on different records
// run in parallel). Two pushes touching one record — two edits, two inserts of one new id, or two
// attempts of one retried push — must not both read the record (and the audit log) before either
// writes, or a conflict would go undetected or a change be applied twice (invariants 2 and 7).
import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db/client.js';
import { arrayLiteral } from './any-of.js';
import { executeNamed } from './named-statement.js';

/** The text a record's lock key is hashed from: the same in every server process. */
export const recordLockName = (table: string, id: string): string => `${table}/${id.toLowerCase()}`;

/**
 * Takes a transaction-scoped advisory lock on every record, in ONE ascending order shared by every
 * push (two pushes can then never wait on each other in a cycle), before anything is read. Returns
 * the database's clock as read once every lock is held (one round trip for both), or null when
 * there was nothing to lock. The transaction's later statements run on generic plans (below).
 *
 * The 64-bit key is PostgreSQL's `hashtextextended('table/id', 0)`, computed by the database: a
 * SHA-256 per record in JavaScript was ~9 µs of the server's CPU per pushed row. Every server
 * process must hash alike, so processes of a version that hashed in JavaScript must not run
 * beside this one on one database (a rolling upgrade of that step stops them first).
 */
export async function lockRecords(
  tx: Queryable,
  records: Iterable<{ table: string; id: string }>,
): Promise<Date | null> {
  const names: string[] = [];
  for (const { table, id } of records) names.push(recordLockName(table, id));
  if (names.length === 0) return null;
  // The keys are made distinct and sorted in a subquery; the aggregate above it takes each lock as
  // the sorted rows come up, so the clock is read only after the last one.
  // The same statement, as the push's first, makes the rest of its transaction run every named
  // statement on its generic plan (set_config local: until commit or rollback). PostgreSQL kept
  // planning the batch reads anew on every execution (a plan for the exact ids looked cheaper than
  // the generic one's guess of 100), which was ~1.3 ms of its ~6.7 ms CPU for a one-submission
  // push (docs/benchmarks.md, "The wire text's wrappers in PL/pgSQL, and generic plans for the
  // push"). Not for the whole session: a store's pull on generic plans cost 3× the CPU per row.
  const [row] = rowsOf<{ ms: number | string }>(
    await executeNamed(
      tx,
      sql`
      select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms,
             set_config('plan_cache_mode', 'force_generic_plan', true) as plans
      from (select count(pg_advisory_xact_lock(k)) as locked
            from (select distinct hashtextextended(n, 0) as k from unnest(${arrayLiteral(names)}::text[]) as u(n)
                  order by k) as keys) as held
      where held.locked >= 0`,
    ),
  );
  return new Date(Number(row!.ms));
}
