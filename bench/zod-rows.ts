// Micro-benchmark of the per-row zod parse (issue 9): the registry's row schemas run on every hot
// path (each local edit, each pushed row at the server's door, each pulled row), so their cost per
// row is worth watching on its own. `npx tsx bench/zod-rows.ts` prints µs per parse of each kind.
import { newId } from '../shared/ids.js';
import { rowSchemas, type TableName } from '../shared/tables.js';

const at = '2026-11-30T10:30:00.000Z';
const submission = (n: number, completedAt: string) => ({
  id: newId(),
  updated_at: at,
  deleted_at: null,
  form_id: newId(),
  status: n % 10 === 0 ? 'in_progress' : 'completed',
  store_id: 'store-001',
  submitted_by: `Employee ${n % 400}`,
  completed_at: n % 10 === 0 ? null : completedAt,
});
const rows: Array<{ kind: string; table: TableName; make: (n: number) => Record<string, unknown> }> = [
  // Times as every side sends them (toISOString()), then one written with an offset.
  { kind: 'submissions', table: 'submissions', make: (n) => submission(n, '2026-11-30T09:31:12.000Z') },
  {
    kind: 'submissions (completed_at +01:00)',
    table: 'submissions',
    make: (n) => submission(n, '2026-11-30T10:31:12+01:00'),
  },
  {
    kind: 'submission_answers (value: JSON)',
    table: 'submission_answers',
    make: (n) => ({
      id: newId(),
      updated_at: at,
      deleted_at: null,
      submission_id: newId(),
      field_id: newId(),
      // The seed's answer kinds: text, number, boolean, choice, date.
      value: [`Checked at ${8 + (n % 10)}:00, all fine`, (n * 37) % 1000, n % 5 !== 0, 'good', '2026-11-04'][n % 5],
    }),
  },
  {
    kind: 'kpi_data',
    table: 'kpi_data',
    make: (n) => ({
      id: newId(),
      updated_at: at,
      deleted_at: null,
      metric: 'sales',
      value: n * 1.5,
      store_id: 'store-001',
      period: '2026-11',
      target: 1000,
    }),
  },
];

const count = 20_000;
const rounds = Number(process.env.ROUNDS ?? 7);
for (const { kind, table, make } of rows) {
  const schema = rowSchemas[table];
  const input = Array.from({ length: count }, (_, n) => make(n));
  for (const row of input) schema.parse(row); // warm-up: JIT, lazy schema internals
  const perRound: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const cpu = process.cpuUsage();
    for (const row of input) schema.parse(row);
    const used = process.cpuUsage(cpu);
    perRound.push((used.user + used.system) / count);
  }
  perRound.sort((a, b) => a - b);
  // The median of the rounds: the machine is shared, so one round can be slowed by a neighbour.
  const median = perRound[Math.floor(rounds / 2)]!;
  console.log(`${kind.padEnd(36)} ${median.toFixed(2)} µs/parse (min ${perRound[0]!.toFixed(2)})`);
}
