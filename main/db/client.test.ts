import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalStore } from './client.js';
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

  it('refuses a database written by a newer version of the app', () => {
    store.sqlite
      .prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)')
      .run('future', Date.now() + 10 * 365 * 86_400_000);
    store.close();
    expect(() => openLocalStore(store.file)).toThrow(/newer version of Insight/);
  });
});
