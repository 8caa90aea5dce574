// The engine's key/value bookkeeping in the local `sync_metadata` table. Every key the engine
// reads or writes is named here, so the file documents what a device remembers between runs.
import type { Statement } from 'better-sqlite3';
import type { LocalStore } from '../db/client.js';
import { DEFERRED_INDEXES_KEY } from '../db/deferred-indexes.js';
import type { TableName } from '../../shared/tables.js';

export const metadataKeys = {
  /** Base URL of the sync server, e.g. http://nas.local:8000 (no trailing slash). */
  serverUrl: 'server_url',
  /** This device's id as enrolled on the server (`npm run device:add`). */
  deviceId: 'device_id',
  /**
   * Where versions before the token vault kept the bearer token. Nothing writes it any more:
   * openLocalStore moves it to the store's TokenVault (main/db/token-vault.ts) and scrubs the file.
   */
  legacyPlainToken: 'token',
  /** `manager` or `store`, as the server confirmed when the connection was checked. */
  role: 'role',
  /** Minutes between background pulls (seed: every 5 minutes). */
  syncIntervalMinutes: 'sync_interval_minutes',
  /** ISO time of the last sync run that finished without error. */
  lastSyncAt: 'last_sync_at',
  /** The server's `timestamp` of the latest pulled page; sent as `last_sync_timestamp`. */
  lastPullTimestamp: 'last_pull_timestamp',
  /**
   * The highest cursor a push may claim to have seen. A pull that skips a newer server row because
   * the device has an unpushed edit of it lowers this, so the next push still lets the server
   * detect the concurrent change (instead of silently overwriting it).
   */
  pushCursorCeiling: 'push_cursor_ceiling',
  /** JSON list of the latest field-level merges of this device's pushes, for the sync panel (merges.ts). */
  recentMerges: 'recent_merges',
  /**
   * While an initial sync runs: the DDL of the secondary indexes it dropped to build once at the
   * end (main/db/deferred-indexes.ts, which owns this key; openLocalStore rebuilds them after a crash).
   */
  deferredIndexes: DEFERRED_INDEXES_KEY,
} as const;

/** Per-table pull position (invariant 11: only ever moves forward, with the page it belongs to). */
export const cursorKey = (table: TableName) => `cursor:${table}`;

// Read and written several times per push and pull (every table's cursor with every page):
// prepared once per connection. Compiling a statement costs more than running it on this table.
const statementsOf = new WeakMap<
  LocalStore['sqlite'],
  { read: Statement<[string], string>; write: Statement<[string, string]>; remove: Statement<[string]> }
>();

function statements(store: LocalStore) {
  let prepared = statementsOf.get(store.sqlite);
  if (!prepared) {
    prepared = {
      read: store.sqlite.prepare<[string], string>('SELECT value FROM sync_metadata WHERE key = ?').pluck(),
      write: store.sqlite.prepare<[string, string]>(
        `INSERT INTO sync_metadata (key, value, updated_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
      remove: store.sqlite.prepare<[string]>('DELETE FROM sync_metadata WHERE key = ?'),
    };
    statementsOf.set(store.sqlite, prepared);
  }
  return prepared;
}

export function readMetadata(store: LocalStore, key: string): string | null {
  return statements(store).read.get(key) ?? null;
}

export function writeMetadata(store: LocalStore, key: string, value: string | null): void {
  if (value === null) statements(store).remove.run(key);
  else statements(store).write.run(key, value);
}

/**
 * Cursors compare as positions: `<txid>.<version>`, txid first; a bare `<version>` (a cursor of a
 * server from before positions) is `0.<version>`. A store device moved to another store gets
 * `<main>~<scan>~<move>` cursors while the server re-sends its new store's rows (the re-scope
 * phase): on one main position, a phase cursor is past the plain one, a later move past an
 * earlier one, and within one move the cursor moves with its scan. So the phase's pages move the
 * stored cursor forward too (invariant 11).
 */
export const compareCursors = (a: string, b: string): number => {
  const ka = cursorOrder(a);
  const kb = cursorOrder(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const x = ka[i] ?? -1n;
    const y = kb[i] ?? -1n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/** main txid, main version, then (phase only) the move's txid and version, the scan's txid and version. */
const cursorOrder = (cursor: string): bigint[] => {
  const [main, scan, move] = cursor.split('~');
  const key = cursorParts(main!);
  return scan && move ? [...key, ...cursorParts(move), ...cursorParts(scan)] : key;
};

const cursorParts = (cursor: string): [bigint, bigint] => {
  const [a, b] = cursor.split('.');
  return b === undefined ? [0n, BigInt(a!)] : [BigInt(a!), BigInt(b)];
};
