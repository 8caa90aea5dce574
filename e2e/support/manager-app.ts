// The Store Manager app as a test opens it: in Chromium against the web host (main/host, a child
// process on a free loopback port), or as the real Electron app where its binary is installed.
// Either way each test gets its own data folder, i.e. its own local SQLite store.
import { _electron, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import { join } from 'node:path';
import type { InsightApi, IpcChannel, IpcReply, IpcRequest } from '../../shared/ipc.js';
import { e2eRendererDir, projectDir, startTs, waitForOutput, type LongRunning } from './processes.js';

export type AppRuntime = 'browser' | 'electron';

export interface ManagerApp {
  page: Page;
  dataDir: string;
  /** The web host's address (browser runtime only). */
  url: string | null;
  /** The web host process behind the page (browser runtime only): kill it, start it again. */
  webHost: WebHostControl | null;
  /** Closes the window and the process hosting the app's core. */
  close(): Promise<void>;
}

export interface WebHostControl {
  /** SIGKILL, as a crash would: no goodbye to the page. */
  kill(): Promise<void>;
  /** A new host process on the same data folder and port (the page's address stays valid). */
  restart(): Promise<void>;
}

export async function openManagerApp(options: {
  runtime: AppRuntime;
  dataDir: string;
  browser: Browser | null;
  electronPath: string | null;
}): Promise<ManagerApp> {
  return options.runtime === 'electron'
    ? openInElectron(options.dataDir, options.electronPath!)
    : openInBrowser(options.dataDir, options.browser!);
}

/** Starts the web host process (main/host) and waits for the address it prints. */
async function startWebHostProcess(dataDir: string, port = 0): Promise<{ host: LongRunning; url: string }> {
  const host: LongRunning = startTs('e2e/support/web-host-process.ts', [
    '--data',
    dataDir,
    '--renderer',
    e2eRendererDir,
    '--port',
    String(port),
  ]);
  try {
    return { host, url: (await waitForOutput(host, /Open the Store Manager at (http:\/\/\S+)/))[1]! };
  } catch (error) {
    await host.stop();
    throw error;
  }
}

async function openInBrowser(dataDir: string, browser: Browser): Promise<ManagerApp> {
  // The web host picks a free port and prints the address, as `npm run web -- --port 0` does.
  const started = await startWebHostProcess(dataDir);
  const url = started.url;
  let host = started.host;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  return {
    page,
    dataDir,
    url,
    webHost: {
      async kill() {
        if (host.child.exitCode !== null || host.child.signalCode !== null) return;
        const exited = new Promise((resolve) => host.child.once('exit', resolve));
        host.child.kill('SIGKILL');
        await exited;
      },
      async restart() {
        await host.stop();
        ({ host } = await startWebHostProcess(dataDir, Number(new URL(url).port)));
      },
    },
    async close() {
      try {
        await context.close();
      } finally {
        await host.stop();
      }
    },
  };
}

async function openInElectron(dataDir: string, electronPath: string): Promise<ManagerApp> {
  const app: ElectronApplication = await _electron.launch({
    executablePath: electronPath,
    // `.` = this package: Electron runs package.json's main (dist-app/app/main.js) with the
    // project as its app path, where it finds dist/renderer. Its own profile goes in the test's
    // folder too, so parallel workers never share Electron's single-instance lock.
    args: ['.', `--user-data-dir=${join(dataDir, 'electron-profile')}`],
    cwd: projectDir,
    env: { ...process.env, INSIGHT_DATA_DIR: dataDir },
  });
  const page = await app.firstWindow();
  return {
    page,
    dataDir,
    url: null,
    webHost: null,
    close: () => app.close(),
  };
}

/**
 * Connects the app to the server the way the Settings screen does (the `config:connect`
 * channel of window.insight), for tests whose subject is not the first-run screen.
 */
export async function connectThroughBridge(page: Page, connection: IpcRequest<'config:connect'>) {
  await page.waitForFunction(() => 'insight' in window);
  const result = await page.evaluate(
    (request) => (window as unknown as { insight: InsightApi }).insight.invoke('config:connect', request),
    connection,
  );
  if (!result.ok) throw new Error(`config:connect failed: ${result.error}`);
  await page.reload();
}

/**
 * Sends one request through the app's own bridge (window.insight), as a screen would: for data a
 * spec does not need to type (its subject is elsewhere). Fails the test with the core's refusal.
 */
export async function invokeThroughBridge<C extends IpcChannel>(
  page: Page,
  channel: C,
  request: IpcRequest<C>,
): Promise<IpcReply<C>> {
  const call = { channel: channel as string, request: request as unknown };
  const result = await page.evaluate(
    ({ channel, request }) =>
      (window as unknown as { insight: InsightApi }).insight.invoke(channel as IpcChannel, request as never),
    call,
  );
  if (!result.ok) throw new Error(`${channel} failed: ${result.error}`);
  return result.value as IpcReply<C>;
}
