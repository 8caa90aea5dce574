// The server's share of a push, alone: real store devices' push requests (10 devices × 1000 rows,
// then 50 × 200, as `npm run bench -- push`) are captured once into a file, then posted as they
// were sent (gzip'd bodies, 500-row batches, each device's batches one after the other, all devices
// at once) to a fresh real server process, with no device work on the machine. Prints the server
// process's CPU and minor page faults per pushed row, and PostgreSQL's CPU per row.
//
//   npx tsx bench/push-server.ts capture /tmp/pushes.json
//   npx tsx bench/push-server.ts run /tmp/pushes.json      # from the worktree whose server to measure
//
// `run` starts `server/main.ts` of the current directory, so one capture can be posted to two
// versions of the server (alternated pairs) with identical bodies.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { openLocalStore } from '../main/db/client.js';
import { saveConnection } from '../main/sync/config.js';
import { SyncEngine } from '../main/sync/engine.js';
import { nodeFetch } from '../main/sync/transport.js';
import { makeForm, queueSubmissions, ROWS_PER_SUBMISSION, seedLocalForm, seedServerForm, type BenchForm } from './harness/seed.js';
import { startBenchServer, type BenchServer } from './harness/server.js';

interface CapturedPush {
  device: string;
  rows: number;
  headers: Record<string, string>;
  body: string; // base64
}
interface Capture {
  form: BenchForm;
  rounds: { name: string; pushes: CapturedPush[] }[];
}

const ROUNDS = [
  { name: 'warm-up', devices: 1, rows: 1000 },
  { name: '10', devices: 10, rows: 10_000 },
  { name: '50', devices: 50, rows: 10_000 },
];

async function capture(file: string) {
  const work = mkdtempSync(join(tmpdir(), 'push-capture-'));
  const server = await startBenchServer('push_capture');
  const form = makeForm();
  const out: Capture = { form, rounds: [] };
  try {
    await seedServerForm(server.pool, form);
    for (const round of ROUNDS) {
      const pushes: CapturedPush[] = [];
      const recording: typeof fetch = async (input, init) => {
        const url = input.toString();
        if (url.endsWith('/sync/push') && init?.body) {
          const headers = { ...(init.headers as Record<string, string>) };
          delete headers.Authorization;
          const body = Buffer.from(init.body as unknown as Buffer);
          pushes.push({ device: '', rows: 0, headers, body: body.toString('base64') });
        }
        return nodeFetch(input, init);
      };
      const perDevice = Math.floor(round.rows / ROWS_PER_SUBMISSION / round.devices);
      const engines: { id: string; engine: SyncEngine; first: number }[] = [];
      for (let d = 0; d < round.devices; d += 1) {
        const id = `bench-${round.name}-${d}`;
        const store = openLocalStore(join(work, id, 'insight.sqlite'));
        saveConnection(store, { server_url: server.url, device_id: id, token: await server.enroll(id, 'store'), role: 'store' });
        seedLocalForm(store, form);
        queueSubmissions(store, form, perDevice, id);
        engines.push({ id, engine: new SyncEngine({ store, batchSize: 500, fetch: recording, logFile: null }), first: 0 });
      }
      // One device at a time, so each captured push is known to be its device's.
      for (const e of engines) {
        const from = pushes.length;
        await e.engine.syncNow('bench', 'push');
        for (const push of pushes.slice(from)) push.device = e.id;
      }
      for (const push of pushes) {
        const body = JSON.parse(
          (await import('node:zlib')).gunzipSync(Buffer.from(push.body, 'base64')).toString(),
        ) as { changes: Record<string, unknown[]> };
        push.rows = Object.values(body.changes).reduce((n, rows) => n + rows.length, 0);
      }
      out.rounds.push({ name: round.name, pushes });
      console.log(`captured ${round.name}: ${pushes.length} pushes`);
    }
  } finally {
    await server.dispose();
  }
  writeFileSync(file, JSON.stringify(out));
}

function minorFaults(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
}

function post(url: URL, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) }, agent: false },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function postRound(server: BenchServer, tokens: Map<string, string>, pushes: CapturedPush[]) {
  const byDevice = new Map<string, CapturedPush[]>();
  for (const push of pushes) byDevice.set(push.device, [...(byDevice.get(push.device) ?? []), push]);
  const url = new URL('/api/v1/sync/push', server.url);
  const bodies = new Map(pushes.map((p) => [p, Buffer.from(p.body, 'base64')]));
  const latencies: number[] = [];
  await Promise.all(
    [...byDevice].map(async ([device, list]) => {
      for (const push of list) {
        const start = performance.now();
        const status = await post(url, { ...push.headers, Authorization: `Bearer ${tokens.get(device)}` }, bodies.get(push)!);
        latencies.push(performance.now() - start);
        if (status !== 200) throw new Error(`push of ${device} answered ${status}`);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return latencies[Math.floor(latencies.length * 0.99)] ?? 0;
}

async function run(file: string) {
  const captured = JSON.parse(readFileSync(file, 'utf8')) as Capture;
  const server = await startBenchServer('push_server');
  try {
    await seedServerForm(server.pool, captured.form);
    const results: string[] = [];
    for (const round of captured.rounds) {
      const tokens = new Map<string, string>();
      for (const device of new Set(round.pushes.map((p) => p.device))) tokens.set(device, await server.enroll(device, 'store'));
      const rows = round.pushes.reduce((n, p) => n + p.rows, 0);
      const before = { ...(await server.cpu()), faults: minorFaults(server.pid) };
      const p99 = await postRound(server, tokens, round.pushes);
      const after = { ...(await server.cpu()), faults: minorFaults(server.pid) };
      const { rows: [landed] } = await server.pool.query<{ n: string }>(
        `select count(*) as n from audit_log where device_id like $1`,
        [`bench-${round.name}-%`],
      );
      if (Number(landed!.n) !== rows) throw new Error(`${landed!.n} audit entries for ${rows} rows`);
      if (round.name === 'warm-up') continue;
      const us = (ms: number) => ((ms * 1000) / rows).toFixed(1);
      results.push(
        `${round.name} devices: server ${us(after.serverMs - before.serverMs)} µs/row, ` +
          `faults ${((after.faults - before.faults) / rows).toFixed(2)}/row, ` +
          `PostgreSQL ${us(after.postgresMs - before.postgresMs)} µs/row, p99 ${Math.round(p99)} ms`,
      );
    }
    console.log(results.join('\n'));
  } finally {
    await server.dispose();
  }
}

const [mode, file] = process.argv.slice(2);
if (mode === 'capture' && file) await capture(file);
else if (mode === 'run' && file) await run(file);
else throw new Error('usage: push-server.ts capture|run <file>');
