// Live sync's wiring for a server process: the change bus that suits the database (PostgreSQL:
// NOTIFY/LISTEN across processes; embedded PGlite: in memory, it is one process), the hub that
// serves the sockets, and the announcement made after each push.
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { ParsedPushRequest, PushResponse } from '../../shared/protocol/sync.js';
import type { OpenDatabase, Queryable } from '../db/client.js';
import { MemoryChangeBus, type ChangeBus } from './bus.js';
import { LiveHub, type LiveHubOptions } from './hub.js';
import { storeOfPush, tablesOfPush } from './notice.js';
import { AnnouncedPartError, PgChangeBus } from './pg-bus.js';
import { activitySql, PUSH_PATH, type ActivityIncrement } from '../analytics/activity-log.js';

export type { ChangeBus } from './bus.js';
export { LiveHub } from './hub.js';

export async function openChangeBus(
  database: OpenDatabase,
  databaseUrl: string | undefined,
  logger: Logger,
): Promise<ChangeBus> {
  if (database.kind === 'pglite' || !databaseUrl) return new MemoryChangeBus();
  const bus = new PgChangeBus(databaseUrl, database.db, logger);
  // Listening before the server takes requests: a push right after start-up is heard too.
  await bus.ready;
  return bus;
}

/** Serves GET /api/v1/sync/live on this HTTP server. */
export function serveLive(server: Server, options: LiveHubOptions): LiveHub {
  const hub = new LiveHub(options);
  hub.attach(server);
  return hub;
}

/**
 * After a push committed: tell every server process, without holding up the push's answer (a
 * lost notice only delays a change; the devices' next pull brings it). `activity`, the push's
 * device_activity increment, goes in the notice's statement when the bus can carry it (one round
 * trip and one statement fewer per push); returns whether it did, so the request is not counted
 * again when it finishes (analytics/activity-log.ts).
 */
export function announcePush(
  bus: ChangeBus | undefined,
  db: Queryable,
  logger: Logger,
  device: { id: string; role: string; store_id?: string | null },
  request: ParsedPushRequest,
  response: PushResponse,
  activity?: ActivityIncrement,
): boolean {
  const tables = tablesOfPush(request, response);
  if (!bus || tables.length === 0) return false;
  const store = storeOfPush(device, tables);
  if (activity && bus.announceWith) {
    bus.announceWith(db, tables, device.id, store, activitySql(activity)).catch((err: unknown) => {
      const part = err instanceof AnnouncedPartError ? err.part : 'both';
      if (part !== 'alongside') logger.warn({ err }, 'live sync: change notice not sent');
      if (part !== 'notice')
        logger.warn({ err, route: PUSH_PATH }, 'device activity not recorded (sync analytics will undercount)');
    });
    return true;
  }
  bus
    .announce(db, tables, device.id, store)
    .catch((err: unknown) => logger.warn({ err }, 'live sync: change notice not sent'));
  return false;
}
