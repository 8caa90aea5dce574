// Benchmark figures in the docs come from a kept bench run, and say which: a table of figures
// follows a paragraph naming `bench/results/<run>.json` (or a row names its own). This test reads
// every such table in README.md and docs/*.md and checks each measured number in it (a number
// with a unit: ms, µs, rows/s, %, ×, KB, …) against the JSON it cites: some value, raw limit or
// ratio of that run must round to it. A figure copied from another run, or typed by hand, fails.
// Targets, the "met?" column and labels are not measurements and are not checked.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const docs = ['README.md', ...readdirSync(join(root, 'docs')).flatMap((f) => (f.endsWith('.md') ? [`docs/${f}`] : []))];

/** What bench/run.ts writes (only the parts read here). */
const BenchRun = z.object({
  figures: z.array(
    z.object({
      value: z.number(),
      raw: z.number().nullable().optional(),
      ratio: z.number().nullable().optional(),
    }),
  ),
});

/** A kept run (`bench/results/<date>-<mode>.json`); `latest.json` is the uncommitted output of the last run. */
const citation = /`(bench\/results\/\d{4}-\d{2}-\d{2}-[\w.-]+\.json)`/g;
/** A measurement: one number, or several joined by " / ", then its unit. */
const measurement =
  /(?<![\w.])(\d[\d,]*(?:\.\d+)?(?:\s*\/\s*\d[\d,]*(?:\.\d+)?)*)\s*(rows\/s|edits\/s|µs|ms|s|KB|MB|B|%|×)(?![\w])/g;
/** Columns that hold labels, targets or verdicts, not measurements. */
const notMeasured = /^(workload|target|met\?|run)$/;

interface Quoted {
  file: string;
  line: number;
  text: string;
  number: string;
  unit: string;
}

interface Table {
  file: string;
  cited: string[];
  rows: { line: number; cells: string[]; cited: string[] }[];
  header: string[];
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());

const citedIn = (text: string) => [...text.matchAll(citation)].map((match) => match[1]!);

/** The markdown tables of a file, each with the bench runs cited in the text since the previous table or heading. */
function tablesOf(file: string): Table[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const tables: Table[] = [];
  let prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('#')) prose = [];
    if (!line.startsWith('|')) {
      prose.push(line);
      continue;
    }
    const header = cells(line);
    const rows: Table['rows'] = [];
    for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
      rows.push({ line: i + 1, cells: cells(lines[i]!), cited: citedIn(lines[i]!) });
    }
    tables.push({ file, header, rows, cited: citedIn(prose.join('\n')) });
    prose = [];
  }
  return tables;
}

/** Every measured number quoted in a table, with the runs it must come from. */
function quotedFigures(table: Table): { quoted: Quoted; runs: string[] }[] {
  // Where the table has a `value` column, `figure` is the label; otherwise it holds the values.
  const checked = table.header.map(
    (name) => !notMeasured.test(name) && !(name === 'figure' && table.header.includes('value')),
  );
  return table.rows.flatMap((row) => {
    const runs = row.cited.length > 0 ? row.cited : table.cited;
    if (runs.length === 0) return [];
    return row.cells.flatMap((cell, column) =>
      checked[column]
        ? [...cell.replace(/`[^`]*`/g, '').matchAll(measurement)].flatMap((match) =>
            match[1]!.split('/').map((number) => ({
              quoted: { file: table.file, line: row.line, text: cell, number: number.trim(), unit: match[2]! },
              runs,
            })),
          )
        : [],
    );
  });
}

/** The numbers of a run a quoted figure may be: each value, raw and ratio, in the units the docs use. */
function candidates(run: string): number[] {
  const parsed = BenchRun.parse(JSON.parse(readFileSync(join(root, run), 'utf8')));
  return parsed.figures.flatMap((figure) =>
    [figure.value, figure.raw, figure.ratio]
      .filter((n): n is number => typeof n === 'number')
      // as measured; as a percentage; ms shown as s; ms or µs shown one unit down
      .flatMap((n) => [n, n * 100, n / 1000, n * 1000]),
  );
}

/** `12` quotes 11.98, `1.4` quotes 1.428: the candidate rounds to the quoted digits. */
function quotes(quoted: string, candidate: number): boolean {
  const value = Number(quoted.replace(/,/g, ''));
  const decimals = quoted.split('.')[1]?.length ?? 0;
  return Math.abs(candidate - value) <= 0.5 * 10 ** -decimals + 1e-9;
}

const tables = docs.flatMap(tablesOf);
const checkedFigures = tables.flatMap(quotedFigures);

describe('bench figures in the docs', () => {
  it('cite kept bench runs that exist', () => {
    const cited = new Set(tables.flatMap((table) => [...table.cited, ...table.rows.flatMap((row) => row.cited)]));
    expect(cited.size).toBeGreaterThan(0);
    for (const run of cited)
      expect(existsSync(join(root, run)), `${run} is cited but not in the repository`).toBe(true);
  });

  it('each quote a number of the run they cite', () => {
    // README's summary and docs/benchmarks.md's tables at least.
    const files = new Set(checkedFigures.map((f) => f.quoted.file));
    expect(files.has('README.md') && files.has('docs/benchmarks.md')).toBe(true);
    const wrong = checkedFigures
      .filter(({ quoted, runs }) => !runs.flatMap(candidates).some((candidate) => quotes(quoted.number, candidate)))
      .map(
        ({ quoted, runs }) =>
          `${quoted.file}:${quoted.line}: ${quoted.number} ${quoted.unit} is in no figure of ${runs.join(', ')} ("${quoted.text}")`,
      );
    expect(wrong).toEqual([]);
  });

  it('catches a figure from another run', () => {
    // The live-sync p50 of the quiet live run (21.1 ms) is not a figure of the quiet full run.
    const [fromOtherRun] = quotedFigures({
      file: 'example.md',
      header: ['workload', 'figure', 'value'],
      cited: ['bench/results/2026-11-29-full-quiet.json'],
      rows: [{ line: 1, cells: ['live sync', 'p50', '21.1 ms'], cited: [] }],
    });
    expect(fromOtherRun!.quoted.number).toBe('21.1');
    expect(candidates('bench/results/2026-11-29-full-quiet.json').some((c) => quotes('21.1', c))).toBe(false);
    expect(candidates('bench/results/2026-11-29-live-quiet.json').some((c) => quotes('21.1', c))).toBe(true);
  });
});
