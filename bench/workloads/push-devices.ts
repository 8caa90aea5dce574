// Many devices pushing at once: 10k rows (1k submissions with nine answers each) queued through
// the real local write path on D store devices (each its own SQLite file and SyncEngine), then
// pushed all at the same moment to the real server process. Measured at 10 and at 50 devices
// (the throughput should grow with the devices), each against a raw PostgreSQL UNNEST upsert of
// the same rows with their audit rows, in the same batches (bench/harness/baselines.ts). Then the
// devices' own requests are posted again as new pushes with no device work on the machine: the
// server's side alone, as with devices that are phones (bench/harness/push-replay.ts).
import { join } from 'node:path';
import type { LocalStore } from '../../main/db/client.js';
import { SyncEngine } from '../../main/sync/engine.js';
import { nodeFetch } from '../../main/sync/transport.js';
import { createRawTables, rawConnections, rawPgUpsert, type PushShare } from '../harness/baselines.js';
import { freshCopy, postAtOnce, recordingFetch, type RecordedPush } from '../harness/push-replay.js';
import { figure, targets, type Figure } from '../harness/report.js';
import {
  makeForm,
  queueSubmissions,
  ROWS_PER_SUBMISSION,
  seedLocalForm,
  seedServerForm,
  type BenchForm,
} from '../harness/seed.js';
import { connectedStoreDevice, startBenchServer, type BenchServer } from '../harness/server.js';
import { measure, microsPerRow, percentile, perSecond, type BenchContext, type Workload } from '../harness/workload.js';

const BATCH_SIZE = 500;

interface Device {
  id: string;
  store: LocalStore;
  engine: SyncEngine;
  share: PushShare;
}

async function pushAtOnce(
  context: BenchContext,
  server: BenchServer,
  form: BenchForm,
  deviceCount: number,
  rows: number,
  name = `${deviceCount}`,
): Promise<Figure[]> {
  const label = `${deviceCount} devices push ${rows / 1000}k`;
  const latencies: number[] = [];
  // Every push request timed from send to the last byte of the answer, over the engine's own
  // transport: until the engine has read the body (SyncClient reads it whole with text(), right
  // away). The response is handed over as it came: copying the body into a new Response, as this
  // did before, was device CPU in the measured window that a real device does not spend.
  const timedFetch: typeof fetch = async (input, init) => {
    const start = performance.now();
    const response = await nodeFetch(input, init);
    const url = input instanceof Request ? input.url : input.toString();
    if (!url.endsWith('/sync/push')) return response;
    const text = response.text.bind(response);
    response.text = async () => {
      try {
        return await text();
      } finally {
        latencies.push(performance.now() - start);
      }
    };
    return response;
  };
  const perDevice = Math.floor(rows / ROWS_PER_SUBMISSION / deviceCount);
  const recorded: RecordedPush[] = [];
  const devices: Device[] = [];
  for (let d = 0; d < deviceCount; d += 1) {
    const id = `bench-${name}-${d}`;
    const store = await connectedStoreDevice(server, id, join(context.work, id, 'insight.sqlite'));
    seedLocalForm(store, form);
    const share = queueSubmissions(store, form, perDevice, id);
    devices.push({
      id,
      store,
      share,
      engine: new SyncEngine({
        store,
        batchSize: BATCH_SIZE,
        fetch: recordingFetch(id, recorded, timedFetch),
        logFile: null,
      }),
    });
  }
  const total = devices.reduce((n, d) => n + d.share.reduce((m, t) => m + t.rows.length, 0), 0);
  context.log(`${deviceCount} devices queued ${total} rows`);

  const run = await measure(server, () => Promise.all(devices.map((d) => d.engine.syncNow('bench', 'push'))));
  let duplicatesReported = 0;
  for (const device of devices) {
    const last = device.engine.lastRun;
    if (!last?.ok || last.pushed?.pushed !== device.share.reduce((m, t) => m + t.rows.length, 0)) {
      throw new Error(`${device.id} did not push everything: ${last?.error ?? JSON.stringify(last?.pushed)}`);
    }
    duplicatesReported += last.pushed.duplicates;
    device.store.close();
  }
  // Exactly once: one audit entry per change and one row per record on the server.
  const {
    rows: [check],
  } = await server.pool.query<{ audit: string; distinct_changes: string; landed: string }>(
    `select count(*) as audit, count(distinct (device_id, change_id)) as distinct_changes,
            (select count(*) from submissions where store_id like $1) + (select count(*) from submission_answers a join submissions s on s.id = a.submission_id where s.store_id like $1) as landed
     from audit_log where device_id like $1`,
    [`bench-${name}-%`],
  );
  const duplicates = Number(check!.audit) - Number(check!.distinct_changes) + duplicatesReported;
  if (Number(check!.landed) !== total)
    throw new Error(`${check!.landed} rows landed on the server, ${total} were pushed`);
  context.log(
    `pushed ${total} rows in ${Math.round(run.ms)} ms; p99 push ${Math.round(percentile(latencies, 99))} ms over ${latencies.length} pushes`,
  );

  const raw = await rawPgUpsert(
    server.databaseUrl,
    devices.map((d) => ({ deviceId: d.id, share: d.share })),
    BATCH_SIZE,
    async () => (await server.cpu()).postgresMs,
  );
  context.log(`raw upsert + audit of ${raw.rows} rows in ${Math.round(raw.ms)} ms`);
  await server.pool.query('truncate raw_submissions, raw_submission_answers, raw_audit_log');
  const replay = await replayWithoutDevices(server, form, recorded, total);
  context.log(
    `the same pushes replayed without the devices in ${Math.round(replay.ms)} ms, ` +
      `server ${Math.round(replay.serverCpuMs)} ms and PostgreSQL ${Math.round(replay.postgresCpuMs)} ms of CPU`,
  );

  const rate = perSecond(total, run.ms);
  return [
    figure({
      workload: label,
      figure: 'rows/s (vs raw upsert + audit)',
      value: rate,
      unit: 'rows/s',
      raw: perSecond(raw.rows, raw.ms),
      rawLabel: `UNNEST, ${rawConnections(deviceCount)} connections`,
      target: targets.ratioAtLeast(0.5),
    }),
    // Every device pushes at the same moment, so the last pushes finish when the whole burst does:
    // the raw figure beside it is the same for the bare upserts (each batch's transaction, begin
    // to commit, under the same concurrency), the floor this machine sets for the target.
    figure({
      workload: label,
      figure: 'p99 push latency',
      value: percentile(latencies, 99),
      unit: 'ms',
      raw: percentile(raw.batchMs, 99),
      rawLabel: `raw batch p99, ${rawConnections(deviceCount)} connections`,
      target: targets.below(250, 'ms'),
      note: `${latencies.length} pushes`,
    }),
    figure({ workload: label, figure: 'duplicates', value: duplicates, unit: '', target: targets.equals(0) }),
    figure({
      workload: label,
      figure: 'CPU per row, devices',
      value: microsPerRow(run.deviceCpuMs, total),
      unit: 'µs',
    }),
    figure({
      workload: label,
      figure: 'CPU per row, server process',
      value: microsPerRow(run.serverCpuMs, total),
      unit: 'µs',
    }),
    // Beside it, what PostgreSQL spends per row on the raw upserts + audit rows alone.
    figure({
      workload: label,
      figure: 'CPU per row, PostgreSQL',
      value: microsPerRow(run.postgresCpuMs, total),
      unit: 'µs',
      raw: raw.postgresCpuMs === null ? null : microsPerRow(raw.postgresCpuMs, raw.rows),
      rawLabel: 'raw upsert + audit',
    }),
    // The server's side alone: the same requests posted again with no device work on the machine,
    // as a server whose devices are phones sees them. No target: the targets are the figures above.
    figure({
      workload: label,
      figure: 'rows/s, the same pushes replayed without the devices',
      value: perSecond(total, replay.ms),
      unit: 'rows/s',
      raw: perSecond(raw.rows, raw.ms),
      rawLabel: `UNNEST, ${rawConnections(deviceCount)} connections`,
    }),
    figure({
      workload: label,
      figure: 'p99 push latency, replayed without the devices',
      value: percentile(replay.latencies, 99),
      unit: 'ms',
      raw: percentile(raw.batchMs, 99),
      rawLabel: `raw batch p99, ${rawConnections(deviceCount)} connections`,
    }),
  ];
}

/**
 * The devices' recorded push requests posted again, as new pushes (fresh ids, devices renamed and
 * enrolled) and in the same order (each device's one after the other, every device at once), by
 * this process alone: its CPU is a socket write per request, not a device's work. Checked like
 * the devices' pushes: every row lands once.
 */
async function replayWithoutDevices(server: BenchServer, form: BenchForm, recorded: RecordedPush[], total: number) {
  const kept = new Set([form.form.id, ...form.fields.map((field) => field.id)]);
  const uuids = new Map<string, string>();
  const copies = recorded.map((push) => freshCopy(push, uuids, `${push.device}-replay`, kept));
  const tokens = new Map<string, string>();
  for (const device of new Set(copies.map((push) => push.device))) {
    tokens.set(device, await server.enroll(device, 'store'));
  }
  const run = await measure(server, () => postAtOnce(server.url, tokens, copies));
  const {
    rows: [check],
  } = await server.pool.query<{ audit: string; distinct_changes: string }>(
    `select count(*) as audit, count(distinct change_id) as distinct_changes from audit_log where device_id = any($1)`,
    [[...tokens.keys()]],
  );
  if (Number(check!.audit) !== total || Number(check!.distinct_changes) !== total) {
    throw new Error(
      `the replayed pushes left ${check!.audit} audit entries (${check!.distinct_changes} changes) for ${total} rows`,
    );
  }
  return { ms: run.ms, latencies: run.result, serverCpuMs: run.serverCpuMs, postgresCpuMs: run.postgresCpuMs };
}

const workload: Workload = {
  name: 'push',
  async run(context) {
    const rows = context.quick ? 1_000 : 10_000;
    const server = await startBenchServer('push');
    try {
      const form = makeForm();
      await seedServerForm(server.pool, form);
      await createRawTables(server.pool, ['submissions', 'submission_answers']);
      // A server that has just started compiles its push path on the first pushes and grows its
      // heap to its working size (fresh memory: page faults, ~13 µs each on our build VMs); a
      // server in service did both long ago. In a harness replaying the same round to one server
      // process, the first round cost the server 90-120 µs of CPU per row, the third 45-75. So a
      // whole round of ten devices is pushed before the measured ones (not measured), as the raw
      // upserts' connections run their statements once before their clock starts.
      await pushAtOnce(context, server, form, 10, rows, 'warm-up');
      const ten = await pushAtOnce(context, server, form, 10, rows);
      const fifty = await pushAtOnce(context, server, form, 50, rows);
      const growth = fifty[0]!.value / ten[0]!.value;
      return [
        ...ten,
        ...fifty,
        // Beside it, how the raw upserts' throughput changes from 10 to 50 connections.
        figure({
          workload: 'push 10 → 50 devices',
          figure: 'throughput growth',
          value: growth,
          unit: '×',
          raw: fifty[0]!.raw! / ten[0]!.raw!,
          rawLabel: 'raw upsert, 10 → 50 connections',
          target: targets.above(1, '> 1× (grows)'),
        }),
      ];
    } finally {
      await server.dispose();
    }
  },
};
export default workload;
