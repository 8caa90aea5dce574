// Push (seed: Push Sync, Sync Queue Processing): send queued changes oldest first, grouped by
// table in parents-first order, in batches, each change with its change_id so a retry after a
// lost response applies once (invariant 2). No transaction is open across the HTTP call (a local
// edit made meanwhile is never blocked, and is never overwritten by the answer). The answer is
// applied in one transaction: acknowledged changes leave the queue, the server's rows (winners)
// are stored, conflicts are recorded for the panel. A batch the server refuses for good is split
// to find the bad change, which is set aside with the reason (invariant 10); the rest go on. A
// change the server refuses alone in its answer (`rejected`, e.g. a submission naming a form the
// server never had) is set aside the same way.
import { z } from 'zod';
import { serverColumns, type Conflict, type PushResponse } from '../../shared/protocol/sync.js';
import { inApplyOrder, isTableName, rowSchemas, tableNames, type TableName } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { recordConflict, restoreCascade } from './conflicts.js';
import { recordMerges } from './merges.js';
import { SyncHttpError, type SyncClient } from './http.js';
import { tableStatements, type WireRow } from './local-rows.js';
import { compareCursors, cursorKey, metadataKeys, readMetadata, writeMetadata } from './metadata.js';
import {
  markNeedsAttention,
  markPushed,
  nextBatch,
  pendingCount,
  queuesAnyOf,
  recordAttemptFailure,
  unsyncedChangeCheck,
  unsyncedRecordIds,
  type QueuedChange,
} from './outbox.js';
import { adoptVersion, storedAsPushed } from './pushed-rows.js';

// Rows the server sends back, reduced to what the local store keeps (extra fields dropped).
const storedRowSchemas = Object.fromEntries(
  tableNames.map((table) => [
    table,
    z.object({ ...rowSchemas[table].shape, server_version: serverColumns.server_version }),
  ]),
) as unknown as Record<TableName, z.ZodType<WireRow & { server_version: number }>>;

export interface PushOptions {
  store: LocalStore;
  client: SyncClient;
  /** Tables this device pulls: their cursors say what the device has seen. */
  tables: TableName[];
  batchSize?: number;
  now?: () => Date;
  /** Aborted: stop after the batch on the wire is answered and applied. */
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number; table: TableName | null }) => void;
  onRefused?: (change: QueuedChange, reason: string) => void;
  /** Each conflict the server decided for this push (after it was recorded locally). */
  onConflict?: (conflict: Conflict) => void;
}

export interface PushResult {
  pushed: number;
  conflicts: number;
  refused: number;
  duplicates: number;
  changedTables: TableName[];
}

/**
 * What the device claims to have seen: its pull position, lowered past rows a pull had to skip.
 * A table without a cursor (never pulled, or reset by a discard that re-pulls it) is left out:
 * what the device held of it was seen at the other tables' position.
 */
export function pushCursor(store: LocalStore, tables: TableName[]): string | null {
  let cursor: string | null = null;
  for (const table of tables) {
    const value = readMetadata(store, cursorKey(table));
    if (value === null) continue;
    if (cursor === null || compareCursors(value, cursor) < 0) cursor = value;
  }
  const ceiling = readMetadata(store, metadataKeys.pushCursorCeiling);
  if (cursor !== null && ceiling !== null && compareCursors(ceiling, cursor) < 0) cursor = ceiling;
  return cursor;
}

export async function pushChanges(options: PushOptions): Promise<PushResult> {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 500;
  const result: PushResult = { pushed: 0, conflicts: 0, refused: 0, duplicates: 0, changedTables: [] };
  const changed = new Set<TableName>();
  const total = pendingCount(store);
  const report = (table: TableName | null) =>
    options.onProgress?.({
      done: result.pushed + result.refused,
      total: Math.max(total, result.pushed + result.refused),
      table,
    });

  for (;;) {
    options.signal?.throwIfAborted();
    const batch = nextBatch(store, batchSize);
    if (batch.length === 0) break;
    try {
      const outcome = await sendBatch(options, batch, now);
      tally(result, changed, outcome);
      reportRefused(options, result, outcome);
      report(batch.at(-1)?.table ?? null);
    } catch (error) {
      if (!(error instanceof SyncHttpError) || error.kind !== 'refused') {
        // Transient (or a credentials problem): the batch stays queued; the UI shows tries and reason.
        recordAttemptFailure(
          store,
          batch.map((queued) => queued.change.id),
          error instanceof Error ? error.message : String(error),
          null,
        );
        throw error;
      }
      await confirmCredentials(options.client, options.tables, error);
      // Refused for good: send the changes one by one; the ones refused alone are set aside.
      for (const queued of batch) {
        try {
          const outcome = await sendBatch(options, [queued], now);
          tally(result, changed, outcome);
          reportRefused(options, result, outcome);
        } catch (single) {
          if (!(single instanceof SyncHttpError) || single.kind !== 'refused') throw single;
          markNeedsAttention(store, queued.change.id, single.reason);
          result.refused += 1;
          options.onRefused?.(queued, single.reason);
        }
        report(queued.table);
      }
    }
  }
  // Everything queued reached the server: what a push may claim to have seen is the pull cursor again.
  if (pendingCount(store) === 0) writeMetadata(store, metadataKeys.pushCursorCeiling, null);
  result.changedTables = inApplyOrder(changed);
  return result;
}

function tally(result: PushResult, changed: Set<TableName>, outcome: BatchOutcome) {
  result.pushed += outcome.pushed;
  result.conflicts += outcome.conflicts;
  result.duplicates += outcome.duplicates;
  outcome.changedTables.forEach((table) => changed.add(table));
}

/** Changes the server refused alone (`rejected`), already set aside: counted and reported. */
function reportRefused(options: PushOptions, result: PushResult, outcome: BatchOutcome) {
  for (const { queued, reason } of outcome.refused) {
    result.refused += 1;
    options.onRefused?.(queued, reason);
  }
}

interface BatchOutcome {
  pushed: number;
  conflicts: number;
  duplicates: number;
  changedTables: TableName[];
  /** Changes the server refused alone (e.g. a parent it never had), set aside with the reason. */
  refused: { queued: QueuedChange; reason: string }[];
}

async function sendBatch(options: PushOptions, batch: QueuedChange[], now: () => Date): Promise<BatchOutcome> {
  const changes: Partial<Record<TableName, Record<string, unknown>[]>> = {};
  // Grouped by table, parents first (invariant 5); oldest first within a table.
  for (const table of inApplyOrder(new Set(batch.map((queued) => queued.table)))) {
    changes[table] = batch.filter((queued) => queued.table === table).map((queued) => queued.row);
  }
  const response = await options.client.push({
    timestamp: now().toISOString(),
    last_sync_timestamp: readMetadata(options.store, metadataKeys.lastPullTimestamp),
    cursor: pushCursor(options.store, options.tables),
    changes: changes as never,
    // Rows stored as pushed come back as versions only (an older server answers them in full).
    answer: 'versions',
  });
  const outcome = applyPushResponse(options.store, batch, response);
  response.conflicts.forEach((conflict) => options.onConflict?.(conflict));
  return outcome;
}

const noIds: ReadonlySet<string> = new Set();

/** One transaction: the queue, the stored winners and the conflict records move together. */
export function applyPushResponse(store: LocalStore, batch: QueuedChange[], response: PushResponse): BatchOutcome {
  // Prepared only when a row takes the full path (see below), not for every answer.
  let check: ((table: TableName, recordId: string) => boolean) | null = null;
  const hasPending = (table: TableName, recordId: string) => (check ??= unsyncedChangeCheck(store))(table, recordId);
  // Refused alone (invariant 10): set aside with the server's reason, like a change refused with
  // a 4xx; nothing of it was written, so there is no row to adopt.
  const reasons = new Map(
    (response.rejected ?? []).map((r) => [
      `${r.table}/${r.record_id.toLowerCase()}/${r.change_id?.toLowerCase() ?? ''}`,
      r.reason,
    ]),
  );
  const reasonFor = (queued: QueuedChange) =>
    reasons.size === 0
      ? undefined
      : reasons.get(
          `${queued.table}/${queued.change.record_id.toLowerCase()}/${queued.change.change_id.toLowerCase()}`,
        );
  const refused = batch.flatMap((queued) => {
    const reason = reasonFor(queued);
    return reason === undefined ? [] : [{ queued, reason }];
  });
  return store.sqlite.transaction((): BatchOutcome => {
    // Every other change was accepted: it leaves the queue.
    for (const { queued, reason } of refused) markNeedsAttention(store, queued.change.id, reason);
    markPushed(
      store,
      batch.filter((queued) => reasonFor(queued) === undefined).map((queued) => queued.change.id),
    );
    const changed = new Set<TableName>();
    const adopt = (table: TableName, raw: Record<string, unknown>) => {
      const parsed = storedRowSchemas[table].safeParse(raw);
      if (!parsed.success) return;
      // A newer local edit made while the push was on the wire stays; its own push comes next.
      if (hasPending(table, parsed.data.id)) return;
      const statements = tableStatements(store, table);
      if (statements.upsertIfNewer.run(...statements.values(parsed.data, parsed.data.server_version)).changes > 0) {
        changed.add(table);
      }
    };
    const adoptedIds = new Set<string>();
    const versions = response.stored_as_pushed ?? {};
    for (const table of new Set([...Object.keys(response.applied), ...Object.keys(versions)])) {
      if (!isTableName(table)) continue;
      const rows = response.applied[table] ?? [];
      const unchanged = versions[table] ?? [];
      if (rows.length + unchanged.length === 0) continue;
      const pushedRows = new Map<string, QueuedChange['row']>();
      for (const queued of batch) if (queued.table === table) pushedRows.set(queued.row.id, queued.row);
      // Invariant 4, asked once for the table's rows: this runs before any conflict below queues
      // a restored child, so the set is the queue as it stands for every row of the answer. With
      // nothing of the table left in the queue (the batch just cleared), no id needs matching:
      // that saves ~0.8 µs per row of serialising and joining the ids.
      const pending = queuesAnyOf(store, table)
        ? unsyncedRecordIds(store, table, [...rows.map((row) => row.id), ...unchanged.map((entry) => entry.id)])
        : noIds;
      for (const row of rows) {
        // Only the conflicts below ask which rows were adopted.
        if (response.conflicts.length > 0) adoptedIds.add(`${table}/${row.id}`);
        if (pending.has(row.id)) continue;
        // The server stored what we pushed: only its version is new to us (see adoptVersion).
        const pushed = pushedRows.get(row.id);
        if (pushed && storedAsPushed(table, row, pushed) && adoptVersion(store, table, row.id, row.server_version)) {
          changed.add(table);
          continue;
        }
        adopt(table, row);
      }
      // Rows the server says it holds exactly as pushed (answer: 'versions'): what the full row
      // would have led to above, without the row. The server asked the same question as
      // storedAsPushed (shared/protocol/stored-as-pushed.ts). Only an entry naming a change of
      // this batch says anything about our row.
      for (const entry of unchanged) {
        if (response.conflicts.length > 0) adoptedIds.add(`${table}/${entry.id}`);
        if (pending.has(entry.id)) continue;
        const pushed = pushedRows.get(entry.id);
        if (!pushed || (pushed.change_id !== entry.change_id && pushed.change_id.toLowerCase() !== entry.change_id)) {
          continue;
        }
        if (adoptVersion(store, table, entry.id, entry.server_version)) changed.add(table);
        // No local row, or a version as new already held: the full path, with the row as pushed
        // (the row the server holds).
        else adopt(table, { ...pushed, server_version: entry.server_version });
      }
    }
    // Merged with others' edits of other fields: listed in the sync panel, never as conflicts.
    recordMerges(store, response.merged ?? [], response.timestamp);
    for (const conflict of response.conflicts) {
      recordConflict(store, conflict, response.timestamp);
      // The server's row wins: adopt it even when `applied` does not repeat it.
      if (conflict.resolution === 'server_wins' && !adoptedIds.has(`${conflict.table}/${conflict.record_id}`)) {
        adopt(conflict.table, conflict.server_data);
      }
      // Our delete lost (the row lives on): the children that delete took with it went through
      // without a conflict of their own. Restore them as new edits so no answer is left deleted
      // under a live submission.
      const deletedAt = conflict.client_data.deleted_at;
      if (
        conflict.resolution === 'server_wins' &&
        typeof deletedAt === 'string' &&
        conflict.server_data.deleted_at == null
      ) {
        restoreCascade(store, conflict.table, conflict.record_id, deletedAt, new Date().toISOString()).forEach((t) =>
          changed.add(t),
        );
      }
    }
    return {
      pushed: batch.length - refused.length,
      conflicts: response.conflicts.length,
      duplicates: response.duplicates ?? 0,
      changedTables: inApplyOrder(changed),
      refused,
    };
  })();
}

/**
 * A 400/403 can also mean the device itself is wrong (token of another device): then every
 * change would be set aside for nothing. A one-row pull tells the two apart.
 */
async function confirmCredentials(client: SyncClient, tables: TableName[], refusal: SyncHttpError): Promise<void> {
  if (refusal.status !== 403 && refusal.status !== 401) return;
  try {
    await client.pull({ tables: tables.slice(0, 1), limit: 1 });
  } catch (error) {
    if (error instanceof SyncHttpError && (error.kind === 'auth' || error.status === 403)) {
      throw new SyncHttpError(`The server does not accept this device: ${error.message}`, 'auth', error.status);
    }
    throw error;
  }
}
