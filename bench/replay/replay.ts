// One initial sync against recorded answers (record.ts; served by serve.mjs in a child process),
// without seeding a server: the device's peak RSS (sampled every 20 ms, as the bench does), with
// RSS percentiles over the pull, the V8 heap and the process's anonymous memory at the peak, CPU
// per row and minor page faults. The same pages each run, so two engines (or two recordings, e.g.
// two server settings) compare on the device alone. TRACE=1 prints the memory every 3 s.
// `npx tsx bench/replay/replay.ts folder [label]`
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalStore } from '../../main/db/client.js';
import { saveConnection } from '../../main/sync/config.js';
import { SyncEngine } from '../../main/sync/engine.js';

const recorded = process.argv[2]!;
const label = process.argv[3] ?? recorded;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
/** RssAnon and RssFile of this process (/proc/self/status), in MB. */
const rssParts = () =>
  readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .filter((line) => /^Rss(Anon|File)/.test(line))
    .map((line) =>
      line.replace(/\s+/g, ' ').replace(/ (\d+) kB/, (_, kb: string) => ` ${Math.round(Number(kb) / 1024)} MB`),
    )
    .join(', ');
const memory = () => {
  const m = process.memoryUsage();
  return `RSS ${mb(m.rss)} MB (heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)}; ${rssParts()})`;
};

const child = spawn(process.execPath, [join(import.meta.dirname, 'serve.mjs'), recorded], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d)))));
const folder = mkdtempSync(join(tmpdir(), 'insight-replay-'));
try {
  const store = openLocalStore(join(folder, 'insight.sqlite'));
  const connection = { device_id: 'bench-replay', token: 'x'.repeat(40), role: 'store' } as const;
  saveConnection(store, { server_url: `http://127.0.0.1:${port}`, ...connection });
  const engine = new SyncEngine({ store, logFile: null });
  const samples: number[] = [];
  let peak = 0;
  let atPeak = '';
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    samples.push(rss);
    if (rss > peak) [peak, atPeak] = [rss, memory()];
  }, 20);
  const tracer = process.env.TRACE ? setInterval(() => console.log(memory()), 3000) : null;
  const before = process.resourceUsage();
  const start = performance.now();
  await engine.syncNow('bench', 'pull');
  const ms = performance.now() - start;
  const after = process.resourceUsage();
  clearInterval(sampler);
  if (tracer) clearInterval(tracer);
  store.close();
  if (!engine.lastRun?.ok) throw new Error(`the pull failed: ${engine.lastRun?.error}`);
  const rows = engine.lastRun.pulled!.received;
  const cpuUs = after.userCPUTime + after.systemCPUTime - before.userCPUTime - before.systemCPUTime;
  samples.sort((a, b) => a - b);
  const at = (share: number) => mb(samples[Math.floor((samples.length - 1) * share)]!);
  console.log(
    `${label}: ${rows} rows in ${(ms / 1000).toFixed(1)} s, ${(cpuUs / rows).toFixed(2)} µs CPU per row, ` +
      `${after.minorPageFault - before.minorPageFault} minor faults; RSS peak ${at(1)} MB, p95 ${at(0.95)}, ` +
      `median ${at(0.5)}; at the peak: ${atPeak}`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
  child.kill();
}
