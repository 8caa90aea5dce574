// SQLite's page cache while a pull applies page after page.
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
// cache is memory, each commit is as before.
import type { LocalStore } from '../db/client.js';

/** The page cache while a pull applies pages, in KiB (SQLite's negative cache_size). */
export const PULL_CACHE_KIB = 8 * 1024;

/**
 * Raises the store connection's page cache to PULL_CACHE_KIB; the function returned puts the
 * previous size back (SQLite then frees the pages above it). Call it in a `finally`.
 */
export function widenPageCache(store: LocalStore): () => void {
  const before = store.sqlite.pragma('cache_size', { simple: true }) as number;
  // Negative: KiB; positive: pages (of 4 KiB unless the file says otherwise).
  const beforeKib = before < 0 ? -before : (before * 4096) / 1024;
  if (beforeKib >= PULL_CACHE_KIB) return () => {};
  store.sqlite.pragma(`cache_size = -${PULL_CACHE_KIB}`);
  return () => {
    if (store.sqlite.open) store.sqlite.pragma(`cache_size = ${before}`);
  };
}
