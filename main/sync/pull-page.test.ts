// The pulled-page apply path at page scale: the invariant-4 check is one set-based query per page,
// rows from the server are applied without a per-row zod parse when complete, and the next page
// is requested while the current one applies. None of that may let a page tear (invariant 11) or
// a pulled row clobber an unpushed edit (invariant 4). A real SQLite file, and a scripted server
// on loopback HTTP so a page can be made to fail at a chosen row.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PullResponse } from '../../shared/protocol/sync.js';
import { writeLocal } from '../db/outbox.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { SyncClient } from './http.js';
import { pulledAt, pulledKpi, pullPage } from './testing/pull-pages.js';
import { startScriptedPullServer, type ScriptedPullServer } from './testing/scripted-pull-server.js';
import { readLocalRow } from './local-rows.js';
import { cursorKey, readMetadata } from './metadata.js';
import { applyPulledPage, pullChanges } from './pull.js';

const at = pulledAt;
const kpi = pulledKpi;
const page = pullPage;
const count = (store: TemporaryStore) =>
  (store.sqlite.prepare('SELECT count(*) AS n FROM kpi_data').get() as { n: number }).n;

let store: TemporaryStore;
beforeEach(() => {
  store = openTemporaryStore('insight-pull-page-');
});
afterEach(() => store.remove());

describe('applying a pulled page', () => {
  it('keeps every unpushed local edit in a page of many rows, applies the rest, and advances the cursor', () => {
    const ids = Array.from({ length: 2500 }, () => randomUUID());
    const edited = [ids[0]!, ids[1234]!, ids[2499]!];
    for (const id of edited) {
      writeLocal(
        store,
        'kpi_data',
        { id, metric: 'sales', value: -1, store_id: 'store-001', period: '2026-11', updated_at: at },
        'INSERT',
      );
    }
    const result = applyPulledPage(
      store,
      ['kpi_data'],
      page(
        ids.map((id, i) => kpi(id, i + 1)),
        '2500',
      ),
    );
    expect(result).toMatchObject({ received: 2500, applied: 2497, keptLocal: 3 });
    for (const id of edited)
      expect(readLocalRow(store, 'kpi_data', id)).toMatchObject({ value: -1, server_version: null });
    expect(readLocalRow(store, 'kpi_data', ids[1]!)).toMatchObject({ value: 2, server_version: 2 });
    expect(count(store)).toBe(2500);
    expect(readMetadata(store, cursorKey('kpi_data'))).toBe('2500');
  });

  it('leaves neither rows nor cursor when a row fails midway through the page', () => {
    applyPulledPage(store, ['kpi_data'], page([kpi(randomUUID(), 1)], '1'));
    const rows: Record<string, unknown>[] = Array.from({ length: 1000 }, (_, i) => kpi(randomUUID(), i + 2));
    // Complete (every column present), so it is applied as sent; SQLite refuses the NULL metric
    // at row 600, after 599 rows of the page were written in its transaction.
    rows[600] = { ...rows[600]!, metric: null };
    expect(() => applyPulledPage(store, ['kpi_data'], page(rows, '1001'))).toThrow(/NOT NULL/);
    expect(count(store)).toBe(1);
    expect(readMetadata(store, cursorKey('kpi_data'))).toBe('1');
  });

  it('refuses a page with an incomplete row before writing anything, naming the row', () => {
    const rows = [kpi(randomUUID(), 1), kpi(randomUUID(), 2)];
    const { metric: _, ...withoutMetric } = rows[1]!;
    expect(() => applyPulledPage(store, ['kpi_data'], page([rows[0]!, withoutMetric], '2'))).toThrow(
      /pulled kpi_data\[1\] is not a valid row: metric/,
    );
    expect(count(store)).toBe(0);
    expect(readMetadata(store, cursorKey('kpi_data'))).toBeNull();
  });

  it('fills the defaults of a row an older server sent without its defaulted columns', () => {
    const { target: _, deleted_at: __, ...older } = kpi(randomUUID(), 1);
    applyPulledPage(store, ['kpi_data'], page([older], '1'));
    expect(readLocalRow(store, 'kpi_data', older.id)).toMatchObject({
      target: null,
      deleted_at: null,
      server_version: 1,
    });
  });
});

describe('pulling pages while the next one is already requested', () => {
  let server: ScriptedPullServer;
  let url: string;
  /** The scripted server's answer to a pull from `cursor` (null: the first page). */
  let answer: (cursor: string | null) => PullResponse;
  let requested: (string | null)[] = [];

  beforeEach(async () => {
    server = await startScriptedPullServer((cursor) => answer(cursor));
    url = server.url;
    requested = server.requested;
  });
  afterEach(async () => {
    await server.close();
  });

  /** Called as the device sends a pull request (in the engine's own turn, before the server sees it). */
  let onRequest: (cursor: string | null) => void = () => {};
  const sending: typeof fetch = (input, init) => {
    onRequest((JSON.parse((init?.body as Buffer).toString('utf8')) as { cursor: string | null }).cursor);
    return fetch(input, init);
  };
  const pull = () =>
    pullChanges({
      store,
      client: new SyncClient({ serverUrl: url, deviceId: 'pipeline', token: 'token', fetch: sending }),
      tables: ['kpi_data'],
    });
  afterEach(() => {
    onRequest = () => {};
  });

  it('a page that fails to apply keeps the pages before it and their cursor; the page requested after it is never applied', async () => {
    const first = Array.from({ length: 3 }, (_, i) => kpi(randomUUID(), i + 1));
    const second: Record<string, unknown>[] = [kpi(randomUUID(), 4), { ...kpi(randomUUID(), 5), metric: null }];
    const third = [kpi(randomUUID(), 6)];
    answer = (cursor) =>
      cursor === null ? page(first, '3', true) : cursor === '3' ? page(second, '5', true) : page(third, '6');
    await expect(pull()).rejects.toThrow(/NOT NULL/);
    expect(count(store)).toBe(3);
    expect(readMetadata(store, cursorKey('kpi_data'))).toBe('3');
    expect(readLocalRow(store, 'kpi_data', third[0]!.id)).toBeUndefined();
    // The third page was asked for while the second applied, and dropped with it.
    await vi.waitFor(() => expect(requested).toEqual([null, '3', '5']), { timeout: 10_000 });

    answer = (cursor) => (cursor === '3' ? page(second.slice(0, 1), '5', true) : page(third, '6'));
    await pull();
    expect(count(store)).toBe(5);
    expect(readMetadata(store, cursorKey('kpi_data'))).toBe('6');
  });

  it('refuses a page whose rows are not objects as not the protocol, changing nothing', async () => {
    answer = () => ({ ...page([], '1'), changes: { kpi_data: [42 as unknown as Record<string, unknown>] } });
    await expect(pull()).rejects.toThrow(/not the sync protocol: each row must be an object/);
    expect(readMetadata(store, cursorKey('kpi_data'))).toBeNull();
  });

  it('an edit made while the next page is already requested is kept through both pages', async () => {
    const id = randomUUID();
    answer = (cursor) => (cursor === '1' ? page([kpi(id, 2, 2)], '2') : page([kpi(id, 1, 1)], '1', true));
    onRequest = (cursor) => {
      // The user edits the row after the first page arrived, as the second is requested and
      // before the first is applied.
      if (cursor === '1') {
        writeLocal(
          store,
          'kpi_data',
          { id, metric: 'sales', value: -1, store_id: 'store-001', period: '2026-11', updated_at: at },
          'INSERT',
        );
      }
    };
    const result = await pull();
    expect(result).toMatchObject({ received: 2, keptLocal: 2, pages: 2 });
    expect(readLocalRow(store, 'kpi_data', id)).toMatchObject({ value: -1 });
    expect(readMetadata(store, cursorKey('kpi_data'))).toBe('2');
  });
});
