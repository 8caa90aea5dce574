// Runs one workload module in this process and writes its figures as JSON to BENCH_OUT (the
// runner, bench/run.ts, starts one of these per workload).
import { rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BenchOptions, Workload } from './workload.js';
import { scratchFolder } from './workload.js';

const [file] = process.argv.slice(2);
const out = process.env.BENCH_OUT;
if (!file || !out)
  throw new Error('usage: BENCH_OUT=<file> node --import tsx bench/harness/child.ts <workload module>');
const options = JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as BenchOptions;
const { default: workload } = (await import(pathToFileURL(file).href)) as { default: Workload };
const work = scratchFolder(workload.name.replace(/[^a-z0-9]+/gi, '-'));
try {
  const figures = await workload.run({
    ...options,
    work,
    log: (message) => console.log(`  [${workload.name}] ${message}`),
  });
  writeFileSync(out, JSON.stringify(figures));
} finally {
  rmSync(work, { recursive: true, force: true });
}
