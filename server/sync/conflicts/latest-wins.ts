import type { ConflictRuleFn } from './types.js';

/** Skews up to this are ordinary clock drift and left alone; beyond it the device clock is wrong. */
export const MAX_TRUSTED_SKEW_MS = 2 * 60 * 1000;

/**
 * Seed: "Latest timestamp wins" for submissions and KPIs. A device clock can be days off (a
 * known trap): when the push's `timestamp` differs from the server's clock by more than two
 * minutes, the pushed `updated_at` is shifted by that skew before comparing, so a device whose
 * clock runs days ahead cannot win every conflict. Ties go to the server (prevents data loss).
 */
export const latestWins: ConflictRuleFn = ({ clientUpdatedAt, serverUpdatedAt, clockSkewMs }) => {
  const correction = Math.abs(clockSkewMs) > MAX_TRUSTED_SKEW_MS ? clockSkewMs : 0;
  const client = Date.parse(clientUpdatedAt) + correction;
  return client > Date.parse(serverUpdatedAt) ? 'client_wins' : 'server_wins';
};
