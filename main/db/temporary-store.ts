// A real local store in a fresh temp folder, for tests and benchmarks (the standards say: a real
// SQLite file, never an in-memory stand-in, so WAL and migrations behave as in the app).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalStore, type LocalStore } from './client.js';

export interface TemporaryStore extends LocalStore {
  /** Closes the store and deletes its folder. */
  remove(): void;
}

export function openTemporaryStore(prefix = 'insight-store-'): TemporaryStore {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const store = openLocalStore(join(folder, 'insight.sqlite'));
  return {
    ...store,
    remove() {
      if (store.sqlite.open) store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
