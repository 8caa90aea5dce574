// Runs one part of a workload module in this process and writes its figures as JSON to BENCH_OUT
// (the runner, bench/run.ts, starts one of these per part: BENCH_PART is its index, BENCH_EARLIER
// a file of the earlier parts' figures).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Figure } from './report.js';
import type { BenchOptions, PartResult, Workload } from './workload.js';
import { scratchFolder } from './workload.js';

const [file] = process.argv.slice(2);
const out = process.env.BENCH_OUT;
if (!file || !out)
  throw new Error('usage: BENCH_OUT=<file> node --import tsx bench/harness/child.ts <workload module>');
const options = JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as BenchOptions;
const { default: workload } = (await import(pathToFileURL(file).href)) as { default: Workload };
const parts = workload.parts?.(options) ?? [undefined];
const partIndex = Number(process.env.BENCH_PART ?? 0);
const earlier = process.env.BENCH_EARLIER
  ? (JSON.parse(readFileSync(process.env.BENCH_EARLIER, 'utf8')) as Figure[])
  : [];
const work = scratchFolder(workload.name.replace(/[^a-z0-9]+/gi, '-'));
try {
  const figures = await workload.run({
    ...options,
    work,
    log: (message) => console.log(`  [${workload.name}] ${message}`),
    part: parts[partIndex],
    earlier,
  });
  const result: PartResult = { figures, parts: parts.length };
  writeFileSync(out, JSON.stringify(result));
} finally {
  rmSync(work, { recursive: true, force: true });
}
