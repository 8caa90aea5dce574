// The change bus: how every server process learns that a push committed, wherever it was pushed.
// A notice names the tables and the cursor they reach, the device that pushed (so it is not
// poked about its own change) and, when every row of the push belongs to one store, that store (so
// the devices of other stores are not woken for a pull that brings them nothing); never row data:
// a device that hears of a change pulls it through the pull endpoint, which alone decides what it
// may read.
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { LiveCursor } from '../../shared/protocol/live.js';
import { TableNameSchema, type TableName } from '../../shared/tables.js';
import type { Queryable } from '../db/client.js';
import { highWaterCursor } from './high-water.js';

export const ChangeNotice = z.object({
  tables: z.array(TableNameSchema).min(1),
  version: LiveCursor,
  /** The device whose push this was. */
  device_id: z.string(),
  /**
   * The one store every row of the push belongs to (a store device's push); null or absent: the
   * push may concern every store (a manager's, or an unscoped device's), and every device hears it.
   * Absent in notices from a server process older than this field: heard by every device, as before.
   */
  store: z.string().nullish(),
});
export type ChangeNotice = z.infer<typeof ChangeNotice>;

export interface ChangeBus {
  /** Tells every server process (this one included) about a committed push. */
  publish(notice: ChangeNotice): Promise<void>;
  /**
   * publish, for a push `device_id` committed to `tables` (its rows all of `store`, or null): the
   * version is their high-water position now.
   */
  announce(db: Queryable, tables: TableName[], device_id: string, store: string | null): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (notice: ChangeNotice) => void): () => void;
  /**
   * Device revocations made by any process on the database (npm run device:revoke, another server);
   * the memory bus has no other process, so only this process's own revocations exist there.
   * Returns the unsubscribe function.
   */
  onDeviceRevoked(listener: (deviceId: string) => void): () => void;
  close(): Promise<void>;
}

/**
 * One process, no PostgreSQL between processes: the embedded database (PGlite) cannot LISTEN
 * across processes, but it is only ever opened by one server process, so delivering in memory is
 * the whole truth there.
 */
export class MemoryChangeBus implements ChangeBus {
  private readonly events = new EventEmitter<{ change: [ChangeNotice] }>();

  constructor() {
    this.events.setMaxListeners(0);
  }

  onDeviceRevoked(): () => void {
    return () => {};
  }

  async announce(db: Queryable, tables: TableName[], device_id: string, store: string | null): Promise<void> {
    const version = await highWaterCursor(db, tables);
    if (version !== null) await this.publish({ tables, version, device_id, store });
  }

  publish(notice: ChangeNotice): Promise<void> {
    // Delivered after the current tick, as a NOTIFY would be: never inside the push's response.
    setImmediate(() => this.events.emit('change', notice));
    return Promise.resolve();
  }

  subscribe(listener: (notice: ChangeNotice) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  close(): Promise<void> {
    this.events.removeAllListeners();
    return Promise.resolve();
  }
}
