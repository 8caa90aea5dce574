// The web host over real loopback HTTP and a real WebSocket client (the `ws` package), in front
// of a real app core on a SQLite file in a temp folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAppCore, type AppCore } from '../app-core.js';
import { startWebHost, type WebHost } from './web-host.js';

let folder: string;
let core: AppCore;
let host: WebHost;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'insight-web-host-'));
  const rendererDir = join(folder, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>Store Manager</title><script type="module" src="./assets/app.js"></script></head><body></body></html>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(folder, 'secret.txt'), 'not for the browser');
  core = await createAppCore({ dataDir: join(folder, 'data') });
  host = await startWebHost({ core, port: 0, rendererDir });
});

afterEach(async () => {
  await host?.close();
  await core?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** A raw GET, so the test controls the path and Host header exactly as an attacker could. */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Page {
  socket: WebSocket;
  messages: Record<string, unknown>[];
  invoke(channel: string, payload?: unknown): Promise<{ ok: boolean; value?: unknown; error?: string }>;
  next(match: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

async function openPage(origin = `http://127.0.0.1:${host.port}`): Promise<Page> {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/bridge`, { origin });
  const messages: Record<string, unknown>[] = [];
  const waiters: { match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] =
    [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const next = (match: (m: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const seen = messages.find(match);
      if (seen) resolve(seen);
      else waiters.push({ match, resolve });
    });
  return {
    socket,
    messages,
    next,
    async invoke(channel, payload = {}) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, channel, payload }));
      return (await next((m) => m.id === id)).result as { ok: boolean; value?: unknown; error?: string };
    },
  };
}

/** Resolves with the HTTP status the host answered an upgrade with. */
function refusedUpgrade(url: string, options: WebSocket.ClientOptions) {
  return new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      reject(new Error('the upgrade was accepted'));
    });
    socket.on('error', () => {});
  });
}

describe('the web host', () => {
  it('serves the renderer with the bridge script in front of the bundle and a strict CSP', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<script src="\.\/bridge\.js"><\/script>[\s\S]*assets\/app\.js/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain(`ws://127.0.0.1:${host.port}`);

    const bridge = await get('/bridge.js');
    expect(bridge.status).toBe(200);
    expect(bridge.body).toContain('"forms:list"');
    expect(bridge.body).toContain('"sync:status"');
    expect(bridge.body).toContain('"sync:devices"');
    expect(bridge.body).not.toContain('INSIGHT_CHANNELS');

    expect((await get('/assets/app.js')).body).toBe('console.log("app")');
  });

  it('never serves a file outside the renderer folder, and only answers to its own host name', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain('not for the browser');
    }
    expect((await get('/', { Host: 'evil.example' })).status).toBe(421);
  });

  it('refuses WebSocket upgrades from any origin but its own', async () => {
    const url = `ws://127.0.0.1:${host.port}/bridge`;
    expect(await refusedUpgrade(url, { origin: 'http://evil.example' })).toBe(403);
    expect(await refusedUpgrade(url, { origin: 'http://127.0.0.1:1' })).toBe(403);
    expect(await refusedUpgrade(url, {})).toBe(403);
    expect(
      await refusedUpgrade(url, { origin: `http://127.0.0.1:${host.port}`, headers: { Host: 'evil.example' } }),
    ).toBe(403);
    const localhostPage = await openPage(`http://localhost:${host.port}`);
    localhostPage.socket.close();
  });

  it('listens on loopback only', async () => {
    await expect(startWebHost({ core, port: 0, host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
  });

  it('answers requests by id through the same checked door, and refuses bad messages clearly', async () => {
    const page = await openPage();
    expect(await page.invoke('config:get')).toMatchObject({
      ok: true,
      value: { server_url: null, has_token: false, sync_interval_minutes: 5 },
    });

    const refused = await page.invoke('kpis:create', { metric: 'Sales', value: 'a lot' });
    expect(refused).toEqual({ ok: false, error: expect.stringContaining('value: The value must be a number') });
    expect(await page.invoke('kpis:list')).toEqual({ ok: true, value: [] });
    expect(await page.invoke('nope:nothing')).toEqual({ ok: false, error: 'Unknown channel "nope:nothing"' });
    // The dashboard's sync analytics pass the same door (this core is not connected to a server).
    expect(await page.invoke('sync:devices', { days: 7 })).toEqual({
      ok: false,
      error: expect.stringContaining('not connected to a sync server yet'),
    });

    page.socket.send('{not json');
    expect((await page.next((m) => m.id === null)).result).toEqual({
      ok: false,
      error: 'The message is not valid JSON',
    });
    page.socket.send(JSON.stringify({ id: 'x', channel: 'forms:list' }));
    const badEnvelope = await page.next(
      (m) => m.id === null && String((m.result as { error: string }).error).startsWith('Bad bridge'),
    );
    expect((badEnvelope.result as { error: string }).error).toMatch(/^Bad bridge message: id: /);
    page.socket.close();
  });

  it('pushes data:changed and sync:status to every open page after a write', async () => {
    const writer = await openPage();
    const watcher = await openPage();
    const created = await writer.invoke('kpis:create', { metric: 'Footfall', value: 812, store_id: 'store-001' });
    expect(created).toMatchObject({ ok: true, value: { metric: 'Footfall', value: 812 } });

    for (const page of [writer, watcher]) {
      expect(await page.next((m) => m.event === 'data:changed')).toEqual({
        event: 'data:changed',
        payload: { tables: ['kpi_data'] },
      });
      expect(await page.next((m) => m.event === 'sync:status')).toMatchObject({
        event: 'sync:status',
        payload: { pending_count: 1 },
      });
    }
    expect(await watcher.invoke('sync:pending')).toMatchObject({
      ok: true,
      value: [{ table: 'kpi_data', operation: 'INSERT' }],
    });
    writer.socket.close();
    watcher.socket.close();
  });
});
