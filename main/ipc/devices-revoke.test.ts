// A manager revokes a lost store phone from the app (devices:revoke) through the real main core,
// against a real server on PostgreSQL: the phone's next request is refused, the Devices screen's
// analytics show it revoked, and every refusal (itself, an unknown id, not a manager, offline)
// is said plainly with nothing revoked.
import { describe, expect, it } from 'vitest';
import type { IpcReply, IpcResult } from '../../shared/ipc.js';
import { ProtocolTestClient } from '../../server/testing/sync-client.js';
import { saveConnection } from '../sync/config.js';
import { coreBench, expectRefused } from './testing/core-bench.js';

const bench = coreBench('insight-revoke-');

/** A fresh core connected as the manager deviceId; returns the core and its token. */
async function connectedManager(deviceId: string) {
  const { server } = bench;
  const core = await bench.openCore();
  const token = await server.enroll(deviceId, 'manager');
  expect(await core.invoke('config:connect', { server_url: server.url, device_id: deviceId, token })).toMatchObject({
    ok: true,
  });
  return { core, token };
}

const revoke = async (request: unknown) =>
  (await bench.core.invoke('devices:revoke', request)) as IpcResult<IpcReply<'devices:revoke'>>;

describe('devices:revoke', () => {
  it('ends a store device token at once and the analytics show it revoked', async () => {
    const { server } = bench;
    const phone = new ProtocolTestClient(server.url, 'store-lost-1', await server.enroll('store-lost-1', 'store'));
    expect((await phone.pull()).status).toBe(200);
    const { core } = await connectedManager('mac-revoke-1');

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
    const { server } = bench;
    const phone = new ProtocolTestClient(server.url, 'store-kept-1', await server.enroll('store-kept-1', 'store'));
    const { core, token } = await connectedManager('mac-revoke-2');

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
