// Scoped pushes (invariant 12): a store device may push only rows of its own store, and may not
// move a row to another store (an answer: through its submission). A push breaking this gets 403
// naming the rows, and nothing of it is applied, like any other role violation (invariant 9).
// Checked inside the push transaction, after the records are locked, so a manager moving the row
// at the same moment is seen either wholly before or wholly after.
import { sql } from 'drizzle-orm';
import type { TableName } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';
import { HttpError } from '../http/errors.js';
import type { PushedRow } from './decide.js';
import { scopeOf, scopeRules, storeOf } from './scope.js';

/** The store each of `ids` (rows of `table` on the server) belongs to; ids the server lacks are absent. */
async function storesOf(tx: Queryable, table: TableName, ids: string[]): Promise<Map<string, string | null>> {
  const store = storeOf(table);
  if (!store || ids.length === 0) return new Map();
  const t = sql.identifier(table);
  const found = rowsOf<{ id: string; store: string | null }>(
    await tx.execute(sql`select ${t}.id::text as id, ${store} as store from ${t}
      where ${t}.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`),
  );
  return new Map(found.map((row) => [row.id, row.store]));
}

/** The parent records a table's rows are scoped through (an answer's submission), to lock with them. */
export function scopeParents(table: TableName, rows: PushedRow[]): { table: string; id: string }[] {
  const rule = scopeRules[table];
  if (!rule || !('through' in rule)) return [];
  const { table: parent, via } = rule.through;
  return rows.flatMap((row) => (typeof row[via] === 'string' ? [{ table: parent, id: row[via] }] : []));
}

const named = (store: string | null) => (store === null ? 'no store' : `store ${store}`);

export async function assertPushInScope(
  tx: Queryable,
  device: { id: string; role: string; store_id?: string | null },
  rows: Partial<Record<TableName, PushedRow[]>>,
  /** Change ids of this device already applied (a retry): their rows were checked when first pushed. */
  retried: ReadonlySet<string>,
): Promise<void> {
  const scope = scopeOf(device);
  if (scope === null) return;
  const violations: { path: string; message: string }[] = [];
  // The store a pushed row will belong to, once this push is applied (parents of this push first).
  const pushedStore = new Map<string, string | null | undefined>();
  for (const [table, pushed] of Object.entries(rows) as [TableName, PushedRow[]][]) {
    const rule = scopeRules[table];
    if (!rule || pushed.length === 0) continue;
    const fresh = pushed.filter((row) => !row.change_id || !retried.has(row.change_id));
    const held = await storesOf(
      tx,
      table,
      fresh.map((row) => row.id),
    );
    let parentStores = new Map<string, string | null>();
    if ('through' in rule) {
      const parentIds = fresh.map((row) => row[rule.through.via]).filter((id): id is string => typeof id === 'string');
      parentStores = await storesOf(
        tx,
        rule.through.table,
        parentIds.filter((id) => !pushedStore.has(`${rule.through.table}/${id}`)),
      );
    }
    for (const row of fresh) {
      const path = `changes.${table}`;
      const before = held.has(row.id) ? held.get(row.id)! : undefined;
      let after: string | null | undefined;
      if ('column' in rule) after = (row[rule.column] as string | null | undefined) ?? null;
      else {
        const parent = row[rule.through.via] as string;
        const key = `${rule.through.table}/${parent}`;
        // A parent the server lacks is left to referential integrity (refused alone, parents.ts).
        after = pushedStore.has(key) ? pushedStore.get(key) : parentStores.get(parent);
      }
      pushedStore.set(`${table}/${row.id}`, after);
      if (before !== undefined && before !== scope) {
        violations.push({
          path,
          message: `${table} ${row.id} belongs to ${named(before)}; this device (${device.id}) belongs to store ${scope}`,
        });
      } else if (after !== undefined && after !== scope) {
        violations.push({
          path,
          message:
            before === undefined
              ? `${table} ${row.id} is for ${named(after)}; this device (${device.id}) belongs to store ${scope}`
              : `${table} ${row.id} would move from store ${scope} to ${named(after)}; a store device may not move rows to another store`,
        });
      }
    }
  }
  if (violations.length > 0) {
    const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
    throw new HttpError(403, `${violations[0]!.message}${more}; nothing of this push was applied`, violations);
  }
}
