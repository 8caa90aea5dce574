// Pages that already arrived share one apply transaction (pull.ts APPLY_BATCH_ROWS, pull-page.ts
// applyPulledPages). Each page still counts and moves the cursor as it would alone (invariant
// 11), and what arrived is never dropped because something after it failed: a malformed page, a
// network failure or a stop first applies the pages that were waiting. A scripted server on
// loopback HTTP, a real SQLite file.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../shared/protocol/sync.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { SyncClient } from './http.js';
import { pulledKpi, pullPage } from './testing/pull-pages.js';
import { startScriptedPullServer, type ScriptedPullServer } from './testing/scripted-pull-server.js';
import { cursorKey, readMetadata } from './metadata.js';
import { pullChanges, type PageResult } from './pull.js';

const kpi = (version: number) => pulledKpi(randomUUID(), version);
const page = pullPage;

let store: TemporaryStore;
let server: ScriptedPullServer;
let url: string;
/** The scripted server's answer to a pull from `cursor`: a page, or an HTTP status to fail with. */
let answer: (cursor: string | null) => PullResponse | number;

const count = () => (store.sqlite.prepare('SELECT count(*) AS n FROM kpi_data').get() as { n: number }).n;
const cursor = () => readMetadata(store, cursorKey('kpi_data'));

beforeEach(async () => {
  store = openTemporaryStore('insight-pull-batch-');
  server = await startScriptedPullServer((from) => answer(from));
  url = server.url;
});
afterEach(async () => {
  await server.close();
  store.remove();
});

const pull = (options: { onPage?: (page: PageResult) => void; signal?: AbortSignal } = {}) =>
  pullChanges({
    store,
    client: new SyncClient({ serverUrl: url, deviceId: 'batch', token: 'token' }),
    tables: ['kpi_data'],
    ...options,
  });

/** Three small pages (they share one transaction): 2, 2 and 1 rows, cursors 2, 4 and 5. */
const threePages = (third: (cursor: string | null) => PullResponse | number = () => page([kpi(5)], '5', false)) => {
  answer = (from) =>
    from === null ? page([kpi(1), kpi(2)], '2', true) : from === '2' ? page([kpi(3), kpi(4)], '4', true) : third(from);
};

describe('pages applied together', () => {
  it('count each page on its own and leave the cursor after the last', async () => {
    threePages();
    const pages: PageResult[] = [];
    const result = await pull({ onPage: (p) => pages.push(p) });
    expect(pages.map((p) => p.received)).toEqual([2, 2, 1]);
    expect(result).toMatchObject({ received: 5, applied: 5, pages: 3 });
    expect(count()).toBe(5);
    expect(cursor()).toBe('5');
  });

  it('keep the pages before a malformed page, with their cursor, and refuse it naming the row', async () => {
    threePages(() => {
      const { metric: _, ...incomplete } = kpi(5);
      return page([incomplete], '5', false);
    });
    await expect(pull()).rejects.toThrow(/pulled kpi_data\[0\] is not a valid row: metric/);
    expect(count()).toBe(4);
    expect(cursor()).toBe('4');
  });

  it('keep the pages that arrived before a failed request', async () => {
    threePages(() => 500);
    await expect(pull()).rejects.toThrow(/scripted failure/);
    expect(count()).toBe(4);
    expect(cursor()).toBe('4');
  });

  it('keep the pages before a page SQLite refuses, and none of it', async () => {
    threePages(() => page([kpi(5), { ...kpi(6), metric: null }], '6', false));
    await expect(pull()).rejects.toThrow(/NOT NULL/);
    expect(count()).toBe(4);
    expect(cursor()).toBe('4');
  });

  it('apply what arrived when the run is stopped, and ask for nothing more', async () => {
    const stop = new AbortController();
    const asked: (string | null)[] = [];
    answer = (from) => {
      asked.push(from);
      if (from === null) return page([kpi(1), kpi(2)], '2', true);
      stop.abort(); // stopped while the second page is on the wire
      return page([kpi(3), kpi(4)], '4', true);
    };
    await expect(pull({ signal: stop.signal })).rejects.toThrow();
    expect(count()).toBe(4);
    expect(cursor()).toBe('4');
    expect(asked).toEqual([null, '2']);
  });
});
