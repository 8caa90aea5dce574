// The initial sync's deferred secondary indexes: dropped only on empty tables, rebuilt exactly as
// they were, and rebuilt by openLocalStore when a crash came between the two.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalStore, type LocalStore } from './client.js';
import { DEFERRED_INDEXES_KEY, deferIndexesOfEmptyTables, rebuildDeferredIndexes } from './deferred-indexes.js';

let folder: string;
let store: LocalStore;
const file = () => join(folder, 'insight.sqlite');
const open = () => {
  folder = mkdtempSync(join(tmpdir(), 'insight-deferred-indexes-'));
  store = openLocalStore(file());
};
afterEach(() => {
  store.close();
  rmSync(folder, { recursive: true, force: true });
});

const indexes = (s: LocalStore) =>
  s.sqlite.prepare(`SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`).all() as {
    tbl_name: string;
    name: string;
    sql: string | null;
  }[];
const recorded = (s: LocalStore) =>
  s.sqlite.prepare('SELECT value FROM sync_metadata WHERE key = ?').pluck().get(DEFERRED_INDEXES_KEY);

describe('deferred indexes of a bulk load', () => {
  it("drops the empty tables' non-unique secondary indexes and rebuilds them exactly as they were", () => {
    open();
    const before = indexes(store);
    expect(deferIndexesOfEmptyTables(store.sqlite, ['submissions', 'submission_answers'])).toBe(6);
    const during = indexes(store);
    expect(during.filter((i) => i.tbl_name === 'submissions' && i.sql !== null)).toEqual([]);
    expect(during.filter((i) => i.tbl_name === 'submission_answers' && i.sql !== null)).toEqual([]);
    // The primary keys' indexes stay: the upserts and the invariant-4 check find rows by id.
    expect(during.filter((i) => i.sql === null).map((i) => i.name)).toEqual(
      before.filter((i) => i.sql === null).map((i) => i.name),
    );
    expect(recorded(store)).toBeTypeOf('string');

    expect(rebuildDeferredIndexes(store.sqlite)).toBe(6);
    expect(indexes(store)).toEqual(before);
    expect(recorded(store)).toBeUndefined();
    expect(rebuildDeferredIndexes(store.sqlite)).toBe(0);
  });

  it('leaves alone a table that holds rows, and unique indexes', () => {
    open();
    store.sqlite
      .prepare(`INSERT INTO submission_answers (id, updated_at, submission_id, field_id, value) VALUES (?, ?, ?, ?, ?)`)
      .run(crypto.randomUUID(), new Date().toISOString(), crypto.randomUUID(), crypto.randomUUID(), '"x"');
    const before = indexes(store);
    const unique = store.sqlite
      .prepare(
        `SELECT m.name FROM sqlite_master m, pragma_index_list(m.name) i WHERE m.type = 'table' AND i."unique" = 1`,
      )
      .pluck()
      .all();
    expect(
      deferIndexesOfEmptyTables(
        store.sqlite,
        before.map((i) => i.tbl_name),
      ),
    ).toBeGreaterThan(0);
    const left = indexes(store).map((i) => i.name);
    expect(left).toContain('submission_answers_submission_idx');
    expect(left).not.toContain('submissions_live_updated_idx');
    expect(
      store.sqlite
        .prepare(
          `SELECT m.name FROM sqlite_master m, pragma_index_list(m.name) i WHERE m.type = 'table' AND i."unique" = 1`,
        )
        .pluck()
        .all(),
    ).toEqual(unique);
  });

  it('is rebuilt when the store opens after a crash between the drop and the rebuild', () => {
    open();
    const before = indexes(store);
    deferIndexesOfEmptyTables(store.sqlite, ['submissions', 'submission_answers']);
    store.close(); // the app dies mid-pull: nothing rebuilds
    store = openLocalStore(file());
    expect(indexes(store)).toEqual(before);
    expect(recorded(store)).toBeUndefined();
  });

  // The rebuild sorts with a small page cache (its sorter takes as much memory as the cache size);
  // the connection's own cache size comes back after it, also when a rebuild fails.
  it('builds with a small cache and gives the connection its cache size back, even when the build fails', () => {
    open();
    store.sqlite.pragma('cache_size = -12345');
    deferIndexesOfEmptyTables(store.sqlite, ['submission_answers']);
    expect(rebuildDeferredIndexes(store.sqlite)).toBe(1);
    expect(store.sqlite.pragma('cache_size', { simple: true })).toBe(-12345);

    deferIndexesOfEmptyTables(store.sqlite, ['submission_answers']);
    store.sqlite
      .prepare('UPDATE sync_metadata SET value = ? WHERE key = ?')
      .run(
        JSON.stringify([{ name: 'broken_idx', sql: 'CREATE INDEX broken_idx ON no_such_table (x)' }]),
        DEFERRED_INDEXES_KEY,
      );
    expect(() => rebuildDeferredIndexes(store.sqlite)).toThrow(/no_such_table/);
    expect(store.sqlite.pragma('cache_size', { simple: true })).toBe(-12345);
    expect(recorded(store)).toBeTypeOf('string'); // kept for the next open to retry
  });

  it('does not defer twice while indexes are already deferred', () => {
    open();
    expect(deferIndexesOfEmptyTables(store.sqlite, ['submissions'])).toBe(5);
    expect(deferIndexesOfEmptyTables(store.sqlite, ['submission_answers'])).toBe(0);
    expect(rebuildDeferredIndexes(store.sqlite)).toBe(5);
  });
});
