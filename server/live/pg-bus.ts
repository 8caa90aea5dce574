// The change bus on PostgreSQL: NOTIFY after a push, LISTEN in every server process, so a push
// through one process reaches the devices connected to another. The listener holds ONE dedicated
// connection (LISTEN is per session; a pool would hand it back) and reconnects with backoff when
// it drops. A notice lost while reconnecting delays a change, never loses it: devices still pull
// on their next trigger, and a device reconnecting its socket says hello with its cursor.
import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Logger } from 'pino';
import type { TableName } from '../../shared/tables.js';
import type { Queryable } from '../db/client.js';
import { executeNamed } from '../sync/named-statement.js';
import { cursorSql } from '../sync/position.js';
import { ChangeNotice, type ChangeBus } from './bus.js';
import { highWaterSql } from './high-water.js';

import { DEVICE_REVOKED_CHANNEL } from '../auth/devices.js';
/** One channel for every table: a notice is a few dozen bytes, well under NOTIFY's 8000-byte limit. */
export const CHANGE_CHANNEL = 'insight_sync_changes';

export class PgChangeBus implements ChangeBus {
  private readonly events = new EventEmitter<{ change: [ChangeNotice]; revoked: [string] }>();
  private listener: pg.Client | null = null;
  private closed = false;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** Resolves once the first LISTEN is in place (tests wait for it; the server need not). */
  readonly ready: Promise<void>;

  constructor(
    private readonly url: string,
    /** Publishes through the server's pool (NOTIFY needs no dedicated connection). */
    private readonly db: Queryable,
    private readonly logger: Logger,
  ) {
    this.events.setMaxListeners(0);
    this.ready = this.listen();
  }

  async publish(notice: ChangeNotice): Promise<void> {
    // Named statements (sync/named-statement.ts): planned once per connection.
    await executeNamed(this.db, sql`select pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(notice)})`);
  }

  /**
   * After every push: the tables' high-water position is read and the notice sent in ONE statement
   * (no notice when the tables hold no row), a round trip less than reading it first. The notice is
   * spelled by PostgreSQL as publish would spell it, and parsed alike by every listener.
   */
  async announce(db: Queryable, tables: TableName[], device_id: string, store: string | null): Promise<void> {
    await executeNamed(
      db,
      sql`select pg_notify(${CHANGE_CHANNEL}, json_build_object('tables', ${JSON.stringify(tables)}::json,
            'version', ${cursorSql(sql`high.server_txid`, sql`high.server_version`)},
            'device_id', ${device_id}::text, 'store', ${store}::text)::text)
          from (${highWaterSql(tables)}) as high`,
    );
  }

  subscribe(listener: (notice: ChangeNotice) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  onDeviceRevoked(listener: (deviceId: string) => void): () => void {
    this.events.on('revoked', listener);
    return () => this.events.off('revoked', listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => {});
    this.events.removeAllListeners();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    // Every failure of this connection ends in one reconnect (error and end may both come).
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost || this.closed) return;
      lost = true;
      this.listener = null;
      this.logger.warn({ err }, 'live sync: change listener lost its database connection; reconnecting');
      client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === DEVICE_REVOKED_CHANNEL && message.payload) {
        this.events.emit('revoked', message.payload);
        return;
      }
      if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
      let notice: ChangeNotice;
      try {
        notice = ChangeNotice.parse(JSON.parse(message.payload));
      } catch (err) {
        this.logger.warn({ err }, 'live sync: change notice not understood; ignored');
        return;
      }
      this.events.emit('change', notice);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      // A revocation made by another process closes this process's sockets of that device too.
      await client.query(`LISTEN ${DEVICE_REVOKED_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.listener = client;
      if (this.failures > 0) this.logger.info('live sync: change listener reconnected');
      this.failures = 0;
    } catch (err) {
      onLost(err as Error);
    }
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    this.failures += 1;
    const exp = Math.min(30_000, 250 * 2 ** (this.failures - 1));
    const delay = Math.round(exp / 2 + (Math.random() * exp) / 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.listen();
    }, delay);
    this.reconnectTimer.unref();
  }
}
