// The submissions list on 100k rows (issue 4: long lists stay fast): checks the answers are right
// at that size and prints how long each query took (figures, not assertions: no timing tests).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertSyncedRow } from '../db/rows.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { saveForm } from './forms.js';
import { completionCounts, listSubmissions } from './submissions.js';

const ROWS = 100_000;
const STORES = 20;
let store: TemporaryStore;
let formIds: string[];

beforeAll(() => {
  store = openTemporaryStore('insight-100k-');
  formIds = [0, 1, 2, 3].map(
    (n) => saveForm(store, { form: { title: `Form ${n}`, status: 'published' }, sections: [], fields: [] }).form.id,
  );
  const start = Date.UTC(2025, 0, 1);
  // As pulled from the server: rows with a server_version, no pending change.
  store.sqlite.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      const at = new Date(start + i * 60_000).toISOString();
      const completed = i % 3 !== 0;
      upsertSyncedRow(
        store.sqlite,
        'submissions',
        {
          id: randomUUID(),
          form_id: formIds[i % 4]!,
          status: completed ? 'completed' : 'in_progress',
          store_id: `store-${i % STORES}`,
          submitted_by: null,
          completed_at: completed ? at : null,
          updated_at: at,
          deleted_at: i % 100 === 99 ? at : null,
        },
        { serverVersion: i + 1 },
      );
    }
  })();
});
afterAll(() => store.remove());

const timed = <T>(label: string, run: () => T): T => {
  const began = performance.now();
  const result = run();
  console.log(`[100k submissions] ${label}: ${(performance.now() - began).toFixed(1)} ms`);
  return result;
};

describe('the submissions list on 100k rows', () => {
  const live = ROWS - ROWS / 100;

  it('pages through live rows with exact totals, whatever the filter', () => {
    const first = timed('first page, no filter', () => listSubmissions(store, { limit: 200 }));
    expect(first.total).toBe(live);
    expect(first.rows).toHaveLength(200);
    expect(first.rows.every((row, i) => i === 0 || row.updated_at <= first.rows[i - 1]!.updated_at)).toBe(true);

    const deep = timed('page at offset 90,000', () => listSubmissions(store, { offset: 90_000, limit: 200 }));
    expect(deep.rows).toHaveLength(200);

    const byStore = timed('store + status filter', () =>
      listSubmissions(store, { store_id: 'store-3', status: 'completed' }),
    );
    expect(byStore.rows.every((row) => row.store_id === 'store-3' && row.status === 'completed')).toBe(true);
    expect(byStore.total).toBeGreaterThan(0);

    const byForm = timed('form + date range', () =>
      listSubmissions(store, { form_id: formIds[1], from: '2025-01-10T00:00:00Z', to: '2025-01-20T00:00:00Z' }),
    );
    expect(byForm.rows.every((row) => row.form_id === formIds[1] && row.updated_at >= '2025-01-10')).toBe(true);
    // One row a minute, every fourth for this form, minus tombstones: about 10 days × 1440 / 4.
    expect(byForm.total).toBeGreaterThan(3500);
    expect(byForm.total).toBeLessThan(3700);
  });

  it('searches and sorts all live rows in SQL, a page at a time, with exact totals', () => {
    // "store-1" is in store-1 and store-10…19: the same rows as those 11 stores' own lists.
    const found = timed('search "store-1"', () => listSubmissions(store, { search: 'STORE-1', limit: 200 }));
    const matching = ['store-1', ...Array.from({ length: 10 }, (_, n) => `store-1${n}`)];
    expect(found.total).toBe(
      matching.reduce((sum, store_id) => sum + listSubmissions(store, { store_id, limit: 1 }).total, 0),
    );
    expect(found.rows.every((row) => row.store_id?.startsWith('store-1'))).toBe(true);
    const byTitle = timed('search a form title', () => listSubmissions(store, { search: 'form 2' }));
    expect(byTitle.total).toBe(listSubmissions(store, { form_id: formIds[2], limit: 1 }).total);
    const sorted = timed('sorted by store, page at offset 50,000', () =>
      listSubmissions(store, { sort: 'store', offset: 50_000, limit: 200 }),
    );
    expect(sorted.rows).toHaveLength(200);
    const stores = sorted.rows.map((row) => row.store_id!);
    expect(stores).toEqual([...stores].sort((a, b) => a.localeCompare(b)));
    const scoped = timed('completion counts of a search', () => completionCounts(store, { search: 'store-1' }));
    expect(scoped.reduce((sum, c) => sum + c.completed + c.in_progress, 0)).toBe(found.total);
  });

  it('counts completions per form and store over every live row', () => {
    const counts = timed('completion counts', () => completionCounts(store));
    // Row i has form i % 4 and store i % 20: each of the 4 forms meets 5 of the 20 stores.
    expect(counts).toHaveLength(20);
    expect(counts.reduce((sum, c) => sum + c.completed + c.in_progress, 0)).toBe(live);
  });
});
