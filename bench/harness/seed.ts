// Realistic rows for the workloads: one published store-check form with nine fields of every
// type, and submissions of it with nine answers each (so "100k rows" is 10k submissions and 90k
// answers, the shape a store fleet produces). The server's big tables are seeded straight with
// SQL (generate_series), which is the only way to make 1M rows in seconds; devices get theirs
// through the real local write path.
import { newId } from '../../shared/ids.js';
import type pg from 'pg';
import type { RowOf } from '../../shared/tables.js';
import type { LocalStore } from '../../main/db/client.js';
import { localTransaction } from '../../main/db/outbox.js';
import { upsertSyncedRow } from '../../main/db/rows.js';
import type { PushShare } from './baselines.js';

export const ANSWERS_PER_SUBMISSION = 9;
export const ROWS_PER_SUBMISSION = 1 + ANSWERS_PER_SUBMISSION;

export interface BenchForm {
  form: RowOf<'forms'>;
  fields: RowOf<'fields'>[];
}

const fieldSpecs = [
  { label: 'Shelves stocked', type: 'boolean' },
  { label: 'Footfall today', type: 'number' },
  { label: 'Cleanliness', type: 'choice', options: ['good', 'fair', 'poor'] },
  { label: 'Notes', type: 'text' },
  { label: 'Last delivery', type: 'date' },
  { label: 'Queue length', type: 'number' },
  { label: 'Fire exits clear', type: 'boolean' },
  { label: 'Promotion in place', type: 'choice', options: ['yes', 'partly', 'no'] },
  { label: 'Manager on duty', type: 'text' },
] as const;

export function makeForm(): BenchForm {
  const at = new Date().toISOString();
  const form: RowOf<'forms'> = {
    id: newId(),
    updated_at: at,
    deleted_at: null,
    title: 'Daily store check',
    description: 'Bench form',
    status: 'published',
  };
  const fields = fieldSpecs.map((spec, position): RowOf<'fields'> => ({
    id: newId(),
    updated_at: at,
    deleted_at: null,
    form_id: form.id,
    section_id: null,
    label: spec.label,
    type: spec.type,
    required: false,
    options: 'options' in spec ? [...spec.options] : null,
    position,
  }));
  return { form, fields };
}

/** An answer a user could give to the field (valid for its type). */
export function answerValue(field: RowOf<'fields'>, n: number): string | number | boolean {
  switch (field.type) {
    case 'boolean':
      return n % 5 !== 0;
    case 'number':
      return (n * 37) % 1000;
    case 'choice':
      return (field.options as string[])[n % 3]!;
    case 'date':
      return `2026-11-${String(1 + (n % 28)).padStart(2, '0')}`;
    default:
      return `Checked at ${8 + (n % 10)}:00, all fine`;
  }
}

// Every seeded row records its writing transaction in server_txid, as the server's own writes do:
// a row left at the default 0 would sit before every position a pull hands out, so a delta seeded
// after a device's pull would never reach it.

/** The form and its fields on the server, as a manager's push would have left them. */
export async function seedServerForm(pool: pg.Pool, { form, fields }: BenchForm): Promise<void> {
  await pool.query(
    `insert into forms (id, updated_at, title, description, status, written_by, server_txid)
     values ($1, $2, $3, $4, $5, 'bench-seed', pg_current_xact_id()::text::bigint)`,
    [form.id, form.updated_at, form.title, form.description, form.status],
  );
  for (const field of fields) {
    await pool.query(
      `insert into fields (id, updated_at, form_id, label, type, required, options, position, written_by, server_txid)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'bench-seed', pg_current_xact_id()::text::bigint)`,
      [
        field.id,
        field.updated_at,
        field.form_id,
        field.label,
        field.type,
        field.required,
        JSON.stringify(field.options),
        field.position,
      ],
    );
  }
}

/**
 * SQL: a UUIDv7 (RFC 9562) made at `ms` (SQL: a Unix time in milliseconds), the rest random, as
 * the app makes its ids (shared/ids.ts). PostgreSQL 15 has no uuidv7(): a random v4 with its time
 * bytes replaced and its version nibble set to 7.
 */
const uuidV7Sql = (ms: string) =>
  `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(${ms}) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid`;

/** SQL: the creation time (Unix ms) a UUIDv7 `id` carries in its first 48 bits. */
const uuidV7Ms = (id: string) => `('x' || left(replace(${id}::text, '-', ''), 12))::bit(48)::bigint`;

// When the seeded rows were made, for their ids: a submission a minute across the fleet, ending
// now, each answer 10 s after the one before (so ids are time-ordered as the app's are, without
// the shared prefixes of rows made in the same millisecond, which would compress unrealistically).
const SUBMISSION_EVERY_MS = 60_000;
const ANSWER_EVERY_MS = 10_000;

/**
 * `submissions` submissions with nine answers each, in chunks (one statement per chunk), then
 * ANALYZE so the planner sees the sizes a real server would have.
 */
export async function seedServerSubmissions(
  pool: pg.Pool,
  { form, fields }: BenchForm,
  submissions: number,
): Promise<void> {
  const chunk = 20_000;
  for (let done = 0; done < submissions; done += chunk) {
    const n = Math.min(chunk, submissions - done);
    await pool.query(
      `with s as (
         insert into submissions (id, updated_at, form_id, status, store_id, submitted_by, completed_at, written_by, server_txid)
         select ${uuidV7Sql(`$6::bigint + g::bigint * ${SUBMISSION_EVERY_MS}`)}, now() - (g || ' seconds')::interval, $1::uuid,
                case when g % 10 = 0 then 'in_progress' else 'completed' end,
                'store-' || lpad((g % 50)::text, 3, '0'), 'Employee ' || (g % 400),
                case when g % 10 = 0 then null else now() - (g || ' seconds')::interval end, 'bench-seed',
                pg_current_xact_id()::text::bigint
         from generate_series($2::int + 1, $2::int + $3::int) g
         returning id, server_version)
       insert into submission_answers (id, updated_at, submission_id, field_id, value, written_by, server_txid)
       select ${uuidV7Sql(`${uuidV7Ms('s.id')} + f.n::bigint * ${ANSWER_EVERY_MS}`)}, now(), s.id, f.id,
              case f.type
                when 'boolean' then to_jsonb(s.server_version % 5 <> 0)
                when 'number' then to_jsonb((s.server_version * 37) % 1000)
                when 'choice' then to_jsonb((array['good', 'fair', 'poor'])[1 + (s.server_version % 3)::int])
                when 'date' then to_jsonb('2026-11-' || lpad((1 + s.server_version % 28)::text, 2, '0'))
                else to_jsonb('Checked at ' || (8 + s.server_version % 10) || ':00, all fine')
              end, 'bench-seed', pg_current_xact_id()::text::bigint
       from s cross join unnest($4::uuid[], $5::text[]) with ordinality as f(id, type, n)
       order by s.server_version, f.id`,
      [
        form.id,
        done,
        n,
        fields.map((f) => f.id),
        fields.map((f) => f.type),
        Date.now() - submissions * SUBMISSION_EVERY_MS,
      ],
    );
  }
  await pool.query('analyze submissions; analyze submission_answers');
}

/** A published form and `rows` rows of its submissions with their answers on the server; returns the form. */
export async function seedServerRows(pool: pg.Pool, rows: number): Promise<BenchForm> {
  const form = makeForm();
  await seedServerForm(pool, form);
  await seedServerSubmissions(pool, form, Math.floor(rows / ROWS_PER_SUBMISSION));
  return form;
}

/** The form and its fields in a device's store, as if pulled (so the UI path can fill it in). */
export function seedLocalForm(store: LocalStore, { form, fields }: BenchForm): void {
  store.sqlite.transaction(() => {
    upsertSyncedRow(store.sqlite, 'forms', form, { serverVersion: 1 });
    fields.forEach((field, i) => upsertSyncedRow(store.sqlite, 'fields', field, { serverVersion: 2 + i }));
  })();
}

/**
 * Queues `submissions` submissions with their answers on a device's store through the real local
 * write path, one local transaction each, as the app does; returns the rows queued per table, each
 * with the change id the outbox gave it (the raw baseline's audit rows name them).
 */
export function queueSubmissions(
  store: LocalStore,
  { form, fields }: BenchForm,
  submissions: number,
  storeId: string,
): PushShare {
  const queued: Record<'submissions' | 'submission_answers', PushShare[number]['rows']> = {
    submissions: [],
    submission_answers: [],
  };
  for (let n = 0; n < submissions; n += 1) {
    localTransaction(store, (local) => {
      const at = new Date().toISOString();
      const submission: RowOf<'submissions'> = local.write(
        'submissions',
        {
          id: newId(),
          form_id: form.id,
          status: 'completed',
          store_id: storeId,
          submitted_by: 'Bench',
          completed_at: at,
          updated_at: at,
        },
        'INSERT',
      );
      queued.submissions.push({ ...submission, change_id: '' });
      for (const field of fields) {
        const answer = local.write(
          'submission_answers',
          {
            id: newId(),
            submission_id: submission.id,
            field_id: field.id,
            value: answerValue(field, n),
            updated_at: at,
          },
          'INSERT',
        );
        queued.submission_answers.push({ ...answer, change_id: '' });
      }
    });
  }
  const changeIds = new Map(
    (
      store.sqlite.prepare('SELECT record_id, change_id FROM pending_changes').all() as {
        record_id: string;
        change_id: string;
      }[]
    ).map((r) => [r.record_id, r.change_id]),
  );
  for (const rows of Object.values(queued)) for (const row of rows) row.change_id = changeIds.get(row.id)!;
  return [
    { table: 'submissions', rows: queued.submissions },
    { table: 'submission_answers', rows: queued.submission_answers },
  ];
}
