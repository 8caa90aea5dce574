// `npm run bench`: the data path measured next to its raw limits, in one run on one machine.
//   npm run bench               the default run (a few minutes)
//   npm run bench -- --quick    a one-minute smoke run (small sizes; figures not to be quoted)
//   npm run bench -- --big      also the long workloads (initial sync of 1M rows)
//   npm run bench -- initial    only the workloads whose name contains "initial"
// Every workload is a module in bench/workloads/ and runs in its own process (one per part, for a
// workload of several parts) against the real
// server process on a fresh PostgreSQL database (PG_ADMIN_URL, as for the tests). The table is
// printed and written, with the date and the machine, to bench/results/latest.json. Nothing is
// asserted: a target not met is reported, not failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PG_ADMIN_URL } from '../server/testing/test-server.js';
import { formatTable, machineInfo, writeReport, type BenchReport, type Figure } from './harness/report.js';
import type { BenchOptions, PartResult } from './harness/workload.js';

const args = process.argv.slice(2);
const options: BenchOptions = { quick: args.includes('--quick'), big: args.includes('--big') };
const only = args.filter((a) => !a.startsWith('--'));
const root = process.cwd();
const workloadsDir = join(root, 'bench', 'workloads');
const resultFile = join(root, 'bench', 'results', 'latest.json');

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
  } finally {
    await client.end();
  }
}

/** BENCH_PROFILE_DIR: each workload process (the devices) and server writes a V8 CPU profile there. */
const profileArgs = process.env.BENCH_PROFILE_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
  : [];

/** One part of a workload in a process of its own; `earlier` is a file of its earlier parts' figures. */
function runPart(file: string, out: string, part: number, earlier: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...profileArgs, '--expose-gc', '--import', 'tsx', join(root, 'bench', 'harness', 'child.ts'), file],
      {
        cwd: root,
        env: {
          ...process.env,
          BENCH_OUT: out,
          BENCH_OPTIONS: JSON.stringify(options),
          BENCH_PART: String(part),
          BENCH_EARLIER: earlier,
        },
        stdio: 'inherit',
      },
    );
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`exited with ${code ?? signal}`))));
  });
}

const started = performance.now();
const report: BenchReport = {
  date: new Date().toISOString(),
  mode: options.quick ? 'quick' : options.big ? 'big' : 'full',
  durationS: 0,
  machine: { ...machineInfo(await postgresVersion()), loadEnd: [] },
  figures: [],
  failures: [],
};
const files = readdirSync(workloadsDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const scratch = mkdtempSync(join(tmpdir(), 'insight-bench-'));
console.log(
  `bench (${report.mode}) on ${report.machine.cores} × ${report.machine.cpu}, load ${report.machine.loadStart.join(' ')}`,
);
try {
  for (const file of files) {
    console.log(`\n${file}`);
    try {
      const figures: Figure[] = [];
      for (let part = 0, parts = 1; part < parts; part += 1) {
        const out = join(scratch, `${file}.${part}.json`);
        const earlier = join(scratch, `${file}.earlier.json`);
        writeFileSync(earlier, JSON.stringify(figures));
        await runPart(join(workloadsDir, file), out, part, earlier);
        if (!existsSync(out)) throw new Error('wrote no figures');
        const result = JSON.parse(readFileSync(out, 'utf8')) as PartResult;
        figures.push(...result.figures);
        parts = result.parts;
      }
      report.figures.push(...figures);
    } catch (error) {
      report.failures.push({ workload: file, error: (error as Error).message });
      console.error(`${file} failed: ${(error as Error).message}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
report.durationS = Math.round((performance.now() - started) / 1000);
report.machine.loadEnd = loadavg().map((l) => Math.round(l * 100) / 100);
writeReport(resultFile, report);
console.log(`\n${formatTable(report.figures)}`);
console.log(
  `\n${report.date}, ${report.durationS} s, load ${report.machine.loadStart.join(' ')} → ${report.machine.loadEnd.join(' ')}; written to bench/results/latest.json`,
);
if (report.failures.length > 0) {
  console.error(`failed: ${report.failures.map((f) => `${f.workload} (${f.error})`).join(', ')}`);
  process.exitCode = 1;
}
