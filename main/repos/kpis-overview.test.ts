// One KPI value per store, metric and period, the overview's latest value per cell and the
// dashboard's trend, on a real SQLite file.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeLocal } from '../db/outbox.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { NotFoundError } from './errors.js';
import { createKpi, deleteKpi, kpiOverview, kpiTrend, listKpis, updateKpi } from './kpis.js';

let store: TemporaryStore;
beforeEach(() => {
  store = openTemporaryStore();
});
afterEach(() => store.remove());
const pendingOps = () =>
  (store.sqlite.prepare('SELECT operation FROM pending_changes ORDER BY id').all() as Array<{ operation: string }>).map(
    (c) => c.operation,
  );

/** A row as another device would have pulled it in (bypassing the one-per-key rule). */
const pulled = (fields: { metric: string; store_id: string; period: string; value: number; updated_at: string }) =>
  writeLocal(store, 'kpi_data', { id: randomUUID(), target: null, ...fields }, 'INSERT');

describe('one KPI value per store, metric and period', () => {
  it('edits the existing value when the same store, metric and period is entered again', () => {
    const first = createKpi(store, { metric: 'Sales', value: 900, store_id: 'S1', period: '2026-11-02', target: 1000 });
    const again = createKpi(store, { metric: 'Sales', value: 950, store_id: 'S1', period: '2026-11-02', target: 1100 });
    expect(again.id).toBe(first.id);
    expect(listKpis(store).map((k) => [k.store_id, k.period, k.value, k.target])).toEqual([
      ['S1', '2026-11-02', 950, 1100],
    ]);
    // Another store, period or metric is another value; so is one without a period.
    createKpi(store, { metric: 'Sales', value: 1, store_id: 'S2', period: '2026-11-02' });
    createKpi(store, { metric: 'Sales', value: 2, store_id: 'S1', period: '2026-11-03' });
    createKpi(store, { metric: 'Footfall', value: 3, store_id: 'S1', period: '2026-11-02' });
    createKpi(store, { metric: 'Sales', value: 4, store_id: 'S1' });
    createKpi(store, { metric: 'Sales', value: 5, store_id: 'S1' });
    expect(listKpis(store)).toHaveLength(6);
    expect(pendingOps()).toEqual(['INSERT', 'UPDATE', 'INSERT', 'INSERT', 'INSERT', 'INSERT', 'INSERT']);
  });

  it('starts a new value once the old one is deleted', () => {
    const first = createKpi(store, { metric: 'Sales', value: 900, store_id: 'S1', period: '2026-11-02' });
    deleteKpi(store, first.id);
    expect(createKpi(store, { metric: 'Sales', value: 1, store_id: 'S1', period: '2026-11-02' }).id).not.toBe(first.id);
  });

  it('refuses numbers outside a sane range and writes nothing', () => {
    expect(() => createKpi(store, { metric: 'Sales', value: 2e9, period: '2026-11-02' })).toThrow(
      /value: The value must be between −1,000,000,000 and 1,000,000,000/,
    );
    expect(() => createKpi(store, { metric: 'Sales', value: 1, target: -2e9 })).toThrow(/target: The target must be/);
    expect(listKpis(store)).toEqual([]);
  });

  it('edits one value in place by id', () => {
    const kpi = createKpi(store, { metric: 'Sales', value: 900, store_id: 'S1', period: '2026-11-02', target: 1000 });
    expect(updateKpi(store, { id: kpi.id, value: 1200, target: null })).toMatchObject({
      id: kpi.id,
      value: 1200,
      target: null,
    });
    expect(() => updateKpi(store, { id: kpi.id, value: Number.NaN, target: null })).toThrow(/value/);
    deleteKpi(store, kpi.id);
    expect(() => updateKpi(store, { id: kpi.id, value: 1, target: null })).toThrow(NotFoundError);
  });
});

describe('KPI overview and trend', () => {
  it('gives each store and metric its latest period’s value, the latest entry winning a shared period', () => {
    createKpi(store, { metric: 'Sales', value: 900, store_id: 'S1', period: '2026-10-01', target: 1000 });
    createKpi(store, { metric: 'Sales', value: 1200, store_id: 'S1', period: '2026-11-01', target: 1000 });
    createKpi(store, { metric: 'Sales', value: 800, store_id: 'S2', period: '2026-11-01', target: 1000 });
    createKpi(store, { metric: 'Footfall', value: 300, store_id: 'S1', period: '2026-11-01' });
    // Two devices entered S2's November offline: the later entry is the value.
    pulled({
      metric: 'Sales',
      store_id: 'S2',
      period: '2026-11-01',
      value: 850,
      updated_at: '2099-01-01T00:00:00.000Z',
    });
    expect(kpiOverview(store).map((c) => [c.metric, c.store_id, c.period, c.value, c.target])).toEqual([
      ['Footfall', 'S1', '2026-11-01', 300, null],
      ['Sales', 'S1', '2026-11-01', 1200, 1000],
      ['Sales', 'S2', '2026-11-01', 850, null],
    ]);
  });

  it('charts one metric per store and period from a period on, one value per store and period', () => {
    createKpi(store, { metric: 'Sales', value: 700, store_id: 'S1', period: '2026-08-01' });
    createKpi(store, { metric: 'Sales', value: 900, store_id: 'S1', period: '2026-10-01', target: 1000 });
    createKpi(store, { metric: 'Sales', value: 800, store_id: 'S2', period: '2026-10-01', target: 1000 });
    createKpi(store, { metric: 'Sales', value: 1200, store_id: 'S1', period: '2026-11-01', target: 1000 });
    createKpi(store, { metric: 'Sales', value: 5, store_id: 'S1' }); // no period: not on a time axis
    createKpi(store, { metric: 'Footfall', value: 300, store_id: 'S1', period: '2026-11-01' });
    pulled({
      metric: 'Sales',
      store_id: 'S2',
      period: '2026-10-01',
      value: 810,
      updated_at: '2099-01-01T00:00:00.000Z',
    });
    expect(
      kpiTrend(store, { metric: 'Sales', from: '2026-09-01' }).map((p) => [p.period, p.store_id, p.value]),
    ).toEqual([
      ['2026-10-01', 'S1', 900],
      ['2026-10-01', 'S2', 810],
      ['2026-11-01', 'S1', 1200],
    ]);
    expect(kpiTrend(store, { metric: 'Sales' })).toHaveLength(4);
    expect(kpiTrend(store, { metric: 'Unknown' })).toEqual([]);
  });
});
