// Per-record serialisation of pushes, replacing one global push lock (pushes on different records
// run in parallel). Two pushes touching one record — two edits, two inserts of one new id, or two
// attempts of one retried push — must not both read the record (and the audit log) before either
// writes, or a conflict would go undetected or a change be applied twice (invariants 2 and 7).
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db/client.js';

/** A stable 64-bit lock key per record, the same in every server process. */
export function recordLockKey(table: string, id: string): bigint {
  return createHash('sha256').update(`${table}/${id.toLowerCase()}`).digest().readBigInt64BE(0);
}

/**
 * Takes a transaction-scoped advisory lock on every record, in ONE ascending order shared by every
 * push (two pushes can then never wait on each other in a cycle), before anything is read. Returns
 * the database's clock as read once every lock is held (one round trip for both), or null when
 * there was nothing to lock.
 */
export async function lockRecords(
  tx: Queryable,
  records: Iterable<{ table: string; id: string }>,
): Promise<Date | null> {
  const keys = [...new Set([...records].map(({ table, id }) => recordLockKey(table, id)))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  if (keys.length === 0) return null;
  // unnest yields the array in order, and each row's lock is taken as the row is produced; the
  // aggregate ends, and the clock is read, only after the last one.
  const [row] = rowsOf<{ ms: number | string }>(
    await tx.execute(sql`
      select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms
      from (select count(pg_advisory_xact_lock(k)) as locked
            from unnest(${`{${keys.join(',')}}`}::bigint[]) as u(k)) as held
      where held.locked >= 0`),
  );
  return new Date(Number(row!.ms));
}
