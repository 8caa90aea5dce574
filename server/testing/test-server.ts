// Test fixtures for every suite that needs a real sync server: a fresh PostgreSQL database per
// test (or file), and a server on a random loopback port that can be stopped and started again
// on the same port (to test a server that goes away and comes back) and enrolls devices.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { Role } from '../../shared/tables.js';
import type { MetricsOptions } from '../analytics/metrics.js';
import { DeviceRevocations } from '../auth/revocation.js';
import { createApp } from '../app.js';
import { enrollDevice } from '../auth/devices.js';
import { openDatabase } from '../db/client.js';
import type { RateLimits } from '../http/security.js';
import { openChangeBus, serveLive, type LiveHub } from '../live/index.js';
import { closeHttp, createLogger, DEFAULT_BODY_LIMIT, listen } from '../start.js';

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, uniquely named, empty database on the local PostgreSQL (migrations not applied). */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const safe =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .slice(0, 30) || 'test';
  const name = `${safe}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`create database "${name}"`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withAdmin((client) => client.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestServer {
  url: string;
  port: number;
  databaseUrl: string;
  /** A store device may be given its store (invariant 12); without one it sees every store, as before scopes. */
  enroll(deviceId: string, role: Role, store?: string): Promise<string>;
  /** Live sockets connected to this server now. */
  liveSockets(): number;
  /** Closes HTTP only; the database and the port number are kept. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** stop + close the pool + drop the database (only if this fixture created it). */
  dispose(): Promise<void>;
}

export interface TestServerOptions {
  databaseUrl?: string;
  bodyLimit?: string;
  logLevel?: string;
  /** Idle keep-alive connections close after this long (a short one tests stale pooled sockets). */
  keepAliveTimeoutMs?: number;
  metrics?: MetricsOptions;
  /** Most connections to PostgreSQL at once (default: the server's own default). */
  poolSize?: number;
  /** The per-device and per-address budgets (default: the server's own defaults). */
  rateLimits?: Partial<RateLimits>;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const created = opts.databaseUrl ? null : await createTestDatabase('sync_server');
  const databaseUrl = opts.databaseUrl ?? created!.url;
  const database = await openDatabase({ databaseUrl, poolSize: opts.poolSize });
  const logger = createLogger(opts.logLevel ?? process.env.LOG_LEVEL ?? 'silent');
  const changes = await openChangeBus(database, databaseUrl, logger);
  const revocations = new DeviceRevocations();
  const app = createApp({
    db: database.db,
    logger,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    metrics: opts.metrics,
    changes,
    revocations,
    security: { limits: opts.rateLimits },
  });
  let http: Server | null = await listen(app, 0, opts.keepAliveTimeoutMs);
  let live: LiveHub | null = serveLive(http, { db: database.db, bus: changes, logger, revocations });
  const port = (http.address() as AddressInfo).port;
  const stop = async () => {
    if (!http) return;
    const closing = http;
    http = null;
    live?.close();
    live = null;
    await closeHttp(closing);
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    databaseUrl,
    enroll: (deviceId, role, store) => enrollDevice(database.db, deviceId, role, 'cli', store ?? null),
    liveSockets: () => live?.size ?? 0,
    stop,
    start: async () => {
      if (http) return;
      http = await listen(app, port, opts.keepAliveTimeoutMs);
      live = serveLive(http, { db: database.db, bus: changes, logger, revocations });
    },
    dispose: async () => {
      await stop();
      await changes.close();
      await database.close();
      await created?.drop();
    },
  };
}
