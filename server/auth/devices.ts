// Devices and their bearer tokens. A token belongs to one device id and one role; only its
// sha256 is stored, so a leaked database does not leak working tokens. (sha256 rather than a
// slow KDF: the token is 256 random bits, not a guessable password.)
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { deviceId as DeviceId, DeviceRole } from '../../shared/protocol/sync.js';
import type { Role } from '../../shared/tables.js';
import type { Queryable } from '../db/client.js';
import { devices } from '../db/schema.js';

/** A device as the routes see it (from the drizzle table; the token hash stays in here). */
export type Device = Pick<typeof devices.$inferSelect, 'id' | 'role'>;

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Enrolls a device, or re-keys it (new token, old one stops working). Returns the new token. */
export async function enrollDevice(db: Queryable, deviceId: string, role: Role): Promise<string> {
  const id = DeviceId.parse(deviceId);
  const checkedRole = DeviceRole.parse(role);
  const token = `isk_${randomBytes(32).toString('base64url')}`;
  const token_hash = hashToken(token);
  await db
    .insert(devices)
    .values({ id, role: checkedRole, token_hash })
    .onConflictDoUpdate({ target: devices.id, set: { role: checkedRole, token_hash } });
  return token;
}

/** The device a bearer token belongs to, or null for an unknown token. */
export async function deviceForToken(db: Queryable, token: string): Promise<Device | null> {
  const [row] = await db
    .select({ id: devices.id, role: devices.role })
    .from(devices)
    .where(eq(devices.token_hash, hashToken(token)))
    .limit(1);
  return row ?? null;
}

/** Remembers when a device last synced (status endpoint: active_devices, last_sync). */
export async function markSynced(db: Queryable, deviceId: string, at: Date): Promise<void> {
  await db.update(devices).set({ last_sync_at: at }).where(eq(devices.id, deviceId));
}
