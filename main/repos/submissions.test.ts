import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localTransaction } from '../db/outbox.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { InvalidEditError, NotFoundError } from './errors.js';
import { saveForm, type FormDetail } from './forms.js';
import {
  answerField,
  completeSubmission,
  completionCounts,
  deleteSubmission,
  getSubmission,
  listSubmissions,
  restoreSubmission,
  startSubmission,
} from './submissions.js';

let store: TemporaryStore;
let form: FormDetail;
const field = (label: string) => form.fields.find((f) => f.label === label)!;
const pendingOps = () =>
  (
    store.sqlite.prepare('SELECT table_name, operation FROM pending_changes ORDER BY id').all() as Array<{
      table_name: string;
      operation: string;
    }>
  ).map((c) => `${c.table_name}:${c.operation}`);

beforeEach(() => {
  store = openTemporaryStore();
  form = saveForm(store, {
    form: { title: 'Store opening', status: 'published' },
    sections: [{ title: 'Checks', position: 0 }],
    fields: [
      { section_index: 0, label: 'Windows clean', type: 'boolean', required: true, position: 1 },
      { section_index: 0, label: 'Till float', type: 'number', required: true, position: 0 },
      { section_index: null, label: 'Mood', type: 'choice', required: false, options: ['good', 'bad'], position: 0 },
      { section_index: null, label: 'Opened on', type: 'date', required: false, position: 1 },
      { section_index: null, label: 'Notes', type: 'text', required: false, position: 2 },
    ],
  });
  store.sqlite.prepare('DELETE FROM pending_changes').run();
});
afterEach(() => store.remove());

describe('filling in a submission (seed, Example 2)', () => {
  it('starts in progress, saves each answer, completes with completed_at, queueing each step', () => {
    const started = startSubmission(store, { form_id: form.form.id, store_id: 'store-7', submitted_by: 'ann' });
    expect(started).toMatchObject({
      status: 'in_progress',
      store_id: 'store-7',
      submitted_by: 'ann',
      completed_at: null,
    });
    answerField(store, { submission_id: started.id, field_id: field('Till float').id, value: 150.5 });
    answerField(store, { submission_id: started.id, field_id: field('Windows clean').id, value: true });
    answerField(store, { submission_id: started.id, field_id: field('Mood').id, value: 'good' });
    const done = completeSubmission(store, started.id);
    expect(done.status).toBe('completed');
    expect(done.completed_at).toBe(done.updated_at);
    expect(pendingOps()).toEqual([
      'submissions:INSERT',
      'submission_answers:INSERT',
      'submission_answers:INSERT',
      'submission_answers:INSERT',
      'submissions:UPDATE',
    ]);

    const detail = getSubmission(store, started.id);
    expect(detail.submission).toMatchObject({ id: started.id, status: 'completed', form_title: 'Store opening' });
    // In the order the form shows them: fields without a section, then the section's by position.
    expect(detail.answers.map((a) => [a.field_label, a.field_type, a.value])).toEqual([
      ['Mood', 'choice', 'good'],
      ['Till float', 'number', 150.5],
      ['Windows clean', 'boolean', true],
    ]);
  });

  it('gives new records and their queued changes time-ordered ids (UUIDv7: later rows sort last)', () => {
    const first = startSubmission(store, { form_id: form.form.id });
    const answer = answerField(store, { submission_id: first.id, field_id: field('Notes').id, value: 'draft' });
    const second = startSubmission(store, { form_id: form.form.id });
    for (const id of [first.id, answer.id, second.id]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect([first.id, answer.id, second.id].sort()).toEqual([first.id, answer.id, second.id]);
    const changeIds = store.sqlite.prepare('SELECT change_id FROM pending_changes ORDER BY id').pluck().all();
    expect(changeIds).toHaveLength(3);
    expect([...changeIds].sort()).toEqual(changeIds);
  });

  it('replaces an earlier answer to the same field instead of adding a second', () => {
    const s = startSubmission(store, { form_id: form.form.id });
    const first = answerField(store, { submission_id: s.id, field_id: field('Notes').id, value: 'draft' });
    const second = answerField(store, { submission_id: s.id, field_id: field('Notes').id, value: 'final' });
    answerField(store, { submission_id: s.id, field_id: field('Notes').id, value: 'final' });
    expect(second.id).toBe(first.id);
    expect(getSubmission(store, s.id).answers.map((a) => a.value)).toEqual(['final']);
    expect(pendingOps()).toEqual(['submissions:INSERT', 'submission_answers:INSERT', 'submission_answers:UPDATE']);
  });

  it('refuses answers of the wrong type, and writes nothing', () => {
    const s = startSubmission(store, { form_id: form.form.id });
    const bad = (label: string, value: unknown) => () =>
      answerField(store, { submission_id: s.id, field_id: field(label).id, value: value as never });
    expect(bad('Till float', 'lots')).toThrow(/"Till float" expects a number/);
    expect(bad('Windows clean', 'yes')).toThrow(/expects true or false/);
    expect(bad('Mood', 'meh')).toThrow(/expects one of: good, bad/);
    expect(bad('Opened on', 'tuesday')).toThrow(/expects a date/);
    expect(bad('Notes', 5)).toThrow(/expects text/);
    expect(getSubmission(store, s.id).answers).toEqual([]);
    expect(pendingOps()).toEqual(['submissions:INSERT']);
  });

  it('will not complete while a required field is unanswered', () => {
    const s = startSubmission(store, { form_id: form.form.id });
    answerField(store, { submission_id: s.id, field_id: field('Till float').id, value: 10 });
    expect(() => completeSubmission(store, s.id)).toThrow(/required fields first: Windows clean/);
    expect(getSubmission(store, s.id).submission.status).toBe('in_progress');
  });

  it('keeps a completed submission as it is', () => {
    const s = startSubmission(store, { form_id: form.form.id });
    answerField(store, { submission_id: s.id, field_id: field('Till float').id, value: 10 });
    answerField(store, { submission_id: s.id, field_id: field('Windows clean').id, value: false });
    const done = completeSubmission(store, s.id);
    expect(completeSubmission(store, s.id)).toEqual(done);
    expect(() => answerField(store, { submission_id: s.id, field_id: field('Notes').id, value: 'late' })).toThrow(
      /is completed/,
    );
  });

  it('only starts submissions of live, published forms, and answers only that form’s fields', () => {
    const draft = saveForm(store, {
      form: { title: 'Draft' },
      sections: [],
      fields: [{ section_index: null, label: 'Q', type: 'text', required: false, position: 0 }],
    });
    expect(() => startSubmission(store, { form_id: draft.form.id })).toThrow(/is draft; only a published form/);
    expect(() => startSubmission(store, { form_id: randomUUID() })).toThrow(NotFoundError);
    expect(() => startSubmission(store, { form_id: 'not-an-id' })).toThrow(InvalidEditError);
    const s = startSubmission(store, { form_id: form.form.id });
    expect(() => answerField(store, { submission_id: s.id, field_id: draft.fields[0]!.id, value: 'x' })).toThrow(
      /belongs to another form/,
    );
  });

  it('deletes a submission with its answers as tombstones', () => {
    const s = startSubmission(store, { form_id: form.form.id });
    answerField(store, { submission_id: s.id, field_id: field('Notes').id, value: 'x' });
    deleteSubmission(store, s.id);
    expect(() => getSubmission(store, s.id)).toThrow(NotFoundError);
    expect(listSubmissions(store)).toEqual({ rows: [], total: 0 });
    expect(completionCounts(store)).toEqual([]);
    expect(pendingOps().slice(-2)).toEqual(['submission_answers:DELETE', 'submissions:DELETE']);
    // A deleted submission takes no more answers, and the refusal queues nothing.
    const queued = pendingOps().length;
    expect(() => answerField(store, { submission_id: s.id, field_id: field('Notes').id, value: 'y' })).toThrow(
      NotFoundError,
    );
    expect(pendingOps()).toHaveLength(queued);
  });

  it('undoes a delete: the submission and the answers its delete took come back, queued as edits', () => {
    const s = startSubmission(store, { form_id: form.form.id });
    answerField(store, { submission_id: s.id, field_id: field('Notes').id, value: 'kept' });
    deleteSubmission(store, s.id);
    restoreSubmission(store, s.id);
    expect(getSubmission(store, s.id).answers.map((a) => a.value)).toEqual(['kept']);
    expect(listSubmissions(store).total).toBe(1);
    expect(pendingOps().slice(-2)).toEqual(['submissions:UPDATE', 'submission_answers:UPDATE']);
    expect(() => restoreSubmission(store, randomUUID())).toThrow(NotFoundError);
  });
});

describe('the submissions list', () => {
  /** Writes submissions straight through the outbox with chosen times, as if made over days. */
  function seed(rows: Array<{ form_id?: string; store_id: string; status: 'in_progress' | 'completed'; day: number }>) {
    return localTransaction(store, (local) =>
      rows.map((r) => {
        const at = new Date(Date.UTC(2026, 0, r.day, 12)).toISOString();
        return local.write(
          'submissions',
          {
            id: randomUUID(),
            form_id: r.form_id ?? form.form.id,
            status: r.status,
            store_id: r.store_id,
            updated_at: at,
            completed_at: r.status === 'completed' ? at : null,
          },
          'INSERT',
        );
      }),
    );
  }

  it('filters by form, store, status and date range, pages newest first, and counts the total', () => {
    const other = saveForm(store, { form: { title: 'Closing', status: 'published' }, sections: [], fields: [] });
    const made = seed([
      { store_id: 's1', status: 'completed', day: 1 },
      { store_id: 's1', status: 'in_progress', day: 2 },
      { store_id: 's2', status: 'completed', day: 3 },
      { store_id: 's2', status: 'completed', day: 4 },
      { store_id: 's1', status: 'completed', day: 5, form_id: other.form.id },
    ]);
    const ids = (list: ReturnType<typeof listSubmissions>) =>
      list.rows.map((r) => made.findIndex((m) => m.id === r.id));

    const all = listSubmissions(store);
    expect(all.total).toBe(5);
    expect(ids(all)).toEqual([4, 3, 2, 1, 0]);
    expect(all.rows[0]!.form_title).toBe('Closing');
    expect(ids(listSubmissions(store, { form_id: form.form.id }))).toEqual([3, 2, 1, 0]);
    expect(ids(listSubmissions(store, { store_id: 's1' }))).toEqual([4, 1, 0]);
    expect(ids(listSubmissions(store, { status: 'completed', store_id: 's1' }))).toEqual([4, 0]);
    expect(ids(listSubmissions(store, { from: '2026-01-02T00:00:00Z', to: '2026-01-04T23:59:59Z' }))).toEqual([
      3, 2, 1,
    ]);
    const page = listSubmissions(store, { offset: 1, limit: 2 });
    expect(ids(page)).toEqual([3, 2]);
    expect(page.total).toBe(5);
    expect(() => listSubmissions(store, { limit: 0 })).toThrow(InvalidEditError);
  });

  it('counts completions per form and store', () => {
    seed([
      { store_id: 's1', status: 'completed', day: 1 },
      { store_id: 's1', status: 'completed', day: 2 },
      { store_id: 's1', status: 'in_progress', day: 3 },
      { store_id: 's2', status: 'in_progress', day: 4 },
    ]);
    expect(completionCounts(store)).toEqual([
      { form_id: form.form.id, form_title: 'Store opening', store_id: 's1', completed: 2, in_progress: 1 },
      { form_id: form.form.id, form_title: 'Store opening', store_id: 's2', completed: 0, in_progress: 1 },
    ]);
  });

  it('pages from the partial indexes on live rows, without sorting', () => {
    const plan = (sql: string) =>
      (store.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join(' | ');
    const page = (where: string) =>
      plan(`SELECT * FROM submissions WHERE deleted_at IS NULL${where} ORDER BY updated_at DESC, id DESC LIMIT 200`);
    for (const [where, index] of [
      ['', 'submissions_live_updated_idx'],
      [" AND form_id = 'f'", 'submissions_live_form_idx'],
      [" AND store_id = 's'", 'submissions_live_store_idx'],
      [" AND status = 'completed'", 'submissions_live_status_idx'],
    ]) {
      expect(page(where!)).toContain(index);
      expect(page(where!)).not.toMatch(/TEMP B-TREE/);
    }
    expect(plan('SELECT count(*) FROM submissions WHERE deleted_at IS NULL')).toMatch(
      /USING (COVERING )?INDEX submissions_live_/,
    );
  });
});
