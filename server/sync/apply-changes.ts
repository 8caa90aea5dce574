// One table's share of a push, inside the push transaction: skip changes already applied
// (exactly once), detect and resolve conflicts, upsert the winners with new versions, and write
// one audit entry per change. Work is done in set-sized statements (a 10k-row push is a handful
// of queries, not 40k), in batches whose record ids are distinct so that two edits of one record
// in one push are applied in order.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Conflict, PushResponse } from '../../shared/protocol/sync.js';
import { columnsOf, tableRegistry, type TableName } from '../../shared/tables.js';
import type { Device } from '../auth/devices.js';
import { rowsOf, type Queryable } from '../db/client.js';
import { audit_log, conflicts as conflictsTable, syncedTables } from '../db/schema.js';
import { resolveConflict } from './conflicts/index.js';
import { sameData, toWireRow, wireColumnsOnly, withCanonicalUuids, type WireRow } from './rows.js';

export type PushBase = { kind: 'cursor'; version: number } | { kind: 'timestamp'; at: Date } | { kind: 'none' };

export interface PushContext {
  tx: Queryable;
  device: Device;
  /** Database clock under the push lock. */
  now: Date;
  clockSkewMs: number;
  /** What the device had seen when it made its changes (push `cursor` / `last_sync_timestamp`). */
  base: PushBase;
  /** change_ids met earlier in this push (a push that repeats one is a retry within itself). */
  seenChangeIds: Set<string>;
}

type PushedRow = WireRow & { id: string; updated_at: string; change_id?: string | undefined };
type AuditInsert = typeof audit_log.$inferInsert;
type AppliedRow = PushResponse['applied'][TableName] & object;

export interface TableOutcome {
  applied: AppliedRow;
  /** Conflicts decided now plus those recorded earlier for duplicate changes. */
  conflicts: Conflict[];
  newConflicts: Conflict[];
  duplicates: number;
}

const CHUNK = 1000;
const chunks = <T>(items: T[], size = CHUNK) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** Consecutive runs in which every record id occurs once. */
function distinctIdBatches(rows: PushedRow[]): PushedRow[][] {
  const batches: PushedRow[][] = [];
  let current: PushedRow[] = [];
  let ids = new Set<string>();
  for (const row of rows) {
    if (ids.has(row.id)) {
      batches.push(current);
      current = [];
      ids = new Set();
    }
    current.push(row);
    ids.add(row.id);
  }
  if (current.length) batches.push(current);
  return batches;
}

export async function applyTableChanges(
  ctx: PushContext,
  table: TableName,
  rows: readonly WireRow[],
): Promise<TableOutcome> {
  const outcome: TableOutcome = { applied: [], conflicts: [], newConflicts: [], duplicates: 0 };
  const canonical = (rows as PushedRow[]).map((row) => withCanonicalUuids(table, row));
  for (const batch of distinctIdBatches(canonical)) {
    for (const part of chunks(batch)) await applyBatch(ctx, table, part, outcome);
  }
  return outcome;
}

// drizzle's generics cannot follow a table chosen at run time; the columns are ours (schema.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTable = any;

async function currentRows(ctx: PushContext, table: TableName, ids: string[]): Promise<Map<string, WireRow>> {
  if (ids.length === 0) return new Map();
  const t: AnyTable = syncedTables[table];
  const found = (await ctx.tx.select().from(t).where(inArray(t.id, ids))) as Record<string, unknown>[];
  return new Map(found.map((row) => [row.id as string, toWireRow(table, row)]));
}

async function applyBatch(ctx: PushContext, table: TableName, batch: PushedRow[], out: TableOutcome) {
  const { tx, device } = ctx;
  const rule = tableRegistry[table].rule;

  // Exactly once (invariant 2): a change id already in the audit log was applied by an earlier
  // attempt of this push whose response was lost. It is not applied again; the device gets the
  // row as it stands now and any conflict recorded for it, as if it had heard the first answer.
  const changeIds = batch.map((row) => row.change_id).filter((id): id is string => !!id);
  const logged = new Set<string>();
  if (changeIds.length) {
    const hits = await tx
      .select({ change_id: audit_log.change_id })
      .from(audit_log)
      .where(and(eq(audit_log.device_id, device.id), inArray(audit_log.change_id, changeIds)));
    for (const hit of hits) if (hit.change_id) logged.add(hit.change_id);
  }
  // In order, so a change id repeated within this push counts once, like a retry.
  const duplicates: PushedRow[] = [];
  const fresh: PushedRow[] = [];
  for (const row of batch) {
    if (row.change_id && (logged.has(row.change_id) || ctx.seenChangeIds.has(row.change_id))) duplicates.push(row);
    else {
      fresh.push(row);
      if (row.change_id) ctx.seenChangeIds.add(row.change_id);
    }
  }

  const current = await currentRows(ctx, table, batch.map((row) => row.id));

  if (duplicates.length) {
    out.duplicates += duplicates.length;
    const dupIds = duplicates.map((row) => row.change_id as string);
    const recorded = await tx
      .select()
      .from(conflictsTable)
      .where(and(eq(conflictsTable.device_id, device.id), inArray(conflictsTable.change_id, dupIds)));
    for (const c of recorded) out.conflicts.push(conflictFromRecord(c));
  }

  /** The winners' wire columns: the clientData already built for the audit, not built again. */
  const toWrite: WireRow[] = [];
  const audits: AuditInsert[] = [];
  const newConflicts: (typeof conflictsTable.$inferInsert)[] = [];
  for (const row of fresh) {
    const server = current.get(row.id);
    const clientData = wireColumnsOnly(table, row);
    const operation = !server ? 'INSERT' : row.deleted_at && !server.deleted_at ? 'DELETE' : 'UPDATE';
    const conflicting =
      !!server && server.written_by !== device.id && changedSinceBase(ctx.base, server) && !sameData(table, row, server);
    let outcome: 'applied' | 'client_wins' | 'server_wins' = 'applied';
    if (conflicting) {
      outcome = resolveConflict(rule, {
        pusherRole: device.role,
        clientUpdatedAt: row.updated_at,
        serverUpdatedAt: server.updated_at as string,
        serverReceivedAt: server.server_updated_at as string,
        clockSkewMs: ctx.clockSkewMs,
      });
      newConflicts.push({
        decided_at: ctx.now,
        device_id: device.id,
        change_id: row.change_id ?? null,
        table_name: table,
        record_id: row.id,
        client_data: clientData,
        server_data: server,
        resolution: outcome,
        rule,
      });
    }
    if (outcome !== 'server_wins') toWrite.push(clientData);
    audits.push({
      at: ctx.now,
      device_id: device.id,
      change_id: row.change_id ?? null,
      table_name: table,
      record_id: row.id,
      operation,
      before: server ?? null,
      // The row as the device sent it, also when it lost (invariant 7: a loser is never dropped).
      after: clientData,
      outcome,
      rule: conflicting ? rule : null,
    });
  }

  const written = await upsertRows(ctx, table, toWrite);
  const winnerOf = (id: string) => written.get(id) ?? current.get(id);

  for (const entry of audits) entry.server_version = (winnerOf(entry.record_id)?.server_version as number) ?? null;
  await insertAudits(ctx, audits);
  if (newConflicts.length) {
    const saved = await tx.insert(conflictsTable).values(newConflicts).returning();
    const decided = saved.map(conflictFromRecord);
    out.conflicts.push(...decided);
    out.newConflicts.push(...decided);
  }

  for (const row of batch) {
    const winner = winnerOf(row.id);
    if (winner) out.applied.push({ ...winner, id: row.id, server_version: winner.server_version as number, change_id: row.change_id ?? null });
  }
}

function changedSinceBase(base: PushBase, server: WireRow): boolean {
  // Seed, conflict detection step 2: the server's copy changed after the device last synced.
  if (base.kind === 'cursor') return (server.server_version as number) > base.version;
  if (base.kind === 'timestamp') return Date.parse(server.server_updated_at as string) > base.at.getTime();
  return true;
}

/**
 * Upserts the winning rows in one statement: the rows travel as one jsonb parameter that
 * PostgreSQL unpacks with jsonb_populate_recordset (a parameter per value would cap a statement
 * at a few thousand rows and cost far more to build). Every write gets a new version, drawn under
 * the push lock (invariant 1).
 */
async function upsertRows(ctx: PushContext, table: TableName, rows: WireRow[]): Promise<Map<string, WireRow>> {
  const written = new Map<string, WireRow>();
  if (rows.length === 0) return written;
  const columns = columnsOf(table);
  const name = sql.identifier(table);
  const list = sql.raw(columns.map((c) => `"${c}"`).join(', '));
  const updates = sql.raw(
    [...columns.filter((c) => c !== 'id'), 'written_by', 'server_updated_at']
      .map((c) => `"${c}" = excluded."${c}"`)
      .join(', '),
  );
  const payload = JSON.stringify(rows);
  const result = await ctx.tx.execute(sql`
    insert into ${name} (${list}, written_by, server_updated_at)
    select ${list}, ${ctx.device.id}::text, ${ctx.now.toISOString()}::timestamptz
    from jsonb_populate_recordset(null::${name}, ${payload}::jsonb)
    on conflict (id) do update set ${updates}, server_version = nextval('change_version_seq')
    returning to_jsonb(${name}) as r`);
  for (const { r } of rowsOf<{ r: Record<string, unknown> }>(result)) written.set(r.id as string, toWireRow(table, r));
  return written;
}

/** Audit entries in one statement (same jsonb technique as upsertRows). */
async function insertAudits(ctx: PushContext, entries: AuditInsert[]): Promise<void> {
  if (entries.length === 0) return;
  const columns = 'at, device_id, change_id, table_name, record_id, operation, before, after, outcome, rule, server_version';
  const payload = JSON.stringify(entries.map((e) => ({ ...e, at: (e.at as Date).toISOString() })));
  await ctx.tx.execute(sql`
    insert into audit_log (${sql.raw(columns)})
    select ${sql.raw(columns)} from jsonb_populate_recordset(null::audit_log, ${payload}::jsonb)`);
}

function conflictFromRecord(c: typeof conflictsTable.$inferSelect): Conflict {
  return {
    table: c.table_name as TableName,
    record_id: c.record_id,
    client_data: c.client_data as Record<string, unknown>,
    server_data: c.server_data as Record<string, unknown>,
    resolution: c.resolution,
    rule: c.rule,
    change_id: c.change_id,
    decided_at: c.decided_at.toISOString(),
  };
}
