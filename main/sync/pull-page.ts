// Applying pulled pages to the local store (invariants 4 and 11). A page's rows, its `removed`
// ids and the cursor after it are written in one transaction, so a crash or a failed row leaves
// the cursor where it was and none of the page's rows. Rows apply parents first; a row is written
// only when its server_version is newer than the one we hold, so an old version never overwrites
// a newer one and a tombstone never comes back to life; a row with an unpushed local edit is left
// alone (invariant 4).
//
// Several pages that have already arrived may share one transaction (applyPulledPages): each
// still writes its own cursor after its own rows, in order, so the cursor stored at the commit is
// the one after the last page whose rows the commit holds. Every commit rewrites each index page
// its rows touched (random uuid keys touch most of them), so fewer commits cost less CPU and far
// fewer WAL writes and checkpoints.
import { inApplyOrder, isTableName, type TableName } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import type { PulledPage } from './http.js';
import { tableStatements } from './local-rows.js';
import { compareCursors, cursorKey, metadataKeys, readMetadata, writeMetadata } from './metadata.js';
import { queuesAnyOf, unsyncedRecordIds } from './outbox.js';
import { checkPulledArrays, checkPulledRows, objectRows, type PulledRows } from './pulled-rows.js';
import { applyRemoved } from './removed-rows.js';

export interface PageResult {
  received: number;
  applied: number;
  /** Rows left alone because they have an unpushed local edit (invariant 4). */
  keptLocal: number;
  /** Rows deleted because they left this device's scope (`removed`, invariant 12). */
  removed?: number;
  changedTables: TableName[];
  perTable: Partial<Record<TableName, number>>;
}

/** A page as it waits to be applied: the cursor it was asked from, and its rows already checked. */
export interface CheckedPage {
  page: PulledPage;
  /** The cursor the page was asked from (null: from the beginning). */
  from: string | null;
  rows: { table: TableName; rows: PulledRows }[];
  /** Rows on the page (all tables). */
  size: number;
}

/**
 * Checks a page's rows (pulled-rows.ts) without touching the store: a page with a bad row is
 * refused here, naming the row, before anything of it is written.
 */
export function checkPage(page: PulledPage, from: string | null = null): CheckedPage {
  const rows: CheckedPage['rows'] = [];
  let size = 0;
  for (const table of inApplyOrder(Object.keys(page.changes).filter(isTableName))) {
    const list = page.changes[table] ?? [];
    // http.ts lets through a table's rows all objects or all arrays.
    const checked =
      list.length > 0 && Array.isArray(list[0])
        ? checkPulledArrays(table, page.columns?.[table], list as unknown[][])
        : objectRows(checkPulledRows(table, list as Record<string, unknown>[]));
    rows.push({ table, rows: checked });
    size += checked.length;
  }
  return { page, from, rows, size };
}

/**
 * Applies one pulled page and advances the cursors of `tables` to the page's cursor, all in one
 * transaction (invariant 11). Rows are validated before the transaction opens: a page with a bad
 * row changes nothing. `from` is the cursor the page was asked from (null: from the beginning).
 */
export function applyPulledPage(
  store: LocalStore,
  tables: TableName[],
  page: PulledPage,
  from: string | null = null,
): PageResult {
  const checked = checkPage(page, from);
  return store.sqlite.transaction(() => applyInTransaction(store, tables, checked))();
}

/**
 * Applies pages in their order in ONE transaction, each with its own cursor advance, and returns
 * each page's result. `tablesFor(index)` is read inside the transaction just before page `index`
 * applies (which tables that page may move forward, see pull.ts). If the transaction fails, the
 * pages are applied again one transaction each, so every page before the failing one is kept with
 * its cursor and the failing one throws as it would alone (nothing of it, nor of any later page).
 * `onApplied` is called for each page once it is committed, in order.
 */
export function applyPulledPages(
  store: LocalStore,
  pages: readonly CheckedPage[],
  tablesFor: (index: number) => TableName[],
  onApplied: (result: PageResult, index: number) => void,
): void {
  let results: PageResult[];
  try {
    results = store.sqlite.transaction(() => pages.map((page, i) => applyInTransaction(store, tablesFor(i), page)))();
  } catch (error) {
    if (pages.length === 1) throw error;
    // Nothing of the batch was written: page by page now, so the failing one throws on its own.
    pages.forEach((page, i) =>
      onApplied(store.sqlite.transaction(() => applyInTransaction(store, tablesFor(i), page))(), i),
    );
    return;
  }
  results.forEach((result, i) => onApplied(result, i));
}

/** One page's rows, removed ids and cursor; the caller holds the transaction. */
function applyInTransaction(store: LocalStore, tables: TableName[], checked: CheckedPage): PageResult {
  const { page, from } = checked;
  const result: PageResult = { received: 0, applied: 0, keptLocal: 0, changedTables: [], perTable: {} };
  // Rows that left this device's scope go first (the server never lists a row it also serves on
  // the page), in the page's transaction with its cursor (invariants 11 and 12).
  const gone = applyRemoved(store, page.removed);
  if (gone.removed > 0) result.removed = gone.removed;
  let ceiling: string | null = null;
  for (const { table, rows } of checked.rows) {
    const statements = tableStatements(store, table);
    // Invariant 4, for the whole page at once and inside its transaction.
    const pending = pendingOfPage(store, table, rows);
    let appliedHere = 0;
    for (let index = 0; index < rows.length; index += 1) {
      result.received += 1;
      if (pending?.has(rows.id(index))) {
        result.keptLocal += 1;
        // Our next push must not claim to have seen this newer server version, or the server
        // could not tell that our edit and this one are concurrent: it may claim at most the
        // position this page was asked from (every row of the page lies after it).
        const local = statements.select.get(rows.id(index)) as { server_version: number | null } | undefined;
        // (A row we created and never heard back about is ours alone: nothing to flag.)
        if (local?.server_version != null && rows.serverVersion(index) > local.server_version) {
          const seen = from ?? '0';
          if (ceiling === null || compareCursors(seen, ceiling) < 0) ceiling = seen;
        }
        continue;
      }
      appliedHere += rows.write(statements, index);
    }
    result.applied += appliedHere;
    result.perTable[table] = rows.length;
    if (appliedHere > 0 || gone.changedTables.includes(table)) result.changedTables.push(table);
  }
  for (const table of gone.changedTables) if (!result.changedTables.includes(table)) result.changedTables.push(table);
  result.changedTables = inApplyOrder(result.changedTables);
  if (ceiling !== null) {
    const current = readMetadata(store, metadataKeys.pushCursorCeiling);
    if (current === null || compareCursors(ceiling, current) < 0)
      writeMetadata(store, metadataKeys.pushCursorCeiling, ceiling);
  }
  // The cursor only moves forward (invariant 11), and only here, with the page.
  for (const table of tables) {
    const current = readMetadata(store, cursorKey(table));
    if (current === null || compareCursors(page.cursor, current) > 0)
      writeMetadata(store, cursorKey(table), page.cursor);
  }
  writeMetadata(store, metadataKeys.lastPullTimestamp, page.timestamp);
  return result;
}

/**
 * The page's ids of `table` that have a change in the queue (invariant 4), or null when the
 * queue holds nothing of the table at all: the usual case of a big pull, where one index probe
 * replaces matching every id of the page against the queue.
 */
function pendingOfPage(store: LocalStore, table: TableName, rows: PulledRows): Set<string> | null {
  if (rows.length === 0 || !queuesAnyOf(store, table)) return null;
  return unsyncedRecordIds(
    store,
    table,
    Array.from({ length: rows.length }, (_, index) => rows.id(index)),
  );
}
