// Pull (seed: Pull Sync): fetch server changes in pages and apply each page, together with the
// cursor advance, in ONE local transaction (invariant 11: a crash between pages loses nothing and
// re-pulls at most one page). Rows apply parents first; a row is written only when its
// server_version is newer than the one we hold, so an old version never overwrites a newer one
// and a tombstone never comes back to life; a row with an unpushed local edit is left alone
// (invariant 4) — the push that follows gets the server's decision for it.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PullResponse } from '../../shared/protocol/sync.js';
import { inApplyOrder, isTableName, type TableName } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import type { SyncClient } from './http.js';
import { tableStatements } from './local-rows.js';
import { compareCursors, cursorKey, metadataKeys, readMetadata, writeMetadata } from './metadata.js';
import { unsyncedRecordIds } from './outbox.js';
import { checkPulledRows, type PulledRow } from './pulled-rows.js';

export interface PullProgress {
  done: number;
  total: number;
  table: TableName | null;
}

export interface PullOptions {
  store: LocalStore;
  client: SyncClient;
  /** The tables this device pulls (selective sync: those its role reads). */
  tables: TableName[];
  pageSize?: number;
  /** Aborted: stop after the page on the wire is applied (its cursor with it). */
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  onPage?: (page: PageResult) => void;
}

export interface PageResult {
  received: number;
  applied: number;
  /** Rows left alone because they have an unpushed local edit (invariant 4). */
  keptLocal: number;
  changedTables: TableName[];
  perTable: Partial<Record<TableName, number>>;
}

export interface PullResult {
  /** Time spent applying pages locally (the rest of a pull is the network and the server). */
  applyMs: number;
  received: number;
  applied: number;
  keptLocal: number;
  pages: number;
  changedTables: TableName[];
  perTable: Partial<Record<TableName, number>>;
}

export function readCursor(store: LocalStore, table: TableName): string | null {
  return readMetadata(store, cursorKey(table));
}

/**
 * Pulls every page for the given tables. Tables that share a position pull together from the
 * smallest cursor among them; a table with no cursor yet (new, or reset by a discard) catches up
 * in its own pass from the beginning, so it does not drag the others back to a full sync.
 */
export async function pullChanges(options: PullOptions): Promise<PullResult> {
  const { store, tables } = options;
  const fresh = tables.filter((table) => readCursor(store, table) === null);
  const known = tables.filter((table) => readCursor(store, table) !== null);
  const total = emptyPullResult();
  const changed = new Set<TableName>();
  for (const group of [known, fresh]) {
    if (group.length === 0) continue;
    options.signal?.throwIfAborted();
    const result = await pullGroup(options, group);
    addCounts(total, changed, result);
    total.pages += result.pages;
    total.applyMs += result.applyMs;
  }
  total.changedTables = inApplyOrder(changed);
  return total;
}

async function pullGroup(options: PullOptions, tables: TableName[]): Promise<PullResult> {
  const { store, client } = options;
  const cursors = tables.map((table) => readCursor(store, table));
  let cursor: string | null = cursors.includes(null)
    ? null
    : (cursors as string[]).reduce((min, c) => (compareCursors(c, min) < 0 ? c : min));
  const result = emptyPullResult();
  const changed = new Set<TableName>();
  let total = 0;
  const request = (at: string | null, lastSync: string | null) =>
    client.pull({
      cursor: at,
      last_sync_timestamp: at === null ? null : lastSync,
      tables,
      limit: options.pageSize ?? 1000,
    });
  let next = request(cursor, readMetadata(store, metadataKeys.lastPullTimestamp));
  for (;;) {
    const page = await next;
    // Pipelining: the next page is requested (with this page's cursor, as the request after the
    // apply would send) before this one is applied, so the server works on it meanwhile. Only
    // the request is early: the cursor still moves only in applyPulledPage, with its page. If
    // this page fails to apply, or the pull is aborted, the prefetched page is dropped unapplied.
    const more = page.has_more && page.cursor !== cursor;
    if (more && !options.signal?.aborted) {
      next = request(page.cursor, page.timestamp);
      next.catch(() => {}); // handled when awaited; dropped if this page fails or the pull stops
      await nextTurn(); // let the request leave before the synchronous apply holds the thread
    }
    if (result.pages === 0) total = page.total ?? 0;
    // A table whose cursor went back to null while the page was on the wire (a discard reset it,
    // so that its next pull starts over) keeps that reset: moving it to this page's cursor would
    // skip the rows the reset is there to bring back. It catches up in its own pass next run.
    const advancing = tables.filter(
      (table, i) => !(readCursor(store, table) === null && (cursors[i] !== null || result.pages > 0)),
    );
    const applyStart = performance.now();
    const applied = applyPulledPage(store, advancing, page, cursor);
    result.applyMs += performance.now() - applyStart;
    result.pages += 1;
    addCounts(result, changed, applied);
    options.onPage?.(applied);
    const lastTable = inApplyOrder(Object.keys(page.changes).filter(isTableName)).at(-1) ?? null;
    options.onProgress?.({ done: result.received, total: Math.max(total, result.received), table: lastTable });
    // Stop also if the server returns the same cursor with has_more (it would loop forever).
    if (!more) break;
    options.signal?.throwIfAborted();
    cursor = page.cursor;
  }
  result.changedTables = inApplyOrder(changed);
  return result;
}

function emptyPullResult(): PullResult {
  return { applyMs: 0, received: 0, applied: 0, keptLocal: 0, pages: 0, changedTables: [], perTable: {} };
}

/** Adds a page's (or a pass's) row counts to a running total; changed tables are gathered in `changed`. */
function addCounts(total: PullResult, changed: Set<TableName>, part: PageResult): void {
  total.received += part.received;
  total.applied += part.applied;
  total.keptLocal += part.keptLocal;
  part.changedTables.forEach((table) => changed.add(table));
  for (const [table, count] of Object.entries(part.perTable) as [TableName, number][]) {
    total.perTable[table] = (total.perTable[table] ?? 0) + count;
  }
}

/**
 * Applies one pulled page and advances the cursors of `tables` to the page's cursor, all in one
 * transaction (invariant 11). Rows are validated before the transaction opens: a page with a bad
 * row changes nothing. `from` is the cursor the page was asked from (null: from the beginning).
 */
export function applyPulledPage(
  store: LocalStore,
  tables: TableName[],
  page: PullResponse,
  from: string | null = null,
): PageResult {
  const parsed: { table: TableName; rows: PulledRow[] }[] = [];
  for (const table of inApplyOrder(Object.keys(page.changes).filter(isTableName))) {
    parsed.push({ table, rows: checkPulledRows(table, page.changes[table] ?? []) });
  }

  return store.sqlite.transaction((): PageResult => {
    const result: PageResult = { received: 0, applied: 0, keptLocal: 0, changedTables: [], perTable: {} };
    let ceiling: string | null = null;
    for (const { table, rows } of parsed) {
      const statements = tableStatements(store, table);
      // Invariant 4, for the whole page at once and inside its transaction.
      const pending = unsyncedRecordIds(
        store,
        table,
        rows.map((row) => row.id),
      );
      let appliedHere = 0;
      for (const row of rows) {
        result.received += 1;
        if (pending.has(row.id)) {
          result.keptLocal += 1;
          // Our next push must not claim to have seen this newer server version, or the server
          // could not tell that our edit and this one are concurrent: it may claim at most the
          // position this page was asked from (every row of the page lies after it).
          const local = statements.select.get(row.id) as { server_version: number | null } | undefined;
          // (A row we created and never heard back about is ours alone: nothing to flag.)
          if (local?.server_version != null && row.server_version > local.server_version) {
            const seen = from ?? '0';
            if (ceiling === null || compareCursors(seen, ceiling) < 0) ceiling = seen;
          }
          continue;
        }
        const { changes } = statements.upsertIfNewer.run(...statements.values(row, row.server_version));
        appliedHere += changes;
      }
      result.applied += appliedHere;
      result.perTable[table] = rows.length;
      if (appliedHere > 0) result.changedTables.push(table);
    }
    if (ceiling !== null) {
      const current = readMetadata(store, metadataKeys.pushCursorCeiling);
      if (current === null || compareCursors(ceiling, current) < 0)
        writeMetadata(store, metadataKeys.pushCursorCeiling, ceiling);
    }
    // The cursor only moves forward (invariant 11), and only here, with the page.
    for (const table of tables) {
      const current = readCursor(store, table);
      if (current === null || compareCursors(page.cursor, current) > 0)
        writeMetadata(store, cursorKey(table), page.cursor);
    }
    writeMetadata(store, metadataKeys.lastPullTimestamp, page.timestamp);
    return result;
  })();
}
