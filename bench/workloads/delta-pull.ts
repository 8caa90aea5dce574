// Delta pull: a device that is up to date pulls the last 1k rows (100 submissions with their
// answers) from a server holding 1M rows, end to end through the real engine (request, server
// page query, client apply). The same delta on a 10k-row server is the reference: a delta must
// cost the same whatever the table's size. (--quick: 50k instead of 1M.)
// The device starts "up to date" without pulling the whole table (an initial sync of 1M rows takes
// minutes): its live socket says hello with no cursor, which the server answers with a poke naming
// the highest position written to the device's tables; one pull from there (no rows: seeding has
// settled) hands out the device's cursor and watermark timestamp, as a pull to the end would.
// Unmeasured deltas then warm up the server's and the device's code paths (WARM_UP), and the three
// measured pulls use real cursors.
import { join } from 'node:path';
import { metadataKeys, cursorKey, writeMetadata } from '../../main/sync/metadata.js';
import { openLocalStore } from '../../main/db/client.js';
import { saveConnection } from '../../main/sync/config.js';
import { SyncEngine } from '../../main/sync/engine.js';
import { SyncClient } from '../../main/sync/http.js';
import WebSocket from 'ws';
import { LIVE_PATH, LivePoke } from '../../shared/protocol/live.js';
import { tablesReadableBy } from '../../shared/tables.js';
import { figure, targets } from '../harness/report.js';
import { makeForm, ROWS_PER_SUBMISSION, seedServerForm, seedServerSubmissions } from '../harness/seed.js';
import { startBenchServer } from '../harness/server.js';
import { measure, median, type BenchContext, type Workload } from '../harness/workload.js';

/** A live message's text (the ws default binary type: a Buffer, or its fragments). */
const textOf = (data: WebSocket.RawData): string =>
  Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Buffer.from(new Uint8Array(data)).toString('utf8');

const DELTA = 1_000;
const RUNS = 3;
/**
 * Deltas pulled before the measured ones. A server in service and an app that has synced before
 * have compiled their pull paths; a fresh pair has not: run by run, the server's CPU for the same
 * delta fell from 30-38 ms to 17-22 ms by the seventh (bench/delta-replay.ts, docs/benchmarks.md),
 * so one warm-up delta measured mostly compilation. Both servers (1M and 10k rows) get the same.
 */
const WARM_UP = 7;

/** The highest position written to the device's tables: the poke answering a hello with no cursor. */
async function currentPosition(serverUrl: string, token: string): Promise<string> {
  const socket = new WebSocket(`${serverUrl.replace('http', 'ws')}${LIVE_PATH}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no poke answered the hello within 30 s')), 30_000);
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', cursor: null })));
      socket.on('message', (data) => {
        const poke = LivePoke.safeParse(JSON.parse(textOf(data)));
        if (!poke.success) return;
        clearTimeout(timer);
        resolve(poke.data.version);
      });
    });
  } finally {
    socket.terminate();
  }
}

async function deltaOn(
  context: BenchContext,
  serverRows: number,
): Promise<{ ms: number; serverCpuMs: number; deviceCpuMs: number }> {
  const server = await startBenchServer(`delta_${serverRows}`);
  try {
    const form = makeForm();
    await seedServerForm(server.pool, form);
    const seedStart = performance.now();
    await seedServerSubmissions(server.pool, form, Math.floor((serverRows - DELTA) / ROWS_PER_SUBMISSION));
    context.log(`seeded ${serverRows - DELTA} rows in ${Math.round(performance.now() - seedStart)} ms`);

    const token = await server.enroll('bench-delta', 'store');
    const store = openLocalStore(join(context.work, `delta-${serverRows}`, 'insight.sqlite'));
    saveConnection(store, { server_url: server.url, device_id: 'bench-delta', token, role: 'store' });
    const tables = tablesReadableBy('store');
    const client = new SyncClient({ serverUrl: server.url, deviceId: 'bench-delta', token });
    const position = await client.pull({ cursor: await currentPosition(server.url, token), tables });
    const served = Object.values(position.changes).reduce((n, rows) => n + (rows?.length ?? 0), 0);
    if (served > 0 || position.has_more) throw new Error(`placing the device at the end served ${served} rows`);
    for (const table of tables) writeMetadata(store, cursorKey(table), position.cursor);
    writeMetadata(store, metadataKeys.lastPullTimestamp, position.timestamp);

    const engine = new SyncEngine({ store, logFile: null });
    const runs: { ms: number; serverCpuMs: number; deviceCpuMs: number }[] = [];
    for (let i = 0; i < WARM_UP + RUNS; i += 1) {
      await seedServerSubmissions(server.pool, form, DELTA / ROWS_PER_SUBMISSION);
      const run = await measure(server, () => engine.syncNow('bench', 'pull'));
      const received = engine.lastRun?.pulled?.received;
      if (!engine.lastRun?.ok || received !== DELTA)
        throw new Error(`the delta pull got ${received} rows: ${engine.lastRun?.error}`);
      if (i >= WARM_UP) runs.push(run);
    }
    store.close();
    const result = {
      ms: median(runs.map((r) => r.ms)),
      serverCpuMs: median(runs.map((r) => r.serverCpuMs)),
      deviceCpuMs: median(runs.map((r) => r.deviceCpuMs)),
    };
    context.log(`delta of ${DELTA} on ${serverRows} rows: ${runs.map((r) => Math.round(r.ms)).join(', ')} ms`);
    return result;
  } finally {
    await server.dispose();
  }
}

const workload: Workload = {
  name: 'delta pull',
  async run(context) {
    const big = context.quick ? 50_000 : 1_000_000;
    const small = await deltaOn(context, 10_000);
    const large = await deltaOn(context, big);
    const label = `delta 1k of ${big >= 1e6 ? '1M' : `${big / 1000}k`}`;
    return [
      figure({
        workload: label,
        figure: 'end to end (median of 3)',
        value: large.ms,
        unit: 'ms',
        raw: small.ms,
        rawLabel: 'same delta, 10k-row server',
        target: targets.all(targets.below(50, 'ms'), targets.ratioAtMost(1.5)),
      }),
      figure({
        workload: label,
        figure: 'server CPU for the delta',
        value: large.serverCpuMs,
        unit: 'ms',
        raw: small.serverCpuMs,
        rawLabel: '10k-row server',
      }),
      figure({
        workload: label,
        figure: 'device CPU for the delta',
        value: large.deviceCpuMs,
        unit: 'ms',
        raw: small.deviceCpuMs,
        rawLabel: '10k-row server',
      }),
    ];
  },
};
export default workload;
