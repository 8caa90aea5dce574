// The web host as a browser sees it: Debian's Chromium (driven by Playwright) opens the page,
// calls window.insight like the renderer does, hears pushed events, and a page of another origin
// is refused the bridge. (.ci/run installs /usr/bin/chromium.)
import { chromium, type Browser } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../e2e/support/chromium.js';
import type { InsightApi } from '../../shared/ipc.js';
import { createAppCore, type AppCore } from '../app-core.js';
import { startWebHost, type WebHost } from './web-host.js';

describe.skipIf(!chromiumPath)('the web host in Chromium', () => {
  let folder: string;
  let core: AppCore;
  let host: WebHost;
  let browser: Browser;
  let stranger: Server;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'insight-web-browser-'));
    const rendererDir = join(folder, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(
      join(rendererDir, 'index.html'),
      '<!doctype html><html><head><title>Store Manager</title></head><body>ready</body></html>',
    );
    core = await createAppCore({ dataDir: join(folder, 'data') });
    host = await startWebHost({ core, port: 0, rendererDir });
    // Another site open in the same browser, on another loopback port.
    stranger = createServer((_req, res) => res.end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: chromiumArgs,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => stranger?.close(resolve));
    await host?.close();
    await core?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('gives the page a working window.insight: requests, validation errors and pushed events', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.waitForFunction(() => 'insight' in window);

    const config = await page.evaluate(() =>
      (window as unknown as { insight: InsightApi }).insight.invoke('config:get', {}),
    );
    expect(config).toMatchObject({ ok: true, value: { server_url: null, has_token: false } });

    const outcome = await page.evaluate(async () => {
      const insight = (window as unknown as { insight: InsightApi }).insight;
      const changed = new Promise((resolve) => insight.on('data:changed', resolve));
      const refused = await insight.invoke('kpis:create', { metric: '', value: 3 });
      const created = await insight.invoke('kpis:create', { metric: 'Basket size', value: 3.4 });
      return { refused, created, changed: await changed, frozen: Object.isFrozen(insight) };
    });
    expect(outcome.refused).toEqual({ ok: false, error: expect.stringContaining('metric: Name the metric') });
    expect(outcome.created).toMatchObject({ ok: true, value: { metric: 'Basket size' } });
    expect(outcome.changed).toEqual({ tables: ['kpi_data'] });
    expect(outcome.frozen).toBe(true);
    await page.close();
  });

  it('refuses the bridge to a page of another origin', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(stranger.address() as AddressInfo).port}/`);
    const result = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(url);
          socket.onopen = () => resolve('open');
          socket.onerror = () => resolve('refused');
        }),
      `ws://127.0.0.1:${host.port}/bridge`,
    );
    expect(result).toBe('refused');
    await page.close();
  });
});
