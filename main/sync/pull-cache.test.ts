import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalStore, type LocalStore } from '../db/client.js';
import { PULL_CACHE_KIB, PULL_CHECKPOINT_PAGES, widenPageCache } from './pull-cache.js';

describe('a pull widens the store connection for its pages and puts it back', () => {
  let folder: string;
  let store: LocalStore;
  afterEach(() => {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  });
  const open = () => {
    folder = mkdtempSync(join(tmpdir(), 'insight-pull-cache-'));
    store = openLocalStore(join(folder, 'insight.sqlite'));
  };
  const settings = () => ({
    cache: store.sqlite.pragma('cache_size', { simple: true }),
    checkpoint: store.sqlite.pragma('wal_autocheckpoint', { simple: true }),
  });

  it('raises the page cache and the WAL checkpoint while the pull runs, then restores both', () => {
    open();
    // SQLite's own defaults (better-sqlite3 builds with a 16 MB cache: set a smaller one).
    store.sqlite.pragma('cache_size = -2000');
    store.sqlite.pragma('wal_autocheckpoint = 1000');
    const before = settings();
    const restore = widenPageCache(store);
    expect(settings()).toEqual({ cache: -PULL_CACHE_KIB, checkpoint: PULL_CHECKPOINT_PAGES });
    restore();
    expect(settings()).toEqual(before);
  });

  it('leaves alone a connection already set wider, or with automatic checkpoints off', () => {
    open();
    store.sqlite.pragma(`cache_size = -${PULL_CACHE_KIB * 2}`);
    store.sqlite.pragma('wal_autocheckpoint = 0');
    const restore = widenPageCache(store);
    expect(settings()).toEqual({ cache: -PULL_CACHE_KIB * 2, checkpoint: 0 });
    restore();
    expect(settings()).toEqual({ cache: -PULL_CACHE_KIB * 2, checkpoint: 0 });
  });
});
