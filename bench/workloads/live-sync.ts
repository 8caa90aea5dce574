// Live sync with two server processes on one PostgreSQL database (the deployed shape: a push
// through one process must reach a manager connected to another, over NOTIFY/LISTEN):
//  - latency: a store device pushes one KPI row through process 1; a manager (a real SyncEngine
//    with `live: true` on a real SQLite file) holds its live socket on process 2. Each trial times
//    from the push returning to the row being in the manager's store; a bare socket on process 2
//    times the poke alone. 200 trials, one at a time (--quick: 30).
//  - memory: a fresh server process's RSS (from /proc) before and after 1,000 idle live sockets
//    connect and settle, divided among them (--quick: 200).
// The raw limit of the latency is what live sync is built from, done bare in the same run: a
// NOTIFY round trip between two PostgreSQL connections (the cross-process hop; the poke's limit),
// then one pull of the new row over HTTP from process 2 (`SyncClient.pull`, the manager's token
// and tables, from its last cursor). The end-to-end figure cannot beat NOTIFY + that pull.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { LIVE_PATH } from '../../shared/protocol/live.js';
import { tablesReadableBy } from '../../shared/tables.js';
import { openLocalStore } from '../../main/db/client.js';
import { createKpi } from '../../main/repos/index.js';
import { saveConnection } from '../../main/sync/config.js';
import { SyncEngine } from '../../main/sync/engine.js';
import { SyncClient } from '../../main/sync/http.js';
import { startServerProcess, type ServerProcess } from '../../server/testing/server-process.js';
import { figure, targets, type Figure } from '../harness/report.js';
import { startBenchServer, type BenchServer } from '../harness/server.js';
import { percentile, type BenchContext, type Workload } from '../harness/workload.js';

const LABEL = 'live sync, 2 server processes';
/** A live message's text (the ws default binary type: a Buffer, or its fragments). */
const textOf = (data: WebSocket.RawData): string =>
  Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Buffer.from(new Uint8Array(data)).toString('utf8');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

function openSocket(url: string, token: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}${LIVE_PATH}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

interface Latencies {
  endToEnd: number[];
  poke: number[];
}

/** Push → manager store, one trial at a time, with the poke timed on a bare socket alongside. */
async function latencyTrials(
  context: BenchContext,
  one: BenchServer,
  two: ServerProcess,
  tokens: { store: string; manager: string },
  trials: number,
): Promise<Latencies> {
  const store = openLocalStore(join(context.work, 'store', 'insight.sqlite'));
  saveConnection(store, { server_url: one.url, device_id: 'live-store', token: tokens.store, role: 'store' });
  const storeEngine = new SyncEngine({ store, logFile: null });
  const managerStore = openLocalStore(join(context.work, 'manager', 'insight.sqlite'));
  saveConnection(managerStore, {
    server_url: two.url,
    device_id: 'live-manager',
    token: tokens.manager,
    role: 'manager',
  });
  const manager = new SyncEngine({ store: managerStore, live: true, logFile: null });
  const watcher = await openSocket(two.url, tokens.manager);
  try {
    await manager.start();
    for (let i = 0; i < 1000 && manager.mode() !== 'live'; i += 1) await pause(10);
    if (manager.mode() !== 'live') throw new Error('the manager never got its live socket');
    let poked = 0;
    watcher.on('message', (data) => {
      if (textOf(data).includes('"poke"')) poked = performance.now();
    });
    const has = managerStore.sqlite.prepare('SELECT 1 FROM kpi_data WHERE id = ?');
    const result: Latencies = { endToEnd: [], poke: [] };
    for (let trial = 0; trial < trials; trial += 1) {
      poked = 0;
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
      result.endToEnd.push((await arrived) - pushed);
      // The bare socket's poke normally lands with the manager's; wait for it so it is not
      // counted in the next trial.
      for (let i = 0; i < 200 && poked === 0; i += 1) await pause(10);
      // NOTIFY may reach process 2 before the push's answer reaches us: that poke took no time.
      if (poked > 0) result.poke.push(Math.max(0, poked - pushed));
    }
    context.log(`${trials} trials; ${result.poke.length} pokes seen on the bare socket`);
    if (result.poke.length === 0) throw new Error('the bare socket on process 2 saw no poke');
    return result;
  } finally {
    watcher.terminate();
    await manager.stop();
    store.close();
    managerStore.close();
  }
}

/**
 * The raw limit, `trials` times: the store pushes a row (not timed), then a NOTIFY round trip
 * between two connections of this process, then a bare pull of the manager's tables from its last
 * cursor on process 2, which must bring the row.
 */
async function rawTrials(
  context: BenchContext,
  one: BenchServer,
  two: ServerProcess,
  tokens: { store: string; manager: string },
  trials: number,
): Promise<{ notify: number[]; notifyAndPull: number[] }> {
  // The store device of the trials, reopened (its file is kept).
  const store = openLocalStore(join(context.work, 'store', 'insight.sqlite'));
  saveConnection(store, { server_url: one.url, device_id: 'live-store', token: tokens.store, role: 'store' });
  const storeEngine = new SyncEngine({ store, logFile: null });
  const client = new SyncClient({ serverUrl: two.url, deviceId: 'live-manager', token: tokens.manager });
  const tables = tablesReadableBy('manager');
  const listener = new pg.Client({ connectionString: one.databaseUrl });
  const notifier = new pg.Client({ connectionString: one.databaseUrl });
  await Promise.all([listener.connect(), notifier.connect()]);
  try {
    await listener.query('LISTEN bench_live_raw');
    // Start from the manager's end of the stream, so each pull below brings exactly the new row.
    let cursor: string | null = null;
    for (let more = true; more;) {
      const page = await client.pull({ cursor, tables, limit: 5000 });
      cursor = page.cursor;
      more = page.has_more;
    }
    const result = { notify: [] as number[], notifyAndPull: [] as number[] };
    for (let trial = 0; trial < trials; trial += 1) {
      const kpi = createKpi(store, { metric: 'live-bench-raw', value: trial });
      await storeEngine.syncNow('bench', 'push');
      if (!storeEngine.lastRun?.ok) throw new Error(`push failed: ${storeEngine.lastRun?.error}`);
      const heard = new Promise<number>((resolve) => listener.once('notification', () => resolve(performance.now())));
      const start = performance.now();
      await notifier.query(`NOTIFY bench_live_raw, '${trial}'`);
      const notified = await heard;
      const page = await client.pull({ cursor, tables });
      const pulled = performance.now();
      // Asked without a row format: rows come as objects.
      const rows = page.changes.kpi_data as Record<string, unknown>[] | undefined;
      if (!rows?.some((row) => row.id === kpi.id)) throw new Error('the bare pull did not bring the new row');
      cursor = page.cursor;
      result.notify.push(notified - start);
      result.notifyAndPull.push(pulled - start);
    }
    return result;
  } finally {
    await Promise.all([listener.end(), notifier.end()]);
    store.close();
  }
}

/** RSS growth of a fresh server process per idle live socket. */
async function idleSockets(context: BenchContext, databaseUrl: string, token: string, count: number): Promise<number> {
  const idle = await startServerProcess(databaseUrl);
  const sockets: WebSocket[] = [];
  try {
    await pause(1000);
    const pid = idle.pid;
    if (pid === null) throw new Error('the idle-socket server process is not running');
    const before = rssBytes(pid);
    for (let opened = 0; opened < count; opened += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, count - opened) }, () => openSocket(idle.url, token)),
      );
      sockets.push(...batch);
    }
    await pause(2000);
    const after = rssBytes(pid);
    context.log(`${count} idle sockets: RSS ${Math.round(before / 2 ** 20)} → ${Math.round(after / 2 ** 20)} MB`);
    return (after - before) / count;
  } finally {
    sockets.forEach((socket) => socket.terminate());
    await idle.stop();
  }
}

const workload: Workload = {
  name: 'live sync',
  async run(context): Promise<Figure[]> {
    const trials = context.quick ? 30 : 200;
    const socketCount = context.quick ? 200 : 1000;
    const one = await startBenchServer('live');
    let two: ServerProcess | null = null;
    try {
      two = await startServerProcess(one.databaseUrl);
      const tokens = {
        store: await one.enroll('live-store', 'store'),
        manager: await one.enroll('live-manager', 'manager'),
      };
      const live = await latencyTrials(context, one, two, tokens, trials);
      const raw = await rawTrials(context, one, two, tokens, trials);
      const perSocket = await idleSockets(context, one.databaseUrl, tokens.manager, socketCount);
      const floor = 'NOTIFY round trip + bare pull of the row';
      return [
        figure({
          workload: LABEL,
          figure: `push → manager store, p50 (${trials} trials)`,
          value: percentile(live.endToEnd, 50),
          unit: 'ms',
          raw: percentile(raw.notifyAndPull, 50),
          rawLabel: floor,
          target: targets.below(100, 'ms'),
        }),
        figure({
          workload: LABEL,
          figure: `push → manager store, p99 (${trials} trials)`,
          value: percentile(live.endToEnd, 99),
          unit: 'ms',
          raw: percentile(raw.notifyAndPull, 99),
          rawLabel: floor,
          target: targets.below(500, 'ms'),
        }),
        figure({
          workload: LABEL,
          figure: 'push → poke on a bare socket, p50',
          value: percentile(live.poke, 50),
          unit: 'ms',
          raw: percentile(raw.notify, 50),
          rawLabel: 'NOTIFY round trip',
        }),
        figure({
          workload: LABEL,
          figure: 'push → poke on a bare socket, p99',
          value: percentile(live.poke, 99),
          unit: 'ms',
          raw: percentile(raw.notify, 99),
          rawLabel: 'NOTIFY round trip',
        }),
        figure({
          workload: `${socketCount} idle live sockets`,
          figure: 'memory per socket (server RSS growth)',
          value: perSocket / 1024,
          unit: 'KB',
          target: targets.below(100, 'KB'),
        }),
      ];
    } finally {
      await two?.stop();
      await one.dispose();
    }
  },
};
export default workload;
