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
import { arrayLiteral } from './any-of.js';
import { executeNamed } from './named-statement.js';
import { scopeOf, scopeRules, storeOf, type ScopeRule } from './scope.js';

/** A lookup of the stores of rows the server holds: `ids` of `table`. */
interface StoreLookup {
  table: TableName;
  ids: string[];
}

/**
 * The stores of every lookup's rows, in ONE named statement (one round trip and one plan per
 * connection, not two or three per push), each id one probe of the primary key (LATERAL ...
 * OFFSET 0, as in batch-read.ts): `id in (select jsonb_array_elements_text(...))` was planned
 * afresh on every push and could scan the whole table. Per lookup, id → store; ids the server
 * lacks are absent.
 */
async function storesOf(tx: Queryable, lookups: StoreLookup[]): Promise<Map<string, string | null>[]> {
  const found = lookups.map(() => new Map<string, string | null>());
  const branches = lookups.flatMap(({ table, ids }, index) => {
    const t = sql.identifier(table);
    const store = storeOf(table);
    if (!store || ids.length === 0) return [];
    return [
      sql`select ${index}::int as lookup, ${t}.id::text as id, ${store} as store
        from unnest(${arrayLiteral(ids)}::uuid[]) as wanted(id)
        cross join lateral (select * from ${t} where ${t}.id = wanted.id offset 0) as ${t}`,
    ];
  });
  if (branches.length === 0) return found;
  const rows = rowsOf<{ lookup: number; id: string; store: string | null }>(
    await executeNamed(tx, sql.join(branches, sql` union all `)),
  );
  for (const row of rows) found[row.lookup]!.set(row.id, row.store);
  return found;
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
  // What to read, table by table in push order: the stores of the pushed rows the server holds,
  // and of the parents they are scoped through, except parents this push writes first (their
  // store is the pushed one). Known from the push alone, so read in one statement.
  const plan: { table: TableName; rule: ScopeRule; fresh: PushedRow[]; held: number; parents: number | null }[] = [];
  const lookups: StoreLookup[] = [];
  const pushedKeys = new Set<string>();
  for (const [table, pushed] of Object.entries(rows) as [TableName, PushedRow[]][]) {
    const rule = scopeRules[table];
    if (!rule || pushed.length === 0) continue;
    const fresh = pushed.filter((row) => !row.change_id || !retried.has(row.change_id));
    const held = lookups.push({ table, ids: fresh.map((row) => row.id) }) - 1;
    let parents: number | null = null;
    if ('through' in rule) {
      const parentIds = fresh.map((row) => row[rule.through.via]).filter((id): id is string => typeof id === 'string');
      parents =
        lookups.push({
          table: rule.through.table,
          ids: parentIds.filter((id) => !pushedKeys.has(`${rule.through.table}/${id}`)),
        }) - 1;
    }
    for (const row of fresh) pushedKeys.add(`${table}/${row.id}`);
    plan.push({ table, rule, fresh, held, parents });
  }
  const stores = await storesOf(tx, lookups);
  // The store a pushed row will belong to, once this push is applied (parents of this push first).
  const pushedStore = new Map<string, string | null | undefined>();
  for (const { table, rule, fresh, held: heldAt, parents } of plan) {
    const held = stores[heldAt]!;
    const parentStores = parents === null ? new Map<string, string | null>() : stores[parents]!;
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
