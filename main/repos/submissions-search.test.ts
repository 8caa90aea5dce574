// The Submissions screen as a data view (issue 11): search, sortable columns and completion counts
// that follow the filters, all answered in SQL by the repository against a real SQLite file.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localTransaction } from '../db/outbox.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { InvalidEditError } from './errors.js';
import { saveForm } from './forms.js';
import { answerField, completionCounts, getSubmission, listSubmissions, startSubmission } from './submissions.js';

let store: TemporaryStore;
let opening: string;
let closing: string;

interface Seed {
  form: 'opening' | 'closing';
  store_id: string | null;
  by: string | null;
  status: 'in_progress' | 'completed';
  day: number;
}

/** Writes submissions through the outbox with chosen times; returns them in seed order. */
const seed = (rows: Seed[]) =>
  localTransaction(store, (local) =>
    rows.map((r) => {
      const at = new Date(Date.UTC(2026, 0, r.day, 12)).toISOString();
      return local.write(
        'submissions',
        {
          id: randomUUID(),
          form_id: r.form === 'opening' ? opening : closing,
          status: r.status,
          store_id: r.store_id,
          submitted_by: r.by,
          updated_at: at,
          completed_at: r.status === 'completed' ? at : null,
        },
        'INSERT',
      );
    }),
  );

beforeEach(() => {
  store = openTemporaryStore();
  opening = saveForm(store, { form: { title: 'Store opening', status: 'published' }, sections: [], fields: [] }).form
    .id;
  closing = saveForm(store, { form: { title: 'closing checklist', status: 'published' }, sections: [], fields: [] })
    .form.id;
});
afterEach(() => store.remove());

describe('searching submissions', () => {
  it('finds words in the form title, the store or who submitted it, ignoring case, and counts them', () => {
    const made = seed([
      { form: 'opening', store_id: 'north-01', by: 'Ana', status: 'completed', day: 1 },
      { form: 'closing', store_id: 'south-02', by: 'Ben', status: 'completed', day: 2 },
      { form: 'opening', store_id: 'south-03', by: 'Northcote', status: 'in_progress', day: 3 },
      { form: 'closing', store_id: null, by: null, status: 'in_progress', day: 4 },
    ]);
    const found = (search: string, extra = {}) =>
      listSubmissions(store, { search, ...extra }).rows.map((r) => made.findIndex((m) => m.id === r.id));
    expect(found('CLOSING')).toEqual([3, 1]);
    expect(found('north')).toEqual([2, 0]);
    expect(found('ana')).toEqual([0]);
    expect(found('south', { status: 'completed' })).toEqual([1]);
    expect(listSubmissions(store, { search: 'south' }).total).toBe(2);
    expect(listSubmissions(store, { search: 'nobody here' })).toEqual({ rows: [], total: 0 });
  });

  it('takes % and _ as plain characters, not as wildcards', () => {
    const made = seed([
      { form: 'opening', store_id: 'a_1', by: null, status: 'completed', day: 1 },
      { form: 'opening', store_id: 'ab1', by: '100%', status: 'completed', day: 2 },
    ]);
    expect(listSubmissions(store, { search: 'a_1' }).rows.map((r) => r.id)).toEqual([made[0]!.id]);
    expect(listSubmissions(store, { search: '0%' }).rows.map((r) => r.id)).toEqual([made[1]!.id]);
    expect(listSubmissions(store, { search: '%' }).total).toBe(1);
  });

  it('refuses a search over 200 characters with a message, not a crash', () => {
    expect(() => listSubmissions(store, { search: 'x'.repeat(201) })).toThrow(InvalidEditError);
    expect(() => listSubmissions(store, { search: 'x'.repeat(201) })).toThrow(/at most 200 characters/);
  });
});

describe('sorting submissions', () => {
  it('sorts by each column both ways, in SQL across pages, equal rows by their last change', () => {
    const made = seed([
      { form: 'opening', store_id: 'b', by: 'Cy', status: 'completed', day: 1 },
      { form: 'closing', store_id: 'a', by: 'ann', status: 'in_progress', day: 2 },
      { form: 'opening', store_id: 'c', by: 'Bo', status: 'in_progress', day: 3 },
    ]);
    const order = (request: Parameters<typeof listSubmissions>[1]) =>
      listSubmissions(store, request).rows.map((r) => made.findIndex((m) => m.id === r.id));
    // Form titles sort without regard to case: "closing checklist" before "Store opening".
    expect(order({ sort: 'form' })).toEqual([1, 0, 2]); // the two "Store opening": older first
    expect(order({ sort: 'form', direction: 'desc' })).toEqual([2, 0, 1]);
    expect(order({ sort: 'store' })).toEqual([1, 0, 2]);
    expect(order({ sort: 'submitted_by' })).toEqual([1, 2, 0]);
    // Two in progress: oldest change first going up, newest first going down.
    expect(order({ sort: 'status' })).toEqual([0, 1, 2]);
    expect(order({ sort: 'status', direction: 'desc' })).toEqual([2, 1, 0]);
    expect(order({ sort: 'updated_at', direction: 'asc' })).toEqual([0, 1, 2]);
    expect(order({})).toEqual([2, 1, 0]);
    // Paging keeps the sort: the second page continues the first.
    expect(order({ sort: 'store', offset: 1, limit: 1 })).toEqual([0]);
    expect(() => listSubmissions(store, { sort: 'id' as never })).toThrow(InvalidEditError);
  });

  it('sorts by store or status straight from the partial indexes, with no sort step', () => {
    const plan = (orderBy: string) =>
      (
        store.sqlite
          .prepare(
            `EXPLAIN QUERY PLAN SELECT * FROM submissions LEFT JOIN forms ON forms.id = submissions.form_id
             WHERE submissions.deleted_at IS NULL ORDER BY ${orderBy} LIMIT 200 OFFSET 5000`,
          )
          .all() as Array<{ detail: string }>
      )
        .map((row) => row.detail)
        .join(' | ');
    for (const [column, index] of [
      ['store_id', 'submissions_live_store_idx'],
      ['status', 'submissions_live_status_idx'],
    ] as const) {
      for (const direction of ['ASC', 'DESC']) {
        const used = plan(
          `submissions.${column} ${direction}, submissions.updated_at ${direction}, submissions.id ${direction}`,
        );
        expect(used).toContain(index);
        expect(used).not.toMatch(/TEMP B-TREE/);
      }
    }
  });
});

describe('completion counts', () => {
  it('follow the same filters and search as the list', () => {
    seed([
      { form: 'opening', store_id: 's1', by: 'Ana', status: 'completed', day: 1 },
      { form: 'opening', store_id: 's1', by: 'Ben', status: 'in_progress', day: 2 },
      { form: 'opening', store_id: 's2', by: 'Ana', status: 'completed', day: 3 },
      { form: 'closing', store_id: 's1', by: 'Ana', status: 'completed', day: 4 },
    ]);
    const row = (form_id: string, form_title: string, store_id: string, completed: number, in_progress: number) => ({
      form_id,
      form_title,
      store_id,
      completed,
      in_progress,
    });
    expect(completionCounts(store)).toEqual([
      row(closing, 'closing checklist', 's1', 1, 0),
      row(opening, 'Store opening', 's1', 1, 1),
      row(opening, 'Store opening', 's2', 1, 0),
    ]);
    expect(completionCounts(store, { store_id: 's1', form_id: opening })).toEqual([
      row(opening, 'Store opening', 's1', 1, 1),
    ]);
    expect(completionCounts(store, { search: 'ana', to: '2026-01-03T23:59:59.999Z' })).toEqual([
      row(opening, 'Store opening', 's1', 1, 0),
      row(opening, 'Store opening', 's2', 1, 0),
    ]);
    expect(completionCounts(store, { search: 'CLOSING' })).toEqual([row(closing, 'closing checklist', 's1', 1, 0)]);
    expect(completionCounts(store, { status: 'in_progress' })).toEqual([row(opening, 'Store opening', 's1', 0, 1)]);
    expect(() => completionCounts(store, { from: 'yesterday' })).toThrow(InvalidEditError);
  });
});

describe('a submission’s answers', () => {
  it('carry their section, so the detail can group them as the form does', () => {
    const form = saveForm(store, {
      form: { title: 'Audit', status: 'published' },
      sections: [
        { title: 'Outside', position: 0 },
        { title: 'Inside', position: 1 },
      ],
      fields: [
        { section_index: 1, label: 'Till', type: 'number', required: false, position: 0 },
        { section_index: 0, label: 'Doors', type: 'boolean', required: false, position: 0 },
        { section_index: null, label: 'Notes', type: 'text', required: false, position: 0 },
      ],
    });
    const s = startSubmission(store, { form_id: form.form.id });
    for (const [label, value] of [
      ['Till', 5],
      ['Doors', true],
      ['Notes', 'ok'],
    ] as const) {
      answerField(store, { submission_id: s.id, field_id: form.fields.find((f) => f.label === label)!.id, value });
    }
    const section = (title: string) => form.sections.find((x) => x.title === title)!.id;
    expect(getSubmission(store, s.id).answers.map((a) => [a.field_label, a.section_title, a.section_id])).toEqual([
      ['Notes', null, null],
      ['Doors', 'Outside', section('Outside')],
      ['Till', 'Inside', section('Inside')],
    ]);
  });
});
