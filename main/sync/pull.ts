// Pull (seed: Pull Sync): fetch server changes in pages and apply them, each page together with
// its cursor advance, in local transactions (invariant 11: a crash loses nothing and re-pulls only
// pages whose rows it lost). How a page is applied (invariants 4 and 11) is pull-page.ts; this file
// is the paging: which tables pull together, pipelining the next request, and how many pages that
// already arrived share one transaction.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { MAX_PULL_PAGE } from '../../shared/protocol/sync.js';
import { inApplyOrder, isTableName, type TableName } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { DEFERRED_ON_BULK_LOAD, deferIndexesOfEmptyTables, rebuildDeferredIndexes } from '../db/deferred-indexes.js';
import { SyncHttpError, type PulledPage, type SyncClient } from './http.js';
import { compareCursors, cursorKey, metadataKeys, readMetadata } from './metadata.js';
import { widenPageCache } from './pull-cache.js';
import { applyPulledPages, checkPage, type CheckedPage, type PageResult } from './pull-page.js';

export { applyPulledPage, type PageResult } from './pull-page.js';

/**
 * Rows per page asked for when the caller does not say: the most the server serves. With random
 * uuid keys every commit rewrites the index pages it touched, so fewer, larger pages cost less (a
 * 100k-row initial sync, per row: a fifth less device CPU, a third less server CPU and half the
 * PostgreSQL CPU of pages of 5000 against 1000). A page of 10,000 is one commit, applied as soon
 * as it arrives while the server reads the next one: device and server work at the same time.
 */
export const DEFAULT_PULL_PAGE = MAX_PULL_PAGE;

/**
 * Pages that arrived are applied together, in one transaction, once they hold this many rows (or
 * at the last page): for smaller pages (a caller's `pageSize`), since every commit rewrites the
 * index pages its rows touched, so two pages of 5000 in one commit cost the device less CPU than
 * two commits. A page of DEFAULT_PULL_PAGE rows is applied alone, as it arrives: holding it back
 * for the next one would leave the server idle while the device applies both, then the device
 * idle while the server reads the page after. The pages wait in memory meanwhile: 20,000 rows
 * saved a little more CPU but raised the device's peak RSS by 15 to 50 MB on the 100k-row initial
 * sync. A crash re-pulls at most these pages (their cursors commit with their rows).
 */
export const APPLY_BATCH_ROWS = 10_000;

/** The most rows per page a server before 10,000-row pages serves (it refuses more with a 400). */
export const OLDER_SERVER_MAX_PAGE = 5000;

/** The server's 400 naming the request's `limit`: the page size asked for is more than it serves. */
const refusesPageSize = (error: unknown) =>
  error instanceof SyncHttpError && error.status === 400 && error.details.some((detail) => detail.path === 'limit');

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
  // Progress needs the total once: only the first page asks for it (counting the rows left costs
  // the server a scan of them, on every page it is asked).
  let limit = options.pageSize ?? DEFAULT_PULL_PAGE;
  // The next page asked for as soon as an answer's headers say where it starts (PULL_NEXT_HEADERS),
  // before that answer's body is received and parsed: the server reads it meanwhile. By the cursor
  // asked from, in the order asked; the loop below uses one only if the page's body names the
  // same cursor and timestamp. At most EARLY_PAGES wait (an answer's headers can come in while
  // the page before it is still parsed: the page after it is asked for then too).
  const early = new Map<string, EarlyPage>();
  const ask = (at: string | null, lastSync: string | null, withTotal: boolean): Promise<PulledPage> =>
    client.pull(
      {
        cursor: at,
        last_sync_timestamp: at === null ? null : lastSync,
        tables,
        limit,
        with_total: withTotal,
        // Rows as arrays of values (pulled-rows.ts); a server from before them sends objects.
        row_format: 'arrays',
      },
      (ahead) => {
        if (!ahead.has_more || ahead.cursor === at || options.signal?.aborted) return;
        if (early.has(ahead.cursor) || early.size >= EARLY_PAGES) return;
        const answer = request(ahead.cursor, ahead.timestamp, false);
        answer.catch(() => {}); // handled when awaited; dropped if unused
        early.set(ahead.cursor, { timestamp: ahead.timestamp, answer });
      },
    );
  const request = async (at: string | null, lastSync: string | null, withTotal: boolean) => {
    try {
      return await ask(at, lastSync, withTotal);
    } catch (error) {
      // A server from before pages of 10,000 refuses the page size: ask it again at its own most,
      // and go on at that size (a manager app updated before its server still syncs).
      if (limit <= OLDER_SERVER_MAX_PAGE || !refusesPageSize(error)) throw error;
      limit = OLDER_SERVER_MAX_PAGE;
      return ask(at, lastSync, withTotal);
    }
  };
  // Pages that arrived and wait to be applied together (pull-page.ts: one transaction, each page
  // with its cursor). They are applied once they hold APPLY_BATCH_ROWS rows, at the last page, when
  // the run is stopped, and before any error leaves this function, so a page that arrived is never
  // dropped because a later one failed.
  let batch: CheckedPage[] = [];
  let batchRows = 0;
  const applyBatch = () => {
    if (batch.length === 0) return;
    const pages = batch;
    const pagesBefore = result.pages;
    batch = [];
    batchRows = 0;
    const applyStart = performance.now();
    try {
      applyPulledPages(
        store,
        pages,
        // A table whose cursor went back to null while the page was on the wire (a discard reset
        // it, so that its next pull starts over) keeps that reset: moving it to this page's cursor
        // would skip the rows the reset is there to bring back. It catches up in its own pass
        // next run. Read in the apply transaction, just before the page's rows.
        (index) =>
          tables.filter(
            (table, i) => !(readCursor(store, table) === null && (cursors[i] !== null || pagesBefore + index > 0)),
          ),
        (applied, index) => {
          result.pages += 1;
          addCounts(result, changed, applied);
          options.onPage?.(applied);
          const { page } = pages[index]!;
          const lastTable = inApplyOrder(Object.keys(page.changes).filter(isTableName)).at(-1) ?? null;
          options.onProgress?.({ done: result.received, total: Math.max(total, result.received), table: lastTable });
        },
      );
    } finally {
      result.applyMs += performance.now() - applyStart;
    }
  };
  let next = request(cursor, readMetadata(store, metadataKeys.lastPullTimestamp), true);
  let first = true;
  // Set once the pull turns out to have several pages (pull-cache.ts); put back at the end.
  let restoreCache: (() => void) | null = null;
  // Set when the pull's empty tables had their secondary indexes dropped (deferred-indexes.ts).
  let indexesDeferred = false;
  try {
    for (;;) {
      let checked: CheckedPage;
      try {
        // The page's rows are checked as it arrives: a bad page is refused before anything of it is
        // written, after the pages before it are applied.
        checked = checkPage(await next, cursor);
      } catch (error) {
        applyBatch();
        throw error;
      }
      const { page } = checked;
      // Pipelining: the next page is requested (with this page's cursor, as the request after the
      // apply would send) before this one is applied, so the server works on it meanwhile: from
      // this page's headers when the server sent them (above; used when the body agrees), else
      // now. Only the request is early: the cursor still moves only with its page, in the apply
      // transaction. If this page fails to apply, or the pull is aborted, the prefetched page is
      // dropped unapplied.
      const more = page.has_more && page.cursor !== cursor;
      const asked = takeEarly(early, page.cursor);
      if (more && !options.signal?.aborted) {
        if (asked !== undefined && asked.timestamp === page.timestamp) next = asked.answer;
        else {
          next = request(page.cursor, page.timestamp, false);
          next.catch(() => {}); // handled when awaited; dropped if this page fails or the pull stops
          await nextTurn(); // let the request leave before the synchronous apply holds the thread
        }
      }
      if (more) restoreCache ??= widenPageCache(store);
      // A pull of several pages into empty tables (an initial sync) builds the answers' secondary
      // index once at the end instead of updating it row by row (deferred-indexes.ts).
      if (first && more) {
        const deferred = tables.filter((table) => DEFERRED_ON_BULK_LOAD.includes(table));
        indexesDeferred = deferIndexesOfEmptyTables(store.sqlite, deferred) > 0;
      }
      if (first) total = page.total ?? 0;
      first = false;
      batch.push(checked);
      batchRows += checked.size;
      // Stop also if the server returns the same cursor with has_more (it would loop forever).
      if (!more || options.signal?.aborted || batchRows >= APPLY_BATCH_ROWS) applyBatch();
      if (!more) break;
      options.signal?.throwIfAborted();
      cursor = page.cursor;
    }
  } finally {
    if (indexesDeferred) rebuildDeferredIndexes(store.sqlite);
    restoreCache?.();
  }
  result.changedTables = inApplyOrder(changed);
  return result;
}

/** A page asked for from the headers of the answer before it (pullGroup), by the cursor asked from. */
interface EarlyPage {
  timestamp: string;
  answer: Promise<PulledPage>;
}

/** Pages asked for early that may wait at once: the next one, and the one after it. */
const EARLY_PAGES = 2;

/**
 * The page asked early from `cursor`, taken out of `early` with every one asked before it (never
 * used now: the pull has gone past them); none: `early` is emptied (the bodies disagreed with
 * the headers, so nothing asked from them is used).
 */
function takeEarly(early: Map<string, EarlyPage>, cursor: string): EarlyPage | undefined {
  const found = early.get(cursor);
  for (const key of [...early.keys()]) {
    early.delete(key);
    if (key === cursor) break;
  }
  if (found === undefined) early.clear();
  return found;
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
