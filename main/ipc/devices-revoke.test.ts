// A manager revokes a lost store phone from the app (devices:revoke) through the real main core,
// against a real server on PostgreSQL: the phone's next request is refused, the Devices screen's
// analytics show it revoked, and every refusal (itself, an unknown id, not a manager, offline)
// is said plainly with nothing revoked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcReply, IpcResult } from '../../shared/ipc.js';
import { SyncClient } from '../../server/testing/sync-client.js';
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

async function connectedManager(deviceId: string) {
  folder = mkdtempSync(join(tmpdir(), 'insight-revoke-'));
  core = await createAppCore({ dataDir: folder });
  const token = await server.enroll(deviceId, 'manager');
  expect(await core.invoke('config:connect', { server_url: server.url, device_id: deviceId, token })).toMatchObject({
    ok: true,
  });
  return token;
}

const revoke = async (request: unknown) =>
  (await core.invoke('devices:revoke', request)) as IpcResult<IpcReply<'devices:revoke'>>;

function expectRefused(result: IpcResult<unknown>, ...phrases: string[]) {
  expect(result.ok).toBe(false);
  if (!result.ok) for (const phrase of phrases) expect(result.error).toContain(phrase);
}

describe('devices:revoke', () => {
  it('ends a store device token at once and the analytics show it revoked', async () => {
    const phone = new SyncClient(server.url, 'store-lost-1', await server.enroll('store-lost-1', 'store'));
    expect((await phone.pull()).status).toBe(200);
    await connectedManager('mac-revoke-1');

    const result = await revoke({ device_id: 'store-lost-1' });
    if (!result.ok) throw new Error(result.error);
    expect(result.value).toMatchObject({ success: true, device_id: 'store-lost-1', already_revoked: false });

    // The lost phone's very next request is refused.
    expect((await phone.pull()).status).toBe(401);

    const analytics = await core.invoke('sync:devices', { days: 1 });
    if (!analytics.ok) throw new Error(analytics.error);
    const devices = (analytics.value as IpcReply<'sync:devices'>).devices;
    expect(devices.find((d) => d.device_id === 'store-lost-1')?.revoked_at).toBe(result.value.revoked_at);
    expect(devices.find((d) => d.device_id === 'mac-revoke-1')?.revoked_at).toBeNull();

    // A second click changes nothing and says so.
    const again = await revoke({ device_id: 'store-lost-1' });
    expect(again.ok && again.value).toMatchObject({ already_revoked: true, revoked_at: result.value.revoked_at });
  });

  it('refuses itself, unknown or malformed ids, store devices and being offline, revoking nothing', async () => {
    const phone = new SyncClient(server.url, 'store-kept-1', await server.enroll('store-kept-1', 'store'));
    const token = await connectedManager('mac-revoke-2');

    expectRefused(await revoke({ device_id: 'mac-revoke-2' }), 'is this Mac', 'npm run device:revoke -- mac-revoke-2');
    expectRefused(await revoke({ device_id: 'nobody-here' }), 'No device "nobody-here" is enrolled');
    expectRefused(await revoke({ device_id: 'bad id/..' }), 'device_id may only hold');
    expectRefused(await revoke({}), 'device_id');

    // Believed a manager here, a store device on the server: the server's 403, in words.
    const storeToken = await server.enroll('store-kept-2', 'store');
    saveConnection(core.store, {
      server_url: server.url,
      device_id: 'store-kept-2',
      token: storeToken,
      role: 'manager',
    });
    expectRefused(
      await revoke({ device_id: 'store-kept-1' }),
      'The server says "store-kept-2" is not a manager device',
    );
    // Known locally to be a store device: refused without asking.
    saveConnection(core.store, { server_url: server.url, device_id: 'store-kept-2', token: storeToken, role: 'store' });
    expectRefused(await revoke({ device_id: 'store-kept-1' }), 'Only manager devices may revoke devices');

    saveConnection(core.store, { server_url: server.url, device_id: 'mac-revoke-2', token, role: 'manager' });
    await server.stop();
    try {
      expectRefused(
        await revoke({ device_id: 'store-kept-1' }),
        `Cannot reach the sync server at ${server.url}`,
        'was not revoked',
      );
    } finally {
      await server.start();
    }
    // None of these revoked the store device.
    expect((await phone.pull()).status).toBe(200);
  });
});
