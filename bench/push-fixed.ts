// The fixed cost of one push, apart from its rows: D store devices each push one submission (10
// rows) per round, R rounds, one device at a time (`seq`) or all at once (`burst`), to the real
// server process. Prints the CPU per push of the devices' process, the server process and
// PostgreSQL (the rows' own cost is ~10 × the per-row figures of `npm run bench -- push`, so what
// is left is what every push request costs whatever its size).
//
//   npx tsx --expose-gc bench/push-fixed.ts [devices=20] [rounds=10] [seq|burst]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncEngine } from '../main/sync/engine.js';
import { makeForm, queueSubmissions, seedLocalForm, seedServerForm } from './harness/seed.js';
import { connectedStoreDevice, startBenchServer } from './harness/server.js';

const devicesCount = Number(process.argv[2] ?? 20);
const rounds = Number(process.argv[3] ?? 10);
const mode = process.argv[4] ?? 'seq';

const work = mkdtempSync(join(tmpdir(), 'push-fixed-'));
const server = await startBenchServer('push_fixed');
try {
  const form = makeForm();
  await seedServerForm(server.pool, form);
  const devices = [];
  for (let d = 0; d < devicesCount; d += 1) {
    const id = `fixed-${d}`;
    const store = await connectedStoreDevice(server, id, join(work, id, 'insight.sqlite'));
    seedLocalForm(store, form);
    devices.push({ id, store, engine: new SyncEngine({ store, batchSize: 500, logFile: null }) });
  }
  const results: { device: number; server: number; postgres: number }[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const d of devices) queueSubmissions(d.store, form, 1, d.id);
    global.gc?.();
    const before = await server.cpu();
    const cpu = process.cpuUsage();
    if (mode === 'burst') await Promise.all(devices.map((d) => d.engine.syncNow('bench', 'push')));
    else for (const d of devices) await d.engine.syncNow('bench', 'push');
    const used = process.cpuUsage(cpu);
    const after = await server.cpu();
    for (const d of devices) if (!d.engine.lastRun?.ok) throw new Error(`${d.id}: ${d.engine.lastRun?.error}`);
    const n = devices.length;
    results.push({
      device: (used.user + used.system) / 1000 / n,
      server: (after.serverMs - before.serverMs) / n,
      postgres: (after.postgresMs - before.postgresMs) / n,
    });
  }
  // The first round is each device's first run (and the server's first pushes): shown apart. The
  // later rounds are summed (the server's and PostgreSQL's CPU are read in 10 ms ticks).
  const [first, ...rest] = results;
  const mean = (pick: (r: (typeof results)[number]) => number) => rest.reduce((n, r) => n + pick(r), 0) / rest.length;
  const fmt = (r: { device: number; server: number; postgres: number }) =>
    `device ${r.device.toFixed(2)} ms, server ${r.server.toFixed(2)} ms, PostgreSQL ${r.postgres.toFixed(2)} ms`;
  console.log(`${mode}, ${devicesCount} devices × ${rounds} rounds of 10-row pushes, CPU per push`);
  console.log(`  first round: ${fmt(first!)}`);
  console.log(
    `  later rounds (mean): ${fmt({ device: mean((r) => r.device), server: mean((r) => r.server), postgres: mean((r) => r.postgres) })}`,
  );
  for (const d of devices) d.store.close();
} finally {
  await server.dispose();
}
