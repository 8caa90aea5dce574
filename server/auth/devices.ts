// Devices and their bearer tokens. A token belongs to one device id and one role; only its
// sha256 is stored, so a leaked database does not leak working tokens. (sha256 rather than a
// slow KDF: the token is 256 random bits, not a guessable password.)
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { deviceId as DeviceId, DeviceRole, storeCode } from '../../shared/protocol/sync.js';
import type { Role } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';
import { executeNamed } from '../sync/named-statement.js';
import { device_audit_log, devices } from '../db/schema.js';

/** A device as the routes see it (from the drizzle table; the token hash stays in here). */
export type Device = Pick<typeof devices.$inferSelect, 'id' | 'role'> & {
  /** The store a store device belongs to (invariant 12); null or absent: every store. */
  store_id?: string | null;
};

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Who changed a device's credentials: `cli` (the npm scripts) or the acting manager device's id. */
export type DeviceActor = 'cli' | (string & {});

/** The PostgreSQL NOTIFY channel a revocation is announced on (payload: the device id), for other server processes. */
export const DEVICE_REVOKED_CHANNEL = 'insight_device_revoked';

/** An enrolled device as `device:add --force` and the revoke routes see it. */
export async function findDevice(db: Queryable, deviceId: string) {
  const [row] = await db
    .select({ id: devices.id, role: devices.role, revoked_at: devices.revoked_at, store_id: devices.store_id })
    .from(devices)
    .where(eq(devices.id, deviceId))
    .limit(1);
  return row ?? null;
}

/**
 * The store a device of `role` may be given: a store device names one (the CLI and the admin route
 * require it); a manager sees every store, so giving it one is refused with the reason.
 */
export function checkedScope(role: Role, store: string | null | undefined): string | null {
  if (role === 'manager') {
    if (store != null) throw new Error('a manager device sees every store; --store is only for store devices');
    return null;
  }
  return store == null ? null : storeCode.parse(store);
}

/**
 * Enrolls a device, or re-keys it (new token, old one stops working; a revoked device comes back).
 * Returns the new token. Recorded in device_audit_log. A re-keyed store device given another
 * store moves there as with `device:scope` (its next pull runs the re-scope phase).
 */
export async function enrollDevice(
  db: Queryable,
  deviceId: string,
  role: Role,
  actor: DeviceActor = 'cli',
  store: string | null = null,
): Promise<string> {
  const id = DeviceId.parse(deviceId);
  const checkedRole = DeviceRole.parse(role);
  const scope = checkedScope(checkedRole, store);
  const token = `isk_${randomBytes(32).toString('base64url')}`;
  const token_hash = hashToken(token);
  const existing = await findDevice(db, id);
  await db
    .insert(devices)
    .values({ id, role: checkedRole, token_hash, store_id: scope })
    .onConflictDoUpdate({
      target: devices.id,
      set: {
        role: checkedRole,
        token_hash,
        revoked_at: null,
        ...(scope === existing?.store_id ? {} : { store_id: scope }),
      },
    });
  await db.insert(device_audit_log).values({ device_id: id, action: existing ? 'rekeyed' : 'enrolled', actor });
  // A store device's first store, or a new one, is recorded with its position like a move.
  if (scope !== null && scope !== existing?.store_id)
    await recordScopeChange(db, id, existing?.store_id ?? null, scope, actor);
  return token;
}

/**
 * Records a device's move to `to` at a position of the change stream (the current transaction's
 * id and a new change version): a pull from a position before it runs the re-scope phase.
 */
export async function recordScopeChange(
  db: Queryable,
  deviceId: string,
  from: string | null,
  to: string,
  actor: DeviceActor,
): Promise<void> {
  await db.execute(sql`
    insert into device_scope_changes (device_id, from_store, to_store, server_txid, server_version, actor)
    values (${deviceId}, ${from}, ${to}, pg_current_xact_id()::text::bigint, nextval('change_version_seq'), ${actor})`);
}

export type Revocation =
  | { outcome: 'revoked' | 'already_revoked'; device_id: string; revoked_at: Date }
  | { outcome: 'unknown'; device_id: string };

/**
 * Ends a device's token at once: the next request with it gets 401. Recorded in device_audit_log
 * (only the first time) and announced with NOTIFY on DEVICE_REVOKED_CHANNEL, so a server process
 * holding the device's live connection can close it.
 */
export async function revokeDevice(db: Queryable, deviceId: string, actor: DeviceActor = 'cli'): Promise<Revocation> {
  const [revoked] = await db
    .update(devices)
    .set({ revoked_at: sql`now()` })
    .where(and(eq(devices.id, deviceId), isNull(devices.revoked_at)))
    .returning({ revoked_at: devices.revoked_at });
  if (!revoked?.revoked_at) {
    const existing = await findDevice(db, deviceId);
    if (!existing?.revoked_at) return { outcome: 'unknown', device_id: deviceId };
    return { outcome: 'already_revoked', device_id: deviceId, revoked_at: existing.revoked_at };
  }
  await db.insert(device_audit_log).values({ device_id: deviceId, action: 'revoked', actor });
  await db.execute(sql`select pg_notify(${DEVICE_REVOKED_CHANNEL}, ${deviceId})`);
  return { outcome: 'revoked', device_id: deviceId, revoked_at: revoked.revoked_at };
}

/** The device a bearer token belongs to, or null for an unknown or revoked token. */
export async function deviceForToken(db: Queryable, token: string): Promise<Device | null> {
  // Every request runs this: a named statement (parsed and planned once per connection) instead of
  // a query drizzle builds anew each time, which cost the server ~0.5 ms of CPU per request.
  const [row] = rowsOf<Device>(
    await executeNamed(
      db,
      sql`select id, role, store_id from devices where token_hash = ${hashToken(token)} and revoked_at is null limit 1`,
    ),
  );
  return row ?? null;
}

/** A device's last sync is written at most this often during its syncs (and always when one ends). */
export const MARK_SYNCED_EVERY_MS = 30_000;
/** Per database (tests run several in one process), device id → when this process last wrote it. */
const lastMarked = new WeakMap<object, Map<string, number>>();

/**
 * Whether a device's last sync is due to be written (and if so, counts it as written): when a sync
 * ends (`endOfSync`: a pull page without more) and otherwise at most every MARK_SYNCED_EVERY_MS per
 * device. An UPDATE of the device's row on every page and every push cost a statement each, for a
 * figure read to the minute (status, devices). The pull writes it in its watermark's statement,
 * the push in its push state's (sync/push-state.ts).
 */
export function syncMarkDue(key: object, deviceId: string, endOfSync: boolean): boolean {
  if (!isSyncMarkDue(key, deviceId, endOfSync)) return false;
  countSyncMark(key, deviceId);
  return true;
}

/** syncMarkDue's question alone, for a write that may yet be rolled back (counted after: countSyncMark). */
export function isSyncMarkDue(key: object, deviceId: string, endOfSync: boolean): boolean {
  return endOfSync || Date.now() - (lastMarked.get(key)?.get(deviceId) ?? -Infinity) >= MARK_SYNCED_EVERY_MS;
}

/** Counts a device's last sync as written now. */
export function countSyncMark(key: object, deviceId: string): void {
  let marked = lastMarked.get(key);
  if (!marked) lastMarked.set(key, (marked = new Map<string, number>()));
  if (marked.size > 10_000) marked.clear(); // a bound: forgetting a device only writes it sooner
  marked.set(deviceId, Date.now());
}
