// The dashboard's sync analytics through the real main core, as a renderer asks for them
// (sync:devices), from a real server on PostgreSQL: the figures of another device's real pushes
// and refusals, and a plain reason when this Mac is not connected, not a manager, or offline.
import { describe, expect, it } from 'vitest';
import type { IpcReply, IpcResult } from '../../shared/ipc.js';
import { make, ProtocolTestClient } from '../../server/testing/sync-client.js';
import { saveConnection } from '../sync/config.js';
import { coreBench, expectRefused } from './testing/core-bench.js';

const bench = coreBench('insight-analytics-');

const analytics = async (request: unknown) =>
  (await bench.core.invoke('sync:devices', request)) as IpcResult<IpcReply<'sync:devices'>>;

describe('sync:devices', () => {
  it('gives a manager every device with its pushes, rows, failures and refused changes', async () => {
    const { server } = bench;
    const store = new ProtocolTestClient(server.url, 'store-ipc-1', await server.enroll('store-ipc-1', 'store'));
    const submission = make.submission();
    expect(
      (await store.push({ submissions: [submission], submission_answers: [make.answer(submission.id)] })).status,
    ).toBe(200);
    expect(
      (await store.push({ settings: [{ id: submission.id, key: 'x', updated_at: new Date().toISOString() }] })).status,
    ).toBe(403);

    const core = await bench.openCore();
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
    const { server } = bench;
    const core = await bench.openCore();
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
