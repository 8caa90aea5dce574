// Which devices work for a store, from the sync analytics: a store device's own store once the
// server knows scopes (`store_id`), otherwise the stores named by the rows it pushed. Managers
// write for every store, so they are nobody's store device.
import type { DeviceActivity } from '../../../shared/protocol/analytics.js';

export const devicesOfStore = (devices: readonly DeviceActivity[], code: string): DeviceActivity[] =>
  devices.filter(
    (device) =>
      device.role === 'store' &&
      (device.store_id !== null ? device.store_id === code : device.stores_named.includes(code)),
  );

/** The latest sync of any of the devices, or null when none has synced. */
export const lastSyncOf = (devices: readonly DeviceActivity[]): string | null =>
  devices.reduce<string | null>(
    (latest, device) =>
      device.last_sync_at && (!latest || device.last_sync_at > latest) ? device.last_sync_at : latest,
    null,
  );
