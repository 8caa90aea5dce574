// Seed testing list 5: network interruption during sync. A TCP proxy between the device and the
// server cuts the connection mid-push (while the request is on the wire, and after the server
// committed but before the device heard) and mid-pull (a page lost, a page cut in half). A
// connection closed before any byte of the answer is resent at once on another connection (the
// client's stale-socket retry, main/sync/http.ts); an answer cut midway fails the run and the
// next run resumes. Either way nothing is lost and nothing is applied twice: exactly one audit
// entry per change on the server, every row once on the device.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKpi } from '../repos/index.js';
import { useServerWithDevices } from './testing/devices.js';
import { startTcpProxy, type TcpProxy } from './testing/tcp-proxy.js';

const world = useServerWithDevices();
const device = world.device;
let proxy: TcpProxy;

beforeAll(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: world.server.port });
});
afterAll(async () => {
  await proxy.close();
});

async function auditCounts(deviceId: string) {
  return world.serverDb.query<{ change_id: string; n: number }>(
    'select change_id, count(*)::int as n from audit_log where device_id = $1 group by change_id',
    [deviceId],
  );
}

describe('network interruption mid-push', () => {
  it('applies a push exactly once when the response is lost after the server committed', async () => {
    const manager = await device(world.server, 'cut-push-reply', 'manager', { serverUrl: proxy.url });
    const kpis = Array.from({ length: 40 }, (_, i) => createKpi(manager.store, { metric: 'cut', value: i }));
    const cut = proxy.cutNext({ onResponse: true }, '/sync/push');
    await manager.engine.syncNow('first try', 'push');
    await cut;
    // The server committed the push the device never heard about; the client sent it again at
    // once, and the server recognised every change by its change_id.
    expect(manager.engine.lastRun?.ok).toBe(true);
    expect(manager.engine.lastRun?.pushed).toMatchObject({ pushed: 40, duplicates: 40 });
    expect(manager.engine.status()).toMatchObject({ state: 'idle', pending_count: 0, attempt: 0 });
    const counts = await auditCounts('cut-push-reply');
    expect(counts.length).toBe(40);
    expect(counts.every((c) => c.n === 1)).toBe(true);
    const serverKpis = await world.serverDb.rows('kpi_data');
    expect(kpis.every((k) => serverKpis.has(k.id))).toBe(true);
    // The device holds the server's versions of its rows.
    expect(
      manager.store.sqlite
        .prepare("SELECT count(*) AS n FROM kpi_data WHERE metric = 'cut' AND server_version IS NOT NULL")
        .get(),
    ).toEqual({ n: 40 });
  });

  it('loses nothing when the connection drops while the request body is on the wire', async () => {
    const manager = await device(world.server, 'cut-push-body', 'manager', { serverUrl: proxy.url });
    // Large enough to be sent gzip-compressed, and cut in the middle of the body.
    const kpis = Array.from({ length: 300 }, (_, i) =>
      createKpi(manager.store, { metric: 'cut-body', value: i, store_id: `store-${i}` }),
    );
    const cut = proxy.cutNext({ afterRequestBytes: 600 }, '/sync/push');
    await manager.engine.syncNow('first try', 'push');
    await cut;
    // Nothing of the cut request was applied; the same request, resent at once, applied it all.
    expect(manager.engine.lastRun?.ok).toBe(true);
    expect(manager.engine.lastRun?.pushed).toMatchObject({ pushed: 300, duplicates: 0 });
    expect(manager.engine.status().pending_count).toBe(0);
    const counts = await auditCounts('cut-push-body');
    expect(counts.length).toBe(300);
    expect(counts.every((c) => c.n === 1)).toBe(true);
    const serverKpis = await world.serverDb.rows('kpi_data');
    expect(kpis.every((k) => serverKpis.has(k.id))).toBe(true);
  });
});

describe('network interruption mid-pull', () => {
  it('keeps the pages applied before the cut and resumes from there, every row once', async () => {
    const manager = await device(world.server, 'cut-pull-manager', 'manager');
    Array.from({ length: 150 }, (_, i) => createKpi(manager.store, { metric: 'pull-cut', value: i }));
    await manager.engine.syncNow();
    const store = await device(world.server, 'cut-pull-store', 'store', { serverUrl: proxy.url, pageSize: 50 });
    const cutsBefore = proxy.cuts;

    // The second page cut in its body (past the headers): the run fails, the first page stays applied.
    const halved = proxy.cutNext({ onResponse: true, afterResponseBytes: 1200 }, '/sync/pull', 1);
    await store.engine.syncNow();
    await halved;
    expect(store.engine.lastRun?.ok).toBe(false);
    const afterCut = store.rows('kpi_data').size;
    expect(afterCut).toBeGreaterThan(0);

    // The next page lost entirely after the server answered: resent at once, the run completes.
    const lost = proxy.cutNext({ onResponse: true }, '/sync/pull');
    await store.engine.syncNow();
    expect(store.engine.lastRun?.ok).toBe(true);
    const serverIds = [...(await world.serverDb.rows('kpi_data')).keys()].sort();
    await lost;
    expect([...store.rows('kpi_data').keys()].sort()).toEqual(serverIds);
    expect(proxy.cuts - cutsBefore).toBe(2);
  });
});
