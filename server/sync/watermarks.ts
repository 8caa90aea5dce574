// The seed protocol's `timestamp` as a safe watermark (invariant 1 for clients that know nothing
// of `cursor`): every pull page records the instant it hands out together with the position the
// page ended at, so a `last_sync_timestamp` passed back maps to exactly that position.
import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db/client.js';
import { executeNamed } from './named-statement.js';
import { positionOf, type Position } from './position.js';
import { withRescope, type PullPosition } from './rescope.js';

/** Instants are unique at the wire's precision (milliseconds); a taken one moves on by 1 ms. */
const MAX_TRIES = 100;

/**
 * Records `position` under a new, unique instant (the database's clock) and returns that instant:
 * the `timestamp` of the pull reply. Its own statement, outside the pull's read-only snapshot.
 * `synced`: the pulling device's last sync is written in the same statement (one round trip
 * less on every pull that ends a sync, a delta's only page included).
 */
export async function recordWatermark(
  db: Queryable,
  position: Position,
  rescope: string | null = null,
  synced: { deviceId: string; at: Date } | null = null,
): Promise<Date> {
  const marking = synced
    ? sql`marked as (update devices set last_sync_at = ${synced.at.toISOString()}::timestamptz
        where id = ${synced.deviceId}), `
    : sql``;
  for (let bump = 0; bump < MAX_TRIES; bump++) {
    // Named (sync/named-statement.ts): every pull page runs it, with one of two texts.
    const [row] = rowsOf<{ at: Date | string }>(
      await executeNamed(
        db,
        sql`
        with ${marking}recorded as (
          insert into sync_watermarks (at, server_txid, server_version, rescope)
          values (date_trunc('milliseconds', clock_timestamp()) + ${bump} * interval '1 millisecond',
                  ${position.txid.toString()}::bigint, ${position.version.toString()}::bigint, ${rescope})
          on conflict (at) do nothing
          returning at)
        select at from recorded`,
      ),
    );
    if (row) return new Date(row.at);
  }
  throw new Error('could not record a pull watermark: every instant tried was taken');
}

/**
 * The position a `last_sync_timestamp` stands for: that of the greatest watermark at or before it
 * (the exact one for a timestamp this server handed out and has not thinned; else one whose
 * position is no later, see thinWatermarks). An earlier position only sends rows again (upserts are
 * idempotent and only move forward). Null: older than every watermark, so a full sync.
 */
export async function positionAt(db: Queryable, timestamp: string): Promise<Position | null> {
  const [row] = rowsOf<{ server_txid: string | number; server_version: string | number }>(
    await db.execute(sql`
      select server_txid, server_version from sync_watermarks
      where at <= ${timestamp}::timestamptz order by at desc limit 1`),
  );
  return row ? positionOf(row) : null;
}

/**
 * positionAt with the re-scope phase the page was in, if any (rescope.ts), so a seed client of a
 * moved store device, passing back only `timestamp`, goes through the phase too. A thinned entry
 * keeps its own phase part with the hour's smallest main position: at worst rows sent again.
 */
export async function pullPositionAt(db: Queryable, timestamp: string): Promise<PullPosition | null> {
  const [row] = rowsOf<{ server_txid: string | number; server_version: string | number; rescope: string | null }>(
    await db.execute(sql`
      select server_txid, server_version, rescope from sync_watermarks
      where at <= ${timestamp}::timestamptz order by at desc limit 1`),
  );
  return row ? withRescope(positionOf(row), row.rescope) : null;
}

export const KEEP_ALL_FOR_MS = 24 * 60 * 60 * 1000;
let lastThinned = 0;

/**
 * Watermarks older than a day are thinned to one per hour: each hour keeps its EARLIEST instant,
 * carrying the SMALLEST position of the hour. A timestamp handed out in that hour then resolves to
 * that entry (the greatest at or before it), whose position is no later than its own: never a
 * skipped row, at worst rows sent again. Run at most once an hour per process.
 */
export async function thinWatermarks(db: Queryable, now = Date.now()): Promise<void> {
  if (now - lastThinned < 60 * 60 * 1000) return;
  lastThinned = now;
  const cutoff = new Date(now - KEEP_ALL_FOR_MS).toISOString();
  await db.execute(sql`
    with old as (
      select date_trunc('hour', at) as hour, at, server_txid, server_version from sync_watermarks
      where at < date_trunc('hour', ${cutoff}::timestamptz)),
    keep as (select hour, min(at) as at from old group by hour),
    lowest as (
      select distinct on (hour) hour, server_txid, server_version from old
      order by hour, server_txid, server_version),
    lowered as (
      update sync_watermarks w set server_txid = lowest.server_txid, server_version = lowest.server_version
      from keep join lowest using (hour) where w.at = keep.at)
    delete from sync_watermarks w using old
    where w.at = old.at and w.at not in (select at from keep)`);
}
