// `npm start`, the quick start's first command: everything a newcomer needs on one machine.
//   1. builds the renderer when dist/renderer is missing or older than its sources (under a second);
//   2. starts the companion sync server on its embedded PostgreSQL (PGlite, data in .data/server;
//      DATABASE_URL uses a real PostgreSQL instead), on PORT or 8000;
//   3. on first run enrolls a manager device and a store device (store-001, of store S001); their tokens are
//      kept in .data/devices.json so later runs reuse them;
//   4. connects the Store Manager's core (data in .data/manager) to the server as that manager,
//      and, when the server has no stores yet, adds the demo stores (S001 Downtown, …) as that
//      manager's edits, so the store pickers have something to offer;
//   5. opens the Store Manager: in Electron where its binary is installed, otherwise through the
//      web host (WEB_PORT or 5180), printing the address to open.
// Ctrl-C stops the app, the server and the database cleanly. `npm start -- --web` forces the web host.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNull } from 'drizzle-orm';
import { z } from 'zod';
import { build as buildRenderer } from 'vite';
import { deviceForToken, enrollDevice } from '../server/auth/devices.js';
import { changeDeviceStore } from '../server/auth/device-scope.js';
import { stores as serverStores } from '../server/db/schema.js';
import { startServer, type RunningServer } from '../server/start.js';
import type { AppConfig } from '../shared/ipc.js';
import { createAppCore, type AppCore } from '../main/app-core.js';
import { serveStoreManager, type StoreManagerOnWeb } from '../main/host/serve-store-manager.js';
import { defaultWebPort } from '../main/host/web-host.js';
import { buildApp } from './build-app.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// INSIGHT_DATA_ROOT moves everything (tests use a temp folder); default: the repository's .data/.
const dataRoot = resolve(process.env.INSIGHT_DATA_ROOT || join(root, '.data'));
const serverDataDir = join(dataRoot, 'server');
const managerDataDir = join(dataRoot, 'manager');
const devicesFile = join(dataRoot, 'devices.json');

const managerDeviceId = 'store-manager';
const storeDeviceId = 'store-001';
/** The demo store device's store (invariant 12: it pulls and pushes only this store's rows). */
const demoStore = 'S001';

const Devices = z.object({
  manager: z.object({ device_id: z.string(), token: z.string() }),
  store: z.object({ device_id: z.string(), token: z.string() }),
});
type Devices = z.infer<typeof Devices>;

const say = (line = '') => process.stdout.write(`${line}\n`);

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number, not ${JSON.stringify(raw)}`);
  return port;
}

/** Newest modification time under a folder (0 when it does not exist). */
function newestChange(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stat.mtimeMs);
}

/**
 * Whether dist/renderer is missing or older than its sources. Rebuilding only then keeps a
 * second `npm start` (or a test running beside the e2e suite) from swapping files under a page.
 */
function rendererIsStale(): boolean {
  const built = newestChange(join(root, 'dist', 'renderer', 'index.html'));
  if (built === 0) return true;
  return ['renderer', 'shared', 'vite.config.ts'].some((source) => newestChange(join(root, source)) > built);
}

/** The Electron binary, if `npm install` could download it (never on our build machines). */
function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** Reuses the saved tokens while the server still knows them; enrolls afresh otherwise. */
async function ensureDevices(server: RunningServer): Promise<{ devices: Devices; enrolled: boolean }> {
  let saved: Devices | null;
  try {
    saved = Devices.parse(JSON.parse(readFileSync(devicesFile, 'utf8')));
  } catch {
    saved = null;
  }
  if (saved) {
    const manager = await deviceForToken(server.db, saved.manager.token);
    const store = await deviceForToken(server.db, saved.store.token);
    if (manager?.id === saved.manager.device_id && store?.id === saved.store.device_id) {
      // A data folder from before scopes: its store device gets the demo store (once).
      if (!store.store_id) await changeDeviceStore(server.db, store.id, demoStore);
      return { devices: saved, enrolled: false };
    }
  }
  const devices: Devices = {
    manager: { device_id: managerDeviceId, token: await enrollDevice(server.db, managerDeviceId, 'manager') },
    store: { device_id: storeDeviceId, token: await enrollDevice(server.db, storeDeviceId, 'store', 'cli', demoStore) },
  };
  mkdirSync(dataRoot, { recursive: true });
  // Tokens are secrets: readable by this user only.
  writeFileSync(devicesFile, JSON.stringify(devices, null, 2) + '\n', { mode: 0o600 });
  return { devices, enrolled: true };
}

/** Points the Store Manager's core at the server as the manager device (only when it is not already). */
async function connectStoreManager(
  invoke: AppCore['invokeFromHost'],
  serverUrl: string,
  devices: Devices,
  force: boolean,
) {
  const current = await invoke('config:get', {});
  const config = current.ok ? (current.value as AppConfig) : null;
  const upToDate =
    config && config.server_url === serverUrl && config.device_id === devices.manager.device_id && config.has_token;
  if (upToDate && !force) return;
  const result = await invoke('config:connect', {
    server_url: serverUrl,
    device_id: devices.manager.device_id,
    token: devices.manager.token,
  });
  if (!result.ok) throw new Error(`The Store Manager could not connect to the server: ${result.error}`);
}

/** The stores a fresh `npm start` offers (S001 is the demo store device's store). */
const demoStores = [
  { code: 'S001', name: 'Downtown', region: 'Centre' },
  { code: 'S002', name: 'Harbour', region: 'North' },
  { code: 'S003', name: 'Old Town', region: 'Centre' },
];

/**
 * Adds the demo stores through the Store Manager's core, as the manager's own edits (queued and
 * pushed like any other), when neither the server nor the core holds a store yet: a second run,
 * or stores the manager already added or renamed, are left alone.
 */
async function seedDemoStores(invoke: AppCore['invokeFromHost'], server: RunningServer): Promise<boolean> {
  const onServer = await server.db
    .select({ id: serverStores.id })
    .from(serverStores)
    .where(isNull(serverStores.deleted_at));
  const local = await invoke('stores:list', {});
  if (onServer.length > 0 || !local.ok || (local.value as unknown[]).length > 0) return false;
  for (const store of demoStores) {
    const saved = await invoke('stores:save', store);
    if (!saved.ok) throw new Error(`Could not add the demo store ${store.code}: ${saved.error}`);
  }
  return true;
}

/** What to stop on Ctrl-C or on a failure, in reverse order of starting (app first, database last). */
const cleanups: (() => Promise<void>)[] = [];
let stopping = false;
async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (code === 0) say('\nStopping…');
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
  process.exit(code);
}

async function main(): Promise<void> {
  const forceWeb = process.argv.includes('--web') || process.env.INSIGHT_WEB === '1';
  const serverPort = portFromEnv('PORT', 8000);
  const webPort = portFromEnv('WEB_PORT', defaultWebPort);

  if (rendererIsStale()) {
    say('Building the Store Manager UI…');
    await buildRenderer({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  }

  say(
    process.env.DATABASE_URL
      ? 'Starting the sync server on DATABASE_URL…'
      : 'Starting the sync server on its embedded PostgreSQL…',
  );
  let server: RunningServer;
  try {
    server = await startServer({
      port: serverPort,
      databaseUrl: process.env.DATABASE_URL || undefined,
      dataDir: serverDataDir,
      // One line per request would bury the addresses below; LOG_LEVEL=info shows them.
      logLevel: process.env.LOG_LEVEL ?? 'warn',
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/EADDRINUSE/.test(message))
      throw new Error(`Port ${serverPort} is already in use. Stop what uses it, or run PORT=8001 npm start`, {
        cause: error,
      });
    throw error;
  }
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const { devices, enrolled } = await ensureDevices(server);

  cleanups.push(() => server.close());

  const electron = forceWeb ? null : electronBinary();
  let opened: string;
  let seeded = false;
  if (electron) {
    // The core is configured here, then the Electron app opens the same data folder.
    const core = await createAppCore({ dataDir: managerDataDir });
    try {
      await connectStoreManager(core.invokeFromHost, server.url, devices, enrolled);
      seeded = await seedDemoStores(core.invokeFromHost, server);
    } finally {
      await core.stop();
    }
    say('Building the Electron app…');
    await buildApp();
    const child = await launchElectron(electron);
    if (child) {
      cleanups.push(() => stopChild(child));
      child.on('exit', () => void stopAll(0));
      opened = 'Store Manager: opened in its Electron window';
    } else {
      opened = await openOnWeb();
    }
  } else {
    opened = await openOnWeb();
  }

  async function openOnWeb(): Promise<string> {
    let web: StoreManagerOnWeb;
    try {
      web = await serveStoreManager({ dataDir: managerDataDir, port: webPort, startSync: false });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/EADDRINUSE/.test(message))
        throw new Error(`Port ${webPort} is already in use. Run WEB_PORT=5181 npm start`, { cause: error });
      throw error;
    }
    cleanups.push(() => web.close());
    await connectStoreManager(web.core.invokeFromHost, server.url, devices, enrolled);
    seeded = await seedDemoStores(web.core.invokeFromHost, server);
    await web.core.start();
    return `Store Manager: open ${web.url} in your browser`;
  }

  const where = (path: string) => relative(process.cwd(), path) || '.';
  say();
  say('Insight Sync is running.');
  say(`  ${opened}`);
  say(
    `  Sync server:   ${server.url}  (${process.env.DATABASE_URL ? 'PostgreSQL at DATABASE_URL' : `embedded PostgreSQL in ${where(serverDataDir)}`})`,
  );
  say(`  Manager data:  ${where(managerDataDir)}  (device "${devices.manager.device_id}")`);
  if (seeded)
    say(`  Stores:        added ${demoStores.map((s) => `${s.code} ${s.name}`).join(', ')} (the Stores screen)`);
  say(`  Store device:  "${devices.store.device_id}", token ${devices.store.token}`);
  say(`                 (both tokens are kept in ${where(devicesFile)})`);
  say('Press Ctrl-C to stop.');
}

/**
 * Starts Electron on the compiled app. Returns null when it dies at once (for example, when
 * better-sqlite3 was built for Node rather than Electron), so the caller falls back to the web host.
 */
async function launchElectron(binary: string): Promise<ChildProcess | null> {
  const child = spawn(binary, [root], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, INSIGHT_DATA_DIR: managerDataDir },
  });
  const early = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 5000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
    child.once('error', () => {
      clearTimeout(timer);
      resolve(1);
    });
  });
  if (early === null) return child;
  say(`Electron exited at once (code ${early}); opening the Store Manager through the web host instead.`);
  return null;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
