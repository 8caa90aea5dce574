// Sync analytics (GET /api/v1/sync/devices, manager devices only): for every enrolled device, its
// role, its last sync, what it pulled and pushed day by day, the conflicts its pushes met per table,
// and what went wrong (answers of 4xx/5xx, changes refused for good). The server answers with
// these schemas, the Store Manager's main process parses the answer with them, and the IPC channel
// `sync:devices` hands the parsed answer to the dashboard: one definition for all three.
import { z } from 'zod';
import { isoTimestamp, Role, TableNameSchema } from '../tables.js';
import { deviceId, storeCode } from './sync.js';

export const DEFAULT_ACTIVITY_DAYS = 7;
export const MAX_ACTIVITY_DAYS = 90;

/** Query of GET /api/v1/sync/devices (`?days=7`), and the request of the IPC channel. */
export const DeviceActivityQuery = z.object({
  /** The window: today (UTC) and the days before it, oldest first in each device's `days`. */
  days: z.coerce
    .number<number | string>({ error: 'days must be a number' })
    .int('days must be a whole number')
    .min(1, 'days must be at least 1')
    .max(MAX_ACTIVITY_DAYS, `days must be at most ${MAX_ACTIVITY_DAYS}`)
    .default(DEFAULT_ACTIVITY_DAYS),
});
export type DeviceActivityQuery = z.input<typeof DeviceActivityQuery>;

const count = z.int().min(0);

/** A UTC calendar day, `2026-11-29`. */
export const ActivityDay = z.iso.date();

/** One device's sync traffic on one UTC day. */
export const DeviceDayActivity = z.object({
  day: ActivityDay,
  /** Pull requests answered 2xx (one per page). */
  pulls: count,
  /** Push requests answered 2xx. */
  pushes: count,
  /** Rows in the pulled pages. */
  rows_pulled: count,
  /** Rows in the accepted pushes. */
  rows_pushed: count,
  /** Requests of this device answered 4xx or 5xx (a wrong token cannot be told apart: not counted). */
  failures: count,
  /** Rows of pushes the server refused for good (4xx: permission, validation): never applied. */
  refused: count,
});
export type DeviceDayActivity = z.infer<typeof DeviceDayActivity>;

export const DeviceActivity = z.object({
  device_id: z.string(),
  role: Role,
  /** The device's latest successful pull or push, null if it never synced. */
  last_sync_at: isoTimestamp.nullable(),
  /** When its token was revoked (a lost phone): every request with it is refused. Null while active. */
  revoked_at: isoTimestamp.nullable(),
  /**
   * The store a store device belongs to (its scope, issue 13); null for a manager, and from a
   * server that does not know scopes (absent there: the default).
   */
  store_id: z.string().nullable().default(null),
  /** Store codes named by the rows the device pushed in the window (`store_id`), sorted. */
  stores_named: z.array(z.string()).default([]),
  /** Every day of the window, oldest first; days without traffic are zeros. */
  days: z.array(DeviceDayActivity),
  /** The sums over the window. */
  totals: DeviceDayActivity.omit({ day: true }).extend({ conflicts: count }),
  /** Conflicts the device's pushes met in the window (audit log), per table; absent tables had none. */
  conflicts: z.partialRecord(TableNameSchema, count),
});
export type DeviceActivity = z.infer<typeof DeviceActivity>;

export const DeviceActivityResponse = z.object({
  success: z.literal(true),
  /** When the server answered. */
  timestamp: isoTimestamp,
  /** First and last day of the window (UTC). */
  from: ActivityDay,
  to: ActivityDay,
  /** Every enrolled device, by id. */
  devices: z.array(DeviceActivity),
});
export type DeviceActivityResponse = z.infer<typeof DeviceActivityResponse>;

// ---- POST /api/v1/devices/:id/revoke (manager devices only), and the IPC channel devices:revoke ----

/** Which device to revoke: the path's `:id`, and the request of the IPC channel. */
export const DeviceRevokeRequest = z.object({
  device_id: deviceId,
});
export type DeviceRevokeRequest = z.input<typeof DeviceRevokeRequest>;

export const DeviceRevokeResponse = z.object({
  success: z.literal(true),
  device_id: z.string(),
  /** When the token stopped working (the earlier time when it was already revoked). */
  revoked_at: isoTimestamp,
  /** The device had been revoked before: nothing changed. */
  already_revoked: z.boolean(),
});
export type DeviceRevokeResponse = z.infer<typeof DeviceRevokeResponse>;

/** POST /api/v1/devices/:id/scope: move a store device to another store (invariant 12). */
export const DeviceScopeRequest = z.strictObject({ store: storeCode });
export type DeviceScopeRequest = z.input<typeof DeviceScopeRequest>;

export const DeviceScopeResponse = z.object({
  success: z.literal(true),
  device_id: z.string(),
  /** The store the device belongs to now. */
  store: z.string(),
  /** The store it belonged to before (null: none, a device enrolled before scopes). */
  previous_store: z.string().nullable(),
  /** false: it already belonged to that store; nothing changed. */
  moved: z.boolean(),
});
export type DeviceScopeResponse = z.infer<typeof DeviceScopeResponse>;

/** The IPC channel devices:scope: which device (the route's `:id`) and its new store (the body). */
export const DeviceMoveRequest = z.strictObject({ ...DeviceRevokeRequest.shape, ...DeviceScopeRequest.shape });
export type DeviceMoveRequest = z.input<typeof DeviceMoveRequest>;
