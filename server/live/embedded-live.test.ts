// Live sync on the embedded database: PGlite cannot LISTEN across processes, but only one server
// process ever opens it, so the in-memory bus delivers the pokes there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIVE_PATH, LiveServerMessage } from '../../shared/protocol/live.js';
import { enrollDevice } from '../auth/devices.js';
import { startServer } from '../start.js';
import { make, ProtocolTestClient } from '../testing/sync-client.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'insight-live-embedded-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('live sync on the embedded database', () => {
  it('pokes a connected manager when a store pushes', async () => {
    const server = await startServer({ port: 0, dataDir, logLevel: 'silent' });
    try {
      const managerToken = await enrollDevice(server.db, 'embedded-manager', 'manager');
      const storeToken = await enrollDevice(server.db, 'embedded-store', 'store');
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}${LIVE_PATH}`, {
        headers: { Authorization: `Bearer ${managerToken}` },
      });
      const poked = new Promise<LiveServerMessage>((resolve) =>
        socket.on('message', (data) => resolve(LiveServerMessage.parse(JSON.parse(String(data))))),
      );
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const pushed = await new ProtocolTestClient(server.url, 'embedded-store', storeToken).push({
        kpi_data: [make.kpi()],
      });
      expect(pushed.status).toBe(200);
      // The poke names the position the push reached: its transaction and the row's version.
      expect(await poked).toEqual({
        type: 'poke',
        tables: ['kpi_data'],
        version: expect.stringMatching(new RegExp(`^\\d+\\.${pushed.body.applied.kpi_data[0].server_version}$`)),
      });
      socket.terminate();
    } finally {
      await server.close();
    }
  }, 240_000);
});
