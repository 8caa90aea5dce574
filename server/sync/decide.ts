// The decision of a push batch, as a PURE function (no database): given the pushed rows, the rows
// the server holds, what the device had seen and the table's rule, say what is written, what is
// audited, which conflicts are recorded and which changes are refused. Unit-tested without
// PostgreSQL (decide.test.ts); apply-changes.ts reads, calls this, and persists.
import type { RejectedChange } from '../../shared/protocol/sync.js';
import type { ConflictRule, Role, TableName } from '../../shared/tables.js';
import type { audit_log, conflicts } from '../db/schema.js';
import { applyConflictRule } from './conflicts/index.js';
import { correctedEditTime, storedEditTime } from './conflicts/edit-time.js';
import { mergeFields } from './merge.js';
import { comparePositions, type Position } from './position.js';
import { sameData, wireColumnsOnly, type WireRow } from './rows.js';

export type PushedRow = WireRow & {
  id: string;
  updated_at: string;
  deleted_at?: string | null;
  change_id?: string | undefined;
  /** The server_version the edit was made on (field-level merge); absent for seed clients. */
  base_version?: number | undefined;
};

/** A row the server holds: its wire form, its position and its stored edit time. */
export interface CurrentRow {
  row: WireRow;
  position: Position;
  editedAt: string | null;
}

/** What the device had seen when it made its changes (push `cursor`, or `last_sync_timestamp` mapped to a position). */
export type PushBase = { kind: 'position'; position: Position } | { kind: 'none' };

export interface BatchInput {
  table: TableName;
  rule: ConflictRule;
  device: { id: string; role: Role };
  base: PushBase;
  /** Database clock at the push. */
  now: Date;
  /** Server clock minus the device's clock at push time (ms). */
  clockSkewMs: number;
  /** Changes not applied before (duplicates are classified away first); record ids distinct. */
  fresh: PushedRow[];
  current: Map<string, CurrentRow>;
  /** Record id → why its parent is missing (referential integrity, parents.ts). */
  missingParent: Map<string, string>;
  /** Record id → the row as it was at the push's base_version, where the server still has it (base-images.ts). */
  baseImages?: Map<string, WireRow>;
}

export type AuditDraft = Omit<typeof audit_log.$inferInsert, 'server_version'>;
export type ConflictDraft = typeof conflicts.$inferInsert;

export interface BatchDecision {
  /** Winners to upsert: each its audit entry's `after` (the table's wire columns) plus the corrected edit time. */
  toWrite: WireRow[];
  audits: AuditDraft[];
  conflicts: ConflictDraft[];
  rejected: RejectedChange[];
}

/** Seed, conflict detection step 2: the server's copy changed after what the device had seen. */
export function changedSinceBase(base: PushBase, current: CurrentRow): boolean {
  return base.kind === 'none' || comparePositions(current.position, base.position) > 0;
}

/**
 * Whether the held row changed after the pushed edit's base: by the row's own base_version when the
 * device sent one (exact), else by what the device had seen (its pull position).
 */
function changedSinceEdit(base: PushBase, held: CurrentRow, row: PushedRow): boolean {
  if (row.base_version !== undefined) return held.row.server_version !== row.base_version;
  return changedSinceBase(base, held);
}

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

export function decideBatch(input: BatchInput): BatchDecision {
  const { table, rule, device, now } = input;
  const decision: BatchDecision = { toWrite: [], audits: [], conflicts: [], rejected: [] };
  for (const row of input.fresh) {
    const reason = input.missingParent.get(row.id);
    if (reason) {
      // Refused alone: nothing written or audited, so the same change may be pushed again once its
      // parent is there (invariant 10: the device sets it aside with this reason).
      decision.rejected.push({ table, record_id: row.id, change_id: row.change_id ?? null, reason });
      continue;
    }
    const held = input.current.get(row.id);
    const server = held?.row;
    const clientData = wireColumnsOnly(table, row);
    // One Date per row, kept as the audit entry's edit time (it is never changed afterwards).
    const editedTime = correctedEditTime(row.updated_at, input.clockSkewMs, now);
    const editedAt = editedTime.toISOString();
    const operation = !server ? 'INSERT' : row.deleted_at && !server.deleted_at ? 'DELETE' : 'UPDATE';
    const concurrent = !!held && changedSinceEdit(input.base, held, row) && !sameData(table, row, held.row);
    const baseImage = row.base_version !== undefined ? input.baseImages?.get(row.id) : undefined;
    // The held row is this device's own earlier write: never a conflict with itself (its later edit
    // supersedes it, as the seed's rule had it). With a base image it is still merged, so a field
    // another device changed in between (merged into that earlier write) is kept.
    const ownWrite = held?.row.written_by === device.id;
    const conflicting = concurrent && (!ownWrite || !!baseImage);
    let outcome: AuditDraft['outcome'] = 'applied';
    let after: WireRow = clientData;
    // The edit time the row is written with, or null when nothing is written. What is written is
    // always `after` plus this edit time (persist.ts sends the row once and audits it as `after`).
    let writeAt: string | null = editedAt;
    let merge: AuditDraft['merge'] = null;
    let ruled = false;
    if (conflicting) {
      const serverEditedAt = storedEditTime({
        edited_at: held.editedAt,
        updated_at: held.row.updated_at as string,
        server_updated_at: held.row.server_updated_at as string,
      }).toISOString();
      const resolution = ownWrite
        ? 'client_wins'
        : applyConflictRule(rule, { pusherRole: device.role, clientEditedAt: editedAt, serverEditedAt });
      const merged = baseImage
        ? mergeFields({ table, base: baseImage, server: held.row, pushed: clientData, resolution })
        : null;
      const conflict: ConflictDraft = {
        decided_at: now,
        device_id: device.id,
        change_id: row.change_id ?? null,
        table_name: table,
        record_id: row.id,
        client_data: clientData,
        server_data: held.row,
        resolution,
        rule,
        client_edited_at: new Date(editedAt),
        server_edited_at: new Date(serverEditedAt),
      };
      if (!merged && ownWrite) {
        // A delete over the device's own write: the whole row, as before.
      } else if (!merged) {
        // Whole-row decision (seed clients, a lost base image, a delete on either side).
        outcome = resolution;
        ruled = true;
        decision.conflicts.push(conflict);
        if (outcome === 'server_wins') writeAt = null;
      } else {
        merge = { pushed: merged.pushed, kept: merged.kept, conflicted: merged.conflicts.map((c) => c.field) };
        ruled = !ownWrite && merged.conflicts.length > 0;
        if (ruled) decision.conflicts.push({ ...conflict, fields: merged.conflicts });
        if (!sameData(table, merged.row, held.row)) {
          // The merge is a new version: stamped with the later of the two edits.
          const clientLater = Date.parse(editedAt) >= Date.parse(serverEditedAt);
          const mergedRow = { ...merged.row, updated_at: clientLater ? clientData.updated_at : held.row.updated_at };
          outcome = 'merged';
          after = mergedRow;
          writeAt = later(editedAt, serverEditedAt);
        } else if (ruled) {
          // Every field the pusher changed lost to the rule: nothing to write, as a row-level loss.
          outcome = 'server_wins';
          writeAt = null;
        } else {
          // Nothing of the push differs from the server's row: the held row is the merge.
          outcome = 'merged';
          after = wireColumnsOnly(table, held.row);
          writeAt = null;
        }
      }
    }
    if (writeAt !== null) decision.toWrite.push({ ...after, edited_at: writeAt });
    decision.audits.push({
      at: now,
      device_id: device.id,
      change_id: row.change_id ?? null,
      table_name: table,
      record_id: row.id,
      operation,
      before: server ?? null,
      // The row as the device sent it, also when it lost (invariant 7: a loser is never dropped);
      // for a merge the merged row as stored (the push's values live on in it or in its conflict).
      after,
      outcome,
      rule: ruled ? rule : null,
      edited_at: editedTime,
      merge,
    });
  }
  return decision;
}
