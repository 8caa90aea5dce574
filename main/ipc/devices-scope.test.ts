// A manager moves a store phone to another store from the app (devices:scope) through the real
// main core, against a real server on PostgreSQL: the phone's next pull brings the new store's
// KPI and removes the old store's, the Devices screen's analytics show its new store, and every
// refusal (this Mac, a manager device, an unknown or malformed id, a bad store code, not a
// manager, offline) is said plainly with nothing moved.
import { describe, expect, it } from 'vitest';
import type { IpcReply, IpcResult } from '../../shared/ipc.js';
import { PullResponse } from '../../shared/protocol/sync.js';
import { make, ProtocolTestClient } from '../../server/testing/sync-client.js';
import { saveConnection } from '../sync/config.js';
import { coreBench, expectRefused } from './testing/core-bench.js';

const bench = coreBench('insight-scope-');

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

const move = async (request: unknown) =>
  (await bench.core.invoke('devices:scope', request)) as IpcResult<IpcReply<'devices:scope'>>;

async function storeOf(deviceId: string): Promise<string | null | undefined> {
  const analytics = await bench.core.invoke('sync:devices', { days: 1 });
  if (!analytics.ok) throw new Error(analytics.error);
  return (analytics.value as IpcReply<'sync:devices'>).devices.find((d) => d.device_id === deviceId)?.store_id;
}

/** Pulls every page from `cursor`: the KPI ids received and removed, and the end cursor. */
async function pullKpis(phone: ProtocolTestClient, cursor: string | null) {
  const received: string[] = [];
  const removed: string[] = [];
  for (;;) {
    const reply = await phone.pull({ cursor });
    expect(reply.status).toBe(200);
    const page = PullResponse.parse(reply.body);
    received.push(...(page.changes.kpi_data ?? []).map((row) => String(row.id)));
    removed.push(...(page.removed?.kpi_data ?? []));
    cursor = page.cursor;
    if (!page.has_more) return { received, removed, cursor };
  }
}

describe('devices:scope', () => {
  it("moves a store device: its next pull brings the new store's rows and removes the old store's", async () => {
    const { server } = bench;
    const seeder = new ProtocolTestClient(server.url, 'mac-seed-1', await server.enroll('mac-seed-1', 'manager'));
    const [s1, s2] = [make.kpi({ store_id: 'S001' }), make.kpi({ store_id: 'S002' })];
    expect((await seeder.push({ kpi_data: [s1, s2] })).status).toBe(200);
    const phone = new ProtocolTestClient(
      server.url,
      'store-move-1',
      await server.enroll('store-move-1', 'store', 'S001'),
    );
    // The pull horizon may hold just-pushed rows back a moment: pull until S001's KPI is there.
    let before = await pullKpis(phone, null);
    for (let tries = 0; tries < 100 && !before.received.includes(s1.id); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const more = await pullKpis(phone, before.cursor);
      before = { ...more, received: [...before.received, ...more.received] };
    }
    expect(before.received).toEqual([s1.id]);

    await connectedManager('mac-move-1');
    expect(await storeOf('store-move-1')).toBe('S001');
    const result = await move({ device_id: 'store-move-1', store: 'S002' });
    if (!result.ok) throw new Error(result.error);
    expect(result.value).toEqual({
      success: true,
      device_id: 'store-move-1',
      store: 'S002',
      previous_store: 'S001',
      moved: true,
    });
    expect(await storeOf('store-move-1')).toBe('S002');

    const after = await pullKpis(phone, before.cursor);
    expect(after.received).toEqual([s2.id]);
    expect(after.removed).toEqual([s1.id]);

    // A second click changes nothing and says so.
    const again = await move({ device_id: 'store-move-1', store: 'S002' });
    expect(again.ok && again.value).toMatchObject({ moved: false, store: 'S002', previous_store: 'S002' });
  });

  it('refuses this Mac, manager devices, unknown ids, bad input, store devices and being offline, moving nothing', async () => {
    const { server } = bench;
    await server.enroll('store-stay-1', 'store', 'S001');
    await server.enroll('mac-other-1', 'manager');
    const { core, token } = await connectedManager('mac-move-2');

    expectRefused(await move({ device_id: 'mac-move-2', store: 'S002' }), '"mac-move-2" is this Mac');
    expectRefused(
      await move({ device_id: 'mac-other-1', store: 'S002' }),
      '"mac-other-1" is a manager device',
      'cannot be moved',
    );
    expectRefused(await move({ device_id: 'nobody-here', store: 'S002' }), 'No device "nobody-here" is enrolled');
    expectRefused(await move({ device_id: 'bad id/..', store: 'S002' }), 'device_id may only hold');
    expectRefused(
      await move({ device_id: 'store-stay-1', store: 'no spaces' }),
      'store may only hold letters, digits and . _ : -',
    );
    expectRefused(await move({ device_id: 'store-stay-1' }), 'store');
    expectRefused(await move({ device_id: 'store-stay-1', store: 'S002', also: 1 }), 'also');

    // Believed a manager here, a store device on the server: the server's 403, in words.
    const storeToken = await server.enroll('store-stay-2', 'store', 'S001');
    saveConnection(core.store, {
      server_url: server.url,
      device_id: 'store-stay-2',
      token: storeToken,
      role: 'manager',
    });
    expectRefused(
      await move({ device_id: 'store-stay-1', store: 'S002' }),
      'The server says "store-stay-2" is not a manager device',
    );
    // Known locally to be a store device: refused without asking.
    saveConnection(core.store, { server_url: server.url, device_id: 'store-stay-2', token: storeToken, role: 'store' });
    expectRefused(
      await move({ device_id: 'store-stay-1', store: 'S002' }),
      'Only manager devices may move devices between stores',
    );

    saveConnection(core.store, { server_url: server.url, device_id: 'mac-move-2', token, role: 'manager' });
    await server.stop();
    try {
      expectRefused(
        await move({ device_id: 'store-stay-1', store: 'S002' }),
        `Cannot reach the sync server at ${server.url}`,
        '"store-stay-1" was not moved',
        'npm run device:scope -- store-stay-1 --store S002',
      );
    } finally {
      await server.start();
    }
    // None of these moved it.
    expect(await storeOf('store-stay-1')).toBe('S001');
  });
});
