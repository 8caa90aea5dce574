// The next page asked for from an answer's headers (PULL_NEXT_HEADERS), before its body has
// arrived and been parsed, so the server reads it meanwhile; the body stays authoritative. A
// scripted server on loopback HTTP, a real SQLite file.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../shared/protocol/sync.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { SyncClient, pullNextOf } from './http.js';
import { cursorKey, readMetadata } from './metadata.js';
import { pullChanges } from './pull.js';
import { pulledKpi, pullPage } from './testing/pull-pages.js';
import {
  pageNext,
  startScriptedPullServer,
  type ScriptedPullOptions,
  type ScriptedPullServer,
} from './testing/scripted-pull-server.js';

let store: TemporaryStore;
let server: ScriptedPullServer | undefined;

beforeEach(() => {
  store = openTemporaryStore('insight-pull-early-');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  store.remove();
});

const kpi = (version: number) => pulledKpi(randomUUID(), version);
const count = () => (store.sqlite.prepare('SELECT count(*) AS n FROM kpi_data').get() as { n: number }).n;

/** Three pages of 2, 2 and 1 rows, cursors 2, 4 and 5. */
const threePages = (from: string | null): PullResponse =>
  from === null
    ? pullPage([kpi(1), kpi(2)], '2', true)
    : from === '2'
      ? pullPage([kpi(3), kpi(4)], '4', true)
      : pullPage([kpi(5)], '5', false);

async function pullFrom(options: ScriptedPullOptions) {
  server = await startScriptedPullServer(threePages, options);
  const client = new SyncClient({ serverUrl: server.url, deviceId: 'early', token: 'token' });
  return pullChanges({ store, client, tables: ['kpi_data'], pageSize: 2 });
}

describe('the next page, asked for from the headers', () => {
  it('is asked for before the body of the page before it has arrived', async () => {
    // Each body is held back until the next page has been asked for (or 2 s have passed): the
    // engine must ask from the headers alone.
    const askedBeforeBody: boolean[] = [];
    const result = await pullFrom({
      nextHeaders: pageNext,
      beforeBody: async (from) => {
        const nextFrom = from === null ? '2' : from === '2' ? '4' : null;
        if (nextFrom === null) return;
        for (let waited = 0; waited < 2000 && !server!.requested.includes(nextFrom); waited += 10) await sleep(10);
        askedBeforeBody.push(server!.requested.includes(nextFrom));
      },
    });
    expect(askedBeforeBody).toEqual([true, true]);
    expect(server!.requested).toEqual([null, '2', '4']);
    expect(result).toMatchObject({ received: 5, applied: 5, pages: 3 });
    expect(count()).toBe(5);
    expect(readMetadata(store, cursorKey('kpi_data'))).toBe('5');
  });

  it('is asked for again from the body when the headers said another cursor, and the early answer dropped', async () => {
    // Headers that disagree with the body: the page asked from them is not used.
    const result = await pullFrom({
      nextHeaders: (page) => (page.cursor === '2' ? { ...pageNext(page), cursor: '3' } : pageNext(page)),
    });
    expect(server!.requested).toEqual([null, '3', '2', '4']);
    expect(result).toMatchObject({ received: 5, applied: 5, pages: 3 });
    expect(count()).toBe(5);
    expect(readMetadata(store, cursorKey('kpi_data'))).toBe('5');
  });

  it('is asked for after the body, as before, from a server that sends no such headers', async () => {
    const result = await pullFrom({ nextHeaders: () => null });
    expect(server!.requested).toEqual([null, '2', '4']);
    expect(result).toMatchObject({ received: 5, pages: 3 });
    expect(count()).toBe(5);
  });

  it('is not asked for once the pull is stopped', async () => {
    // Stopped when the second page is asked for (from the first's headers), before the first's
    // body has arrived: the second's headers (which say more follow) ask for nothing.
    const stop = new AbortController();
    server = await startScriptedPullServer(
      (from) => {
        if (from === '2') stop.abort();
        return threePages(from);
      },
      {
        nextHeaders: pageNext,
        beforeBody: async (from) => {
          if (from === null)
            for (let waited = 0; waited < 2000 && !server!.requested.includes('2'); waited += 10) await sleep(10);
        },
      },
    );
    const client = new SyncClient({ serverUrl: server.url, deviceId: 'early', token: 'token' });
    const result = await pullChanges({ store, client, tables: ['kpi_data'], pageSize: 2, signal: stop.signal }).catch(
      (error: unknown) => error,
    );
    expect(result).toBeInstanceOf(Error);
    await sleep(100);
    expect(server.requested).toEqual([null, '2']);
    // The page that arrived before the stop is applied with its cursor; the one asked early is not.
    expect(count()).toBe(2);
    expect(readMetadata(store, cursorKey('kpi_data'))).toBe('2');
  });
});

describe('pullNextOf', () => {
  const headers = (values: Record<string, string>) => new Headers(values);
  it('reads the three headers', () => {
    expect(
      pullNextOf(
        headers({ 'x-pull-cursor': '12.34', 'x-pull-timestamp': '2026-11-29T10:00:00.000Z', 'x-pull-has-more': '1' }),
      ),
    ).toEqual({ cursor: '12.34', timestamp: '2026-11-29T10:00:00.000Z', has_more: true });
  });
  it('says nothing when one is missing or not what the protocol says', () => {
    const good = { 'x-pull-cursor': '12.34', 'x-pull-timestamp': '2026-11-29T10:00:00.000Z', 'x-pull-has-more': '0' };
    expect(pullNextOf(headers(good))).toMatchObject({ has_more: false });
    expect(pullNextOf(headers({ ...good, 'x-pull-cursor': 'drop table' }))).toBeNull();
    expect(pullNextOf(headers({ ...good, 'x-pull-timestamp': 'yesterday' }))).toBeNull();
    expect(pullNextOf(headers({ ...good, 'x-pull-has-more': 'yes' }))).toBeNull();
    const { 'x-pull-cursor': _, ...noCursor } = good;
    expect(pullNextOf(headers(noCursor))).toBeNull();
  });
});
