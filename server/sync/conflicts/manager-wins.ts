import type { ConflictRuleFn } from './types.js';

/** Seed: "Store Manager wins" for forms, templates, settings: the manager controls them. */
export const managerWins: ConflictRuleFn = ({ pusherRole }) =>
  pusherRole === 'manager' ? 'client_wins' : 'server_wins';
