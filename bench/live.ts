// Live sync figures (part of `npm run bench`; alone: `npx tsx bench/live.ts`), with two server
// processes on one PostgreSQL database:
//   1. latency from a store device's push returning (through server process 1) to the row being
//      in the local store of a manager whose live socket is on server process 2: p50 / p99 over
//      BENCH_LIVE_TRIALS (default 200) pushes, one at a time;
//   2. memory per idle live socket: a fresh server process's RSS before and after
//      BENCH_LIVE_SOCKETS (default 1000) sockets connect and settle.
// Nothing is asserted (timings depend on the machine); one JSON line carries the figures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { LIVE_PATH } from '../shared/protocol/live.js';
import { openLocalStore } from '../main/db/client.js';
import { createKpi } from '../main/repos/index.js';
import { saveConnection } from '../main/sync/config.js';
import { SyncEngine } from '../main/sync/engine.js';
import { enrollDevice } from '../server/auth/devices.js';
import { openDatabase } from '../server/db/client.js';
import { startServerProcess } from '../server/testing/server-process.js';
import { createTestDatabase } from '../server/testing/test-server.js';

const TRIALS = Number(process.env.BENCH_LIVE_TRIALS ?? 200);
const SOCKETS = Number(process.env.BENCH_LIVE_SOCKETS ?? 1000);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const rssOf = (pid: number | null) => {
  if (pid === null) throw new Error('the idle server process is not running');
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LiveFigures {
  trials: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Of which the poke: push returned → poke received on a socket of process 2. */
  poke_p50_ms: number;
  poke_p99_ms: number;
  sockets: number;
  bytes_per_idle_socket: number;
}

export async function liveBench(): Promise<LiveFigures> {
  const database = await createTestDatabase('bench_live');
  const work = mkdtempSync(join(tmpdir(), 'insight-bench-live-'));
  // Migrate and enroll once here, so the two processes do not both start on an empty database.
  const admin = await openDatabase({ databaseUrl: database.url });
  const tokens = {
    'live-store': await enrollDevice(admin.db, 'live-store', 'store'),
    'live-manager': await enrollDevice(admin.db, 'live-manager', 'manager'),
  };
  const one = await startServerProcess(database.url);
  const two = await startServerProcess(database.url);
  const sockets: WebSocket[] = [];
  const stops = [() => one.stop(), () => two.stop(), () => admin.close()];
  try {
    const store = openLocalStore(join(work, 'store.sqlite'));
    saveConnection(store, { server_url: one.url, device_id: 'live-store', token: tokens['live-store'], role: 'store' });
    const storeEngine = new SyncEngine({ store });
    const managerStore = openLocalStore(join(work, 'manager.sqlite'));
    saveConnection(managerStore, { server_url: two.url, device_id: 'live-manager', token: tokens['live-manager'], role: 'manager' });
    const manager = new SyncEngine({ store: managerStore, live: true });
    await manager.start();
    for (let i = 0; i < 500 && manager.mode() !== 'live'; i += 1) await pause(10);
    if (manager.mode() !== 'live') throw new Error('the manager never got its live socket');

    // A bare socket on the same process splits the latency: the poke's arrival, then the pull.
    const watcher = new WebSocket(`${two.url.replace('http', 'ws')}${LIVE_PATH}`, { headers: { Authorization: `Bearer ${tokens['live-manager']}` } });
    sockets.push(watcher);
    await new Promise((resolve) => watcher.once('open', resolve));
    let poked = 0;
    watcher.on('message', (data) => {
      // ws's default binaryType ('nodebuffer') delivers a Buffer.
      if ((data as Buffer).toString().includes('"poke"')) poked = performance.now();
    });
    const has = managerStore.sqlite.prepare('SELECT 1 FROM kpi_data WHERE id = ?');
    const latencies: number[] = [];
    const pokeLatencies: number[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const kpi = createKpi(store, { metric: 'live-bench', value: trial });
      const arrived = new Promise<number>((resolve) => {
        const check = () => {
          if (!has.get(kpi.id)) return;
          manager.off('data-changed', check);
          resolve(performance.now());
        };
        manager.on('data-changed', check);
      });
      await storeEngine.syncNow('bench', 'push');
      const pushed = performance.now();
      if (!storeEngine.lastRun?.ok) throw new Error(`push failed: ${storeEngine.lastRun?.error}`);
      latencies.push((await arrived) - pushed);
      if (poked > 0) pokeLatencies.push(Math.max(0, poked - pushed));
      poked = 0;
    }
    pokeLatencies.sort((a, b) => a - b);
    await manager.stop();
    store.close();
    managerStore.close();
    latencies.sort((a, b) => a - b);

    // Idle sockets, on a fresh server process (the latency trials' garbage would blur its RSS);
    // one manager token may hold many connections.
    const idle = await startServerProcess(database.url);
    stops.push(() => idle.stop());
    await pause(1000);
    const before = rssOf(idle.pid);
    const url = `${idle.url.replace('http', 'ws')}${LIVE_PATH}`;
    for (let opened = 0; opened < SOCKETS; opened += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, SOCKETS - opened) }, () => {
          const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${tokens['live-manager']}` } });
          sockets.push(socket);
          return new Promise((resolve, reject) => {
            socket.once('open', resolve);
            socket.once('error', reject);
          });
        }),
      );
    }
    await pause(2000);
    const after = rssOf(idle.pid);
    return {
      trials: TRIALS,
      p50_ms: Number(percentile(latencies, 50).toFixed(1)),
      p99_ms: Number(percentile(latencies, 99).toFixed(1)),
      max_ms: Number(latencies.at(-1)!.toFixed(1)),
      poke_p50_ms: Number(percentile(pokeLatencies, 50).toFixed(1)),
      poke_p99_ms: Number(percentile(pokeLatencies, 99).toFixed(1)),
      sockets: SOCKETS,
      bytes_per_idle_socket: Math.round((after - before) / SOCKETS),
    };
  } finally {
    sockets.forEach((socket) => socket.terminate());
    await Promise.all(stops.map((stop) => stop()));
    await database.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

export function printLiveFigures(figures: LiveFigures): void {
  console.log(`\nlive sync, two server processes, push → manager store over ${figures.trials} trials: p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms, max ${figures.max_ms} ms (the poke alone: p50 ${figures.poke_p50_ms} ms, p99 ${figures.poke_p99_ms} ms)`);
  console.log(`live sync, ${figures.sockets} idle sockets on one server process: ${(figures.bytes_per_idle_socket / 1024).toFixed(1)} kB each (RSS growth)`);
  console.log(JSON.stringify({ workload: 'live', ...figures }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  liveBench().then(printLiveFigures, (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
