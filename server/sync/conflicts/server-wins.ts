import type { ConflictRuleFn } from './types.js';

/** Seed: "Server wins" for team ("prevent duplicates") and when in doubt ("prevents data loss"). */
export const serverWins: ConflictRuleFn = () => 'server_wins';
