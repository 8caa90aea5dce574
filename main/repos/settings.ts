// Synced settings: key → JSON value, written by the manager and pulled by manager devices
// (the app's own connection settings are local and live in sync_metadata, not here).
// Two managers may each create the same key offline, giving two rows: the latest one counts,
// and a later set updates that one.
import { newId } from '../../shared/ids.js';
import { z } from 'zod';
import type { RowOf } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { localTransaction, nowIso, writeIfChanged } from '../db/outbox.js';
import { fromSqliteRow } from '../db/rows.js';
import { parseInput } from './errors.js';

export type SettingRow = RowOf<'settings'>;
const Key = z.string().trim().min(1, 'A setting needs a key').max(200);

function findSetting(store: LocalStore, key: string): SettingRow | undefined {
  const raw = store.sqlite
    .prepare('SELECT * FROM settings WHERE key = ? AND deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1')
    .get(key);
  return raw ? fromSqliteRow('settings', raw as Record<string, unknown>) : undefined;
}

/** The value of a setting, or null when it was never set. */
export function getSetting(store: LocalStore, key: string): unknown {
  return findSetting(store, parseInput(Key, key))?.value ?? null;
}

/** Every live setting (the latest row per key), by key. */
export function listSettings(store: LocalStore): SettingRow[] {
  const raws = store.sqlite
    .prepare(
      `SELECT * FROM settings s WHERE deleted_at IS NULL AND NOT EXISTS (
         SELECT 1 FROM settings t WHERE t.key = s.key AND t.deleted_at IS NULL
           AND (t.updated_at > s.updated_at OR (t.updated_at = s.updated_at AND t.id > s.id)))
       ORDER BY key`,
    )
    .all() as Record<string, unknown>[];
  return raws.map((raw) => fromSqliteRow('settings', raw));
}

/** Sets a setting to a JSON value; setting the value it already has writes nothing. */
export function setSetting(store: LocalStore, key: string, value: unknown): SettingRow {
  const parsedKey = parseInput(Key, key);
  const parsedValue = parseInput(z.json({ error: 'A setting value must be JSON' }), value ?? null);
  return localTransaction(store, (local) => {
    const current = findSetting(store, parsedKey);
    return writeIfChanged(local, 'settings', current, {
      id: current?.id ?? newId(),
      key: parsedKey,
      value: parsedValue,
      updated_at: nowIso(),
      deleted_at: null,
    });
  });
}
