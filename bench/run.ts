// `npm run bench`: figures for the sync engine against a real server on a real PostgreSQL.
//   1. initial sync of 100k rows onto a fresh device (rows/s, peak RSS), at two page sizes;
//   2. push of 10k queued changes (changes/s), at two batch sizes;
//   3. live sync: push → manager store latency across two server processes, memory per idle socket.
// The server runs as its own process (so the RSS printed is the device's alone). Figures and
// ratios are printed; nothing is asserted (timings depend on the machine).
//   BENCH_ROWS (default 100000), BENCH_PUSH (default 10000), PG_ADMIN_URL as for the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../server/testing/test-server.js';
import { openLocalStore, type LocalStore } from '../main/db/client.js';
import { localTransaction } from '../main/db/outbox.js';
import { saveConnection } from '../main/sync/config.js';
import { SyncEngine } from '../main/sync/engine.js';
import { liveBench, printLiveFigures } from './live.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const PUSH = Number(process.env.BENCH_PUSH ?? 10_000);
const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'insight-bench-'));
const children: ChildProcess[] = [];

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}: ${out}`))));
  });
}

async function startServer(databaseUrl: string): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(`${url}/api/v1/sync/status`)).ok) return url;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

async function enroll(databaseUrl: string, deviceId: string, role: string): Promise<string> {
  const out = await run(['server/cli/device-add.ts', deviceId, '--role', role], { DATABASE_URL: databaseUrl });
  return out.trim().split('\n').at(-1)!.trim();
}

function device(name: string, url: string, deviceId: string, token: string, role: 'manager' | 'store'): LocalStore {
  const store = openLocalStore(join(work, name, 'insight.sqlite'));
  saveConnection(store, { server_url: url, device_id: deviceId, token, role });
  return store;
}

/** Runs `work` while sampling this process's RSS; returns the time and the peak. */
async function measure(work: () => Promise<void>): Promise<{ ms: number; peakRss: number }> {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  clearInterval(sampler);
  return { ms, peakRss: Math.max(peak, process.memoryUsage().rss) };
}

async function main() {
  const database = await createTestDatabase('bench');
  try {
    const url = await startServer(database.url);
    const [storeToken, storeToken2, managerToken, managerToken2] = await Promise.all([
      enroll(database.url, 'bench-store', 'store'),
      enroll(database.url, 'bench-store-2', 'store'),
      enroll(database.url, 'bench-manager', 'manager'),
      enroll(database.url, 'bench-manager-2', 'manager'),
    ]);
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const seedStart = performance.now();
    await pool.query(
      `insert into kpi_data (id, updated_at, metric, value, store_id, period, written_by)
       select gen_random_uuid(), now(), 'sales', g, 'S' || (g % 50), '2026-11', 'bench-seed' from generate_series(1, $1::int) g`,
      [ROWS],
    );
    await pool.end();
    console.log(`seeded ${ROWS} kpi_data rows on the server in ${Math.round(performance.now() - seedStart)} ms\n`);

    const pulls: { page: number; ms: number; peakRss: number }[] = [];
    for (const [page, token, id] of [
      [1000, storeToken, 'bench-store'],
      [5000, storeToken2, 'bench-store-2'],
    ] as const) {
      const store = device(`pull-${page}`, url, id, token, 'store');
      const engine = new SyncEngine({ store, pageSize: page, logFile: join(work, `pull-${page}.log`) });
      const result = await measure(() => engine.syncNow('bench'));
      if (!engine.lastRun?.ok || engine.lastRun.pulled?.received !== ROWS) throw new Error(`pull failed: ${engine.lastRun?.error}`);
      pulls.push({ page, ...result });
      const applyMs = engine.lastRun.pulled.applyMs;
      console.log(`initial sync, ${ROWS} rows, page ${page}: ${Math.round(result.ms)} ms, ${rate(ROWS, result.ms)} rows/s, peak RSS ${mb(result.peakRss)} (applying pages locally: ${Math.round(applyMs)} ms, ${rate(ROWS, applyMs)} rows/s)`);
      store.close();
    }

    const pushes: { batch: number; ms: number; writeMs: number }[] = [];
    for (const [batch, token, id] of [
      [500, managerToken, 'bench-manager'],
      [2000, managerToken2, 'bench-manager-2'],
    ] as const) {
      const store = device(`push-${batch}`, url, id, token, 'manager');
      const at = new Date().toISOString();
      const writeStart = performance.now();
      localTransaction(store, (local) => {
        for (let i = 0; i < PUSH; i += 1) {
          local.write('kpi_data', { id: randomUUID(), metric: 'footfall', value: i, store_id: `S${i % 50}`, updated_at: at }, 'INSERT');
        }
      });
      const writeMs = performance.now() - writeStart;
      const engine = new SyncEngine({ store, batchSize: batch, logFile: join(work, `push-${batch}.log`) });
      const result = await measure(() => engine.syncNow('bench', 'push'));
      if (!engine.lastRun?.ok || engine.lastRun.pushed?.pushed !== PUSH) throw new Error(`push failed: ${engine.lastRun?.error}`);
      pushes.push({ batch, ms: result.ms, writeMs });
      console.log(`push of ${PUSH} queued changes, batch ${batch}: ${Math.round(result.ms)} ms, ${rate(PUSH, result.ms)} changes/s (queued locally in ${Math.round(writeMs)} ms, ${rate(PUSH, writeMs)} writes/s)`);
      store.close();
    }

    const [p1, p5] = pulls;
    const [b500, b2000] = pushes;
    console.log('\nratios');
    console.log(`  pull page 5000 vs 1000:        ${(p1!.ms / p5!.ms).toFixed(2)}x faster`);
    console.log(`  push batch 2000 vs 500:        ${(b500!.ms / b2000!.ms).toFixed(2)}x faster`);
    console.log(`  pull rows/s vs push changes/s: ${(rate(ROWS, p1!.ms) / rate(PUSH, b500!.ms)).toFixed(2)} (page 1000, batch 500)`);
    console.log(`  peak RSS per 1k pulled rows:   ${(p1!.peakRss / 1024 / (ROWS / 1000)).toFixed(1)} kB (page 1000)`);

    // 3. live sync (bench/live.ts): its own database and two server processes of its own.
    printLiveFigures(await liveBench());
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await database.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
});
