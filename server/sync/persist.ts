// Writing a push batch's decision (decide.ts) to PostgreSQL: the winners and their audit entries in
// one statement, the conflicts in one insert. Rows travel as one jsonb parameter that PostgreSQL
// unpacks (a parameter per value would cap a statement at a few thousand rows and cost far more
// to build).
import { sql } from 'drizzle-orm';
import type { Conflict } from '../../shared/protocol/sync.js';
import { columnsOf, type TableName } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';
import { conflicts as conflictsTable } from '../db/schema.js';
import type { AuditDraft, ConflictDraft } from './decide.js';
import { type WireRow } from './rows.js';
import { executeNamed } from './named-statement.js';

/** A batch's write as PostgreSQL answered it: per written record, the version it was stored as. */
export type WrittenRows = Map<string, number>;

export interface BatchWrite {
  deviceId: string;
  at: Date;
  table: TableName;
  /** The store the change was made under (audit `scope`): the device's store, or null for every store. */
  scope: string | null;
  /** The decision's audit entries, one per fresh change, in push order. */
  audits: AuditDraft[];
  /** The decision's winners to write; each is its entry's `after` plus `edited_at` (decide.ts). */
  toWrite: WireRow[];
  /** Record id → the held row's version, for an entry whose record is not written (it keeps that version). */
  heldVersion: (recordId: string) => number | null;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : (value as string | null | undefined));

/**
 * The batch's changes as the statement's one jsonb parameter (see writeBatch for the keys). Built
 * in a function of its own so that nothing but the text outlives it: the entries are garbage before
 * the statement's round trip, never kept (and promoted) across it.
 */
function entriesJson(batch: BatchWrite): string {
  const writes = new Map(batch.toWrite.map((row) => [row.id as string, row]));
  const entries = batch.audits.map((audit) => {
    const write = writes.get(audit.record_id);
    // The commonest values are left out and defaulted in SQL (a row's bytes are parsed by PostgreSQL).
    const entry: Record<string, unknown> = {};
    if (!write) entry.r = audit.record_id;
    if (audit.operation !== 'INSERT') entry.p = audit.operation;
    if (audit.outcome !== 'applied') entry.o = audit.outcome;
    if (audit.change_id) entry.c = audit.change_id;
    if (audit.rule) entry.u = audit.rule;
    if (audit.merge) entry.m = audit.merge;
    if (audit.before) entry.b = audit.before;
    const editedAt = iso(audit.edited_at);
    if (write) {
      entry.w = write;
      if (editedAt !== write.edited_at) entry.e = editedAt ?? null;
    } else {
      entry.a = audit.after ?? null;
      entry.v = batch.heldVersion(audit.record_id);
      entry.e = editedAt ?? null;
    }
    return entry;
  });
  return JSON.stringify(entries);
}

/**
 * One statement for a batch: upserts the winners and appends every audit entry, the entry of a
 * written record stamped with the version the upsert drew (a data-modifying CTE: the audit insert
 * reads the upsert's RETURNING). Each change travels once, as one element of a jsonb array:
 *   c change id, p operation (absent: INSERT), o outcome (absent: applied), u rule, m merge, b before,
 *   w the row to write (wire columns + edited_at); its `after` is `w` without edited_at, as decide.ts builds it;
 *   a `after` when nothing is written, with r the record id and v the held version it stays at;
 *   e the entry's edit time when it differs from the written row's (a merge is stamped with the later edit).
 * The row was sent twice before (as the row, and again as the audit's `after`) and stringified
 * through a copy of every entry: a third of the server's CPU per pushed row went there.
 * Only the versions come back: the row as stored is the row sent plus the server's columns
 * (storedRow, rows.ts); reading it back as wire JSON cost PostgreSQL more per row (to_char of every
 * instant) than writing it.
 * Every write records its transaction (`server_txid`, the first half of its position, invariant 1)
 * and draws a new version; the record's lock (record-locks.ts) makes its versions grow.
 */
export async function writeBatch(tx: Queryable, batch: BatchWrite): Promise<WrittenRows> {
  const written: WrittenRows = new Map();
  if (batch.audits.length === 0) return written;
  const entries = entriesJson(batch);
  const { table } = batch;
  const columns = [...columnsOf(table), 'edited_at'];
  const name = sql.identifier(table);
  const list = sql.raw(columns.map((c) => `"${c}"`).join(', '));
  const fromRecord = sql.raw(columns.map((c) => `r."${c}"`).join(', '));
  const updates = sql.raw(
    [...columns.filter((c) => c !== 'id'), 'written_by', 'server_updated_at', 'server_txid']
      .map((c) => `"${c}" = excluded."${c}"`)
      .join(', '),
  );
  const at = batch.at.toISOString();
  const result = await executeNamed(
    tx,
    sql`
    with input as (
      select x.e, x.n from jsonb_array_elements(${entries}::jsonb) with ordinality as x(e, n)
    ), written as (
      insert into ${name} (${list}, written_by, server_updated_at, server_txid)
      select ${fromRecord}, ${batch.deviceId}::text, ${at}::timestamptz, pg_current_xact_id()::text::bigint
      from input cross join lateral jsonb_populate_record(null::${name}, input.e -> 'w') as r
      where input.e ? 'w'
      order by input.n
      on conflict (id) do update set ${updates}, server_version = nextval('change_version_seq')
      returning ${name}.id, ${name}.server_version
    ), audited as (
      insert into audit_log (at, device_id, change_id, table_name, record_id, operation, before, after, outcome, rule,
                             server_version, edited_at, merge, scope)
      select ${at}::timestamptz, ${batch.deviceId}::text, (e ->> 'c')::uuid, ${table}::text,
             coalesce(e ->> 'r', e -> 'w' ->> 'id')::uuid, coalesce(e ->> 'p', 'INSERT'), e -> 'b',
             coalesce(e -> 'a', (e -> 'w') - 'edited_at'), coalesce(e ->> 'o', 'applied'), e ->> 'u',
             coalesce(w.server_version, (e ->> 'v')::bigint),
             coalesce(e ->> 'e', e -> 'w' ->> 'edited_at')::timestamptz, e -> 'm', ${batch.scope}::text
      from input left join written w on w.id = (input.e -> 'w' ->> 'id')::uuid
      order by input.n
    )
    select id::text as id, server_version from written`,
  );
  for (const { id, server_version } of rowsOf<{ id: string; server_version: number | string }>(result)) {
    written.set(id, Number(server_version));
  }
  return written;
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
