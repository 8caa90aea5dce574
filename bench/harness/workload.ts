// What a workload is: one module under bench/workloads/ whose default export is a Workload. The
// runner (bench/run.ts) finds every module there and runs each in its own process, so one
// workload's memory and CPU never show up in another's figures. Adding a workload is one file.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Figure } from './report.js';
import type { BenchServer } from './server.js';

export interface BenchOptions {
  /** `--quick`: about a minute in all, smaller sizes (a smoke run, not figures to quote). */
  quick: boolean;
  /** `--big`: also the workloads too long for the default run (initial sync of 1M rows). */
  big: boolean;
}

export interface BenchContext extends BenchOptions {
  /** A scratch folder for this workload's SQLite files and logs (removed afterwards). */
  work: string;
  log(message: string): void;
  /** Which of the workload's `parts` this process runs (undefined for a workload of one part). */
  part: string | undefined;
  /** The figures the workload's earlier parts returned, each from its own process. */
  earlier: Figure[];
}

export interface Workload {
  name: string;
  /**
   * Parts that must not share a process: the runner starts one process per part, in order, so
   * one part's memory (a device's heap, malloc's retained pages) never shows in the next part's
   * peak RSS or page faults. A later part reads the earlier parts' figures from `earlier`.
   */
  parts?(options: BenchOptions): string[];
  run(context: BenchContext): Promise<Figure[]> | Figure[];
}

/** What a workload process writes to BENCH_OUT. */
export interface PartResult {
  figures: Figure[];
  /** How many parts the workload has (the runner starts the next one while there are more). */
  parts: number;
}

export const scratchFolder = (name: string) => mkdtempSync(join(tmpdir(), `insight-bench-${name}-`));

export interface Measured<T> {
  result: T;
  ms: number;
  /** CPU of this (the device's) process. */
  deviceCpuMs: number;
  serverCpuMs: number;
  postgresCpuMs: number;
  /** Minor page faults of this (the device's) process and of the server process. */
  deviceFaults: number;
  serverFaults: number;
  /** Highest RSS of this process while the work ran (sampled every 20 ms). */
  peakRssMb: number;
}

/**
 * BENCH_WINDOW_PROFILE_DIR: a V8 CPU profile of this (the devices') process for each measured
 * window only, so seeding and queueing do not drown what the devices spend in the work itself.
 */
async function profileWindow(): Promise<(() => Promise<void>) | null> {
  const dir = process.env.BENCH_WINDOW_PROFILE_DIR;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `window-${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

/** Runs `work`, timing it and reading the CPU of every process involved before and after. */
export async function measure<T>(server: BenchServer, work: () => Promise<T>): Promise<Measured<T>> {
  global.gc?.();
  const stopProfile = await profileWindow();
  // memoryUsage.rss() reads only the RSS: memoryUsage() also walks the heap's spaces, device CPU
  // in the measured window that a real device does not spend (~2 % of the push's window).
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const before = await server.cpu();
  const faultsBefore = { device: process.resourceUsage().minorPageFault, server: server.faults() };
  const cpu = process.cpuUsage();
  const start = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - start;
    const { user, system } = process.cpuUsage(cpu);
    const after = await server.cpu();
    const deviceFaults = process.resourceUsage().minorPageFault - faultsBefore.device;
    const serverFaults = server.faults() - faultsBefore.server;
    await stopProfile?.();
    return {
      result,
      ms,
      deviceCpuMs: (user + system) / 1000,
      serverCpuMs: after.serverMs - before.serverMs,
      postgresCpuMs: after.postgresMs - before.postgresMs,
      deviceFaults,
      serverFaults,
      peakRssMb: Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024,
    };
  } finally {
    clearInterval(sampler);
  }
}

export const perSecond = (count: number, ms: number) => (count / ms) * 1000;
export const microsPerRow = (cpuMs: number, rows: number) => (cpuMs * 1000) / rows;

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
