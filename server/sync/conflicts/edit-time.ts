// When an edit was made, on the server's clock (invariant: latest_wins picks the truly later edit
// whatever the devices' clocks say). A device's `updated_at` is its own clock; the push's
// `timestamp` tells the server how far that clock is off right now, so the server corrects the
// edit time once, at push time, and stores it with the row (`edited_at`) and in the audit log.

/** Skews up to this are ordinary clock drift (and request latency) and left alone. */
export const MAX_TRUSTED_SKEW_MS = 2 * 60 * 1000;

/**
 * An edit dated this far beyond the moment the server received it came from a clock that was wrong
 * (changed between the edit and the push, or, for a row stored before edit times were corrected,
 * simply wrong): it counts as made on receipt. Generous on purpose: a lead of minutes is left alone.
 */
export const MAX_LEAD_MS = 60 * 60 * 1000;

/**
 * The pushed edit's time on the server's clock: `updated_at` shifted by the device's offset
 * (server clock − push `timestamp`) when that offset is more than drift. An edit cannot be made
 * after it reached the server: one dated beyond the push's arrival by more than MAX_LEAD_MS counts
 * as made on arrival.
 */
export function correctedEditTime(updatedAt: string, clockSkewMs: number, receivedAt: Date): Date {
  const correction = Math.abs(clockSkewMs) > MAX_TRUSTED_SKEW_MS ? clockSkewMs : 0;
  const edited = Date.parse(updatedAt) + correction;
  return new Date(edited - receivedAt.getTime() > MAX_LEAD_MS ? receivedAt.getTime() : edited);
}

/** The stored row's edit time: its `edited_at`, or for an older row its updated_at unless far ahead of receipt. */
export function storedEditTime(row: { edited_at: string | null; updated_at: string; server_updated_at: string }): Date {
  if (row.edited_at) return new Date(row.edited_at);
  const stored = Date.parse(row.updated_at);
  const received = Date.parse(row.server_updated_at);
  return new Date(stored - received > MAX_LEAD_MS ? received : stored);
}
