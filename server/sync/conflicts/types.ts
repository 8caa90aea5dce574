import type { Resolution } from '../../../shared/protocol/sync.js';
import type { Role } from '../../../shared/tables.js';

/** What a rule sees of a conflict: who pushes, and when each side's edit was made. */
export interface ConflictCase {
  pusherRole: Role;
  /** The pushed edit's time on the server's clock (edit-time.ts correctedEditTime). */
  clientEditedAt: string;
  /** The stored row's edit time on the server's clock (edit-time.ts storedEditTime). */
  serverEditedAt: string;
}

export type ConflictRuleFn = (conflict: ConflictCase) => Resolution;
