// The server side of every workload: a fresh PostgreSQL database, the real sync server as its own
// process (`server/main.ts`, as deployed), device enrolment, and the CPU the server process and
// the database's backends spend (read from /proc, so the figures are per process, not per host).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import { openLocalStore, type LocalStore } from '../../main/db/client.js';
import { saveConnection } from '../../main/sync/config.js';
import type { Role } from '../../shared/tables.js';
import { enrollDevice } from '../../server/auth/devices.js';
import { openDatabase, type OpenDatabase } from '../../server/db/client.js';
import { createTestDatabase, type TestDatabase } from '../../server/testing/test-server.js';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux we run on). */
const CLOCK_TICKS = 100;

/** CPU time (user + system) of a process in ms, from /proc/<pid>/stat; null once it is gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is [0], utime [11], stime [12].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000;
  } catch {
    return null;
  }
}

/**
 * Minor page faults of a process so far (field 10 of /proc/<pid>/stat); null once it is gone.
 * A fault costs ~13 µs of CPU on the bench VM: fresh memory is a share of the CPU per row.
 */
export function processMinorFaults(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
  } catch {
    return null;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => resolve(port));
    });
  });
}

export interface BenchServer {
  url: string;
  databaseUrl: string;
  /** The server process (CPU from /proc/<pid>/stat). */
  pid: number;
  /** A small pool on the bench's database, for seeding and checks (not the server's). */
  pool: pg.Pool;
  /** Enrolls a device (a store device of `store` when given: its pulls are scoped to it). */
  enroll(deviceId: string, role: Role, store?: string): Promise<string>;
  /** CPU ms of the server process and of this database's PostgreSQL backends so far. */
  cpu(): Promise<{ serverMs: number; postgresMs: number }>;
  /** Minor page faults of the server process so far. */
  faults(): number;
  dispose(): Promise<void>;
}

/**
 * A store device enrolled on `server` (of `store` when given: its pulls are scoped to it), with
 * its local store opened at `file` and connected to the server, as a device after its setup.
 */
export async function connectedStoreDevice(
  server: BenchServer,
  deviceId: string,
  file: string,
  store?: string,
): Promise<LocalStore> {
  const token = await server.enroll(deviceId, 'store', store);
  const local = openLocalStore(file);
  saveConnection(local, { server_url: server.url, device_id: deviceId, token, role: 'store' });
  return local;
}

/**
 * Starts the real server process on a fresh database (migrations applied by the server itself).
 * `checkout`: the directory whose `server/main.ts` runs (default: the current one), so one harness
 * can run two versions of the server side by side (bench/push-server.ts).
 */
export async function startBenchServer(name: string, checkout = process.cwd()): Promise<BenchServer> {
  const database: TestDatabase = await createTestDatabase(`bench_${name}`);
  let child: ChildProcess | null = null;
  let admin: OpenDatabase | null = null;
  let pool: pg.Pool | null = null;
  const dispose = async () => {
    await pool?.end().catch(() => {});
    await admin?.close().catch(() => {});
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await database.drop();
  };
  try {
    const port = await freePort();
    // BENCH_PROFILE_DIR: the server writes a V8 CPU profile there when it stops (where its time goes).
    const profile = process.env.BENCH_PROFILE_DIR
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`,
          ...(process.env.BENCH_PROFILE_INTERVAL_US
            ? [`--cpu-prof-interval=${process.env.BENCH_PROFILE_INTERVAL_US}`]
            : []),
        ]
      : [];
    // BENCH_SERVER_NODE_FLAGS: extra Node/V8 flags for the server process only (to measure a flag
    // as deployed, e.g. a young-generation size), space-separated.
    const extraFlags = process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
    child = spawn(process.execPath, [...profile, ...extraFlags, '--import', 'tsx', 'server/main.ts'], {
      cwd: checkout,
      env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const url = `http://127.0.0.1:${port}`;
    await waitUntilUp(url, child);
    admin = await openDatabase({ databaseUrl: database.url });
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    const backendCpu = backendCpuTracker(pool);
    await backendCpu.start();
    const started = child;
    const adminDb = admin;
    const seedPool = pool;
    return {
      url,
      databaseUrl: database.url,
      pid: started.pid!,
      pool: seedPool,
      enroll: (deviceId, role, store) => enrollDevice(adminDb.db, deviceId, role, 'cli', store ?? null),
      cpu: async () => ({ serverMs: processCpuMs(started.pid!) ?? 0, postgresMs: await backendCpu.read() }),
      faults: () => processMinorFaults(started.pid!) ?? 0,
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering`);
    try {
      if ((await fetch(`${url}/api/v1/sync/status`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not answer within 60 s');
}

/**
 * CPU of the PostgreSQL backends serving this database (the server's pool and ours), summed from
 * /proc. A backend that ends between two readings loses its last share, so this is a lower bound;
 * the server keeps its pool open, so in practice it is close.
 */
function backendCpuTracker(pool: pg.Pool) {
  const seen = new Map<number, number>();
  const pids = async (): Promise<number[]> => {
    const { rows } = await pool.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return rows.map((r) => r.pid);
  };
  let base = 0;
  const total = async (): Promise<number> => {
    for (const pid of await pids()) {
      const ms = processCpuMs(pid);
      if (ms !== null) seen.set(pid, ms);
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  };
  return {
    start: async () => {
      base = await total();
    },
    read: async () => (await total()) - base,
  };
}
