// The device's memory through one initial sync (issue 9: peak RSS): seeds a fresh bench server
// with `rows` rows of submissions and answers, pulls them through a real SyncEngine into a fresh
// SQLite file, and samples process.memoryUsage() every 20 ms (between pages: a page's apply holds
// the thread). Prints the highest RSS of each twentieth of the samples with the V8 heap and the
// external memory (decoded pages, strings outside the heap) at that moment, so it shows where in
// the pull the peak is; then the peak and the wall time. `npx tsx --expose-gc bench/pull-memory.ts [rows] [pageSize]`; rows default 1M,
// pageSize the engine's own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncEngine } from '../main/sync/engine.js';
import { seedServerRows } from './harness/seed.js';
import { connectedStoreDevice, startBenchServer } from './harness/server.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const pageSize = process.argv[3] ? Number(process.argv[3]) : undefined;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function main() {
  const server = await startBenchServer(`memory_${rows}`);
  const folder = mkdtempSync(join(tmpdir(), 'insight-pull-memory-'));
  try {
    await seedServerRows(server.pool, rows);
    const store = await connectedStoreDevice(server, 'bench-memory', join(folder, 'insight.sqlite'));
    const engine = new SyncEngine({ store, logFile: null, ...(pageSize ? { pageSize } : {}) });
    global.gc?.();
    const samples: NodeJS.MemoryUsage[] = [];
    const sampler = setInterval(() => samples.push(process.memoryUsage()), 20);
    const start = performance.now();
    await engine.syncNow('bench', 'pull');
    const ms = performance.now() - start;
    clearInterval(sampler);
    store.close();
    if (!engine.lastRun?.ok) throw new Error(`the pull failed: ${engine.lastRun?.error}`);
    const highest = (part: NodeJS.MemoryUsage[]) => part.reduce((a, b) => (b.rss > a.rss ? b : a));
    for (let i = 0; i < 20; i += 1) {
      const part = samples.slice(Math.floor((i * samples.length) / 20), Math.floor(((i + 1) * samples.length) / 20));
      if (part.length === 0) continue;
      const p = highest(part);
      console.log(
        `${i * 5}%: RSS ${mb(p.rss)}, V8 heap used ${mb(p.heapUsed)} of ${mb(p.heapTotal)}, external ${mb(p.external)} (array buffers ${mb(p.arrayBuffers)})`,
      );
    }
    const peak = highest(samples);
    const rss = samples.map((s) => s.rss).sort((a, b) => a - b);
    console.log(
      `${engine.lastRun.pulled?.received} rows, pages of ${pageSize ?? 'the engine'}: ${(ms / 1000).toFixed(1)} s; ` +
        `peak RSS ${mb(peak.rss)} (V8 heap used ${mb(peak.heapUsed)} of ${mb(peak.heapTotal)}, external ${mb(peak.external)}); ` +
        `RSS median ${mb(rss[Math.floor(rss.length / 2)]!)} over ${samples.length} samples`,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await server.dispose();
  }
}

await main();
