// Writing a push batch's decision (decide.ts) to PostgreSQL: the winners in one upsert, the audit
// entries in one insert, the conflicts in one insert. Rows travel as one jsonb parameter that
// PostgreSQL unpacks with jsonb_populate_recordset (a parameter per value would cap a statement at
// a few thousand rows and cost far more to build).
import { sql } from 'drizzle-orm';
import type { Conflict } from '../../shared/protocol/sync.js';
import { columnsOf, type TableName } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';
import { conflicts as conflictsTable } from '../db/schema.js';
import type { AuditDraft, ConflictDraft } from './decide.js';
import { type WireRow } from './rows.js';
import { wireRowJson } from './wire-json.js';

/**
 * Upserts the winning rows (wire columns plus `edited_at`) and returns them as now held. Every
 * write records its transaction (`server_txid`, the first half of its position, invariant 1) and
 * draws a new version; the record's lock (record-locks.ts) makes its versions grow.
 */
export async function upsertRows(
  tx: Queryable,
  deviceId: string,
  at: Date,
  table: TableName,
  rows: WireRow[],
): Promise<Map<string, WireRow>> {
  const written = new Map<string, WireRow>();
  if (rows.length === 0) return written;
  const columns = [...columnsOf(table), 'edited_at'];
  const name = sql.identifier(table);
  const list = sql.raw(columns.map((c) => `"${c}"`).join(', '));
  const updates = sql.raw(
    [...columns.filter((c) => c !== 'id'), 'written_by', 'server_updated_at', 'server_txid']
      .map((c) => `"${c}" = excluded."${c}"`)
      .join(', '),
  );
  const result = await tx.execute(sql`
    insert into ${name} (${list}, written_by, server_updated_at, server_txid)
    select ${list}, ${deviceId}::text, ${at.toISOString()}::timestamptz, pg_current_xact_id()::text::bigint
    from jsonb_populate_recordset(null::${name}, ${JSON.stringify(rows)}::jsonb)
    on conflict (id) do update set ${updates}, server_version = nextval('change_version_seq')
    returning ${wireRowJson(table)}::text as j`);
  // Read back as wire JSON written by PostgreSQL (wire-json.ts): one JSON.parse per row instead of
  // the driver's jsonb parse plus wireRowFromPg's copy and four instants re-spelled through Date.
  for (const { j } of rowsOf<{ j: string }>(result)) {
    const row = JSON.parse(j) as WireRow;
    written.set(row.id as string, row);
  }
  return written;
}

export type AuditInsert = AuditDraft & { server_version: number | null };

/** Audit entries in one statement (same jsonb technique as upsertRows). */
export async function insertAudits(tx: Queryable, entries: AuditInsert[]): Promise<void> {
  if (entries.length === 0) return;
  const columns =
    'at, device_id, change_id, table_name, record_id, operation, before, after, outcome, rule, server_version, edited_at, merge, scope';
  const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
  const payload = JSON.stringify(entries.map((e) => ({ ...e, at: iso(e.at), edited_at: iso(e.edited_at) })));
  await tx.execute(sql`
    insert into audit_log (${sql.raw(columns)})
    select ${sql.raw(columns)} from jsonb_populate_recordset(null::audit_log, ${payload}::jsonb)`);
}

export async function insertConflicts(tx: Queryable, drafts: ConflictDraft[]): Promise<Conflict[]> {
  if (drafts.length === 0) return [];
  const saved = await tx.insert(conflictsTable).values(drafts).returning();
  return saved.map(conflictFromRecord);
}

export function conflictFromRecord(c: typeof conflictsTable.$inferSelect): Conflict {
  return {
    table: c.table_name as TableName,
    record_id: c.record_id,
    client_data: c.client_data as Record<string, unknown>,
    server_data: c.server_data as Record<string, unknown>,
    resolution: c.resolution,
    rule: c.rule,
    change_id: c.change_id,
    decided_at: c.decided_at.toISOString(),
    client_edited_at: c.client_edited_at?.toISOString() ?? null,
    server_edited_at: c.server_edited_at?.toISOString() ?? null,
    ...(c.fields ? { fields: c.fields } : {}),
  };
}
