// The engine's side of the seed's pending_changes queue: what to push next (oldest first, one
// change per record per batch so a record's edits reach the server in the order they were made),
// what was pushed, what the server refused for good (invariant 10: set aside with the reason,
// never blocking the queue, never silently dropped), and what the user chose to discard.
import type { Statement } from 'better-sqlite3';
import type { z } from 'zod';
import type { PendingChangeView } from '../../shared/ipc.js';
import { isTableName, tableNames, type TableName } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { type pending_changes } from '../db/schema.js';
import { readLocalRow, pickWireColumns, type WireRow } from './local-rows.js';
import { cursorKey, writeMetadata } from './metadata.js';

export type PendingChange = typeof pending_changes.$inferSelect;

export interface QueuedChange {
  change: PendingChange;
  table: TableName;
  /** The row as the user saved it, in wire shape, plus its change_id and base_version. */
  row: WireRow & { change_id: string };
}

// A change leaves the queue when the server acknowledges it (markPushed deletes it): every row
// here is unsynced, so no `synced` flag (the seed's, never set) is needed.
const QUEUED = 'needs_attention = 0';

/**
 * A queued change as the next batch reads it: with `base_version`, the local copy's server_version
 * (the base of the edit, see toQueuedChange), read in the same statement.
 */
type QueuedRow = PendingChange & { base_version: number | null };

/**
 * The same, as the `next` statement returns it: an array in its column order. better-sqlite3
 * builds a row object property by property; reading arrays and building the objects here costs
 * ~1 µs less per row (2.0 against 3.0 µs for a batch of 500 queued rows). A column added to the
 * table must be added here and in nextBatch too (PendingChange's type asks for it).
 */
type QueuedTuple = [
  id: number,
  table_name: string,
  record_id: string,
  operation: PendingChange['operation'],
  data: string | null,
  created_at: number,
  change_id: string,
  attempts: number,
  last_error: string | null,
  needs_attention: number,
  base_version: number | null,
];

/** Statements prepared once per connection: the queue is read and cleared once per pushed batch. */
interface QueueStatements {
  count: Statement<[], number>;
  next: Statement<[number], QueuedTuple>;
  remove: Statement<[string]>;
}

const queueStatements = new WeakMap<LocalStore['sqlite'], QueueStatements>();

function statementsOf(store: LocalStore): QueueStatements {
  let statements = queueStatements.get(store.sqlite);
  if (!statements) {
    statements = {
      count: store.sqlite.prepare<[], number>(`SELECT count(*) FROM pending_changes WHERE ${QUEUED}`).pluck(),
      next: store.sqlite
        .prepare<[number], QueuedTuple>(
          `SELECT id, table_name, record_id, operation, data, created_at, change_id, attempts, last_error,
                  needs_attention, ${baseVersionSql}
           FROM pending_changes WHERE ${QUEUED} ORDER BY id LIMIT ?`,
        )
        .raw(),
      remove: store.sqlite.prepare<[string]>(
        'DELETE FROM pending_changes WHERE id IN (SELECT value FROM json_each(?))',
      ),
    };
    queueStatements.set(store.sqlite, statements);
  }
  return statements;
}

export function pendingCount(store: LocalStore): number {
  return statementsOf(store).count.get()!;
}

export function needsAttentionCount(store: LocalStore): number {
  return (
    store.sqlite.prepare('SELECT count(*) AS n FROM pending_changes WHERE needs_attention = 1').get() as {
      n: number;
    }
  ).n;
}

/**
 * The local copy's server_version of each queued change's record, one primary-key probe per row
 * in the queue's own statement (only the branch of the change's table runs), and read with the
 * queue in one snapshot. It replaced one `IN (json_each(ids))` query per table and batch (the ids
 * serialised, parsed back and joined): nextBatch of 500 rows went from ~7.5 to ~6.5 µs per row.
 */
const baseVersionSql = `CASE table_name ${tableNames
  .map((table) => `WHEN '${table}' THEN (SELECT server_version FROM "${table}" WHERE id = record_id)`)
  .join(' ')} END`;

/**
 * The next batch, oldest first. A batch stops at the second change of a record already in it:
 * the later edit goes in the next batch, so the server sees a record's changes in order.
 */
export function nextBatch(store: LocalStore, limit: number): QueuedChange[] {
  const rows = statementsOf(store).next.all(limit);
  const changes: (QueuedRow & { table_name: TableName })[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const table_name = row[1];
    const record_id = row[2];
    const key = `${table_name}/${record_id}`;
    if (seen.has(key)) break;
    seen.add(key);
    if (!isTableName(table_name)) {
      throw new Error(`pending change ${row[0]} names an unknown table "${table_name}"`);
    }
    changes.push({
      id: row[0],
      table_name,
      record_id,
      operation: row[3],
      data: row[4],
      created_at: row[5],
      change_id: row[6],
      attempts: row[7],
      last_error: row[8],
      needs_attention: row[9],
      base_version: row[10],
    });
  }
  return changes.map((change) => toQueuedChange(store, change));
}

function toQueuedChange(store: LocalStore, change: QueuedRow & { table_name: TableName }): QueuedChange {
  const table = change.table_name;
  // `data` holds the row exactly as saved (checked against the table's schema when it was
  // queued); fall back to the current row for an old DELETE without data.
  const saved = change.data
    ? (JSON.parse(change.data) as Record<string, unknown>)
    : readLocalRow(store, table, change.record_id);
  if (!saved) throw new Error(`pending change ${change.id} has no data and ${table}/${change.record_id} is gone`);
  // The base of the edit (field-level merge): the local copy's server_version. Neither a local
  // write nor, while a change of the record is queued, a pull or a push answer moves it, so
  // several queued edits of one record all carry the version the first of them was made on.
  const base = change.data ? change.base_version : saved.server_version;
  // Built in place (one object per change, not three): the batch's rows are its biggest garbage.
  const row: QueuedChange['row'] & { base_version?: number } = Object.assign(pickWireColumns(table, saved), {
    change_id: change.change_id,
  });
  if (typeof base === 'number') row.base_version = base;
  return { change, table, row };
}

/**
 * Pushed and acknowledged: the seed's "mark as synced", done by removing it (seed Example 3:
 * "clear queue"). One statement for the batch; the caller's transaction holds it with the answer.
 */
export function markPushed(store: LocalStore, changeIds: Iterable<number>): void {
  const ids = [...changeIds];
  if (ids.length > 0) statementsOf(store).remove.run(JSON.stringify(ids));
}

/** Refused for good: kept, with the server's reason, out of the queue's way (invariant 10). */
export function markNeedsAttention(store: LocalStore, id: number, reason: string): void {
  store.sqlite
    .prepare('UPDATE pending_changes SET needs_attention = 1, attempts = attempts + 1, last_error = ? WHERE id = ?')
    .run(reason, id);
}

/**
 * A transient failure: the changes stay queued; the count and reason show in the UI. When the
 * next attempt comes is the scheduler's (status.next_retry_at), for the whole queue at once.
 * `_retryAt` is ignored: it stays only so callers written before the column went still compile.
 */
export function recordAttemptFailure(store: LocalStore, ids: number[], reason: string, _retryAt?: number | null): void {
  const update = store.sqlite.prepare(
    'UPDATE pending_changes SET attempts = attempts + 1, last_error = ? WHERE id = ?',
  );
  store.sqlite.transaction(() => {
    for (const id of ids) update.run(reason, id);
  })();
}

/**
 * Whether a record has an edit the server has not acknowledged (invariant 4: a pulled or pushed-back
 * row never overwrites it). Prepared once, for the loops that ask it of every row of a page.
 */
export function unsyncedChangeCheck(store: LocalStore): (table: TableName, recordId: string) => boolean {
  const statement = store.sqlite.prepare(
    'SELECT 1 FROM pending_changes WHERE table_name = ? AND record_id = ? LIMIT 1',
  );
  return (table, recordId) => statement.get(table, recordId) !== undefined;
}

const anyQueuedOf = new WeakMap<LocalStore['sqlite'], Statement<[string], number>>();

/**
 * Whether the queue holds any change of `table` (set aside or not), one probe of the record
 * index. After a push's answer has cleared its batch this is usually false, and then no id of
 * the answer needs matching against the queue (invariant 4).
 */
export function queuesAnyOf(store: LocalStore, table: TableName): boolean {
  let statement = anyQueuedOf.get(store.sqlite);
  if (!statement) {
    statement = store.sqlite
      .prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM pending_changes WHERE table_name = ?)')
      .pluck();
    anyQueuedOf.set(store.sqlite, statement);
  }
  return statement.get(table) === 1;
}

const unsyncedOfPage = new WeakMap<LocalStore['sqlite'], Statement<[string, string], string>>();

/**
 * Of a pulled page's `recordIds`, those with an edit the server has not acknowledged (invariant
 * 4): one set-based query per table and page (an index probe per id on pending_changes_record_idx)
 * instead of one query per row. Run it inside the page's apply transaction, so no local edit can
 * commit between the check and the writes.
 */
export function unsyncedRecordIds(store: LocalStore, table: TableName, recordIds: readonly string[]): Set<string> {
  if (recordIds.length === 0) return new Set();
  let statement = unsyncedOfPage.get(store.sqlite);
  if (!statement) {
    statement = store.sqlite
      .prepare<[string, string], string>(
        `SELECT DISTINCT record_id FROM pending_changes
         WHERE table_name = ? AND record_id IN (SELECT value FROM json_each(?))`,
      )
      .pluck();
    unsyncedOfPage.set(store.sqlite, statement);
  }
  return new Set(statement.all(table, JSON.stringify(recordIds)));
}

export function hasUnsyncedChange(store: LocalStore, table: TableName, recordId: string): boolean {
  return unsyncedChangeCheck(store)(table, recordId);
}

/** The queue as the UI lists it (shared/ipc.ts PendingChangeView), oldest first. */
export function listPendingChanges(
  store: LocalStore,
  options: { needsAttentionOnly?: boolean } = {},
): z.infer<typeof PendingChangeView>[] {
  const rows = store.sqlite
    .prepare(
      `SELECT * FROM pending_changes ${options.needsAttentionOnly ? 'WHERE needs_attention = 1' : ''} ORDER BY id`,
    )
    .all() as PendingChange[];
  return rows
    .filter((row) => isTableName(row.table_name))
    .map((row) => ({
      id: row.id,
      table: row.table_name as TableName,
      record_id: row.record_id,
      operation: row.operation,
      created_at: new Date(row.created_at).toISOString(),
      attempts: row.attempts,
      last_error: row.last_error,
      needs_attention: row.needs_attention === 1,
    }));
}

/**
 * Drops a change the server refused for good. The local row goes back to the server's version:
 * a row the server never had is removed; otherwise its server_version is cleared and the table's
 * cursor reset, so the next pull brings the server's row back (a pull never overwrites a row
 * while it has a pending change, so the row was skipped before).
 */
export function discardChange(store: LocalStore, id: number): { table: TableName; record_id: string } {
  return store.sqlite.transaction(() => {
    const change = store.sqlite.prepare('SELECT * FROM pending_changes WHERE id = ?').get(id) as
      PendingChange | undefined;
    if (!change) throw new Error(`There is no pending change ${id}`);
    if (change.needs_attention !== 1) {
      throw new Error(`Change ${id} is still queued for the server; only changes the server refused can be discarded`);
    }
    if (!isTableName(change.table_name)) throw new Error(`Change ${id} names an unknown table`);
    const table = change.table_name;
    store.sqlite.prepare('DELETE FROM pending_changes WHERE id = ?').run(id);
    if (!hasUnsyncedChange(store, table, change.record_id)) {
      const local = readLocalRow(store, table, change.record_id);
      if (local && local.server_version === null) {
        store.sqlite.prepare(`DELETE FROM "${table}" WHERE id = ?`).run(change.record_id);
      } else if (local) {
        store.sqlite.prepare(`UPDATE "${table}" SET server_version = NULL WHERE id = ?`).run(change.record_id);
        writeMetadata(store, cursorKey(table), null);
      }
    }
    return { table, record_id: change.record_id };
  })();
}
