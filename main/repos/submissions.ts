// Submissions and their answers (seed, Example 2): a store employee starts a submission for a
// published form (status in_progress), answers its fields (each answer saved at once, so nothing
// is lost offline), and completes it (status completed, completed_at). The manager lists them with
// filters over 100k rows (partial indexes on live rows, see main/db/schema.ts), opens one with its
// answers, and sees completion counts per form and store.
import { newId } from '../../shared/ids.js';
import { and, asc, count, desc, eq, gte, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { SubmissionFilter, SubmissionScope, type submissionSortColumns, type IpcReply } from '../../shared/ipc.js';
import type { RowOf } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { localTransaction, nowIso, writeIfChanged, writeTombstone } from '../db/outbox.js';
import { fromSqliteRow, wireRowFromSqlite } from '../db/rows.js';
import { preparedOnce } from '../db/statements.js';
import { fields, form_sections, forms, submission_answers, submissions } from '../db/schema.js';
import { InvalidEditError, NotFoundError, parseInput } from './errors.js';
import { liveRowsWhere, requireLive, requireLiveColumns } from './live-rows.js';

export type SubmissionRow = RowOf<'submissions'>;
export type AnswerRow = RowOf<'submission_answers'>;
export type SubmissionList = IpcReply<'submissions:list'>;
export type SubmissionDetail = IpcReply<'submissions:get'>;
export type CompletionCount = IpcReply<'submissions:completion-counts'>[number];

const StartInput = z.object({
  form_id: z.uuid(),
  store_id: z.string().trim().max(200).nullable().default(null),
  submitted_by: z.string().trim().max(200).nullable().default(null),
});
const AnswerInput = z.object({ submission_id: z.uuid(), field_id: z.uuid(), value: z.json().nullable() });

/** Starts a submission (in_progress) for a live, published form. */
export function startSubmission(store: LocalStore, input: z.input<typeof StartInput>): SubmissionRow {
  const { form_id, store_id, submitted_by } = parseInput(StartInput, input);
  return localTransaction(store, (local) => {
    const form = requireLiveColumns(store, 'forms', form_id, 'Form', ['status', 'title']);
    if (form.status !== 'published') {
      throw new InvalidEditError(`Form "${form.title}" is ${form.status}; only a published form can be filled in`);
    }
    return local.write(
      'submissions',
      {
        id: newId(),
        form_id,
        status: 'in_progress',
        store_id,
        submitted_by,
        completed_at: null,
        updated_at: nowIso(),
      },
      'INSERT',
    );
  });
}

/** What answerField reads of the field it answers. */
const answerFieldColumns = ['form_id', 'label', 'type', 'options'] as const;

/** Why `value` cannot answer `field`, or null when it can (null clears an answer). */
function answerProblem(field: Pick<RowOf<'fields'>, 'type' | 'options'>, value: unknown): string | null {
  if (value === null) return null;
  switch (field.type) {
    case 'text':
      return typeof value === 'string' ? null : 'expects text';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'expects a number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'expects true or false';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : 'expects a date such as 2026-01-31';
    case 'choice': {
      if (typeof value !== 'string') return 'expects one of its choices';
      // Options are a list of choices, either plain strings or {value, label} objects.
      const choices = Array.isArray(field.options)
        ? field.options.map((option) =>
            option && typeof option === 'object' && 'value' in option ? option.value : option,
          )
        : null;
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a choice is a string or a {value} object's value (the forms schema)
      return choices && !choices.includes(value) ? `expects one of: ${choices.join(', ')}` : null;
    }
  }
}

/**
 * The live answer to one field of a submission: the newest, should two devices have answered it
 * at once. One indexed lookup (submission_answers_submission_idx), not the submission's answers.
 */
function currentAnswer(store: LocalStore, submission_id: string, field_id: string): AnswerRow | undefined {
  const raw = preparedOnce(
    store.sqlite,
    'SELECT * FROM submission_answers WHERE submission_id = ? AND field_id = ? AND deleted_at IS NULL ' +
      'ORDER BY updated_at DESC, id LIMIT 1',
  ).get(submission_id, field_id) as Record<string, unknown> | undefined;
  return raw ? fromSqliteRow('submission_answers', raw) : undefined;
}

/** Saves the answer to one field of an in-progress submission (replacing an earlier answer). */
export function answerField(store: LocalStore, input: z.input<typeof AnswerInput>): AnswerRow {
  const { submission_id, field_id, value } = parseInput(AnswerInput, input);
  return localTransaction(store, (local) => {
    const submission = requireLiveColumns(store, 'submissions', submission_id, 'Submission', ['status', 'form_id']);
    if (submission.status === 'completed') {
      throw new InvalidEditError(`Submission ${submission_id} is completed; its answers can no longer change`);
    }
    const field = requireLiveColumns(store, 'fields', field_id, 'Field', answerFieldColumns);
    if (field.form_id !== submission.form_id)
      throw new InvalidEditError(`Field "${field.label}" belongs to another form`);
    const problem = answerProblem(field, value);
    if (problem) throw new InvalidEditError(`Field "${field.label}" ${problem}`);
    const current = currentAnswer(store, submission_id, field_id);
    return writeIfChanged(local, 'submission_answers', current, {
      id: current?.id ?? newId(),
      submission_id,
      field_id,
      value,
      updated_at: nowIso(),
      deleted_at: null,
    });
  });
}

/** Completes a submission once every required field has an answer. Completing twice changes nothing. */
export function completeSubmission(store: LocalStore, id: string): SubmissionRow {
  return localTransaction(store, (local) => {
    const submission = requireLive(store, 'submissions', id, 'Submission');
    if (submission.status === 'completed') return submission;
    const answered = new Set(
      liveRowsWhere(store, 'submission_answers', 'submission_id', id, 'id')
        .filter((answer) => answer.value !== null)
        .map((answer) => answer.field_id),
    );
    const missing = liveRowsWhere(store, 'fields', 'form_id', submission.form_id).filter(
      (field) => field.required && !answered.has(field.id),
    );
    if (missing.length > 0) {
      throw new InvalidEditError(`Answer the required fields first: ${missing.map((field) => field.label).join(', ')}`);
    }
    const at = nowIso();
    return local.write(
      'submissions',
      { ...submission, status: 'completed', completed_at: at, updated_at: at },
      'UPDATE',
    );
  });
}

/** Deletes a submission and its answers (tombstones). */
export function deleteSubmission(store: LocalStore, id: string): void {
  localTransaction(store, (local) => {
    const submission = requireLive(store, 'submissions', id, 'Submission');
    const at = nowIso();
    for (const answer of liveRowsWhere(store, 'submission_answers', 'submission_id', id, 'id')) {
      writeTombstone(local, 'submission_answers', answer, at);
    }
    writeTombstone(local, 'submissions', submission, at);
  });
}

/**
 * Undoes deleteSubmission (the manager's "Undo" right after a delete): the submission comes back,
 * with the answers its delete took along (those tombstoned at the same instant), each as a new
 * local edit that syncs like any other. Answers deleted earlier on their own stay deleted.
 */
export function restoreSubmission(store: LocalStore, id: string): void {
  localTransaction(store, (local) => {
    const raw = store.sqlite.prepare('SELECT * FROM submissions WHERE id = ?').get(id) as
      Record<string, unknown> | undefined;
    if (!raw) throw new NotFoundError('Submission', id);
    const submission = fromSqliteRow('submissions', raw);
    if (!submission.deleted_at) return;
    const at = nowIso();
    const answers = store.sqlite
      .prepare('SELECT * FROM submission_answers WHERE submission_id = ? AND deleted_at = ?')
      .all(id, submission.deleted_at) as Record<string, unknown>[];
    local.write('submissions', { ...submission, deleted_at: null, updated_at: at }, 'UPDATE');
    for (const answer of answers) {
      local.write(
        'submission_answers',
        { ...fromSqliteRow('submission_answers', answer), deleted_at: null, updated_at: at },
        'UPDATE',
      );
    }
  });
}

/** `LIKE` pattern for text anywhere in a column: the user's % and _ are matched literally. */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The conditions every view of "the submissions these filters show" shares: the list, its CSV and
 * the completion counts. `deleted_at IS NULL` first and literally: it is what lets SQLite use the
 * partial indexes. The search looks in the form's title, so the caller joins `forms` when searching.
 */
function scopeConditions(scope: z.output<typeof SubmissionScope>): SQL[] {
  const conditions: SQL[] = [isNull(submissions.deleted_at)];
  if (scope.form_id) conditions.push(eq(submissions.form_id, scope.form_id));
  if (scope.store_id) conditions.push(eq(submissions.store_id, scope.store_id));
  if (scope.status) conditions.push(eq(submissions.status, scope.status));
  if (scope.from) conditions.push(gte(submissions.updated_at, scope.from));
  if (scope.to) conditions.push(lte(submissions.updated_at, scope.to));
  if (scope.search) {
    // SQLite's LIKE ignores case for ASCII; ESCAPE makes a typed % or _ plain text.
    const pattern = containsPattern(scope.search);
    conditions.push(
      sql`(${forms.title} LIKE ${pattern} ESCAPE '\\' OR ${submissions.store_id} LIKE ${pattern} ESCAPE '\\' OR ${submissions.submitted_by} LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  return conditions;
}

/**
 * The ORDER BY of each sortable column. Store and status sort as stored, so the partial indexes
 * (column, updated_at, id) serve the whole order with no sort step, even deep in 100k rows; names
 * and titles sort without regard to case.
 */
const sortExpressions: Record<(typeof submissionSortColumns)[number], SQL> = {
  form: sql`${forms.title} COLLATE NOCASE`,
  store: sql`${submissions.store_id}`,
  status: sql`${submissions.status}`,
  submitted_by: sql`${submissions.submitted_by} COLLATE NOCASE`,
  updated_at: sql`${submissions.updated_at}`,
};

/**
 * Live submissions matching the filter, one page at a time, with the total that match: most
 * recently changed first, or sorted by the chosen column (in SQL, so paging 100k rows stays cheap;
 * rows equal in that column follow their last change in the same direction).
 * The date range applies to updated_at (the submission's last activity; a completed one's completion).
 */
export function listSubmissions(store: LocalStore, input: SubmissionFilter = {}): SubmissionList {
  const filter = parseInput(SubmissionFilter, input);
  const where = and(...scopeConditions(filter));
  // The count joins forms only when the search needs its title: the plain count stays index-only.
  const counted = store.db.select({ n: count() }).from(submissions);
  const total =
    (filter.search ? counted.leftJoin(forms, eq(forms.id, submissions.form_id)) : counted).where(where).get()?.n ?? 0;
  const direction = filter.direction ?? (filter.sort && filter.sort !== 'updated_at' ? 'asc' : 'desc');
  const sortBy = sortExpressions[filter.sort ?? 'updated_at'];
  const rows = store.db
    .select({ submission: submissions, form_title: forms.title })
    .from(submissions)
    .leftJoin(forms, eq(forms.id, submissions.form_id))
    .where(where)
    // Ties follow the same direction (last change, then id): the order an index holds.
    .orderBy(
      ...[sortBy, sql`${submissions.updated_at}`, sql`${submissions.id}`].map((by) =>
        direction === 'asc' ? asc(by) : desc(by),
      ),
    )
    .limit(filter.limit)
    .offset(filter.offset)
    .all();
  return {
    rows: rows.map(({ submission, form_title }) => ({ ...wireRowFromSqlite('submissions', submission), form_title })),
    total,
  };
}

/** A live submission with its form's title and its live answers, each with its field's label and type. */
export function getSubmission(store: LocalStore, id: string): SubmissionDetail {
  const found = store.db
    .select({ submission: submissions, form_title: forms.title })
    .from(submissions)
    .leftJoin(forms, eq(forms.id, submissions.form_id))
    .where(and(eq(submissions.id, id), isNull(submissions.deleted_at)))
    .get();
  if (!found) throw new NotFoundError('Submission', id);
  const answers = store.db
    .select({
      answer: submission_answers,
      field_label: fields.label,
      field_type: fields.type,
      section_id: form_sections.id,
      section_title: form_sections.title,
    })
    .from(submission_answers)
    .leftJoin(fields, eq(fields.id, submission_answers.field_id))
    .leftJoin(form_sections, eq(form_sections.id, fields.section_id))
    .where(and(eq(submission_answers.submission_id, id), isNull(submission_answers.deleted_at)))
    // In the order the form shows its fields: by section, then by field position.
    .orderBy(sql`coalesce(${form_sections.position}, -1)`, asc(fields.position), asc(submission_answers.id))
    .all();
  return {
    submission: { ...wireRowFromSqlite('submissions', found.submission), form_title: found.form_title },
    answers: answers.map(({ answer, field_label, field_type, section_id, section_title }) => ({
      ...wireRowFromSqlite('submission_answers', answer),
      field_label,
      field_type,
      section_id,
      section_title,
    })),
  };
}

/**
 * How many live submissions each form has per store, completed and in progress, among those the
 * same filters as the list show (so the counts follow what the manager narrowed the list to).
 */
export function completionCounts(store: LocalStore, input: SubmissionScope = {}): CompletionCount[] {
  const scope = parseInput(SubmissionScope, input);
  // Count first (from the covering partial index), then look up each group's form title once;
  // the search needs the title inside the count, so it joins forms there.
  const counted = store.db
    .select({
      form_id: submissions.form_id,
      store_id: submissions.store_id,
      completed: sql<number>`sum(${submissions.status} = 'completed')`.as('completed'),
      in_progress: sql<number>`sum(${submissions.status} = 'in_progress')`.as('in_progress'),
    })
    .from(submissions);
  const groups = (scope.search ? counted.leftJoin(forms, eq(forms.id, submissions.form_id)) : counted)
    .where(and(...scopeConditions(scope)))
    .groupBy(submissions.form_id, submissions.store_id)
    .as('c');
  return store.db
    .select({
      form_id: groups.form_id,
      form_title: forms.title,
      store_id: groups.store_id,
      completed: groups.completed,
      in_progress: groups.in_progress,
    })
    .from(groups)
    .leftJoin(forms, eq(forms.id, groups.form_id))
    .orderBy(sql`${forms.title} COLLATE NOCASE`, asc(groups.form_id), asc(groups.store_id))
    .all()
    .map((row) => ({ ...row, completed: Number(row.completed), in_progress: Number(row.in_progress) }));
}
