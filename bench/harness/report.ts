// One line of the bench's table, and the table / JSON output. Every figure carries the raw limit
// it is compared with, measured in the same run (so ratios hold on a busy machine where the
// absolute figures do not), and the issue's target for it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';

export interface Figure {
  workload: string;
  figure: string;
  value: number;
  unit: string;
  /** The raw limit in the same unit, measured in the same run; null when there is none. */
  raw: number | null;
  rawLabel: string | null;
  /** value / raw. */
  ratio: number | null;
  target: string | null;
  met: boolean | null;
  note?: string;
}

export interface Target {
  text: string;
  met(value: number, ratio: number | null): boolean;
}

export const targets = {
  ratioAtLeast: (min: number): Target => ({
    text: `≥ ${Math.round(min * 100)} % of raw`,
    met: (_, r) => r !== null && r >= min,
  }),
  ratioAtMost: (max: number): Target => ({ text: `≤ ${max}× raw`, met: (_, r) => r !== null && r <= max }),
  atLeast: (min: number, unit: string): Target => ({
    text: `≥ ${min.toLocaleString('en')} ${unit}`,
    met: (v) => v >= min,
  }),
  atMost: (max: number, unit: string): Target => ({
    text: `≤ ${max.toLocaleString('en')} ${unit}`,
    met: (v) => v <= max,
  }),
  below: (max: number, unit: string): Target => ({
    text: `< ${max.toLocaleString('en')} ${unit}`,
    met: (v) => v < max,
  }),
  equals: (expected: number): Target => ({ text: `= ${expected}`, met: (v) => v === expected }),
  above: (min: number, text: string): Target => ({ text, met: (v) => v > min }),
  all: (...parts: Target[]): Target => ({
    text: parts.map((p) => p.text).join(' and '),
    met: (v, r) => parts.every((p) => p.met(v, r)),
  }),
};

export function figure(input: {
  workload: string;
  figure: string;
  value: number;
  unit: string;
  raw?: number | null;
  rawLabel?: string;
  target?: Target;
  note?: string;
  /** The raw figure is shown for reference only: a ratio to a count near zero means nothing. */
  noRatio?: boolean;
}): Figure {
  const raw = input.raw ?? null;
  const ratio = raw !== null && raw !== 0 && !input.noRatio ? input.value / raw : null;
  return {
    workload: input.workload,
    figure: input.figure,
    value: input.value,
    unit: input.unit,
    raw,
    rawLabel: raw === null ? null : (input.rawLabel ?? null),
    ratio,
    target: input.target?.text ?? null,
    met: input.target ? input.target.met(input.value, ratio) : null,
    ...(input.note ? { note: input.note } : {}),
  };
}

export interface BenchReport {
  date: string;
  mode: 'quick' | 'full' | 'big';
  durationS: number;
  machine: {
    host: string;
    cpu: string;
    cores: number;
    memoryGb: number;
    node: string;
    postgres: string;
    loadStart: number[];
    loadEnd: number[];
  };
  figures: Figure[];
  failures: { workload: string; error: string }[];
}

export function machineInfo(postgres: string): Omit<BenchReport['machine'], 'loadEnd'> {
  return {
    host: hostname(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1e9),
    node: process.version,
    postgres,
    loadStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const formatNumber = (value: number): string => {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en');
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
};

export const formatRatio = (ratio: number | null): string =>
  ratio === null ? '' : ratio < 1 ? `${(ratio * 100).toFixed(0)} %` : `${ratio.toFixed(2)}×`;

/** The table printed at the end of a run (also the README's source). */
export function formatTable(figures: Figure[]): string {
  const header = ['workload', 'figure', 'value', 'raw limit', 'ratio', 'target', 'met?'];
  const rows = figures.map((f) => [
    f.workload,
    f.figure,
    `${formatNumber(f.value)} ${f.unit}`,
    f.raw === null ? '' : `${formatNumber(f.raw)} ${f.unit}${f.rawLabel ? ` (${f.rawLabel})` : ''}`,
    formatRatio(f.ratio),
    f.target ?? '',
    f.met === null ? '' : f.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function writeReport(file: string, report: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
}
