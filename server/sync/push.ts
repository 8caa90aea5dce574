// POST /api/v1/sync/push: applies a device's changes in one transaction, table by table in
// parent-first order (invariant 5), deciding conflicts by each table's rule (seed: Resolution
// Rules) and logging every change exactly once in the audit log (invariants 2 and 7). A change
// whose parent the server lacks is refused alone (`rejected`); the rest of the push goes on.
import type { Logger } from 'pino';
import type {
  Conflict,
  MergedChange,
  ParsedPushRequest,
  PushResponse,
  RejectedChange,
} from '../../shared/protocol/sync.js';
import { inApplyOrder, tablesWritableBy, type TableName } from '../../shared/tables.js';
import { countSyncMark, isSyncMarkDue, type Device } from '../auth/devices.js';
import { databaseNow, type Queryable, type ServerDatabase } from '../db/client.js';
import { HttpError } from '../http/errors.js';
import { applyTableChanges, batchesOf, canonicalRows, type PushContext } from './apply-changes.js';
import type { PushBase, PushedRow } from './decide.js';
import { formatPullCursor, seenPosition } from './rescope.js';
import { sentChanges } from './push-answer.js';
import { readPushState } from './push-state.js';
import { lockRecords } from './record-locks.js';
import { assertPushInScope, scopeParents } from './scope-push.js';
import { pullPositionAt } from './watermarks.js';

/** Tables a role may not write: refused with 403 for the whole push, before anything is written. */
export function assertMayWrite(device: Device, request: ParsedPushRequest): void {
  const writable = tablesWritableBy(device.role);
  const forbidden = Object.entries(request.changes)
    .filter(([, rows]) => rows && rows.length > 0)
    .map(([table]) => table as TableName)
    .filter((table) => !writable.includes(table));
  if (forbidden.length > 0) {
    throw new HttpError(
      403,
      `device ${device.id} has role ${device.role} and may not write ${forbidden.join(', ')}; nothing of this push was applied`,
      forbidden.map((table) => ({ path: `changes.${table}`, message: `role ${device.role} may not write ${table}` })),
    );
  }
}

/** What the device had seen: its cursor, else its last_sync_timestamp mapped back to a position. */
async function baseOf(tx: Queryable, request: ParsedPushRequest): Promise<PushBase> {
  if (request.cursor) return { kind: 'position', position: seenPosition(request.cursor) };
  if (request.last_sync_timestamp) {
    const position = await pullPositionAt(tx, request.last_sync_timestamp);
    if (position) return { kind: 'position', position: seenPosition(formatPullCursor(position)) };
  }
  // Nothing known: any write by another device counts as concurrent.
  return { kind: 'none' };
}

/** The records a push locks: its rows, and the parents its rows are scoped through (an answer's submission). */
function lockedRecords(tables: TableName[], rows: Record<TableName, PushedRow[]>): { table: string; id: string }[] {
  const records: { table: string; id: string }[] = [];
  for (const table of tables) for (const row of rows[table]) records.push({ table, id: row.id });
  for (const table of tables) records.push(...scopeParents(table, rows[table]));
  return records;
}

/** The change ids a push carries (a row without one is a seed client's). */
function changeIdsOf(tables: TableName[], rows: Record<TableName, PushedRow[]>): string[] {
  const ids: string[] = [];
  for (const table of tables) for (const row of rows[table]) if (row.change_id) ids.push(row.change_id);
  return ids;
}

export async function acceptPush(
  db: ServerDatabase,
  device: Device,
  request: ParsedPushRequest,
  log: Logger,
  /** The request body as it arrived (before validation): what a versions answer compares with. */
  body: unknown = request,
): Promise<PushResponse> {
  assertMayWrite(device, request);
  const tables = inApplyOrder(
    (Object.keys(request.changes) as TableName[]).filter((table) => (request.changes[table]?.length ?? 0) > 0),
  );
  const rows = Object.fromEntries(
    tables.map((table) => [table, canonicalRows(table, request.changes[table] ?? [])]),
  ) as Record<TableName, PushedRow[]>;

  const result = await db.transaction(async (tx) => {
    // No global lock: pushes on different records run in parallel; pushes on one record wait for
    // each other here, before anything is read (record-locks.ts).
    // A row scoped through its parent (an answer) also locks the parent: a manager moving the
    // submission to another store and a store pushing its answer are then seen one after the other
    // by the scope check (invariant 12). The database's clock (one clock for every server process:
    // edit times, skew, receipts) is read once the locks are held, in the same statement.
    const now = (await lockRecords(tx, lockedRecords(tables, rows))) ?? (await databaseNow(tx));
    // The device's store as it stands now (a move committed before this push counts) and the
    // change ids already applied, in one read, which also writes the device's last sync when due
    // (throttled: a push is one step of a sync; the pull after it marks the end); then the scope
    // check: a row of another store, or moved to one, refuses the whole push (invariant 12).
    // The first batch is read in the same statement (the reads before the first write, in one round trip).
    const markSync = isSyncMarkDue(db, device.id, false);
    const firstTable = tables[0];
    const firstBatch = firstTable === undefined ? null : { table: firstTable, rows: batchesOf(rows[firstTable])[0]! };
    const state = await readPushState(tx, device, changeIdsOf(tables, rows), {
      synced: markSync ? now : null,
      firstBatch,
    });
    const scoped = { ...device, store_id: state.store };
    await assertPushInScope(tx, scoped, rows, state.logged);
    const context: PushContext = {
      tx,
      device: scoped,
      now,
      clockSkewMs: now.getTime() - Date.parse(request.timestamp),
      base: await baseOf(tx, request),
      loggedChangeIds: state.logged,
      seenChangeIds: new Set<string>(),
      firstRead: firstBatch && state.firstRead ? { batch: firstBatch.rows, read: state.firstRead } : null,
      // Asked for (answer: 'versions'): rows held exactly as sent come back as versions only,
      // decided batch by batch (apply-changes.ts) against the rows as the body carried them.
      sent: request.answer === 'versions' ? (sentChanges(body) ?? request.changes) : null,
    };
    const applied: PushResponse['applied'] = {};
    const conflicts: Conflict[] = [];
    const rejected: RejectedChange[] = [];
    const merged: MergedChange[] = [];
    const storedAsPushed: NonNullable<PushResponse['stored_as_pushed']> = {};
    let duplicates = 0;
    for (const table of tables) {
      const outcome = await applyTableChanges(context, table, rows[table]);
      applied[table] = outcome.applied;
      conflicts.push(...outcome.conflicts);
      rejected.push(...outcome.rejected);
      duplicates += outcome.duplicates;
      merged.push(...outcome.merged);
      if (outcome.storedAsPushed.length > 0) storedAsPushed[table] = outcome.storedAsPushed;
      for (const conflict of outcome.newConflicts) {
        log.warn(
          {
            device: device.id,
            table: conflict.table,
            record_id: conflict.record_id,
            rule: conflict.rule,
            resolution: conflict.resolution,
            change_id: conflict.change_id,
          },
          'conflict detected',
        );
      }
      for (const refused of outcome.rejected) {
        log.warn({ device: device.id, ...refused }, 'change rejected');
      }
    }
    // Counted once the push is applied (a refused push rolls the write back: the next one makes it).
    if (markSync) countSyncMark(db, device.id);
    return { applied, storedAsPushed, conflicts, rejected, duplicates, merged, now };
  });

  return {
    success: true,
    timestamp: result.now.toISOString(),
    applied: result.applied,
    ...(request.answer === 'versions' ? { stored_as_pushed: result.storedAsPushed } : {}),
    conflicts: result.conflicts,
    duplicates: result.duplicates,
    rejected: result.rejected,
    merged: result.merged,
  };
}
