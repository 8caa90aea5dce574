// POST /api/v1/sync/push: applies a device's changes in one transaction, table by table in
// parent-first order (invariant 5), deciding conflicts by each table's rule (seed: Resolution
// Rules) and logging every change exactly once in the audit log (invariants 2 and 7).
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Conflict, ParsedPushRequest, PushResponse } from '../../shared/protocol/sync.js';
import { inApplyOrder, tablesWritableBy, type TableName } from '../../shared/tables.js';
import { markSynced, type Device } from '../auth/devices.js';
import { databaseNow, type ServerDatabase } from '../db/client.js';
import { HttpError } from '../http/errors.js';
import { applyTableChanges, type PushContext } from './apply-changes.js';

/**
 * Invariant 1 (no missed change): every push takes this transaction-scoped advisory lock before
 * it draws a version from change_version_seq, and holds it until its commit. So versions are
 * handed out in commit order across every server process on the database, and PostgreSQL makes
 * a commit visible before it releases the lock: when a reader sees version V, every version
 * below V is already committed and visible too. A pull that returns `server_version > cursor`
 * therefore never skips a row that commits later with a lower version, which a wall-clock
 * `updated_at > last_sync` (or a bare sequence without the lock) would.
 */
export const PUSH_LOCK_KEY = 4_810_002;

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

export async function pushChanges(
  db: ServerDatabase,
  device: Device,
  request: ParsedPushRequest,
  log: Logger,
): Promise<PushResponse> {
  assertMayWrite(device, request);
  const receivedAt = Date.now();
  const clockSkewMs = receivedAt - Date.parse(request.timestamp);
  const tables = inApplyOrder(
    (Object.keys(request.changes) as TableName[]).filter((table) => (request.changes[table]?.length ?? 0) > 0),
  );

  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PUSH_LOCK_KEY})`);
    // The database's clock, read under the lock: server_updated_at then follows version order
    // across server processes, whatever their own clocks say.
    const now = await databaseNow(tx);
    const context: PushContext = {
      tx,
      device,
      now,
      clockSkewMs,
      base: request.cursor
        ? { kind: 'cursor', version: Number(request.cursor) }
        : request.last_sync_timestamp
          ? { kind: 'timestamp', at: new Date(request.last_sync_timestamp) }
          : { kind: 'none' },
      seenChangeIds: new Set<string>(),
    };
    const applied: PushResponse['applied'] = {};
    const conflicts: Conflict[] = [];
    let duplicates = 0;
    for (const table of tables) {
      const outcome = await applyTableChanges(context, table, request.changes[table] ?? []);
      applied[table] = outcome.applied;
      conflicts.push(...outcome.conflicts);
      duplicates += outcome.duplicates;
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
    }
    await markSynced(tx, device.id, now);
    return { applied, conflicts, duplicates, now };
  });

  return {
    success: true,
    timestamp: result.now.toISOString(),
    applied: result.applied,
    conflicts: result.conflicts,
    duplicates: result.duplicates,
  };
}
