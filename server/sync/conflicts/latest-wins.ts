import type { ConflictRuleFn } from './types.js';

/** Skews up to this are ordinary clock drift and left alone; beyond it the device clock is wrong. */
export const MAX_TRUSTED_SKEW_MS = 2 * 60 * 1000;

/**
 * A server row whose updated_at lies this far beyond the moment the server received it was written
 * by a clock that was wrong, not drifting (an edit cannot be made after it reached the server).
 * Generous on purpose: a lead of minutes is left alone, as the pusher's drift is.
 */
export const MAX_STORED_LEAD_MS = 60 * 60 * 1000;

/**
 * Seed: "Latest timestamp wins" for submissions and KPIs. A device clock can be days off (a
 * known trap): when the push's `timestamp` differs from the server's clock by more than two
 * minutes, the pushed `updated_at` is shifted by that skew before comparing, so a device whose
 * clock runs days ahead cannot win every conflict. The same goes for the row the server holds: its
 * updated_at was written by another device's clock, whose skew is not stored; when it lies more
 * than an hour beyond the row's server_updated_at, the row counts as made when the server received
 * it (else a row pushed from a clock days ahead would win every later conflict for days). Ties go
 * to the server (prevents data loss).
 */
export const latestWins: ConflictRuleFn = ({ clientUpdatedAt, serverUpdatedAt, serverReceivedAt, clockSkewMs }) => {
  const correction = Math.abs(clockSkewMs) > MAX_TRUSTED_SKEW_MS ? clockSkewMs : 0;
  const client = Date.parse(clientUpdatedAt) + correction;
  const stored = Date.parse(serverUpdatedAt);
  const received = Date.parse(serverReceivedAt);
  const server = stored - received > MAX_STORED_LEAD_MS ? received : stored;
  return client > server ? 'client_wins' : 'server_wins';
};
