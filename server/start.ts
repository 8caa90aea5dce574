// Starts the sync server: opens the database (PostgreSQL at databaseUrl, else embedded PGlite in
// dataDir), applies migrations, and listens. Used by `npm run server` and by tests.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type DestinationStream, type Logger } from 'pino';
import { createApp } from './app.js';
import { openDatabase, type OpenDatabase, type ServerDatabase } from './db/client.js';
import { openChangeBus, serveLive, type ChangeBus } from './live/index.js';

export const DEFAULT_PORT = 8000;
export const DEFAULT_BODY_LIMIT = '10mb';

export interface ServerOptions {
  /** 0 picks a free port. Default 8000. */
  port?: number;
  /** PostgreSQL URL; absent: embedded PGlite in dataDir. */
  databaseUrl?: string;
  /** Embedded database folder. Default `.data/server` (or env DATA_DIR). */
  dataDir?: string;
  bodyLimit?: string;
  /** pino level: fatal, error, warn, info, debug, trace, silent. Default info. */
  logLevel?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  db: ServerDatabase;
  logger: Logger;
  close(): Promise<void>;
}

/** JSON lines on stdout (or `destination`, for tests that read the log). */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'insight-sync-server' },
    // Belt and braces: headers are never logged, but should a request object ever be, its token is not.
    redact: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token'],
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Listens on `port` (0: a free one); resolves once listening. */
export function listen(app: ReturnType<typeof createApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.once('error', reject);
  });
}

export function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open; in-flight responses have been written by now.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const logger = createLogger(opts.logLevel ?? 'info');
  const bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  let database: OpenDatabase | undefined;
  let changes: ChangeBus | undefined;
  try {
    database = await openDatabase({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir ?? process.env.DATA_DIR });
    changes = await openChangeBus(database, opts.databaseUrl, logger);
    // Set once listening (the URL is known then): lets device:add enroll through this server.
    let adminSecret: string | undefined;
    const app = createApp({ db: database.db, logger, bodyLimit, adminSecret: () => adminSecret, changes });
    const server = await listen(app, opts.port ?? DEFAULT_PORT);
    const live = serveLive(server, { db: database.db, bus: changes, logger });
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;
    adminSecret = database.advertise?.(url);
    logger.info({ port, database: database.kind, location: database.location, body_limit: bodyLimit }, 'sync server listening');
    const db = database;
    const bus = changes;
    return {
      url,
      port,
      db: db.db,
      logger,
      close: async () => {
        live.close();
        await closeHttp(server);
        await bus.close();
        await db.close();
      },
    };
  } catch (error) {
    await changes?.close().catch(() => {});
    await database?.close().catch(() => {});
    throw error;
  }
}
