// Stores on a real SQLite file: added, edited only on change, deactivated (never deleted), a
// duplicate code refused before anything is written, and the CLI's check of a typed code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { InvalidEditError, NotFoundError } from './errors.js';
import { listStores, requireStoreCode, saveStore } from './stores.js';

let store: TemporaryStore;
beforeEach(() => {
  store = openTemporaryStore();
});
afterEach(() => store.remove());

const queued = () =>
  (
    store.sqlite.prepare('SELECT table_name, operation, data FROM pending_changes ORDER BY id').all() as Array<{
      table_name: string;
      operation: string;
      data: string;
    }>
  ).map((c) => ({ op: `${c.table_name}:${c.operation}`, row: JSON.parse(c.data) as Record<string, unknown> }));

describe('stores', () => {
  it('adds stores, lists them by code, and queues each for the push', () => {
    saveStore(store, { code: 'S002', name: 'Harbour', region: 'North' });
    const downtown = saveStore(store, { code: 'S001', name: 'Downtown' });
    expect(downtown).toMatchObject({ code: 'S001', name: 'Downtown', region: null, active: true, deleted_at: null });
    expect(listStores(store).map((s) => [s.code, s.name, s.region])).toEqual([
      ['S001', 'Downtown', null],
      ['S002', 'Harbour', 'North'],
    ]);
    expect(queued().map((c) => c.op)).toEqual(['stores:INSERT', 'stores:INSERT']);
    expect(queued()[1]!.row).toMatchObject({ id: downtown.id, code: 'S001', name: 'Downtown', active: true });
  });

  it('edits and deactivates a store in place; an unchanged save queues nothing', () => {
    const s = saveStore(store, { code: 'S001', name: 'Downtown' });
    const renamed = saveStore(store, { id: s.id, code: 'S001', name: 'Downtown Central', region: 'Centre' });
    saveStore(store, { ...renamed });
    const inactive = saveStore(store, { ...renamed, active: false });
    expect(inactive).toMatchObject({ id: s.id, name: 'Downtown Central', region: 'Centre', active: false });
    // Still listed: the Stores screen shows it (greyed), rows keep naming its code.
    expect(listStores(store).map((x) => [x.code, x.active])).toEqual([['S001', false]]);
    expect(queued().map((c) => c.op)).toEqual(['stores:INSERT', 'stores:UPDATE', 'stores:UPDATE']);
  });

  it('refuses a code another store already has, and a malformed code, writing nothing', () => {
    saveStore(store, { code: 'S001', name: 'Downtown' });
    const other = saveStore(store, { code: 'S002', name: 'Harbour' });
    expect(() => saveStore(store, { code: 'S001', name: 'Second downtown' })).toThrow(
      'The code S001 is already used by Downtown; choose another code',
    );
    expect(() => saveStore(store, { id: other.id, code: 'S001', name: 'Harbour' })).toThrow(InvalidEditError);
    expect(() => saveStore(store, { id: other.id, code: 'S022', name: 'Harbour' })).toThrow(
      "A store's code cannot change (rows name the store by it): S002 stays S002",
    );
    expect(() => saveStore(store, { code: 'S 3', name: 'Spaces' })).toThrow(
      'code: A store code may only hold letters, digits and . _ : - (e.g. S001)',
    );
    expect(() => saveStore(store, { code: 'S003', name: '  ' })).toThrow('name: A store needs a name');
    expect(() => saveStore(store, { id: crypto.randomUUID(), code: 'S009', name: 'Ghost' })).toThrow(NotFoundError);
    expect(listStores(store).map((s) => s.code)).toEqual(['S001', 'S002']);
    expect(queued()).toHaveLength(2);
  });

  it('checks a typed store code against the synced stores, listing the known ones when it is unknown', () => {
    expect(() => requireStoreCode(store, 'S001')).toThrow(/Unknown store "S001": this device has no stores yet/);
    saveStore(store, { code: 'S001', name: 'Downtown' });
    saveStore(store, { code: 'S002', name: 'Harbour' });
    expect(requireStoreCode(store, 'S002')).toBe('S002');
    expect(requireStoreCode(store, undefined)).toBeNull();
    expect(() => requireStoreCode(store, 's002')).toThrow('Unknown store "s002"; known stores: S001, S002');
  });
});
