// Starts the sync server: opens the database (PostgreSQL at databaseUrl, else embedded PGlite in
// dataDir), applies migrations, and listens. Used by `npm run server` and by tests.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { MetricsOptions } from './analytics/metrics.js';
import { createApp } from './app.js';
import { DeviceRevocations } from './auth/revocation.js';
import { openDatabase, redactUrl, type OpenDatabase, type ServerDatabase } from './db/client.js';
import { ADMIN_SECRET_HEADER } from './http/admin.js';
import { listenOn, schemeOf, type TlsOptions } from './http/listen.js';
import type { SecurityOptions } from './http/security.js';
import { openChangeBus, serveLive, type ChangeBus } from './live/index.js';

export const DEFAULT_PORT = 8000;
export const DEFAULT_BODY_LIMIT = '10mb';

export interface ServerOptions extends TlsOptions, SecurityOptions {
  /** 0 picks a free port. Default 8000. */
  port?: number;
  /** PostgreSQL URL; absent: embedded PGlite in dataDir. */
  databaseUrl?: string;
  /** Embedded database folder. Default `.data/server` (or env DATA_DIR). */
  dataDir?: string;
  /** Most connections to PostgreSQL at once. Default: twice the cores, at least 4 (db/client.ts). */
  poolSize?: number;
  bodyLimit?: string;
  /** pino level: fatal, error, warn, info, debug, trace, silent. Default info. */
  logLevel?: string;
  /** Idle keep-alive connections close after this long. Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** GET /metrics: on unless `enabled: false`; behind a bearer token when `token` is set. */
  metrics?: MetricsOptions;
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
    redact: [
      'req.headers.authorization',
      'headers.authorization',
      `req.headers["${ADMIN_SECRET_HEADER}"]`,
      `headers["${ADMIN_SECRET_HEADER}"]`,
      'authorization',
      'token',
      'admin_secret',
    ],
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Listens over plain HTTP on `port` (0: a free one); resolves once listening. */
export function listen(app: ReturnType<typeof createApp>, port: number, keepAliveTimeoutMs?: number): Promise<Server> {
  return listenOn(app, port, {}, keepAliveTimeoutMs);
}

export function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open; in-flight responses have been written by now.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}

/**
 * Why the server could not start, as one line that says what to do: the error's message only
 * (never its fields or stack, which may carry a lock file's admin secret or a connection string).
 */
export function startFailure(error: unknown, port: number): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE')
    return `port ${port} is already in use; stop what uses it, or set PORT (e.g. PORT=${port + 1})`;
  return redactUrl(message.split('\n')[0] ?? message);
}

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const logger = createLogger(opts.logLevel ?? 'info');
  const bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  let database: OpenDatabase | undefined;
  let changes: ChangeBus | undefined;
  try {
    database = await openDatabase({
      databaseUrl: opts.databaseUrl,
      dataDir: opts.dataDir ?? process.env.DATA_DIR,
      poolSize: opts.poolSize,
    });
    changes = await openChangeBus(database, opts.databaseUrl, logger);
    const revocations = new DeviceRevocations();
    // Set once listening (the URL is known then): lets device:add enroll through this server.
    let adminSecret: string | undefined;
    const app = createApp({
      db: database.db,
      logger,
      bodyLimit,
      adminSecret: () => adminSecret,
      security: opts,
      metrics: opts.metrics,
      changes,
      revocations,
    });
    const server = await listenOn(app, opts.port ?? DEFAULT_PORT, opts, opts.keepAliveTimeoutMs);
    const live = serveLive(server, { db: database.db, bus: changes, logger, revocations });
    const port = (server.address() as AddressInfo).port;
    const url = `${schemeOf(opts)}://127.0.0.1:${port}`;
    adminSecret = database.advertise?.(url);
    const metrics = opts.metrics?.enabled === false ? 'off' : opts.metrics?.token ? 'token' : 'open';
    logger.info(
      { port, database: database.kind, location: database.location, body_limit: bodyLimit, metrics },
      'sync server listening',
    );
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
