// Test fixtures for the engine suites: real devices (a real SQLite file in a temp folder, a real
// SyncEngine with its pino log) enrolled on a real test server, and SQL access to that server's
// PostgreSQL to check what it holds (audit entries, rows). Short backoff and probe intervals so
// the retry scenarios run in well under a second without fake timers.
import { join, dirname } from 'node:path';
import pg from 'pg';
import type { Role, TableName } from '../../../shared/tables.js';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from '../../../server/testing/test-server.js';
import type { LocalStore } from '../../db/client.js';
import { openTemporaryStore, type TemporaryStore } from '../../db/temporary-store.js';
import { saveConnection } from '../config.js';
import { SyncEngine, type SyncEngineOptions } from '../engine.js';
import { writeLocal } from '../../db/outbox.js';
import { readLocalRow } from '../local-rows.js';

export interface TestDevice {
  id: string;
  role: Role;
  token: string;
  store: TemporaryStore;
  engine: SyncEngine;
  logFile: string;
  /** Live (not tombstoned) and tombstoned rows of a table, by id, in wire shape. */
  rows(table: TableName): Map<string, Record<string, unknown>>;
  close(): void;
}

export const fastRetries: Partial<SyncEngineOptions> = {
  backoffBaseMs: 20,
  backoffCapMs: 80,
  probeIntervalMs: 40,
  pushDebounceMs: 20,
  requestTimeoutMs: 5000,
};

export async function createDevice(
  server: TestServer,
  id: string,
  role: Role,
  options: Omit<Partial<SyncEngineOptions>, 'store'> & {
    serverUrl?: string;
    /** The store a store device belongs to (invariant 12); without one it sees every store. */
    store?: string;
  } = {},
): Promise<TestDevice> {
  const { store: storeCode, ...engineOptions } = options;
  const token = await server.enroll(id, role, storeCode);
  const store = openTemporaryStore(`insight-${id}-`);
  saveConnection(store, { server_url: options.serverUrl ?? server.url, device_id: id, token, role });
  const logFile = join(dirname(store.file), 'sync.log');
  const engine = new SyncEngine({ store, logFile, ...fastRetries, ...engineOptions });
  return {
    id,
    role,
    token,
    store,
    engine,
    logFile,
    rows: (table) => localRows(store, table),
    close() {
      // Synchronous teardown: the run in flight (if any) is aborted and not waited for, the store goes with it.
      void engine.stop();
      store.remove();
    },
  };
}

export function localRows(store: LocalStore, table: TableName): Map<string, Record<string, unknown>> {
  const ids = store.sqlite.prepare(`SELECT id FROM "${table}" ORDER BY id`).all() as { id: string }[];
  const rows = new Map<string, Record<string, unknown>>();
  for (const { id } of ids) {
    const { server_version: _version, ...row } = readLocalRow(store, table, id)!;
    rows.set(id, row);
  }
  return rows;
}

/** SQL on the test server's database, for checking what the server holds. */
/** An ISO time this many minutes from now (negative: in the past), for edits with a chosen clock. */
export const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** Edits a local row as the repositories would (through the outbox), with a chosen updated_at. */
export function editLocalRow(
  d: TestDevice,
  table: TableName,
  id: string,
  changes: Record<string, unknown>,
  updatedAt: string,
) {
  const { server_version: _v, ...current } = readLocalRow(d.store, table, id)!;
  writeLocal(d.store, table, { ...current, ...changes, updated_at: updatedAt } as never, 'UPDATE');
}

export class ServerDb {
  private readonly pool: pg.Pool;
  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    // An idle connection the server ends (the test database dropped WITH (FORCE) at teardown, or
    // a fault run's restart) is only discarded by the pool; a query still fails with its own error.
    // Without a listener pg's pool re-throws it as an unhandled error, failing a run that passed.
    this.pool.on('error', () => {});
  }
  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(text, values)).rows;
  }
  /** The server's rows of a table in wire shape (without its bookkeeping), by id. */
  async rows(table: TableName): Promise<Map<string, Record<string, unknown>>> {
    const rows = await this.query<Record<string, unknown>>(`select * from "${table}" order by id`);
    return new Map(rows.map((row) => [row.id as string, row]));
  }
  close(): Promise<void> {
    return this.pool.end();
  }
}

/** Waits until `check` returns a truthy value (polling; the engine works on its own timers). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The common stage of the engine's scenario tests: one real server on a fresh PostgreSQL
 * database for the calling test file, a handle on its database, and devices that are all closed
 * when the file ends. Call at the top level of a test file.
 */
export function useServerWithDevices(options: { logLevel?: string } = {}) {
  const world = {
    server: undefined as unknown as TestServer,
    serverDb: undefined as unknown as ServerDb,
    devices: [] as TestDevice[],
    /** A device (own SQLite file and engine) closed with the file's other devices. */
    device: async (...args: Parameters<typeof createDevice>): Promise<TestDevice> => {
      const created = await createDevice(...args);
      world.devices.push(created);
      return created;
    },
  };
  beforeAll(async () => {
    world.server = await startTestServer({ logLevel: options.logLevel ?? process.env.SERVER_LOG ?? 'silent' });
    world.serverDb = new ServerDb(world.server.databaseUrl);
  });
  afterAll(async () => {
    world.devices.forEach((d) => d.close());
    await world.serverDb?.close();
    await world.server?.dispose();
  });
  return world;
}
