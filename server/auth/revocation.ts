// Tells the parts of this server process that hold a device's open connections (the live-sync
// sockets) that the device was revoked, so they close them at once instead of when the socket
// next asks for data. Revocations made by another process (npm run device:revoke on PostgreSQL,
// a second server) arrive as a NOTIFY on DEVICE_REVOKED_CHANNEL (auth/devices.ts) instead.
import { EventEmitter } from 'node:events';

export type RevocationListener = (deviceId: string) => void;

export class DeviceRevocations {
  private readonly events = new EventEmitter();

  constructor() {
    // One listener per open socket is normal, not a leak.
    this.events.setMaxListeners(0);
  }

  /** Subscribes; returns the unsubscribe function. */
  onRevoked(listener: RevocationListener): () => void {
    this.events.on('revoked', listener);
    return () => this.events.off('revoked', listener);
  }

  /** Called once the revocation is committed: every listener closes what it holds for the device. */
  announce(deviceId: string): void {
    this.events.emit('revoked', deviceId);
  }
}
