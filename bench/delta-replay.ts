// A replay of one delta (not a workload; issue 9): on a kept database (PROBE_DB; created and
// seeded with PROBE_ROWS rows the first time, so alternated runs of two checkouts share it),
// starts the server of THIS checkout, makes a 1k-row delta, then pulls that same delta REPLAY_RUNS times from the same
// cursor (a pull only reads, and records a watermark). It reads the CPU per request of the server,
// its backends and this process (request, decode, parse) in nanoseconds from
// /proc/<pid>/task/*/schedstat (the bench's /proc/<pid>/stat counts 10 ms ticks), with minor
// faults; then applies the page to fresh stores (the apply's CPU), and runs REPLAY_EMPTY sync runs
// of an up-to-date device (the fixed cost of a run: nothing to pull). Many repetitions of one
// request give CPU per request to a few % even on a loaded machine, where the workload's median
// of 3 cannot tell 1 ms apart. REPLAY_PROFILE=file: a CPU profile of the replays (this process);
// PROBE_SERVER_FLAGS: extra flags for the server (e.g. --cpu-prof).
//   PROBE_DB=probe_1m REPLAY_RUNS=100 REPLAY_EMPTY=100 npx tsx bench/delta-replay.ts
import { spawn } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { openLocalStore } from '../main/db/client.js';
import { SyncClient } from '../main/sync/http.js';
import { saveConnection } from '../main/sync/config.js';
import { SyncEngine } from '../main/sync/engine.js';
import { cursorKey, writeMetadata } from '../main/sync/metadata.js';
import { applyPulledPages, checkPage } from '../main/sync/pull-page.js';
import { enrollDevice } from '../server/auth/devices.js';
import { openDatabase } from '../server/db/client.js';
import { LIVE_PATH, LivePoke } from '../shared/protocol/live.js';
import { tablesReadableBy } from '../shared/tables.js';
import { makeForm, ROWS_PER_SUBMISSION, seedServerForm, seedServerSubmissions } from './harness/seed.js';

const dbName = process.env.PROBE_DB ?? 'probe_1m';
const runs = Number(process.env.REPLAY_RUNS ?? 100);
const seedRows = Number(process.env.PROBE_ROWS ?? 1_000_000);
const url = `postgres://postgres@127.0.0.1:5432/${dbName}`;

const cpuNs = (pid: number | 'self'): number => {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // gone
    }
  }
  return total;
};
const minflt = (pid: number | 'self') => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
};

const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
const created = (await admin.query('select 1 from pg_database where datname = $1', [dbName])).rowCount === 0;
if (created) await admin.query(`create database "${dbName}"`);
await admin.end();

const port = 20000 + Math.floor(Math.random() * 20000);
const server = spawn(
  process.execPath,
  [...(process.env.PROBE_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'server/main.ts'],
  {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
const serverUrl = `http://127.0.0.1:${port}`;
process.on('exit', () => server.kill('SIGTERM'));
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${serverUrl}/api/v1/sync/status`)).ok) break;
  } catch {
    if (i > 600) throw new Error('server not up');
  }
  await new Promise((r) => setTimeout(r, 100));
}
const pool = new pg.Pool({ connectionString: url, max: 2 });
const adminDb = await openDatabase({ databaseUrl: url });
const deviceId = `replay-${Date.now().toString(36)}`;
const token = await enrollDevice(adminDb.db, deviceId, 'store');
await adminDb.close();
const position = await new Promise<string>((resolve, reject) => {
  const socket = new WebSocket(`${serverUrl.replace('http', 'ws')}${LIVE_PATH}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  socket.once('error', reject);
  socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', cursor: null })));
  socket.on('message', (data) => {
    const poke = LivePoke.safeParse(JSON.parse((data as Buffer).toString('utf8')));
    if (!poke.success) return;
    socket.terminate();
    resolve(poke.data.version);
  });
});
const form = makeForm();
await seedServerForm(pool, form);
if (created) await seedServerSubmissions(pool, form, Math.floor(seedRows / ROWS_PER_SUBMISSION));
const tables = tablesReadableBy('store');
const client = new SyncClient({ serverUrl, deviceId, token });
const start = await client.pull({ cursor: position, tables });
await seedServerSubmissions(pool, form, 100);
const backends = async () =>
  (
    await pool.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    )
  ).rows.map((r) => r.pid);
const pgCpu = async () => {
  let total = 0;
  for (const pid of await backends()) {
    try {
      total += Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // gone
    }
  }
  return total;
};
const request = () => client.pull({ cursor: start.cursor, tables, limit: 10_000, with_total: true });
// Warm-up as the bench does (one), then a few more so the figures are of warm code.
const warm = Number(process.env.REPLAY_WARM ?? 5);
let page = await request();
for (let i = 1; i < warm; i++) page = await request();
if (process.env.REPLAY_DUMP) writeFileSync(process.env.REPLAY_DUMP, JSON.stringify(page));
const received = Object.values(page.changes).reduce((n, rows) => n + (rows?.length ?? 0), 0);
if (received !== 1000) throw new Error(`the delta has ${received} rows`);

const pg0 = await pgCpu();
const s0 = cpuNs(server.pid!);
const sf0 = minflt(server.pid!);
const d0 = cpuNs('self');
const df0 = minflt('self');
const session = process.env.REPLAY_PROFILE ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
}
const t0 = performance.now();
for (let i = 0; i < runs; i++) await request();
const ms = performance.now() - t0;
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(process.env.REPLAY_PROFILE!, JSON.stringify(profile));
  session.disconnect();
}
const d1 = cpuNs('self');
const df1 = minflt('self');
const s1 = cpuNs(server.pid!);
const sf1 = minflt(server.pid!);
const pg1 = await pgCpu();

// The apply, on fresh stores (as the delta's device: its tables nearly empty).
const applies = Number(process.env.REPLAY_APPLIES ?? 20);
let applyNs = 0;
let applyFlt = 0;
const folder = mkdtempSync(join(tmpdir(), 'delta-replay-'));
for (let i = 0; i < applies + 2; i++) {
  const store = openLocalStore(join(folder, `s${i}.sqlite`));
  for (const table of tables) writeMetadata(store, cursorKey(table), start.cursor);
  const checked = checkPage(page, start.cursor);
  const a0 = cpuNs('self');
  const f0 = minflt('self');
  applyPulledPages(
    store,
    [checked],
    () => tables,
    () => {},
  );
  if (i >= 2) {
    applyNs += cpuNs('self') - a0;
    applyFlt += minflt('self') - f0;
  }
  store.close();
}
// An up-to-date device's sync run with nothing to pull: the fixed cost of a run.
const emptyRuns = Number(process.env.REPLAY_EMPTY ?? 50);
const idleStore = openLocalStore(join(folder, 'idle.sqlite'));
saveConnection(idleStore, { server_url: serverUrl, device_id: deviceId, token, role: 'store' });
// Placed at the end of the replayed delta, as the workload places its device (no initial sync).
for (const table of tables) writeMetadata(idleStore, cursorKey(table), page.cursor);
const engine = new SyncEngine({ store: idleStore, logFile: null });
await engine.syncNow('catch up', 'pull');
for (let i = 0; i < 5; i++) await engine.syncNow('warm', 'pull');
const e0 = cpuNs('self');
const es0 = cpuNs(server.pid!);
for (let i = 0; i < emptyRuns; i++) await engine.syncNow('empty', 'pull');
const emptyDev = (cpuNs('self') - e0) / emptyRuns / 1e6;
const emptySrv = (cpuNs(server.pid!) - es0) / emptyRuns / 1e6;
console.log(
  `empty sync run: device ${emptyDev.toFixed(2)} ms, server ${emptySrv.toFixed(2)} ms (received ${engine.lastRun?.pulled?.received})`,
);
const per = (ns: number) => (ns / runs / 1e6).toFixed(2);
console.log(
  `${process.env.PROBE_LABEL ?? ''} ${dbName} ${runs} replays: wall ${(ms / runs).toFixed(1)} ms  server ${per(s1 - s0)} ms  pg ${per(pg1 - pg0)} ms  device(req) ${per(d1 - d0)} ms  srvFlt ${((sf1 - sf0) / runs).toFixed(0)}  devFlt ${((df1 - df0) / runs).toFixed(0)}  | apply ${(applyNs / applies / 1e6).toFixed(2)} ms, ${(applyFlt / applies).toFixed(0)} flt`,
);
await pool.end();
server.kill('SIGTERM');
process.exit(0);
