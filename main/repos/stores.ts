// Stores as records: a code (what every row's `store_id` holds, e.g. S001), a name and a region.
// Only the manager writes them. A store is deactivated rather than deleted: rows of years past
// still name its code, and the pickers stop offering it. No two live stores share a code; the
// server refuses a push that would make two (two managers adding the same code offline).
import { newId } from '../../shared/ids.js';
import { z } from 'zod';
import { StoreInput } from '../../shared/ipc.js';
import type { RowOf } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { fromSqliteRow } from '../db/rows.js';
import { localTransaction, nowIso, writeIfChanged } from '../db/outbox.js';
import { InvalidEditError, parseInput } from './errors.js';
import { requireLive } from './live-rows.js';

export type Store = RowOf<'stores'>;

/**
 * StoreInput's fields, other keys ignored: the IPC door already refused unknown keys (strict),
 * and callers in main may pass a whole row back with one field changed (`{ ...store, active }`).
 */
const StoreFields = z.object(StoreInput.shape);

/** Live stores by code, inactive ones included (the caller decides whether to offer them). */
export function listStores(store: LocalStore): Store[] {
  const raws = store.sqlite
    .prepare('SELECT * FROM stores WHERE deleted_at IS NULL ORDER BY code COLLATE NOCASE, id')
    .all() as Record<string, unknown>[];
  return raws.map((raw) => fromSqliteRow('stores', raw));
}

/** The live store with this code (exact, as `store_id` matches), or undefined. */
export function findStoreByCode(store: LocalStore, code: string): Store | undefined {
  const raw = store.sqlite
    .prepare('SELECT * FROM stores WHERE code = ? AND deleted_at IS NULL ORDER BY id LIMIT 1')
    .get(code) as Record<string, unknown> | undefined;
  return raw ? fromSqliteRow('stores', raw) : undefined;
}

/** Adds a store (no id) or edits one (id); an unchanged save writes nothing. A code already used is refused. */
export function saveStore(store: LocalStore, input: z.input<typeof StoreFields>): Store {
  const { id, ...fields } = parseInput(StoreFields, input);
  return localTransaction(store, (local) => {
    const current = id ? requireLive(store, 'stores', id, 'Store') : undefined;
    // Rows name their store by its code: changing it would leave them naming no store.
    if (current && current.code !== fields.code) {
      throw new InvalidEditError(
        `A store's code cannot change (rows name the store by it): ${current.code} stays ${current.code}`,
      );
    }
    const holder = findStoreByCode(store, fields.code);
    if (holder && holder.id !== id) {
      throw new InvalidEditError(`The code ${fields.code} is already used by ${holder.name}; choose another code`);
    }
    return writeIfChanged(local, 'stores', current, {
      id: id ?? newId(),
      ...fields,
      updated_at: nowIso(),
      deleted_at: null,
    });
  });
}

/**
 * Checks a store code given on the command line against the synced stores: the code itself when
 * known, or an error that lists the known codes. Null and undefined pass (no store named).
 */
export function requireStoreCode(store: LocalStore, code: string | null | undefined): string | null {
  if (code === null || code === undefined) return null;
  const known = findStoreByCode(store, code);
  if (known) return known.code;
  const codes = listStores(store).map((s) => s.code);
  throw new InvalidEditError(
    codes.length === 0
      ? `Unknown store ${JSON.stringify(code)}: this device has no stores yet (a manager adds them on the Stores screen; pull first)`
      : `Unknown store ${JSON.stringify(code)}; known stores: ${codes.join(', ')}`,
  );
}
