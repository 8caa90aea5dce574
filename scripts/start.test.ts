// `npm start` as a newcomer runs it (web host path: the Electron binary is absent here): the real
// script in a child process, on its embedded PostgreSQL, in a temp data folder. It must print
// the address, have the Store Manager connected as a manager, stop cleanly on Ctrl-C, and reuse
// its enrolled devices on the next run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = mkdtempSync(join(tmpdir(), 'insight-npm-start-'));
const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataRoot, { recursive: true, force: true });
});

function npmStart(): { child: ChildProcess; output: () => string; ready: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'start.ts'), '--web'], {
    cwd: root,
    env: { ...process.env, INSIGHT_DATA_ROOT: dataRoot, PORT: '0', WEB_PORT: '0', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop.')) resolve(output);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  return { child, output: () => output, ready };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

async function askCore(webUrl: string, channel: string): Promise<{ ok: boolean; value?: Record<string, unknown> }> {
  const url = new URL(webUrl);
  const socket = new WebSocket(`ws://${url.host}/bridge`, { origin: url.origin });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ id: 1, channel, payload: {} }));
  const reply = await new Promise<{ id: number; result: { ok: boolean; value?: Record<string, unknown> } }>((resolve) =>
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as {
        id: number;
        result: { ok: boolean; value?: Record<string, unknown> };
      };
      if (message.id === 1) resolve(message);
    }),
  );
  socket.close();
  return reply.result;
}

describe('npm start', () => {
  it(
    'starts the server, enrolls the devices, connects the Store Manager and prints where to open it',
    { timeout: 240_000 },
    async () => {
      const first = npmStart();
      const banner = await first.ready;
      const webUrl = /open (http:\/\/127\.0\.0\.1:\d+\/) in your browser/.exec(banner)?.[1];
      const serverUrl = /Sync server: +(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
      expect(webUrl, banner).toBeDefined();
      expect(serverUrl, banner).toBeDefined();

      const page = await fetch(webUrl!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('bridge.js');
      const status = await fetch(`${serverUrl}/api/v1/sync/status`);
      expect(status.status).toBe(200);

      const config = await askCore(webUrl!, 'config:get');
      expect(config).toMatchObject({
        ok: true,
        value: { server_url: serverUrl, device_id: 'store-manager', role: 'manager', has_token: true },
      });

      // The demo stores, added as the manager's edits, are in the app and reach the server.
      expect(banner).toContain('Stores:        added S001 Downtown, S002 Harbour, S003 Old Town');
      const codes = async (url: string) =>
        ((await askCore(url, 'stores:list')).value as unknown as Array<{ code: string }>).map((s) => s.code);
      expect(await codes(webUrl!)).toEqual(['S001', 'S002', 'S003']);
      const devicesFile = join(dataRoot, 'devices.json');
      const devices = readFileSync(devicesFile, 'utf8');
      const manager = (JSON.parse(devices) as { manager: { device_id: string; token: string } }).manager;
      const storesOnServer = async () => {
        const reply = await fetch(`${serverUrl}/api/v1/sync/pull`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${manager.token}` },
          body: JSON.stringify({ device_id: manager.device_id, tables: ['stores'] }),
        });
        const body = (await reply.json()) as { changes: { stores: Array<{ code: string }> } };
        return body.changes.stores.map((s) => s.code).sort();
      };
      await expect.poll(storesOnServer, { timeout: 20_000 }).toEqual(['S001', 'S002', 'S003']);
      expect(statSync(devicesFile).mode & 0o077).toBe(0); // tokens: this user only
      expect(await stop(first.child)).toBe(0);

      // Second run: same devices, no new enrollment, still connected.
      const second = npmStart();
      const again = await second.ready;
      expect(readFileSync(devicesFile, 'utf8')).toBe(devices);
      const webUrl2 = /open (http:\/\/127\.0\.0\.1:\d+\/) in your browser/.exec(again)![1]!;
      expect(await askCore(webUrl2, 'config:get')).toMatchObject({
        ok: true,
        value: { device_id: 'store-manager', role: 'manager' },
      });
      // Not added twice.
      expect(again).not.toContain('Stores:        added');
      expect(await codes(webUrl2)).toEqual(['S001', 'S002', 'S003']);
      expect(await stop(second.child)).toBe(0);
    },
  );
});
