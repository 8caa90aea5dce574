// The decision of a push batch, as a PURE function (no database): given the pushed rows, the rows
// the server holds, what the device had seen and the table's rule, say what is written, what is
// audited, which conflicts are recorded and which changes are refused. Unit-tested without
// PostgreSQL (decide.test.ts); apply-changes.ts reads, calls this, and persists.
import type { RejectedChange } from '../../shared/protocol/sync.js';
import type { ConflictRule, Role, TableName } from '../../shared/tables.js';
import type { audit_log, conflicts } from '../db/schema.js';
import { resolveConflict } from './conflicts/index.js';
import { correctedEditTime, storedEditTime } from './conflicts/edit-time.js';
import { comparePositions, type Position } from './position.js';
import { sameData, wireColumnsOnly, type WireRow } from './rows.js';

export type PushedRow = WireRow & {
  id: string;
  updated_at: string;
  deleted_at?: string | null;
  change_id?: string | undefined;
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
}

export type AuditDraft = Omit<typeof audit_log.$inferInsert, 'server_version'>;
export type ConflictDraft = typeof conflicts.$inferInsert;

export interface BatchDecision {
  /** Winners to upsert: the table's wire columns plus the corrected edit time. */
  toWrite: WireRow[];
  audits: AuditDraft[];
  conflicts: ConflictDraft[];
  rejected: RejectedChange[];
}

/** Seed, conflict detection step 2: the server's copy changed after what the device had seen. */
export function changedSinceBase(base: PushBase, current: CurrentRow): boolean {
  return base.kind === 'none' || comparePositions(current.position, base.position) > 0;
}

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
    const editedAt = correctedEditTime(row.updated_at, input.clockSkewMs, now).toISOString();
    const operation = !server ? 'INSERT' : row.deleted_at && !server.deleted_at ? 'DELETE' : 'UPDATE';
    const conflicting =
      !!held &&
      held.row.written_by !== device.id &&
      changedSinceBase(input.base, held) &&
      !sameData(table, row, held.row);
    let outcome: 'applied' | 'client_wins' | 'server_wins' = 'applied';
    if (conflicting) {
      const serverEditedAt = storedEditTime({
        edited_at: held.editedAt,
        updated_at: held.row.updated_at as string,
        server_updated_at: held.row.server_updated_at as string,
      }).toISOString();
      outcome = resolveConflict(rule, { pusherRole: device.role, clientEditedAt: editedAt, serverEditedAt });
      decision.conflicts.push({
        decided_at: now,
        device_id: device.id,
        change_id: row.change_id ?? null,
        table_name: table,
        record_id: row.id,
        client_data: clientData,
        server_data: held.row,
        resolution: outcome,
        rule,
        client_edited_at: new Date(editedAt),
        server_edited_at: new Date(serverEditedAt),
      });
    }
    if (outcome !== 'server_wins') decision.toWrite.push({ ...clientData, edited_at: editedAt });
    decision.audits.push({
      at: now,
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
      edited_at: new Date(editedAt),
    });
  }
  return decision;
}
