// Moving a store device to another store (`npm run device:scope`, POST /api/v1/devices/:id/scope):
// its store changes at once and the change is recorded with its position in the change stream, so
// its next pull brings every row of the new store and removes the old store's (the re-scope phase,
// server/sync/rescope.ts; invariant 12). Nothing is deleted on the server.
import { eq } from 'drizzle-orm';
import { storeCode } from '../../shared/protocol/sync.js';
import type { ServerDatabase } from '../db/client.js';
import { device_audit_log, devices } from '../db/schema.js';
import { findDevice, recordScopeChange, type DeviceActor } from './devices.js';

export type ScopeChange =
  | { outcome: 'moved' | 'unchanged'; device_id: string; from_store: string | null; store: string }
  | { outcome: 'unknown'; device_id: string }
  | { outcome: 'manager'; device_id: string };

export async function changeDeviceStore(
  db: ServerDatabase,
  deviceId: string,
  store: string,
  actor: DeviceActor = 'cli',
): Promise<ScopeChange> {
  const to = storeCode.parse(store);
  return db.transaction(async (tx) => {
    // The device row locked: two moves of one device are recorded in the order they happened.
    await tx.select({ id: devices.id }).from(devices).where(eq(devices.id, deviceId)).for('update');
    const device = await findDevice(tx, deviceId);
    if (!device) return { outcome: 'unknown', device_id: deviceId };
    if (device.role === 'manager') return { outcome: 'manager', device_id: deviceId };
    if (device.store_id === to) return { outcome: 'unchanged', device_id: deviceId, from_store: to, store: to };
    await tx.update(devices).set({ store_id: to }).where(eq(devices.id, deviceId));
    await recordScopeChange(tx, deviceId, device.store_id, to, actor);
    await tx.insert(device_audit_log).values({ device_id: deviceId, action: 'rescoped', actor });
    return { outcome: 'moved', device_id: deviceId, from_store: device.store_id, store: to };
  });
}
