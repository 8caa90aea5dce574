// The push answer's own cost, whole rows against versions (issue 9, `answer: 'versions'`), in one
// process so both are measured under the same load, alternated push by push: a store device
// queues 500 rows (50 submissions and their 450 answers) through the real local write path, the
// server's answer is built as acceptPush builds it (storedRow, then versionsAnswer when asked),
// serialised and compressed as the HTTP door does (JSON.stringify, brotli quality 1), and the
// device reads it through the real SyncClient (decompress, JSON.parse, the answer's schema) and
// applies it (applyPushResponse). Prints bytes per push and CPU µs per row, medians.
// `npx tsx bench/push-answer.ts [pushes]` (default 40 of each).
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { PushResponse } from '../shared/protocol/sync.js';
import type { TableName } from '../shared/tables.js';
import { openTemporaryStore } from '../main/db/temporary-store.js';
import { SyncClient } from '../main/sync/http.js';
import { nextBatch, type QueuedChange } from '../main/sync/outbox.js';
import { applyPushResponse } from '../main/sync/push.js';
import { versionsAnswer } from '../server/sync/push-answer.js';
import { storedRow } from '../server/sync/rows.js';
import { makeForm, queueSubmissions, ROWS_PER_SUBMISSION, seedLocalForm } from './harness/seed.js';

const pushes = Number(process.argv[2] ?? 40);
const ROWS = 500;
const form = makeForm();

/** A fresh store with 500 queued rows; returns it and the batch the engine would send. */
function queued() {
  const store = openTemporaryStore();
  seedLocalForm(store, form);
  queueSubmissions(store, form, ROWS / ROWS_PER_SUBMISSION, 'S001');
  return { store, batch: nextBatch(store, ROWS) };
}

/** The answer acceptPush gives for a push whose every row was stored as pushed. */
function serverAnswer(batch: QueuedChange[], versions: boolean): PushResponse {
  const applied: PushResponse['applied'] = {};
  const sent: Partial<Record<TableName, Record<string, unknown>[]>> = {};
  let version = 1000;
  const now = new Date().toISOString();
  for (const { table, row } of batch) {
    // What the request body carried (the device's JSON, parsed again).
    const wire = JSON.parse(JSON.stringify(row)) as Record<string, unknown>;
    (sent[table] ??= []).push(wire);
    const held = storedRow(table, wire, { server_version: version++, server_updated_at: now, written_by: 'S001' });
    (applied[table] ??= []).push({
      ...held,
      id: row.id,
      server_version: held.server_version as number,
      change_id: row.change_id,
    });
  }
  const answer = versions ? versionsAnswer(applied, sent) : { applied };
  return { success: true, timestamp: now, ...answer, conflicts: [], duplicates: 0, rejected: [], merged: [] };
}

const cpuMicros = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Sample {
  json: number;
  compressed: number;
  serverUs: number;
  deviceUs: number;
}

async function onePush(versions: boolean): Promise<Sample> {
  const { store, batch } = queued();
  try {
    // Server: the answer's rows from what was written, then JSON and compression.
    let since = process.cpuUsage();
    const answer = serverAnswer(batch, versions);
    const json = Buffer.from(JSON.stringify(answer));
    const body = brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
    const serverUs = cpuMicros(since);
    // Device: the client's read of the answer (decompress, parse, schema), then its apply.
    const client = new SyncClient({
      serverUrl: 'http://bench.invalid',
      deviceId: 'S001',
      token: 'bench',
      gzipAboveBytes: Number.POSITIVE_INFINITY,
      fetch: () => Promise.resolve(new Response(brotliDecompressSync(body))),
    });
    since = process.cpuUsage();
    const response = await client.push({ timestamp: answer.timestamp, changes: {}, answer: 'versions' });
    applyPushResponse(store, batch, response);
    const deviceUs = cpuMicros(since);
    return { json: json.length, compressed: body.length, serverUs, deviceUs };
  } finally {
    store.remove();
  }
}

async function main() {
  const samples = { whole: [] as Sample[], versions: [] as Sample[] };
  // Warm-up (JIT), then alternated pushes.
  for (let i = 0; i < 5; i += 1) await Promise.all([onePush(false), onePush(true)]);
  for (let i = 0; i < pushes; i += 1) {
    samples.whole.push(await onePush(false));
    samples.versions.push(await onePush(true));
  }
  console.log(
    `answer to a push of ${ROWS} rows (50 submissions + 450 answers), medians of ${pushes} alternated pushes`,
  );
  console.log(
    '| answer | JSON bytes | brotli-1 bytes | server µs/row (rows, JSON, brotli) | device µs/row (read + apply) |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, list] of Object.entries(samples)) {
    console.log(
      `| ${name} | ${median(list.map((s) => s.json))} | ${median(list.map((s) => s.compressed))} | ${(median(list.map((s) => s.serverUs)) / ROWS).toFixed(1)} | ${(median(list.map((s) => s.deviceUs)) / ROWS).toFixed(1)} |`,
    );
  }
}

await main();
