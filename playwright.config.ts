// End-to-end tests: Playwright drives the real Store Manager UI against a real server on a fresh
// PostgreSQL database and real store devices (e2e/fixtures.ts). Two projects run the same specs:
//  - chromium: Debian's /usr/bin/chromium against the web host (Playwright cannot download its
//    own browsers here, so we point it at the system one);
//  - electron: the real Electron app through `_electron.launch`, where the binary is installed.
//    Elsewhere its tests are *skipped* (reported as skipped with the reason, never as passed).
import { defineConfig } from '@playwright/test';
import { findElectronBinary } from './e2e/electron-binary.js';
import { chromiumArgs, chromiumPath } from './e2e/support/chromium.js';
import type { ManagerAppOptions } from './e2e/fixtures.js';

const electron = findElectronBinary();
// The chromium project's binary and flags: e2e/support/chromium.ts (Debian's on our machines).
// Say it once, in the runner process (workers load this file again).
if (electron.path === null && process.env.TEST_WORKER_INDEX === undefined) {
  console.log(`[e2e] electron project: every test is skipped because ${electron.reason}`);
}

export default defineConfig<ManagerAppOptions>({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  // Each test boots its own server, database, web host and CLI devices: give it room on a
  // shared 2-core machine, but fail fast on a hang.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 1),
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        appRuntime: 'browser',
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: chromiumPath,
          args: chromiumArgs,
        },
      },
    },
    {
      name: 'electron',
      use: { appRuntime: 'electron' },
      // The web host's reconnecting overlay: Electron has no web host to lose.
      testIgnore: ['**/reconnect-overlay.spec.ts'],
    },
  ],
});
