// What a push reads about its device once its records are locked (record-locks.ts), in ONE
// statement: the device's store as it stands now (a move committed before this push counts,
// invariant 12), and which of the push's change ids this device already applied (a retry whose
// answer was lost, invariant 2). Read after the locks, so a concurrent attempt of the same push
// that held them has committed (its audit entries are seen) or not begun. (Not in the locks'
// statement: a statement reads the snapshot taken when it began, before it waited for the locks.)
// The same statement reads the push's first batch (batch-read.ts, a read like this one, its rows
// after this one's), and writes the device's last sync when it is due (throttled: syncMarkDue in
// auth/devices.ts; a data-modifying CTE that commits or rolls back with the push): each was a
// round trip of its own.
// Each change id is one probe of the exactly-once index (device_id, change_id), kept from being
// flattened into a join by OFFSET 0: `change_id = any($ids)` was planned as a bitmap scan of the
// device's whole history with the ids as a recheck filter (EXPLAIN ANALYZE: 2,500 entries fetched
// to find 0 of 500 ids), a cost that grows with every push the device ever made.
import { sql } from 'drizzle-orm';
import type { TableName } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';
import { arrayLiteral } from './any-of.js';
import { batchReadOf, batchReadSql, type BatchRead, type BatchReadRow } from './batch-read.js';
import type { PushedRow } from './decide.js';
import { executeNamed } from './named-statement.js';

export interface PushState {
  /** The device's store now (null: a manager, or a store device without a store). */
  store: string | null;
  /** Change ids of this push already in the audit log for this device. */
  logged: Set<string>;
  /** The read of `firstBatch` (batch-read.ts), when one was asked for. */
  firstRead: BatchRead | null;
}

export async function readPushState(
  tx: Queryable,
  device: { id: string; role: string },
  changeIds: readonly string[],
  options: {
    /** The device's last sync to record (devices.last_sync_at), or null when not due. */
    synced?: Date | null;
    /** The push's first batch, read here in the same statement. */
    firstBatch?: { table: TableName; rows: PushedRow[] } | null;
  } = {},
): Promise<PushState> {
  const { synced, firstBatch } = options;
  const marking = synced
    ? sql`with marked as (update devices set last_sync_at = ${synced.toISOString()}::timestamptz
        where id = ${device.id}) `
    : sql``;
  // The state is one row whose `logged` is never null (array() of no rows is empty); the batch's
  // rows follow with a null `logged`.
  const reading =
    firstBatch && firstBatch.rows.length > 0
      ? sql` union all select parent, id, j, txid, edited_at, null, null
          from (${batchReadSql(firstBatch.table, firstBatch.rows)}) as batch`
      : sql``;
  const rows = rowsOf<BatchReadRow & { store: string | null; logged: string[] | null }>(
    await executeNamed(
      tx,
      sql`
      ${marking}select null::text as parent, null::text as id, null::text as j, null::text as txid,
             null::text as edited_at, (select store_id from devices where id = ${device.id}) as store,
             array(select wanted.id::text from unnest(${arrayLiteral(changeIds)}::uuid[]) as wanted(id)
                   cross join lateral (select 1 from audit_log
                                       where device_id = ${device.id} and change_id = wanted.id offset 0) as logged
                  ) as logged${reading}`,
    ),
  );
  const state = rows.find((row) => row.logged !== null);
  return {
    store: device.role === 'store' ? (state?.store ?? null) : null,
    logged: new Set(state?.logged ?? []),
    firstRead: firstBatch ? batchReadOf(rows.filter((row) => row.logged === null)) : null,
  };
}
