// SQLite's page cache and WAL checkpoints while a pull applies page after page.
//
// A page of 10,000 rows with random uuid keys touches most of its tables' index pages, about
// 8 MB of them for the submissions and answers of an initial sync. SQLite's default cache (2 MB)
// cannot hold that: within the transaction dirty pages spill to the WAL and are written again when
// touched again, and clean ones are evicted and read back. During a pull of several pages the
// connection's cache is raised so a page's transaction stays in memory until its commit (a 100k-row
// initial sync, replayed 10 times alternating: ~2–3 µs less device CPU per row at 16 MB, of
// ~13–15), then put back, which frees what the larger cache held. 8 MB, about what one page's
// transaction touches, not 16: the device's peak RSS is already near its 250 MB budget on long
// pulls (docs/benchmarks.md), and every MB of cache counts in it. Correctness is unchanged: the
// cache is memory, each commit is as before. (better-sqlite3 builds SQLite with a 16 MB default,
// `cache_size = -16000`: a store openLocalStore opened already has more and is left as it is; the
// raise is for a connection set smaller.)
//
// The same reason holds for checkpoints: each page's commit puts those ~8 MB in the WAL, more than
// SQLite's automatic checkpoint (1000 pages, 4 MB) allows, so every commit was followed by a
// checkpoint copying all of them into the database file, the same index pages again and again;
// half of a commit's CPU (docs/benchmarks.md). During the pull the WAL may grow to
// PULL_CHECKPOINT_PAGES before it is checkpointed, so one checkpoint copies the latest of pages
// that several commits rewrote. Durability is unchanged: a commit is durable once in the WAL
// (invariant 3), a checkpoint only moves it into the main file.
import type { LocalStore } from '../db/client.js';

/** The page cache while a pull applies pages, in KiB (SQLite's negative cache_size). */
export const PULL_CACHE_KIB = 8 * 1024;

/** WAL pages (4 KiB) a pull lets accumulate before SQLite checkpoints: about four pages' commits. */
export const PULL_CHECKPOINT_PAGES = 4096;

/**
 * Raises the store connection's page cache to PULL_CACHE_KIB and its automatic checkpoint to
 * PULL_CHECKPOINT_PAGES; the function returned puts both back (SQLite then frees the cache pages
 * above the old size, and the next commit checkpoints the WAL). Call it in a `finally`.
 */
export function widenPageCache(store: LocalStore): () => void {
  const { sqlite } = store;
  const before = sqlite.pragma('cache_size', { simple: true }) as number;
  const checkpointBefore = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  // Negative: KiB; positive: pages (of 4 KiB unless the file says otherwise).
  const beforeKib = before < 0 ? -before : (before * 4096) / 1024;
  const widenCache = beforeKib < PULL_CACHE_KIB;
  // 0 or less: automatic checkpoints are off on this connection; left as they are.
  const widenCheckpoint = checkpointBefore > 0 && checkpointBefore < PULL_CHECKPOINT_PAGES;
  if (widenCache) sqlite.pragma(`cache_size = -${PULL_CACHE_KIB}`);
  if (widenCheckpoint) sqlite.pragma(`wal_autocheckpoint = ${PULL_CHECKPOINT_PAGES}`);
  return () => {
    if (!sqlite.open) return;
    if (widenCache) sqlite.pragma(`cache_size = ${before}`);
    if (widenCheckpoint) sqlite.pragma(`wal_autocheckpoint = ${checkpointBefore}`);
  };
}
