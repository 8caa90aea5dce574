// GET /api/v1/sync/status (seed: Monitoring). No auth: it says nothing a device could misuse.
import { PROTOCOL_VERSION, type StatusResponse } from '../../shared/protocol/sync.js';
import { tableNames } from '../../shared/tables.js';
import type { Queryable } from '../db/client.js';
import { devices } from '../db/schema.js';

/** A device counts as active when it pulled or pushed within this window. */
export const ACTIVE_WINDOW_MS = 24 * 60 * 60 * 1000;

export async function syncStatus(db: Queryable): Promise<StatusResponse> {
  const now = new Date();
  const all = await db.select({ id: devices.id, last: devices.last_sync_at }).from(devices).orderBy(devices.id);
  // Counted from the list just read (it holds every device anyway) rather than with a second query.
  const activeSince = now.getTime() - ACTIVE_WINDOW_MS;
  const active = all.filter((d) => d.last !== null && d.last.getTime() > activeSince).length;
  return {
    status: 'online',
    timestamp: now.toISOString(),
    version: PROTOCOL_VERSION,
    tables: tableNames,
    active_devices: active,
    last_sync: Object.fromEntries(all.map((d) => [d.id, d.last ? d.last.toISOString() : null])),
  };
}
