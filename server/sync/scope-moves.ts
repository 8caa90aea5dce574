// Rows moving between stores (a manager changes a submission's store_id): recorded in scope_moves
// at the position of the write that moved them, inside the push transaction. A pull serves each
// entry as `removed` to the store devices outside the row's new store, in position order with the
// rows (pull.ts), so a device of the old store drops the row when it passes that position, and a
// device of the new store gets it like any newer row (invariant 12).
//
// Children scoped through a moved row (a submission's answers) move with it: they are written
// again (a new version at this transaction's position, same content) so the new store's devices
// pull them, and their moves are recorded so the old store's devices drop them.
import { sql } from 'drizzle-orm';
import { tableNames, type TableName } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';
import type { CurrentRow } from './decide.js';
import type { WireRow } from './rows.js';
import { scopeRules, storeOf } from './scope.js';

interface Move {
  id: string;
  from: string | null;
  to: string | null;
  version: number;
}

async function insertMoves(tx: Queryable, table: TableName, moves: Move[]): Promise<void> {
  if (moves.length === 0) return;
  const payload = JSON.stringify(
    moves.map((m) => ({ record_id: m.id, from_store: m.from, to_store: m.to, server_version: m.version })),
  );
  await tx.execute(sql`
    insert into scope_moves (table_name, record_id, from_store, to_store, server_txid, server_version)
    select ${table}, record_id, from_store, to_store, pg_current_xact_id()::text::bigint, server_version
    from jsonb_to_recordset(${payload}::jsonb)
      as m(record_id uuid, from_store text, to_store text, server_version bigint)`);
}

/** The store of a row as held in memory (wire form); undefined when it can only be read from the database. */
function storeInRow(table: TableName, row: WireRow | undefined): string | null | undefined {
  const rule = scopeRules[table];
  if (!rule || !row) return undefined;
  return 'column' in rule ? ((row[rule.column] as string | null | undefined) ?? null) : undefined;
}

/** Stores of rows of a `through` table, read after the write (their parent may have been written in this push). */
async function storesNow(tx: Queryable, table: TableName, ids: string[]): Promise<Map<string, string | null>> {
  const store = storeOf(table);
  if (!store || ids.length === 0) return new Map();
  const t = sql.identifier(table);
  const rows = rowsOf<{ id: string; store: string | null }>(
    await tx.execute(sql`select ${t}.id::text as id, ${store} as store from ${t}
      where ${t}.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`),
  );
  return new Map(rows.map((r) => [r.id, r.store]));
}

/**
 * After a batch of `table` was written: records the rows whose store changed, and moves their
 * children. `current` holds the rows as they were before the batch, `written` as they are now.
 */
export async function recordScopeMoves(
  tx: Queryable,
  writer: string,
  table: TableName,
  current: Map<string, CurrentRow>,
  written: Map<string, WireRow>,
): Promise<void> {
  const rule = scopeRules[table];
  if (!rule) return;
  const moves: Move[] = [];
  if ('column' in rule) {
    for (const [id, row] of written) {
      const before = current.get(id);
      if (!before) continue; // a new row enters its store like any newer row
      const from = storeInRow(table, before.row) ?? null;
      const to = storeInRow(table, row) ?? null;
      if (from !== to) moves.push({ id, from, to, version: row.server_version as number });
    }
  } else {
    // Only a row that changed parent can change store; the old parent's store is read as it stands
    // (a parent moved in this push has recorded its children's moves itself).
    const via = rule.through.via;
    const reparented = [...written].filter(([id, row]) => {
      const before = current.get(id);
      return before && before.row[via] !== row[via];
    });
    if (reparented.length > 0) {
      const parentStores = await storesNow(
        tx,
        rule.through.table,
        reparented.flatMap(([id, row]) => [current.get(id)!.row[via] as string, row[via] as string]),
      );
      for (const [id, row] of reparented) {
        const from = parentStores.get(current.get(id)!.row[via] as string) ?? null;
        const to = parentStores.get(row[via] as string) ?? null;
        if (from !== to) moves.push({ id, from, to, version: row.server_version as number });
      }
    }
  }
  await insertMoves(tx, table, moves);
  if (moves.length > 0) await moveChildren(tx, writer, table, moves);
}

/** Children scoped through `parent` follow their moved parents: rewritten at this position, moves recorded. */
async function moveChildren(tx: Queryable, writer: string, parent: TableName, moved: Move[]): Promise<void> {
  for (const child of tableNames) {
    const rule = scopeRules[child];
    if (!rule || !('through' in rule) || rule.through.table !== parent) continue;
    const c = sql.identifier(child);
    const byParent = new Map(moved.map((m) => [m.id, m]));
    const touched = rowsOf<{ id: string; parent: string; server_version: string | number }>(
      await tx.execute(sql`
        update ${c} set server_version = nextval('change_version_seq'),
          server_txid = pg_current_xact_id()::text::bigint, written_by = ${writer}, server_updated_at = now()
        where ${c}.${sql.identifier(rule.through.via)} in
          (select jsonb_array_elements_text(${JSON.stringify([...byParent.keys()])}::jsonb)::uuid)
        returning ${c}.id::text as id, ${c}.${sql.identifier(rule.through.via)}::text as parent, ${c}.server_version`),
    );
    const moves = touched.map((row) => {
      const move = byParent.get(row.parent)!;
      return { id: row.id, from: move.from, to: move.to, version: Number(row.server_version) };
    });
    await insertMoves(tx, child, moves);
    if (moves.length > 0) await moveChildren(tx, writer, child, moves);
  }
}
