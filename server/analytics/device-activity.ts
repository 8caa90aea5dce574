// GET /api/v1/sync/devices (manager devices only): every enrolled device with its role, its last
// sync, its traffic per UTC day over the last N days (device_activity, see activity-log.ts) and the
// conflicts its pushes met per table (the audit log: every conflict is there exactly once,
// invariants 2 and 7).
import { and, asc, count, gte, lte, ne, sql } from 'drizzle-orm';
import type { DeviceActivity, DeviceActivityResponse, DeviceDayActivity } from '../../shared/protocol/analytics.js';
import type { TableName } from '../../shared/tables.js';
import { databaseNow, type Queryable } from '../db/client.js';
import { audit_log, device_activity, devices } from '../db/schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const utcDay = (at: Date) => at.toISOString().slice(0, 10);

const noActivity = (day: string): DeviceDayActivity => ({
  day,
  pulls: 0,
  pushes: 0,
  rows_pulled: 0,
  rows_pushed: 0,
  failures: 0,
  refused: 0,
});

export async function deviceActivity(db: Queryable, days: number): Promise<DeviceActivityResponse> {
  // The database's clock: the same one activity-log.ts dates its rows by.
  const now = await databaseNow(db);
  const window = Array.from({ length: days }, (_, i) => utcDay(new Date(now.getTime() - (days - 1 - i) * DAY_MS)));
  const from = window[0]!;
  const to = window[window.length - 1]!;

  const enrolled = await db
    .select({
      id: devices.id,
      role: devices.role,
      store_id: devices.store_id,
      last_sync_at: devices.last_sync_at,
      revoked_at: devices.revoked_at,
    })
    .from(devices)
    .orderBy(asc(devices.id));
  const traffic = await db
    .select()
    .from(device_activity)
    .where(and(gte(device_activity.day, from), lte(device_activity.day, to)));
  const conflicts = await db
    .select({ device_id: audit_log.device_id, table: audit_log.table_name, n: count() })
    .from(audit_log)
    .where(and(ne(audit_log.outcome, 'applied'), gte(audit_log.at, sql`${from}::date at time zone 'utc'`)))
    .groupBy(audit_log.device_id, audit_log.table_name);
  // The stores a device's pushes named in the window: who works for which store, on the Stores
  // screen, also for devices whose store the server does not know.
  const named = await db
    .select({ device_id: audit_log.device_id, store: sql<string>`${audit_log.after}->>'store_id'` })
    .from(audit_log)
    .where(
      and(gte(audit_log.at, sql`${from}::date at time zone 'utc'`), sql`${audit_log.after}->>'store_id' is not null`),
    )
    .groupBy(audit_log.device_id, sql`${audit_log.after}->>'store_id'`);

  const trafficOf = new Map<string, Map<string, DeviceDayActivity>>();
  for (const { device_id, ...day } of traffic) {
    const byDay = trafficOf.get(device_id) ?? new Map<string, DeviceDayActivity>();
    byDay.set(day.day, day);
    trafficOf.set(device_id, byDay);
  }

  const list = enrolled.map((device): DeviceActivity => {
    const byDay = trafficOf.get(device.id);
    const perDay = window.map((day) => byDay?.get(day) ?? noActivity(day));
    const perTable = Object.fromEntries(
      conflicts.filter((c) => c.device_id === device.id).map((c) => [c.table as TableName, Number(c.n)]),
    );
    const sum = (key: Exclude<keyof DeviceDayActivity, 'day'>) => perDay.reduce((n, day) => n + day[key], 0);
    return {
      device_id: device.id,
      role: device.role,
      last_sync_at: device.last_sync_at ? device.last_sync_at.toISOString() : null,
      revoked_at: device.revoked_at ? device.revoked_at.toISOString() : null,
      // The store a store device belongs to (its scope); null for a manager or an unscoped device.
      store_id: device.store_id,
      stores_named: named
        .filter((n) => n.device_id === device.id)
        .map((n) => n.store)
        .sort(),
      days: perDay,
      totals: {
        pulls: sum('pulls'),
        pushes: sum('pushes'),
        rows_pulled: sum('rows_pulled'),
        rows_pushed: sum('rows_pushed'),
        failures: sum('failures'),
        refused: sum('refused'),
        conflicts: Object.values(perTable).reduce((n, c) => n + c, 0),
      },
      conflicts: perTable,
    };
  });

  return { success: true, timestamp: now.toISOString(), from, to, devices: list };
}
