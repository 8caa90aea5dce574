// Per-test world for the end-to-end specs: a fresh PostgreSQL database behind a real sync server,
// an enrolled manager device and store device(s), and the Store Manager app on its own data
// folder (web host + Chromium, or real Electron). Everything is torn down after each test, so a
// test never sees another's rows.
import { test as base, expect, type Browser } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { make, SyncClient } from '../server/testing/sync-client.js';
import { startTestServer, type TestServer } from '../server/testing/test-server.js';
import { findElectronBinary } from './electron-binary.js';
import { connectThroughBridge, openManagerApp, type AppRuntime, type ManagerApp } from './support/manager-app.js';
import { saveScreenshot } from './support/screenshots.js';
import { StoreDevice } from './support/store-device.js';
import { AppShell } from './page-models/app-shell.js';

export interface ManagerAppOptions {
  /** Which runtime hosts the app: set per Playwright project. */
  appRuntime: AppRuntime;
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
}

interface Fixtures {
  /** Skips the test, with the reason, when its runtime cannot run here (Electron without its binary). */
  runtime: { electronPath: string | null };
  server: TestServer;
  managerDevice: Enrolled;
  /** The first store device, enrolled as `store-001`. */
  storeDevice: StoreDevice;
  /** Enrolls and returns another store device (syncing with `serverUrl`, default the test's server). */
  addStoreDevice: (deviceId: string, options?: { serverUrl?: string }) => Promise<StoreDevice>;
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

  chromium: [
    async ({ playwright, launchOptions }, use) => {
      const launched: { browser: Promise<Browser> | null } = { browser: null };
      await use(() => (launched.browser ??= playwright.chromium.launch(launchOptions)));
      if (launched.browser) await (await launched.browser).close();
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

  server: async ({ runtime: _ }, use) => {
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
    const pushed = await new SyncClient(server.url, deviceId, token).push({
      stores: e2eStores.map(({ code, name }) => make.store(code, { name })),
    });
    if (pushed.status !== 200) throw new Error(`could not add the e2e stores: ${JSON.stringify(pushed.body)}`);
    await use({ deviceId, token });
  },

  // After the manager's stores: a store device's --store is checked against them.
  addStoreDevice: async ({ server, managerDevice: _ }, use) => {
    const folders: { remove(): Promise<void> }[] = [];
    await use(async (deviceId, options = {}) => {
      const token = await server.enroll(deviceId, 'store');
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
