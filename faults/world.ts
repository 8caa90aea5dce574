// The stage of the fault suite: one PostgreSQL database, two real server processes on it, a
// fault-injecting TCP proxy in front of each, and devices: real engines on real SQLite files (the
// files the headless device CLI opens, so a device can also be a process killed with SIGKILL) and
// one seed-protocol client. Shared by every run of the property; each run enrolls its own devices.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enrollDevice } from '../server/auth/devices.js';
import { openDatabase } from '../server/db/client.js';
import { startServerProcess, type ServerProcess } from '../server/testing/server-process.js';
import { createTestDatabase, type TestDatabase } from '../server/testing/test-server.js';
import type { Role } from '../shared/tables.js';
import { openLocalStore, type LocalStore } from '../main/db/client.js';
import { saveConnection } from '../main/sync/config.js';
import { SyncEngine } from '../main/sync/engine.js';
import { fastRetries, ServerDb } from '../main/sync/testing/devices.js';
import { startTcpProxy, type TcpProxy } from '../main/sync/testing/tcp-proxy.js';
import { SeedClient } from './seed-client.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface FaultDevice {
  id: string;
  role: Role;
  folder: string;
  store: LocalStore;
  engine: SyncEngine;
  /** The device's clock minus the true time. */
  clockOffsetMs: number;
  offline: boolean;
  /** Every change_id this device queued, in order (read from its outbox right after each write). */
  queued: string[];
  /** change_ids of writes the server must refuse for good (a store writing a manager table). */
  forbidden: Set<string>;
}

export interface FaultWorld {
  servers: ServerProcess[];
  proxies: TcpProxy[];
  serverDb: ServerDb;
  /** A port nothing listens on: where an offline device's requests go. */
  deadUrl: string;
  enroll(id: string, role: Role, store?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startFaultWorld(): Promise<FaultWorld> {
  const database: TestDatabase = await createTestDatabase('faults');
  // Migrate once here, so the two processes do not both start on an empty database.
  const admin = await openDatabase({ databaseUrl: database.url });
  const servers = await Promise.all([startServerProcess(database.url), startServerProcess(database.url)]);
  const proxies = await Promise.all(servers.map((s) => startTcpProxy({ host: '127.0.0.1', port: s.port })));
  const serverDb = new ServerDb(database.url);
  return {
    servers,
    proxies,
    serverDb,
    deadUrl: `http://127.0.0.1:${await freePort()}`,
    enroll: (id, role, store) => enrollDevice(admin.db, id, role, 'cli', store ?? null),
    async close() {
      await Promise.all(proxies.map((p) => p.close()));
      await Promise.all(servers.map((s) => s.stop()));
      await serverDb.close();
      await admin.close();
      await database.drop();
    },
  };
}

/**
 * The store a store device belongs to (invariant 12): its own id, the store_id its writes carry
 * (local-writes.ts). A manager's writes name the manager's id: a store no store device belongs to.
 */
export const storeOfDevice = (device: { id: string; role: Role }): string | null =>
  device.role === 'store' ? device.id : null;

export async function createFaultDevice(world: FaultWorld, id: string, role: Role): Promise<FaultDevice> {
  const token = await world.enroll(id, role, storeOfDevice({ id, role }) ?? undefined);
  const folder = mkdtempSync(join(tmpdir(), `fault-${id}-`));
  // The file name the device CLI opens in its --data folder.
  const store = openLocalStore(join(folder, 'insight-device.sqlite'));
  saveConnection(store, { server_url: world.proxies[0]!.url, device_id: id, token, role });
  const device: FaultDevice = {
    id,
    role,
    folder,
    store,
    clockOffsetMs: 0,
    offline: false,
    queued: [],
    forbidden: new Set(),
    engine: undefined as unknown as SyncEngine,
  };
  // The engine's clock is the device's (the push `timestamp` tells the server the offset); many
  // attempts, so a long fault sequence never ends in the alert state that stops retries.
  device.engine = new SyncEngine({
    store,
    logFile: join(folder, 'sync.log'),
    ...fastRetries,
    maxAttempts: 1000,
    now: () => new Date(Date.now() + device.clockOffsetMs),
  });
  return device;
}

export function closeFaultDevice(device: FaultDevice) {
  // Synchronous teardown between runs: a run in flight is aborted and not waited for.
  void device.engine.stop();
  if (device.store.sqlite.open) device.store.close();
  rmSync(device.folder, { recursive: true, force: true });
}

/**
 * FAULTS_SEED_CLIENT_PAGE (default 5): rows per page of the seed client's pulls; a large page takes
 * paging out of play. Enrolled without a store, as a device from before scopes: it sees every store.
 */
export async function createSeedClient(world: FaultWorld, id: string): Promise<SeedClient> {
  return new SeedClient(id, await world.enroll(id, 'store'), Number(process.env.FAULTS_SEED_CLIENT_PAGE ?? 5));
}

/** Points the device at a server's proxy, or at nothing when it is offline. */
export function route(world: FaultWorld, device: FaultDevice, server: number) {
  const url = device.offline ? world.deadUrl : world.proxies[server % world.proxies.length]!.url;
  device.store.sqlite.prepare("UPDATE sync_metadata SET value = ? WHERE key = 'server_url'").run(url);
}

/**
 * `npm run device -- sync` on the device's folder, in its own process, killed with SIGKILL after
 * `afterMs` (while starting, pushing, pulling or applying a page: wherever it is by then).
 */
export function syncInProcessKilledAfter(
  device: FaultDevice,
  afterMs: number,
): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/device.ts', '--data', device.folder, 'sync'], {
      cwd: root,
      stdio: 'ignore',
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = child.exitCode === null;
      child.kill('SIGKILL');
    }, afterMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ killed, code });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
