import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_PAGE_SIZE, openLocalStore, WAL_CHECKPOINT_BYTES } from './client.js';
import { writeLocal } from './outbox.js';
import { openTemporaryStore, type TemporaryStore } from './temporary-store.js';

let store: TemporaryStore;
beforeEach(() => {
  store = openTemporaryStore();
});
afterEach(() => store.remove());

describe('opening the local store', () => {
  it('creates every table in WAL mode and keeps data across reopening without re-running migrations', () => {
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (
      store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
    ).map((t) => t.name);
    for (const table of [
      'forms',
      'form_sections',
      'fields',
      'form_templates',
      'submissions',
      'submission_answers',
      'team',
      'kpi_data',
      'settings',
      'stores',
      'pending_changes',
      'sync_metadata',
      'conflicts',
    ]) {
      expect(tables).toContain(table);
    }
    writeLocal(store, 'team', { id: crypto.randomUUID(), name: 'Ann', updated_at: new Date().toISOString() }, 'INSERT');
    store.close();
    const again = openLocalStore(store.file);
    expect(again.sqlite.prepare('SELECT count(*) AS n FROM team').get()).toEqual({ n: 1 });
    // Each migration recorded once, however often the store is opened.
    const migrations = readdirSync(new URL('./migrations', import.meta.url)).filter((name) =>
      name.endsWith('.sql'),
    ).length;
    expect(again.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: migrations });
    again.close();
  });

  it('creates a new store with its larger pages, and checkpoints its WAL at the same bytes as at 4 KiB pages', () => {
    expect(store.sqlite.pragma('page_size', { simple: true })).toBe(LOCAL_PAGE_SIZE);
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_CHECKPOINT_BYTES / LOCAL_PAGE_SIZE);
  });

  it('keeps the page size of a store created with 4 KiB pages, and its data', () => {
    store.close();
    const older = store.file.replace(/\.sqlite$/, '-older.sqlite');
    // A store as the app created them before: SQLite's default pages, WAL mode, one table.
    const before = new Database(older);
    before.pragma('page_size = 4096');
    before.pragma('journal_mode = WAL');
    before.exec('CREATE TABLE kept (id TEXT PRIMARY KEY)');
    before.prepare('INSERT INTO kept (id) VALUES (?)').run('a');
    before.close();
    const opened = openLocalStore(older);
    try {
      expect(opened.sqlite.pragma('page_size', { simple: true })).toBe(4096);
      expect(opened.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      expect(opened.sqlite.prepare('SELECT id FROM kept').all()).toEqual([{ id: 'a' }]);
      writeLocal(
        opened,
        'team',
        { id: crypto.randomUUID(), name: 'Bo', updated_at: new Date().toISOString() },
        'INSERT',
      );
    } finally {
      opened.close();
    }
  });

  it('refuses a database written by a newer version of the app', () => {
    store.sqlite
      .prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)')
      .run('future', Date.now() + 10 * 365 * 86_400_000);
    store.close();
    expect(() => openLocalStore(store.file)).toThrow(/newer version of Insight/);
  });
});
