// Per-test world for the end-to-end specs: a real sync server on PostgreSQL, an enrolled manager
// device and store device(s), and the Store Manager app on its own data folder (web host +
// Chromium, or real Electron). The app, its data folder and the store devices' folders are torn
// down after each test. The server is the test's own (a fresh database) unless the spec says
// `test.use({ sharedServer: true })`: then it is the worker's one server, kept across that
// worker's tests (about a second saved per test, more as specs are added).
import { test as base, expect, type Browser } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { make, ProtocolTestClient } from '../server/testing/sync-client.js';
import { startTestServer, type TestServer } from '../server/testing/test-server.js';
import { findElectronBinary } from './electron-binary.js';
import { connectThroughBridge, openManagerApp, type AppRuntime, type ManagerApp } from './support/manager-app.js';
import { saveScreenshot } from './support/screenshots.js';
import { StoreDevice } from './support/store-device.js';
import { AppShell } from './page-models/app-shell.js';

export interface ManagerAppOptions {
  /** Which runtime hosts the app: set per Playwright project. */
  appRuntime: AppRuntime;
  /**
   * Use the worker's shared server instead of a fresh one. Only for specs that never count what
   * the whole server holds: a manager pulls every store's rows, so on a shared server it also sees
   * the rows of the worker's earlier tests (device ids are re-enrolled, which gives a new token).
   */
  sharedServer: boolean;
}

/**
 * The stores every test's server starts with, so the store pickers have something to offer and
 * the device CLI's --store accepts these codes. Their codes are the ones the specs name rows by.
 */
export const e2eStores = [
  { code: 'store-001', name: 'Downtown' },
  { code: 'store-002', name: 'Harbour' },
] as const;

export interface Enrolled {
  deviceId: string;
  token: string;
}

interface WorkerFixtures {
  /**
   * Chromium for the web host, launched on first use and shared by the worker's tests. Not the
   * built-in `browser` fixture: that one launches eagerly, and the electron project must be able
   * to skip before any browser starts.
   */
  chromium: () => Promise<Browser>;
  /** The worker's sync server (own database), started on first use, for specs with `sharedServer`. */
  workerServer: () => Promise<TestServer>;
}

interface Fixtures {
  /** Skips the test, with the reason, when its runtime cannot run here (Electron without its binary). */
  runtime: { electronPath: string | null };
  server: TestServer;
  managerDevice: Enrolled;
  /** The first store device, enrolled as `store-001`, of the store `store-001` (the store code the specs' rows carry). */
  storeDevice: StoreDevice;
  /**
   * Enrolls and returns another store device (syncing with `serverUrl`, default the test's server),
   * belonging to `store` (default: a store named like the device), invariant 12.
   */
  addStoreDevice: (deviceId: string, options?: { serverUrl?: string; store?: string }) => Promise<StoreDevice>;
  /** The app on a fresh data folder, not set up yet (first-run screen). */
  freshApp: ManagerApp;
  /** The app connected to the server as the manager device, first sync done. */
  managerApp: ManagerApp;
  /** The app's always-present parts: navigation and the sync panel. */
  shell: AppShell;
  /** Saves a screenshot of the app as a test artifact (and to docs/screenshots when asked). */
  captureScreen: (name: string) => Promise<void>;
}

async function temporaryFolder(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `insight-e2e-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export const test = base.extend<Fixtures & ManagerAppOptions, WorkerFixtures>({
  appRuntime: ['browser', { option: true }],
  sharedServer: [false, { option: true }],

  chromium: [
    async ({ playwright, launchOptions }, use) => {
      const launched: { browser: Promise<Browser> | null } = { browser: null };
      await use(() => (launched.browser ??= playwright.chromium.launch(launchOptions)));
      if (launched.browser) await (await launched.browser).close();
    },
    { scope: 'worker' },
  ],

  workerServer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; it has none
    async ({}, use) => {
      const started: { server: Promise<TestServer> | null } = { server: null };
      await use(() => (started.server ??= startTestServer({})));
      if (started.server) await (await started.server).dispose();
    },
    { scope: 'worker' },
  ],

  runtime: async ({ appRuntime }, use, testInfo) => {
    if (appRuntime === 'electron') {
      const electron = findElectronBinary();
      testInfo.skip(electron.path === null, electron.path === null ? `Electron not available: ${electron.reason}` : '');
      await use({ electronPath: electron.path });
    } else {
      await use({ electronPath: null });
    }
  },

  server: async ({ runtime: _, sharedServer, workerServer }, use) => {
    if (sharedServer) {
      const shared = await workerServer();
      try {
        await use(shared);
      } finally {
        // A test may have stopped it (server down scenarios): the next test gets it running.
        await shared.start();
      }
      return;
    }
    const server = await startTestServer({});
    try {
      await use(server);
    } finally {
      await server.dispose();
    }
  },

  managerDevice: async ({ server }, use) => {
    const deviceId = 'manager-mac-001';
    const token = await server.enroll(deviceId, 'manager');
    // The manager's stores, on the server before the app's first (full) sync brings them.
    const pushed = await new ProtocolTestClient(server.url, deviceId, token).push({
      stores: e2eStores.map(({ code, name }) => make.store(code, { name })),
    });
    if (pushed.status !== 200) throw new Error(`could not add the e2e stores: ${JSON.stringify(pushed.body)}`);
    await use({ deviceId, token });
  },

  // After the manager's stores: a store device's --store is checked against them.
  addStoreDevice: async ({ server, managerDevice: _ }, use) => {
    const folders: { remove(): Promise<void> }[] = [];
    await use(async (deviceId, options = {}) => {
      const token = await server.enroll(deviceId, 'store', options.store ?? deviceId);
      const folder = await temporaryFolder(deviceId);
      folders.push(folder);
      return new StoreDevice({ deviceId, token, dataDir: folder.path, serverUrl: options.serverUrl ?? server.url });
    });
    await Promise.all(folders.map((folder) => folder.remove()));
  },

  storeDevice: async ({ addStoreDevice }, use) => {
    await use(await addStoreDevice('store-001'));
  },

  freshApp: async ({ runtime, appRuntime, chromium }, use) => {
    const folder = await temporaryFolder('manager');
    const app = await openManagerApp({
      runtime: appRuntime,
      dataDir: folder.path,
      browser: appRuntime === 'browser' ? await chromium() : null,
      electronPath: runtime.electronPath,
    });
    try {
      await use(app);
    } finally {
      try {
        await app.close();
      } finally {
        await folder.remove();
      }
    }
  },

  managerApp: async ({ freshApp, server, managerDevice }, use) => {
    await connectThroughBridge(freshApp.page, {
      server_url: server.url,
      device_id: managerDevice.deviceId,
      token: managerDevice.token,
    });
    const shell = new AppShell(freshApp.page);
    await shell.syncPanel.expectConnection('Online');
    await use(freshApp);
  },

  shell: async ({ managerApp }, use) => {
    await use(new AppShell(managerApp.page));
  },

  captureScreen: async ({ freshApp }, use, testInfo) => {
    await use((name) => saveScreenshot(freshApp.page, name, testInfo));
  },
});

export { expect };
