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
import { SyncEngine } from '../main/sync/engine.js';
import { nodeFetch } from '../main/sync/transport.js';
import {
  makeForm,
  queueSubmissions,
  ROWS_PER_SUBMISSION,
  seedLocalForm,
  seedServerForm,
  type BenchForm,
} from './harness/seed.js';
import { freshCopy, postAtOnce, recordingFetch, rowsIn, type RecordedPush } from './harness/push-replay.js';
import { connectedStoreDevice, startBenchServer, type BenchServer } from './harness/server.js';
import { percentile } from './harness/workload.js';

/** The capture file: each push's body as base64. */
type CapturedPush = Omit<RecordedPush, 'body'> & { body: string; rows: number };
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
      const pushes: RecordedPush[] = [];
      const perDevice = Math.floor(round.rows / ROWS_PER_SUBMISSION / round.devices);
      const engines: SyncEngine[] = [];
      for (let d = 0; d < round.devices; d += 1) {
        const id = `bench-${round.name}-${d}`;
        const store = await connectedStoreDevice(server, id, join(work, id, 'insight.sqlite'));
        seedLocalForm(store, form);
        queueSubmissions(store, form, perDevice, id);
        const fetch = recordingFetch(id, pushes, nodeFetch);
        engines.push(new SyncEngine({ store, batchSize: 500, fetch, logFile: null }));
      }
      for (const engine of engines) await engine.syncNow('bench', 'push');
      out.rounds.push({
        name: round.name,
        pushes: pushes.map((push) => ({ ...push, rows: rowsIn(push), body: push.body.toString('base64') })),
      });
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

interface Tally {
  serverMs: number;
  postgresMs: number;
  faults: number;
  rows: number;
}

async function measureRound(server: BenchServer, pushes: (RecordedPush & { rows: number })[], tally?: Tally) {
  const tokens = new Map<string, string>();
  for (const device of new Set(pushes.map((p) => p.device))) tokens.set(device, await server.enroll(device, 'store'));
  const rows = pushes.reduce((n, p) => n + p.rows, 0);
  const before = { ...(await server.cpu()), faults: minorFaults(server.pid) };
  const p99 = percentile(await postAtOnce(server.url, tokens, pushes), 99);
  const after = { ...(await server.cpu()), faults: minorFaults(server.pid) };
  const devices = [...tokens.keys()];
  const {
    rows: [landed],
  } = await server.pool.query<{ n: string }>(`select count(*) as n from audit_log where device_id = any($1)`, [
    devices,
  ]);
  if (Number(landed!.n) !== rows) throw new Error(`${landed!.n} audit entries for ${rows} rows`);
  const round = {
    serverMs: after.serverMs - before.serverMs,
    postgresMs: after.postgresMs - before.postgresMs,
    faults: after.faults - before.faults,
    rows,
  };
  if (tally) for (const key of Object.keys(round) as (keyof Tally)[]) tally[key] += round[key];
  return { ...round, p99 };
}

/**
 * Posts every captured round to one server per checkout (fresh copies, so each is a new push),
 * alternating the servers round by round, `repeat` times; prints per round and in total the
 * server's CPU and faults per row, and PostgreSQL's CPU per row.
 */
async function run(file: string, checkouts: string[], repeat: number) {
  const captured = JSON.parse(readFileSync(file, 'utf8')) as Capture;
  const rounds = captured.rounds.map(({ name, pushes }) => ({
    name,
    pushes: pushes.map((push) => ({ ...push, body: Buffer.from(push.body, 'base64') })),
  }));
  const formIds = new Set([captured.form.form.id, ...captured.form.fields.map((field) => field.id)]);
  const servers: BenchServer[] = [];
  try {
    for (const [i, spec] of checkouts.entries()) {
      // `dir` or `dir|--flag --flag`: the server of that checkout, with those Node/V8 flags.
      const [checkout, flags] = spec.split('|');
      process.env.BENCH_SERVER_NODE_FLAGS = flags ?? '';
      const server = await startBenchServer(`push_server_${i}`, checkout);
      servers.push(server);
      await seedServerForm(server.pool, captured.form);
    }
    const warmUp = rounds.find((r) => r.name === 'warm-up')!;
    for (const server of servers) await measureRound(server, warmUp.pushes);
    const measured = rounds.filter((r) => r.name !== 'warm-up');
    const tallies = new Map<string, Tally>();
    const us = (ms: number, rows: number) => ((ms * 1000) / rows).toFixed(1);
    for (let r = 0; r < repeat; r += 1) {
      for (const round of measured) {
        // Alternate which server goes first.
        const order = r % 2 === 0 ? servers.map((s, i) => i) : servers.map((s, i) => servers.length - 1 - i);
        const copies = servers.map((_, i) => {
          const uuids = new Map<string, string>();
          return round.pushes.map((push) => freshCopy(push, uuids, `${push.device}-r${r}-s${i}`, formIds));
        });
        const line: string[] = [];
        for (const i of order) {
          const key = `${i} ${round.name}`;
          const tally = tallies.get(key) ?? { serverMs: 0, postgresMs: 0, faults: 0, rows: 0 };
          tallies.set(key, tally);
          const m = await measureRound(servers[i]!, copies[i]!, tally);
          line[i] =
            `server ${us(m.serverMs, m.rows)} µs/row, ${(m.faults / m.rows).toFixed(2)} faults/row, ` +
            `PostgreSQL ${us(m.postgresMs, m.rows)}, p99 ${Math.round(m.p99)} ms`;
        }
        console.log(`repeat ${r}, ${round.name} devices: ${line.map((l, i) => `[${i}] ${l}`).join(' | ')}`);
      }
    }
    for (const [key, t] of tallies) {
      console.log(
        `total [${key} devices] server ${us(t.serverMs, t.rows)} µs/row, ${(t.faults / t.rows).toFixed(2)} faults/row, PostgreSQL ${us(t.postgresMs, t.rows)} µs/row`,
      );
    }
  } finally {
    for (const server of servers) await server.dispose();
  }
}

const [mode, file, ...rest] = process.argv.slice(2);
const repeat = Number(process.env.REPEAT ?? 3);
if (mode === 'capture' && file) await capture(file);
else if (mode === 'run' && file) await run(file, rest.length > 0 ? rest : [process.cwd()], repeat);
else throw new Error('usage: push-server.ts capture <file> | run <file> [checkout…]');
