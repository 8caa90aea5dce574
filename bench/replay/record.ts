// Records the answers of one initial sync, bodies as they came off the wire (compressed), for
// replay.ts: seeds a bench server with `rows` rows, pulls them through a real SyncEngine whose
// fetch keeps each answer, and writes them with an index (request path and cursor → file) into
// `folder`. `npx tsx bench/replay/record.ts rows folder`
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { SyncEngine } from '../../main/sync/engine.js';
import { seedServerRows } from '../harness/seed.js';
import { connectedStoreDevice, startBenchServer } from '../harness/server.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const out = process.argv[3];
if (!out) throw new Error('usage: record.ts rows folder');
mkdirSync(out, { recursive: true });

interface RecordedAnswer {
  /** `${path}|${cursor}`: what serve.mjs answers it to. */
  key: string;
  file: string;
  status: number;
  headers: Record<string, string>;
}
const index: RecordedAnswer[] = [];

/** A fetch on node:http that keeps each answer's raw body and hands the engine a decoded Response. */
const recordingFetch = ((input: RequestInfo | URL, init: RequestInit = {}) => {
  const url = new URL(input instanceof Request ? input.url : input);
  const body = init.body as Buffer | undefined;
  const headers = init.headers as Record<string, string>;
  const sent = body ? (headers['Content-Encoding'] === 'gzip' ? gunzipSync(body) : body).toString() : '{}';
  const key = `${url.pathname}|${(JSON.parse(sent) as { cursor?: string | null }).cursor ?? ''}`;
  return new Promise<Response>((resolve, reject) => {
    const outgoing = request(url, { method: init.method, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const raw = Buffer.concat(chunks);
        const file = `${index.length}.bin`;
        writeFileSync(join(out, file), raw);
        const kept = Object.fromEntries(
          Object.entries(answer.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
        );
        index.push({ key, file, status: answer.statusCode!, headers: kept });
        const encoding = answer.headers['content-encoding'];
        const plain = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
        const decoded = new Headers(kept);
        decoded.delete('content-encoding');
        decoded.delete('content-length');
        resolve(new Response(plain, { status: answer.statusCode, headers: decoded }));
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}) as typeof fetch;

const server = await startBenchServer(`record_${rows}`);
const folder = mkdtempSync(join(tmpdir(), 'insight-record-'));
try {
  await seedServerRows(server.pool, rows);
  const store = await connectedStoreDevice(server, 'bench-replay', join(folder, 'insight.sqlite'));
  const engine = new SyncEngine({ store, logFile: null, fetch: recordingFetch });
  await engine.syncNow('bench', 'pull');
  store.close();
  if (!engine.lastRun?.ok) throw new Error(`the pull failed: ${engine.lastRun?.error}`);
  writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 1));
  console.log(`recorded ${index.length} answers, ${engine.lastRun.pulled?.received} rows, into ${out}`);
} finally {
  rmSync(folder, { recursive: true, force: true });
  await server.dispose();
}
