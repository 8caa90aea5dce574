// What a push reads about its device once its records are locked (record-locks.ts), in ONE
// statement: the device's store as it stands now (a move committed before this push counts,
// invariant 12), and which of the push's change ids this device already applied (a retry whose
// answer was lost, invariant 2). Read after the locks, so a concurrent attempt of the same push
// that held them has committed (its audit entries are seen) or not begun.
// When the device's last sync is due to be written (throttled: syncMarkDue in auth/devices.ts), the
// same statement writes it (a data-modifying CTE), one round trip less on a device's first push
// of a sync: the write commits or rolls back with the push, as it did as the push's last statement.
// Each change id is one probe of the exactly-once index (device_id, change_id), kept from being
// flattened into a join by OFFSET 0: `change_id = any($ids)` was planned as a bitmap scan of the
// device's whole history with the ids as a recheck filter (EXPLAIN ANALYZE: 2,500 entries fetched
// to find 0 of 500 ids), a cost that grows with every push the device ever made.
import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db/client.js';
import { arrayLiteral } from './any-of.js';
import { executeNamed } from './named-statement.js';

export interface PushState {
  /** The device's store now (null: a manager, or a store device without a store). */
  store: string | null;
  /** Change ids of this push already in the audit log for this device. */
  logged: Set<string>;
}

export async function readPushState(
  tx: Queryable,
  device: { id: string; role: string },
  changeIds: readonly string[],
  /** The device's last sync to record (devices.last_sync_at), or null when not due. */
  synced: Date | null = null,
): Promise<PushState> {
  const marking = synced
    ? sql`with marked as (update devices set last_sync_at = ${synced.toISOString()}::timestamptz
        where id = ${device.id}) `
    : sql``;
  const [row] = rowsOf<{ store: string | null; logged: string[] | null }>(
    await executeNamed(
      tx,
      sql`
      ${marking}select (select store_id from devices where id = ${device.id}) as store,
             array(select wanted.id::text from unnest(${arrayLiteral(changeIds)}::uuid[]) as wanted(id)
                   cross join lateral (select 1 from audit_log
                                       where device_id = ${device.id} and change_id = wanted.id offset 0) as logged
                  ) as logged`,
    ),
  );
  return {
    store: device.role === 'store' ? (row?.store ?? null) : null,
    logged: new Set(row?.logged ?? []),
  };
}
