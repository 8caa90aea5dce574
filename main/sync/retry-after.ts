// The server's Retry-After (on 429 and 503) as milliseconds: delta-seconds or an HTTP date.
// The engine's backoff waits at least this long before retrying, so a rate-limited device
// stops adding load instead of retrying on its own schedule.

/** Milliseconds to wait, or null when the header is absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
