// A pulled page's `removed` ids (invariant 12): rows that left this device's scope (it was moved to
// another store, or a manager moved the row). They are deleted here and nothing is queued: they
// were not deleted on the server. Along with a row go its local children that are deleted with it
// (a submission's answers), even ones the server never had.
//
// A row with an unpushed edit is never silently lost: the engine pushes before it pulls, so an
// edit made before the move was sent first, and one the server refused for scope is already set
// aside with the server's reason. An edit still queued here (made while the pull was on the wire)
// is set aside now, with a reason naming the row's store, so it neither blocks the queue nor
// vanishes (invariant 10); its data stays in the queue entry for the user to discard or re-enter.
import { deletedWithParent, inApplyOrder, isTableName, type TableName } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { readLocalRow } from './local-rows.js';

export interface RemovedResult {
  removed: number;
  /** Queued edits set aside because their row left the device's scope. */
  parked: number;
  changedTables: TableName[];
}

/** The store a local row names (an answer: through its submission), for the reason shown to the user. */
function storeOfLocalRow(store: LocalStore, table: TableName, id: string): string | null {
  const row = readLocalRow(store, table, id);
  if (!row) return null;
  if (typeof row.store_id === 'string') return row.store_id;
  if (table === 'submission_answers' && typeof row.submission_id === 'string')
    return storeOfLocalRow(store, 'submissions', row.submission_id);
  return null;
}

/** Runs inside the page's transaction, before its rows are applied. */
export function applyRemoved(
  store: LocalStore,
  removed: Partial<Record<string, readonly string[]>> | undefined,
): RemovedResult {
  const result: RemovedResult = { removed: 0, parked: 0, changedTables: [] };
  if (!removed) return result;
  const changed = new Set<TableName>();
  const park = store.sqlite.prepare(
    `UPDATE pending_changes SET needs_attention = 1, last_error = ?
     WHERE table_name = ? AND record_id = ? AND needs_attention = 0`,
  );
  const remove = (table: TableName, id: string) => {
    // Children first: they are looked up through the parent row.
    for (const { table: child, column } of deletedWithParent(table)) {
      const children = store.sqlite
        .prepare(`SELECT id FROM "${child}" WHERE "${column}" = ?`)
        .pluck()
        .all(id) as string[];
      for (const childId of children) remove(child, childId);
    }
    const rowStore = storeOfLocalRow(store, table, id);
    const reason =
      `${table} ${id} belongs to ${rowStore ? `store ${rowStore}` : 'another store'}, which this device no longer ` +
      `syncs (it or the row was moved to another store); this edit was not sent. Discard it, or ask a manager to make it.`;
    result.parked += park.run(reason, table, id).changes;
    const deleted = store.sqlite.prepare(`DELETE FROM "${table}" WHERE id = ?`).run(id).changes;
    if (deleted > 0) {
      result.removed += deleted;
      changed.add(table);
    }
  };
  // Children's tables first, so an answer listed on its own is gone before its submission is looked at.
  const tables = inApplyOrder(Object.keys(removed).filter(isTableName)).reverse();
  for (const table of tables) for (const id of removed[table] ?? []) remove(table, id.toLowerCase());
  result.changedTables = inApplyOrder(changed);
  return result;
}
