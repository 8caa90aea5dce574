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
import { PgChangeBus } from './pg-bus.js';

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
 * lost notice only delays a change; the devices' next pull brings it).
 */
export function announcePush(
  bus: ChangeBus | undefined,
  db: Queryable,
  logger: Logger,
  device: { id: string; role: string; store_id?: string | null },
  request: ParsedPushRequest,
  response: PushResponse,
): void {
  const tables = tablesOfPush(request, response);
  if (!bus || tables.length === 0) return;
  bus
    .announce(db, tables, device.id, storeOfPush(device, tables))
    .catch((err: unknown) => logger.warn({ err }, 'live sync: change notice not sent'));
}
