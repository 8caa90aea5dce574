import type { ConflictRuleFn } from './types.js';

/** Skews up to this are ordinary clock drift and left alone; beyond it the device clock is wrong. */
export const MAX_TRUSTED_SKEW_MS = 2 * 60 * 1000;

/**
 * Seed: "Latest timestamp wins" for submissions and KPIs. A device clock can be days off (a
 * known trap): when the push's `timestamp` differs from the server's clock by more than two
 * minutes, the pushed `updated_at` is shifted by that skew before comparing, so a device whose
 * clock runs days ahead cannot win every conflict. The same goes for the row the server holds: its
 * updated_at was written by another device's clock, whose skew is not stored, but no edit was made
 * after the server received it, so it counts at most as late as its server_updated_at (else a row
 * pushed from a clock days ahead would win every later conflict for days). Ties go to the server
 * (prevents data loss).
 */
export const latestWins: ConflictRuleFn = ({ clientUpdatedAt, serverUpdatedAt, serverReceivedAt, clockSkewMs }) => {
  const correction = Math.abs(clockSkewMs) > MAX_TRUSTED_SKEW_MS ? clockSkewMs : 0;
  const client = Date.parse(clientUpdatedAt) + correction;
  const server = Math.min(Date.parse(serverUpdatedAt), Date.parse(serverReceivedAt));
  return client > server ? 'client_wins' : 'server_wins';
};
