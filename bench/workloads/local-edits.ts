// Queueing local edits from the UI path: a store employee starting submissions and answering
// their nine fields, through the repositories (main/repos/submissions.ts), each call its own
// localTransaction as an IPC call makes it (row + pending change, invariant 3). Compared with raw
// better-sqlite3 inserts of the same row and queue entry, one transaction per edit too.
import { newId } from '../../shared/ids.js';
import { join } from 'node:path';
import { openLocalStore } from '../../main/db/client.js';
import { toSqliteValue, wireColumns } from '../../main/db/rows.js';
import { answerField, startSubmission } from '../../main/repos/submissions.js';
import { columnsOf, type TableName } from '../../shared/tables.js';
import { figure, targets } from '../harness/report.js';
import { answerValue, makeForm, ROWS_PER_SUBMISSION, seedLocalForm } from '../harness/seed.js';
import { microsPerRow, perSecond, type Workload } from '../harness/workload.js';

const cpuMs = (start: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
};

const workload: Workload = {
  name: 'local edits',
  run(context) {
    const edits = context.quick ? 1_000 : 10_000;
    const submissions = edits / ROWS_PER_SUBMISSION;
    const label = `queue ${edits / 1000}k local edits`;
    const form = makeForm();

    // The UI path.
    const store = openLocalStore(join(context.work, 'ui', 'insight.sqlite'));
    seedLocalForm(store, form);
    global.gc?.();
    let cpu = process.cpuUsage();
    let start = performance.now();
    for (let n = 0; n < submissions; n += 1) {
      const submission = startSubmission(store, {
        form_id: form.form.id,
        store_id: 'store-001',
        submitted_by: 'Bench',
      });
      for (const field of form.fields)
        answerField(store, { submission_id: submission.id, field_id: field.id, value: answerValue(field, n) });
    }
    const uiMs = performance.now() - start;
    const uiCpu = cpuMs(cpu);
    const queued = (store.sqlite.prepare('SELECT count(*) AS n FROM pending_changes').get() as { n: number }).n;
    store.close();
    if (queued !== edits) throw new Error(`${queued} changes queued, ${edits} expected`);
    context.log(`UI path: ${edits} edits in ${Math.round(uiMs)} ms`);

    // The raw limit: the same rows and queue entries, prepared and converted beforehand.
    const raw = openLocalStore(join(context.work, 'raw', 'insight.sqlite'));
    seedLocalForm(raw, form);
    const insertFor = (table: TableName) => {
      const names = columnsOf(table);
      return raw.sqlite.prepare(
        `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
      );
    };
    const insertRow = { submissions: insertFor('submissions'), submission_answers: insertFor('submission_answers') };
    const queue = raw.sqlite.prepare(
      'INSERT INTO pending_changes (table_name, record_id, operation, data, created_at, change_id) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const at = new Date().toISOString();
    const prepared: { table: 'submissions' | 'submission_answers'; values: unknown[]; queue: unknown[] }[] = [];
    const add = (table: 'submissions' | 'submission_answers', row: Record<string, unknown>) =>
      prepared.push({
        table,
        values: wireColumns(table).map(({ name, column }) => toSqliteValue(column, row[name])),
        queue: [table, row.id, 'INSERT', JSON.stringify(row), Date.now(), newId()],
      });
    for (let n = 0; n < submissions; n += 1) {
      const submission = {
        id: newId(),
        updated_at: at,
        deleted_at: null,
        form_id: form.form.id,
        status: 'in_progress',
        store_id: 'store-001',
        submitted_by: 'Bench',
        completed_at: null,
      };
      add('submissions', submission);
      for (const field of form.fields) {
        add('submission_answers', {
          id: newId(),
          updated_at: at,
          deleted_at: null,
          submission_id: submission.id,
          field_id: field.id,
          value: answerValue(field, n),
        });
      }
    }
    const perEdit = raw.sqlite.transaction((edit: (typeof prepared)[number]) => {
      insertRow[edit.table].run(...edit.values);
      queue.run(...edit.queue);
    });
    global.gc?.();
    cpu = process.cpuUsage();
    start = performance.now();
    for (const edit of prepared) perEdit(edit);
    const rawMs = performance.now() - start;
    const rawCpu = cpuMs(cpu);
    raw.close();
    context.log(`raw: ${edits} rows + queue entries in ${Math.round(rawMs)} ms`);

    return [
      figure({
        workload: label,
        figure: 'edits/s (vs raw row + queue insert)',
        value: perSecond(edits, uiMs),
        unit: 'edits/s',
        raw: perSecond(edits, rawMs),
        rawLabel: 'one transaction per edit',
        target: targets.ratioAtLeast(0.5),
      }),
      figure({
        workload: label,
        figure: 'CPU per edit',
        value: microsPerRow(uiCpu, edits),
        unit: 'µs',
        raw: microsPerRow(rawCpu, edits),
        rawLabel: 'raw',
      }),
    ];
  },
};
export default workload;
