// A bulk load's secondary indexes, built once at the end instead of row by row.
//
// An initial sync writes every row of the big tables into empty tables. The answers' index leads
// with the submission's id, a random uuid, so each insert lands at a random place in it, and once
// it outgrows SQLite's page cache that costs more than the insert itself: replaying the real apply
// of 300k-500k rows (10 pages of 10,000 per 100k), the device spent 23-29 µs of CPU per row with
// the index kept and 12-16 with it built at the end, sort included. So before the first page of a
// pull of several pages, the secondary indexes of the tables in DEFERRED_ON_BULK_LOAD that are
// still empty are dropped, and after the last page they are created again from the very
// statements they were created with. The submissions' indexes are not deferred: they lead with
// time, form, store or status, so a pull in position order appends to them (deferring them too
// saved ~1 µs more per row), and the UI's lists and counts, which refresh with every page of a
// long initial sync, use them (without them a list over 50k submissions took 126 ms, not 31).
//
// Nothing depends on these indexes being there but speed: they are not unique (a unique index,
// and each table's primary key, stay: they are what the upserts and invariant 4 rely on), and the
// queries that use them (a submission's answers) return the same rows without them, only slower
// while the pull runs. Their DDL is kept in `sync_metadata` in the same transaction that drops
// them, so a crash mid-pull loses nothing: openLocalStore puts them back before it runs migrations
// (which may expect them), and the pull that resumes then writes with the indexes in place.
import type Database from 'better-sqlite3';

/** The tables whose secondary indexes a bulk load builds at the end (see above). */
export const DEFERRED_ON_BULK_LOAD: readonly string[] = ['submission_answers'];

/** The `sync_metadata` key holding the dropped indexes' DDL (a JSON list) until they are rebuilt. */
export const DEFERRED_INDEXES_KEY = 'deferred_indexes';

interface IndexDdl {
  name: string;
  sql: string;
}

/** The non-unique secondary indexes of `table` that a statement created (not a PRIMARY KEY's or a UNIQUE's). */
function secondaryIndexes(sqlite: Database.Database, table: string): IndexDdl[] {
  const listed = sqlite.prepare(`SELECT name, "unique", origin FROM pragma_index_list(?)`).all(table) as {
    name: string;
    unique: number;
    origin: string;
  }[];
  const wanted = new Set(listed.filter((index) => index.origin === 'c' && index.unique === 0).map((i) => i.name));
  const ddl = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
    .all(table) as IndexDdl[];
  return ddl.filter((index) => wanted.has(index.name));
}

const isEmpty = (sqlite: Database.Database, table: string) =>
  sqlite.prepare(`SELECT NOT EXISTS (SELECT 1 FROM "${table}")`).pluck().get() === 1;

/**
 * Drops the secondary indexes of those `tables` that hold no row, in one transaction with the
 * record of their DDL. Returns how many were dropped (none: nothing to rebuild). A store whose
 * indexes are deferred already (a pull in progress) is left as it is.
 */
export function deferIndexesOfEmptyTables(sqlite: Database.Database, tables: readonly string[]): number {
  return sqlite.transaction(() => {
    if (readDeferred(sqlite) !== null) return 0;
    const dropped = [...new Set(tables)]
      .filter((table) => isEmpty(sqlite, table))
      .flatMap((table) => secondaryIndexes(sqlite, table));
    if (dropped.length === 0) return 0;
    for (const index of dropped) sqlite.exec(`DROP INDEX "${index.name}"`);
    sqlite
      .prepare(`INSERT INTO sync_metadata (key, value, updated_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)
      .run(DEFERRED_INDEXES_KEY, JSON.stringify(dropped));
    return dropped.length;
  })();
}

/**
 * The page cache while the indexes are built, in KiB. SQLite's sorter takes as much memory as the
 * connection's cache size before it spills to a temporary file, on top of the cache itself: with
 * the store's 16 MB, building the index over 900k answers raised the peak RSS by 16 MB (the 1M-row
 * pull's peak is near its 250 MB budget); with 2 MB, by 3 MB, in the same CPU (1.1-1.2 s both).
 * Shrinking the cache also frees the pages it held; it refills on demand afterwards.
 */
export const REBUILD_CACHE_KIB = 2 * 1024;

/** Creates again every index deferIndexesOfEmptyTables dropped, in one transaction. Returns how many. */
export function rebuildDeferredIndexes(sqlite: Database.Database): number {
  if (readDeferred(sqlite) === null) return 0;
  const cacheBefore = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma(`cache_size = -${REBUILD_CACHE_KIB}`);
  try {
    return sqlite.transaction(() => {
      const deferred = readDeferred(sqlite);
      if (deferred === null) return 0;
      for (const index of deferred) {
        const exists = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(index.name);
        if (!exists) sqlite.exec(index.sql);
      }
      sqlite.prepare('DELETE FROM sync_metadata WHERE key = ?').run(DEFERRED_INDEXES_KEY);
      return deferred.length;
    })();
  } finally {
    sqlite.pragma(`cache_size = ${cacheBefore}`);
  }
}

function readDeferred(sqlite: Database.Database): IndexDdl[] | null {
  const hasMetadata = sqlite
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_metadata'`)
    .get();
  if (!hasMetadata) return null;
  const value = sqlite.prepare('SELECT value FROM sync_metadata WHERE key = ?').pluck().get(DEFERRED_INDEXES_KEY) as
    string | undefined;
  return value === undefined ? null : (JSON.parse(value) as IndexDdl[]);
}
