import type { Resolution } from '../../../shared/protocol/sync.js';
import type { Role } from '../../../shared/tables.js';

/** What a rule sees of a conflict: who pushes, both versions' clocks, and the pusher's clock skew. */
export interface ConflictCase {
  pusherRole: Role;
  /** updated_at of the pushed row, as the device's clock said it. */
  clientUpdatedAt: string;
  /** updated_at of the row the server holds (its writer's clock). */
  serverUpdatedAt: string;
  /** server_updated_at of that row: when the server received it, by the server's clock. */
  serverReceivedAt: string;
  /** Server clock minus the device's clock at push time (ms); positive when the device is behind. */
  clockSkewMs: number;
}

export type ConflictRuleFn = (conflict: ConflictCase) => Resolution;
