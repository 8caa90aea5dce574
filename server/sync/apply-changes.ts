// One table's share of a push, inside the push transaction, batch by batch:
//   classify (changes already applied vs fresh) → read (current rows, missing parents) →
//   decide (decide.ts, pure) → persist (persist.ts) → answer (the rows as now held).
// Work is done in set-sized statements (a 10k-row push is a handful of queries, not 40k), in
// batches whose record ids are distinct so that two edits of one record in one push apply in order.
import { and, eq, inArray } from 'drizzle-orm';
import type {
  Conflict,
  MergedChange,
  PushResponse,
  RejectedChange,
  StoredAsPushed,
} from '../../shared/protocol/sync.js';
import { tableRegistry, type Role, type TableName } from '../../shared/tables.js';
import type { Queryable } from '../db/client.js';
import { conflicts as conflictsTable } from '../db/schema.js';
import { baseImages } from './base-images.js';
import { decideBatch, type PushBase, type PushedRow } from './decide.js';
import { readBatch, type BatchRead } from './batch-read.js';
import { missingParents } from './parents.js';
import { repeatedUniqueValues } from './unique-columns.js';
import { conflictFromRecord, insertConflicts, writeBatch } from './persist.js';
import { recordScopeMoves } from './scope-moves.js';
import { answeredAsVersion, sentByChangeId, type SentChanges } from './push-answer.js';
import { storedRow, withCanonicalUuids, type WireRow } from './rows.js';

export interface PushContext {
  tx: Queryable;
  device: { id: string; role: Role; store_id?: string | null };
  /** Database clock at the push. */
  now: Date;
  /** Server clock minus the device's clock at push time (ms). */
  clockSkewMs: number;
  /** What the device had seen when it made its changes. */
  base: PushBase;
  /** change_ids of this push already in the audit log for this device, read once the records were locked. */
  loggedChangeIds: ReadonlySet<string>;
  /** change_ids met earlier in this push (a push that repeats one is a retry within itself). */
  seenChangeIds: Set<string>;
  /** The push's first batch (batchesOf) and its read, made with the push state (push-state.ts). */
  firstRead?: { batch: PushedRow[]; read: BatchRead } | null;
  /**
   * Asked for `answer: 'versions'`: the rows as the device sent them (the request body before
   * validation), what each batch's answer rows are compared with (push-answer.ts).
   */
  sent?: SentChanges | null;
}

type AppliedRow = PushResponse['applied'][TableName] & object;

export interface TableOutcome {
  applied: AppliedRow;
  /** Conflicts decided now plus those recorded earlier for duplicate changes. */
  conflicts: Conflict[];
  newConflicts: Conflict[];
  rejected: RejectedChange[];
  duplicates: number;
  /** Changes merged field by field with others' edits (audit outcome `merged`). */
  merged: MergedChange[];
  /** With `ctx.sent`: the rows held exactly as sent, as versions only (they are not in `applied`). */
  storedAsPushed: StoredAsPushed[];
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

/** The batches a table's rows are applied in, in order. */
export const batchesOf = (rows: PushedRow[]): PushedRow[][] =>
  distinctIdBatches(rows).flatMap((batch) => chunks(batch));

/** A push's rows of one table with their uuids in the one spelling the database answers with. */
export const canonicalRows = (table: TableName, rows: readonly WireRow[]): PushedRow[] =>
  (rows as PushedRow[]).map((row) => withCanonicalUuids(table, row));

export async function applyTableChanges(ctx: PushContext, table: TableName, rows: PushedRow[]): Promise<TableOutcome> {
  const outcome: TableOutcome = {
    applied: [],
    conflicts: [],
    newConflicts: [],
    rejected: [],
    duplicates: 0,
    merged: [],
    storedAsPushed: [],
  };
  const sent = ctx.sent ? sentByChangeId(ctx.sent[table] ?? []) : null;
  for (const batch of batchesOf(rows)) await applyBatch(ctx, table, batch, outcome, sent);
  return outcome;
}

/**
 * Exactly once (invariant 2): a change id already in the audit log (read once per push, after the
 * locks: push-state.ts) was applied by an earlier attempt of this push whose response was lost; it
 * is not applied again. In order, so a change id repeated within this push counts once, like a retry.
 */
function classify(ctx: PushContext, batch: PushedRow[]): { duplicates: PushedRow[]; fresh: PushedRow[] } {
  const duplicates: PushedRow[] = [];
  const fresh: PushedRow[] = [];
  for (const row of batch) {
    if (row.change_id && (ctx.loggedChangeIds.has(row.change_id) || ctx.seenChangeIds.has(row.change_id))) {
      duplicates.push(row);
    } else {
      fresh.push(row);
      if (row.change_id) ctx.seenChangeIds.add(row.change_id);
    }
  }
  return { duplicates, fresh };
}

/** The push's first batch was read already (push-state.ts): that read, once. */
function takeFirstRead(ctx: PushContext, batch: PushedRow[]): BatchRead | null {
  const first = ctx.firstRead;
  if (!first) return null;
  ctx.firstRead = null;
  // The same rows, batched by batchesOf from the same array: its first batch is this one.
  if (first.batch.length !== batch.length || first.batch[0] !== batch[0]) {
    throw new Error('the push read a first batch that is not the one it applies first');
  }
  return first.read;
}

async function applyBatch(
  ctx: PushContext,
  table: TableName,
  batch: PushedRow[],
  out: TableOutcome,
  sent: ReadonlyMap<string, WireRow | null> | null,
) {
  const { tx, device } = ctx;
  const { duplicates, fresh } = classify(ctx, batch);
  const read = takeFirstRead(ctx, batch) ?? (await readBatch(tx, table, batch));
  const current = read.current;

  // A duplicate gets the row as it stands now and any conflict recorded for it, as if the device
  // had heard the first answer.
  if (duplicates.length) {
    out.duplicates += duplicates.length;
    const recorded = await tx
      .select()
      .from(conflictsTable)
      .where(
        and(
          eq(conflictsTable.device_id, device.id),
          inArray(
            conflictsTable.change_id,
            duplicates.map((row) => row.change_id as string),
          ),
        ),
      );
    out.conflicts.push(...recorded.map(conflictFromRecord));
  }

  const decision = decideBatch({
    table,
    rule: tableRegistry[table].rule,
    device,
    base: ctx.base,
    now: ctx.now,
    clockSkewMs: ctx.clockSkewMs,
    fresh,
    current,
    // Both refuse a row alone, with its reason: a parent the server lacks, a code already taken.
    missingParent: new Map([
      ...(await repeatedUniqueValues(tx, table, fresh)),
      ...missingParents(table, fresh, read.parents),
    ]),
    baseImages: await baseImages(tx, table, fresh, current),
  });

  const written = await writeBatch(tx, {
    deviceId: device.id,
    at: ctx.now,
    table,
    // The scope the change was made under: the device's store, or null for every store.
    scope: device.role === 'store' ? (device.store_id ?? null) : null,
    audits: decision.audits,
    toWrite: decision.toWrite,
    heldVersion: (id) => (current.get(id)?.row.server_version as number | undefined) ?? null,
  });
  // The written rows as now held: what was written plus the server's columns (storedRow).
  const writtenRows = new Map<string, WireRow>();
  const serverUpdatedAt = ctx.now.toISOString();
  for (const row of decision.toWrite) {
    const id = row.id as string;
    const version = written.get(id);
    if (version === undefined) throw new Error(`${table} ${id} was to be written but the database did not return it`);
    writtenRows.set(
      id,
      storedRow(table, row, { server_version: version, server_updated_at: serverUpdatedAt, written_by: device.id }),
    );
  }
  // A row that changed store (invariant 12): its old store's devices are told to drop it.
  await recordScopeMoves(tx, device.id, table, current, writtenRows);
  const winnerOf = (id: string) => writtenRows.get(id) ?? current.get(id)?.row;
  const decided = await insertConflicts(tx, decision.conflicts);
  out.conflicts.push(...decided);
  out.newConflicts.push(...decided);
  out.rejected.push(...decision.rejected);
  for (const entry of decision.audits) {
    if (entry.outcome === 'merged' && entry.merge) {
      out.merged.push({ table, record_id: entry.record_id, change_id: entry.change_id ?? null, ...entry.merge });
    }
  }

  // The batch's answer, made now: a versions answer keeps only the version of a row held as sent,
  // so the rows built above die with the batch instead of living (and being promoted by the young
  // generation's collections) until the whole push is answered.
  const refused = new Set(decision.rejected.map((r) => r.record_id));
  for (const row of batch) {
    const winner = winnerOf(row.id);
    if (!winner || refused.has(row.id)) continue;
    const server_version = winner.server_version as number;
    const change_id = row.change_id ?? null;
    // The answered row is the winner with the pushed id, version and change id (below).
    if (sent && winner.id === row.id && answeredAsVersion(table, winner, change_id, sent)) {
      out.storedAsPushed.push({ id: row.id, server_version, change_id: change_id! });
    } else {
      out.applied.push({ ...winner, id: row.id, server_version, change_id });
    }
  }
}
