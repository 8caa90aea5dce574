// Store scopes (invariant 12): which rows belong to which store, said ONCE per table. A store
// device pulls only its store's rows of these tables (and every row of the others, as its role
// allows); it may push only rows of its store and may not move one to another store. A manager,
// and a store device enrolled before scopes (no store), see every store.
//
// Adding a scoped table is one line in `scopeRules` (e.g. a `stores` table: `stores: { column: 'code' }`).
import { sql, type SQL, type SQLChunk } from 'drizzle-orm';
import type { TableName } from '../../shared/tables.js';

export type ScopeRule =
  /** The row names its store in `column`. */
  | { column: string }
  /** The row belongs to the store of its parent row in `table`, named by `via` (an answer's submission). */
  | { through: { table: TableName; via: string } };

export const scopeRules: Partial<Record<TableName, ScopeRule>> = {
  submissions: { column: 'store_id' },
  submission_answers: { through: { table: 'submissions', via: 'submission_id' } },
  kpi_data: { column: 'store_id' },
  team: { column: 'store_id' },
  // A store device holds its own store's record only (a manager reads and writes every store).
  stores: { column: 'code' },
};

export const isScoped = (table: TableName): boolean => scopeRules[table] !== undefined;

/** The store a device is confined to, or null for every store (a manager, an unscoped device). */
export const scopeOf = (device: { role: string; store_id?: string | null }): string | null =>
  device.role === 'store' ? (device.store_id ?? null) : null;

/**
 * SQL: `table`'s row (the FROM item named like the table) belongs to one of `stores`. Null when the
 * table is not scoped: every row belongs to every store.
 */
export function scopeFilter(table: TableName, stores: readonly string[]): SQL | null {
  const rule = scopeRules[table];
  if (!rule) return null;
  if (stores.length === 0) return sql`false`;
  const list = sql`(${sql.join(
    stores.map((store) => sql`${store}`),
    sql`, `,
  )})`;
  if ('column' in rule) return sql`${sql.identifier(table)}.${sql.identifier(rule.column)} in ${list}`;
  const parent = rule.through.table;
  const inner = scopeFilter(parent, stores) ?? sql`true`;
  return sql`exists (select 1 from ${sql.identifier(parent)} where ${sql.identifier(parent)}.id = ${sql.identifier(table)}.${sql.identifier(rule.through.via)} and ${inner})`;
}

/** SQL: the store `table`'s row belongs to (null for an unscoped table), for recording moves. */
export function storeOf(table: TableName, alias: SQLChunk = sql.identifier(table)): SQL | null {
  const rule = scopeRules[table];
  if (!rule) return null;
  if ('column' in rule) return sql`${alias}.${sql.identifier(rule.column)}`;
  const parent = rule.through.table;
  const p = sql.identifier(`${parent}_of_${table}`);
  return sql`(select ${storeOf(parent, p)} from ${sql.identifier(parent)} as ${p} where ${p}.id = ${alias}.${sql.identifier(rule.through.via)})`;
}
