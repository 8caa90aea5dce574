// Pulled rows as arrays of values (`row_format: 'arrays'`, pulled-rows.ts): applied by the
// position its page's `columns` gives each value, so a server may list its columns in any order
// or add ones the device does not know; a page whose columns lack one the device stores is
// completed row by row as objects are, and a malformed array refuses the page before anything is
// written (invariant 11). A real SQLite file.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import type { PulledPage } from './http.js';
import { readLocalRow } from './local-rows.js';
import { cursorKey, readMetadata } from './metadata.js';
import { applyPulledPage } from './pull.js';
import { pulledKpi, pullPage } from './testing/pull-pages.js';

/** A page of `rows` sent as arrays in the order of `columns`. */
function arraysPage(rows: Record<string, unknown>[], columns: string[], cursor: string): PulledPage {
  return {
    ...pullPage([], cursor),
    changes: { kpi_data: rows.map((row) => columns.map((column) => row[column])) },
    columns: { kpi_data: columns },
  };
}

const count = (store: TemporaryStore) =>
  (store.sqlite.prepare('SELECT count(*) AS n FROM kpi_data').get() as { n: number }).n;

let store: TemporaryStore;
beforeEach(() => {
  store = openTemporaryStore('insight-pull-arrays-');
});
afterEach(() => store.remove());

describe('a pulled page with rows as arrays', () => {
  it('stores every row as the same page of objects does, whatever the order of its columns', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ ...pulledKpi(randomUUID(), i + 1), target: i * 2 }));
    // Reversed, with a column this device does not know (a newer server's): ignored.
    const columns = [...Object.keys(rows[0]!).reverse(), 'shelf_code'];
    const result = applyPulledPage(
      store,
      ['kpi_data'],
      arraysPage(
        rows.map((row) => ({ ...row, shelf_code: 'A7' })),
        columns,
        '50',
      ),
    );
    expect(result).toMatchObject({ received: 50, applied: 50 });

    const other = openTemporaryStore('insight-pull-objects-');
    try {
      applyPulledPage(other, ['kpi_data'], pullPage(rows, '50'));
      for (const row of rows) {
        expect(readLocalRow(store, 'kpi_data', row.id)).toEqual(readLocalRow(other, 'kpi_data', row.id));
        expect(readLocalRow(store, 'kpi_data', row.id)).toMatchObject({ value: row.value, target: row.target });
      }
    } finally {
      other.remove();
    }
    expect(readMetadata(store, cursorKey('kpi_data'))).toBe('50');
  });

  it('keeps the newer version it holds (invariant 11), as object rows do', () => {
    const id = randomUUID();
    const columns = Object.keys(pulledKpi(id, 1));
    applyPulledPage(store, ['kpi_data'], arraysPage([pulledKpi(id, 5, 50)], columns, '5'));
    const late = applyPulledPage(store, ['kpi_data'], arraysPage([pulledKpi(id, 3, 30)], columns, '6'));
    expect(late).toMatchObject({ received: 1, applied: 0 });
    expect(readLocalRow(store, 'kpi_data', id)).toMatchObject({ value: 50, server_version: 5 });
  });

  it("fills the defaults of an older server's rows whose columns lack defaulted ones", () => {
    const { target: _, deleted_at: __, ...older } = pulledKpi(randomUUID(), 1);
    applyPulledPage(store, ['kpi_data'], arraysPage([older], Object.keys(older), '1'));
    expect(readLocalRow(store, 'kpi_data', older.id)).toMatchObject({
      target: null,
      deleted_at: null,
      server_version: 1,
    });
  });

  it('refuses a page with a short row, a row without an id or version, or without columns, writing nothing', () => {
    const rows = [pulledKpi(randomUUID(), 1), pulledKpi(randomUUID(), 2)];
    const columns = Object.keys(rows[0]!);
    const short = arraysPage(rows, columns, '2');
    short.changes.kpi_data![1] = (short.changes.kpi_data![1] as unknown[]).slice(1);
    expect(() => applyPulledPage(store, ['kpi_data'], short)).toThrow(
      /pulled kpi_data\[1\] is not a valid row: 10 values for 11 columns/,
    );
    const noVersion = arraysPage([{ ...rows[0]!, server_version: '1' }], columns, '2');
    expect(() => applyPulledPage(store, ['kpi_data'], noVersion)).toThrow(/kpi_data\[0\].*server_version/);
    const noId = arraysPage([{ ...rows[0]!, id: 7 }], columns, '2');
    expect(() => applyPulledPage(store, ['kpi_data'], noId)).toThrow(/kpi_data\[0\].*id/);
    const { columns: ___, ...unnamed } = arraysPage(rows, columns, '2');
    expect(() => applyPulledPage(store, ['kpi_data'], unnamed)).toThrow(/names no columns/);
    expect(count(store)).toBe(0);
    expect(readMetadata(store, cursorKey('kpi_data'))).toBeNull();
  });
});
