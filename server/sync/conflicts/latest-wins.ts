import type { ConflictRuleFn } from './types.js';

/**
 * Seed: "Latest timestamp wins" for submissions and KPIs, on the server's clock: both edit times
 * are already corrected for their devices' clock offsets (edit-time.ts), so a device whose clock
 * runs a day ahead or behind neither wins nor loses by its clock. Ties go to the server (prevents
 * data loss).
 */
export const latestWins: ConflictRuleFn = ({ clientEditedAt, serverEditedAt }) =>
  Date.parse(clientEditedAt) > Date.parse(serverEditedAt) ? 'client_wins' : 'server_wins';
