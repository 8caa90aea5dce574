// The dashboard's sync analytics through the real main core, as a renderer asks for them
// (sync:devices), from a real server on PostgreSQL: the figures of another device's real pushes
// and refusals, and a plain reason when this Mac is not connected, not a manager, or offline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcReply, IpcResult } from '../../shared/ipc.js';
import { make, SyncClient } from '../../server/testing/sync-client.js';
import { startTestServer, type TestServer } from '../../server/testing/test-server.js';
import { createAppCore, type AppCore } from '../app-core.js';
import { saveConnection } from '../sync/config.js';

let server: TestServer;
let folder: string;
let core: AppCore;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.dispose();
});
afterEach(async () => {
  await core?.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function openCore() {
  folder = mkdtempSync(join(tmpdir(), 'insight-analytics-'));
  core = await createAppCore({ dataDir: folder });
  return core;
}

const analytics = async (request: unknown) =>
  (await core.invoke('sync:devices', request)) as IpcResult<IpcReply<'sync:devices'>>;

function expectRefused(result: IpcResult<unknown>, ...phrases: string[]) {
  expect(result.ok).toBe(false);
  if (!result.ok) for (const phrase of phrases) expect(result.error).toContain(phrase);
}

describe('sync:devices', () => {
  it('gives a manager every device with its pushes, rows, failures and refused changes', async () => {
    const store = new SyncClient(server.url, 'store-ipc-1', await server.enroll('store-ipc-1', 'store'));
    const submission = make.submission();
    expect(
      (await store.push({ submissions: [submission], submission_answers: [make.answer(submission.id)] })).status,
    ).toBe(200);
    expect(
      (await store.push({ settings: [{ id: submission.id, key: 'x', updated_at: new Date().toISOString() }] })).status,
    ).toBe(403);

    await openCore();
    const token = await server.enroll('mac-ipc', 'manager');
    expect(await core.invoke('config:connect', { server_url: server.url, device_id: 'mac-ipc', token })).toMatchObject({
      ok: true,
    });

    await expect
      .poll(async () => {
        const result = await analytics({ days: 2 });
        return result.ok ? result.value.devices.find((d) => d.device_id === 'store-ipc-1')?.totals : result.error;
      })
      .toMatchObject({ pushes: 1, rows_pushed: 2, failures: 1, refused: 1 });

    const result = await analytics({ days: 2 });
    if (!result.ok) throw new Error(result.error);
    expect(result.value.devices.map((d) => [d.device_id, d.role])).toEqual(
      expect.arrayContaining([
        ['mac-ipc', 'manager'],
        ['store-ipc-1', 'store'],
      ]),
    );
    const storeDevice = result.value.devices.find((d) => d.device_id === 'store-ipc-1')!;
    expect(storeDevice.days.map((d) => d.day)).toEqual([result.value.from, result.value.to]);
    expect(storeDevice.days[1]).toMatchObject({ pushes: 1, rows_pushed: 2, failures: 1, refused: 1 });

    // Without arguments: the last week. A window the server cannot show is refused at the door.
    const week = await analytics(undefined);
    expect(week.ok && week.value.devices[0]!.days).toHaveLength(7);
    expectRefused(await analytics({ days: 0 }), 'days must be at least 1');

    // The server goes away: the reason is the network, said plainly.
    await server.stop();
    try {
      expectRefused(await analytics({ days: 2 }), `Cannot reach the sync server at ${server.url}`, 'need a connection');
    } finally {
      await server.start();
    }
  });

  it('says why there is nothing to show when not connected or not a manager', async () => {
    await openCore();
    expectRefused(await analytics({}), 'not connected to a sync server yet');

    // Known locally to be a store device: refused without asking the server.
    const storeToken = await server.enroll('store-ipc-2', 'store');
    saveConnection(core.store, { server_url: server.url, device_id: 'store-ipc-2', token: storeToken, role: 'store' });
    expectRefused(await analytics({}), 'for manager devices', '"store-ipc-2" is enrolled as a store device');

    // Believed a manager here, a store device on the server: the server's 403, in words.
    saveConnection(core.store, {
      server_url: server.url,
      device_id: 'store-ipc-2',
      token: storeToken,
      role: 'manager',
    });
    expectRefused(
      await analytics({}),
      'The server says "store-ipc-2" is not a manager device',
      'only manager devices may read',
    );
  });
});
