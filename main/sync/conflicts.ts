// Conflicts the server decided at push time, kept for the conflict panel (invariant 7: the losing
// version stays visible), and the manager's answer to each: accept the outcome, or apply the other
// version — which is a NEW local edit (fresh updated_at) that the next push carries.
import type { Conflict } from '../../shared/protocol/sync.js';
import { ConflictRule, deletedWithParent, columnsOf, isTableName, type TableName } from '../../shared/tables.js';
import type { ConflictFieldView, ConflictView, IpcParsedRequest } from '../../shared/ipc.js';
import type { LocalStore } from '../db/client.js';
import { type conflicts } from '../db/schema.js';
import { writeLocal } from '../db/outbox.js';
import { pickWireColumns, readLocalRow } from './local-rows.js';

type ConflictRow = typeof conflicts.$inferSelect;

/**
 * Stores one decision; the same decision reported again by a retried push is kept once.
 *
 * A version the manager applied from the panel can meet the server's row as a conflict once more:
 * the push that first met the conflict may have had no pull after it (a push-only run), so the
 * device's cursor still predates the version the manager has just answered. When that re-applied
 * version wins, there is nothing left to decide: the decision is recorded, already closed, so
 * applying a version ends the conflict once. If it loses (an even later edit), it stays open.
 */
export function recordConflict(store: LocalStore, conflict: Conflict, decidedAt: string): void {
  const echo = conflict.resolution === 'client_wins' && answersAppliedVersion(store, conflict.client_data.updated_at);
  store.sqlite
    .prepare(
      `INSERT INTO conflicts (table_name, record_id, rule, resolution, client_data, server_data, change_id, decided_at,
                              client_edited_at, server_edited_at, status, resolved_at, fields)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(table_name, record_id, change_id) DO NOTHING`,
    )
    .run(
      conflict.table,
      conflict.record_id,
      conflict.rule,
      conflict.resolution,
      JSON.stringify(conflict.client_data),
      JSON.stringify(conflict.server_data),
      conflict.change_id ?? null,
      conflict.decided_at ?? decidedAt,
      // The edit times on the server's clock, as the server reported them: a device's own clock
      // may be a day off, and the panel shows times a person recognises.
      conflict.client_edited_at ?? null,
      conflict.server_edited_at ?? null,
      echo ? 'accepted' : 'open',
      echo ? decidedAt : null,
      // A field-level conflict: only these fields; the rest of both edits was merged by the server.
      conflict.fields ? JSON.stringify(conflict.fields.map((field) => ({ ...field, applied: false }))) : null,
    );
}

/**
 * Whether a pushed row is one that "apply the other version" wrote: those rows, and the children
 * their cascade wrote with them, carry the resolution's moment as updated_at (see resolveConflict).
 */
function answersAppliedVersion(store: LocalStore, updatedAt: unknown): boolean {
  if (typeof updatedAt !== 'string' || Number.isNaN(Date.parse(updatedAt))) return false;
  const resolvedAt = new Date(updatedAt).toISOString();
  return (
    store.sqlite
      .prepare("SELECT 1 FROM conflicts WHERE status = 'overridden' AND resolved_at = ? LIMIT 1")
      .get(resolvedAt) !== undefined
  );
}

export function openConflictCount(store: LocalStore): number {
  return (store.sqlite.prepare("SELECT count(*) AS n FROM conflicts WHERE status = 'open'").get() as { n: number }).n;
}

/** Content columns whose values differ (the panel highlights them); bookkeeping is left out. */
export function differingFields(table: TableName, a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return columnsOf(table).filter(
    (column) =>
      column !== 'id' &&
      column !== 'updated_at' &&
      JSON.stringify(a[column] ?? null) !== JSON.stringify(b[column] ?? null),
  );
}

function toView(row: ConflictRow): ConflictView | null {
  if (!isTableName(row.table_name)) return null;
  const rule = ConflictRule.safeParse(row.rule);
  const client = parseJsonColumn(row.client_data);
  const server = parseJsonColumn(row.server_data);
  const fields = parseFields(row.fields);
  return {
    id: row.id,
    table: row.table_name,
    record_id: row.record_id,
    rule: rule.success ? rule.data : 'server_wins',
    resolution: row.resolution,
    client_data: client,
    server_data: server,
    // A field-level conflict differs only in its fields: the rest was merged, not lost.
    differing_fields: fields ? fields.map((f) => f.field) : differingFields(row.table_name, client, server),
    decided_at: new Date(row.decided_at).toISOString(),
    client_edited_at: isoOrNull(row.client_edited_at),
    server_edited_at: isoOrNull(row.server_edited_at),
    status: row.status,
    fields,
  };
}

function parseFields(value: unknown): ConflictFieldView[] | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as ConflictFieldView[];
}

const isoOrNull = (value: string | null): string | null => (value === null ? null : new Date(value).toISOString());

// Rows read with raw SQL hold the JSON text; rows read through drizzle are already parsed.
function parseJsonColumn(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return JSON.parse(value) as Record<string, unknown>;
  return (value ?? {}) as Record<string, unknown>;
}

/** Newest first; closed ones (accepted, overridden) only when asked. */
export function listConflicts(store: LocalStore, options: { include_closed?: boolean } = {}): ConflictView[] {
  const rows = store.sqlite
    .prepare(`SELECT * FROM conflicts ${options.include_closed ? '' : "WHERE status = 'open'"} ORDER BY id DESC`)
    .all() as ConflictRow[];
  return rows.map(toView).filter((view): view is ConflictView => view !== null);
}

export type ConflictAction = IpcParsedRequest<'conflicts:resolve'>['action'];

/**
 * accept: the server's decision stands. apply_other: the version that lost is written again as a
 * new local edit (fresh updated_at, queued through writeLocal); the caller then syncs (seed:
 * "After conflict resolution"). Returns the table written, if any.
 */
export function resolveConflict(
  store: LocalStore,
  id: number,
  action: ConflictAction,
  now: () => Date = () => new Date(),
  field?: string,
): { table: TableName | null; tables: TableName[] } {
  const row = store.sqlite.prepare('SELECT * FROM conflicts WHERE id = ?').get(id) as ConflictRow | undefined;
  if (!row) throw new Error(`There is no conflict ${id}`);
  if (row.status !== 'open') throw new Error(`Conflict ${id} is already ${row.status}`);
  const view = toView(row);
  if (!view) throw new Error(`Conflict ${id} names an unknown table "${row.table_name}"`);
  const resolvedAt = now().toISOString();
  if (action === 'accept') {
    store.sqlite.prepare("UPDATE conflicts SET status = 'accepted', resolved_at = ? WHERE id = ?").run(resolvedAt, id);
    return { table: null, tables: [] };
  }
  if (view.fields) return applyOtherFields(store, { ...view, fields: view.fields }, resolvedAt, field);
  if (field !== undefined) throw new Error(`Conflict ${id} is about the whole row, not about field "${field}"`);
  const loser = view.resolution === 'client_wins' ? view.server_data : view.client_data;
  const row_: Record<string, unknown> = {
    ...pickWireColumns(view.table, loser),
    id: view.record_id,
    updated_at: resolvedAt,
  };
  const tables = new Set<TableName>([view.table]);
  store.sqlite.transaction(() => {
    const before = readLocalRow(store, view.table, view.record_id);
    writeLocal(store, view.table, row_ as never, 'UPDATE');
    if (before?.deleted_at && row_.deleted_at == null) {
      restoreCascade(store, view.table, view.record_id, before.deleted_at as string, resolvedAt).forEach((t) =>
        tables.add(t),
      );
    }
    if (before && !before.deleted_at && typeof row_.deleted_at === 'string') {
      deleteCascade(store, view.table, view.record_id, row_.deleted_at, resolvedAt).forEach((t) => tables.add(t));
    }
    store.sqlite
      .prepare("UPDATE conflicts SET status = 'overridden', resolved_at = ? WHERE id = ?")
      .run(resolvedAt, id);
  })();
  return { table: view.table, tables: [...tables] };
}

/**
 * A field-level conflict: the other value of one field (or of every field not yet applied) is
 * written onto the row as held now, as a new local edit; the merged rest of the row stays. The
 * conflict closes (overridden) once every field has its other value applied.
 */
function applyOtherFields(
  store: LocalStore,
  view: ConflictView & { fields: ConflictFieldView[] },
  resolvedAt: string,
  field: string | undefined,
): { table: TableName; tables: TableName[] } {
  const chosen = view.fields.filter((f) => !f.applied && (field === undefined || f.field === field));
  if (chosen.length === 0) {
    throw new Error(
      field === undefined
        ? `Conflict ${view.id} has no field left to apply`
        : `Conflict ${view.id} has no open field "${field}"; its fields are ${view.fields.map((f) => f.field).join(', ')}`,
    );
  }
  store.sqlite.transaction(() => {
    const current = readLocalRow(store, view.table, view.record_id);
    if (!current) throw new Error(`${view.table}/${view.record_id} is not on this device`);
    const row: Record<string, unknown> = { ...pickWireColumns(view.table, current), updated_at: resolvedAt };
    for (const f of chosen) row[f.field] = f.resolution === 'client_wins' ? f.server_value : f.client_value;
    writeLocal(store, view.table, row as never, 'UPDATE');
    const fields = view.fields.map((f) => (chosen.includes(f) ? { ...f, applied: true } : f));
    const done = fields.every((f) => f.applied);
    store.sqlite
      .prepare('UPDATE conflicts SET fields = ?, status = ?, resolved_at = ? WHERE id = ?')
      .run(JSON.stringify(fields), done ? 'overridden' : 'open', done ? resolvedAt : null, view.id);
  })();
  return { table: view.table, tables: [view.table] };
}

/** Re-applying a delete takes the live children along, as deleting it in the first place did. */
function deleteCascade(store: LocalStore, table: TableName, id: string, deletedAt: string, at: string): TableName[] {
  const touched: TableName[] = [];
  for (const child of deletedWithParent(table)) {
    const ids = store.sqlite
      .prepare(`SELECT id FROM "${child.table}" WHERE "${child.column}" = ? AND deleted_at IS NULL`)
      .pluck()
      .all(id) as string[];
    for (const childId of ids) {
      const current = readLocalRow(store, child.table, childId);
      if (!current || current.deleted_at) continue;
      writeLocal(
        store,
        child.table,
        { ...pickWireColumns(child.table, current), deleted_at: deletedAt, updated_at: at } as never,
        'DELETE',
      );
      touched.push(child.table, ...deleteCascade(store, child.table, childId, deletedAt, at));
    }
  }
  return touched;
}

/**
 * Restoring a deleted row also restores the rows its delete took with it: deleting a submission
 * tombstones its answers, deleting a form its sections and fields, all with the same deleted_at.
 * Without this, "apply the other version" on a deleted submission would bring back the
 * submission without its answers. Each restored child is a new local edit, queued like any other.
 */
export function restoreCascade(
  store: LocalStore,
  table: TableName,
  id: string,
  deletedAt: string,
  at: string,
): TableName[] {
  const touched: TableName[] = [];
  for (const child of deletedWithParent(table)) {
    const ids = store.sqlite
      .prepare(`SELECT id FROM "${child.table}" WHERE "${child.column}" = ? AND deleted_at = ?`)
      .pluck()
      .all(id, deletedAt) as string[];
    for (const childId of ids) {
      const current = readLocalRow(store, child.table, childId);
      // Reached already through another parent column (a field under a restored section and form).
      if (!current?.deleted_at) continue;
      writeLocal(
        store,
        child.table,
        { ...pickWireColumns(child.table, current), deleted_at: null, updated_at: at } as never,
        'UPDATE',
      );
      touched.push(child.table, ...restoreCascade(store, child.table, childId, deletedAt, at));
    }
  }
  return touched;
}
