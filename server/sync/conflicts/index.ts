// One pure function per conflict rule, looked up by the table's rule in shared/tables.ts.
import type { ConflictRule } from '../../../shared/tables.js';
import { latestWins } from './latest-wins.js';
import { managerWins } from './manager-wins.js';
import { serverWins } from './server-wins.js';
import type { ConflictCase, ConflictRuleFn } from './types.js';

export const conflictRuleFns: Record<ConflictRule, ConflictRuleFn> = {
  manager_wins: managerWins,
  latest_wins: latestWins,
  server_wins: serverWins,
};

export const applyConflictRule = (rule: ConflictRule, conflict: ConflictCase) => conflictRuleFns[rule](conflict);

export type { ConflictCase } from './types.js';
