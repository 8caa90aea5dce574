// The initial sync's deferred index (main/db/deferred-indexes.ts) through a real pull: absent while
// the pages of an empty table apply, rebuilt after the last one, and after a pull that failed.
// A real SQLite file, a scripted server on loopback HTTP.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../shared/protocol/sync.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { SyncClient } from './http.js';
import { pulledAt } from './testing/pull-pages.js';
import { startScriptedPullServer, type ScriptedPullServer } from './testing/scripted-pull-server.js';
import { pullChanges } from './pull.js';

const INDEX = 'submission_answers_submission_idx';

const answer = (version: number) => ({
  id: randomUUID(),
  updated_at: pulledAt,
  deleted_at: null,
  submission_id: randomUUID(),
  field_id: randomUUID(),
  value: `answer ${version}`,
  server_version: version,
  server_updated_at: pulledAt,
  written_by: 'other-device',
});

const page = (rows: Record<string, unknown>[], cursor: string, hasMore: boolean): PullResponse => ({
  success: true,
  timestamp: pulledAt,
  changes: { submission_answers: rows },
  conflicts: null,
  cursor,
  has_more: hasMore,
});

let store: TemporaryStore;
let server: ScriptedPullServer;
let url: string;
/** The page the scripted server answers a pull from `cursor` with. */
let answerFor: (cursor: string | null) => PullResponse;

beforeEach(async () => {
  store = openTemporaryStore('insight-pull-indexes-');
  server = await startScriptedPullServer((cursor) => answerFor(cursor));
  url = server.url;
});
afterEach(async () => {
  await server.close();
  store.remove();
});

const hasIndex = () => store.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(INDEX) !== undefined;
const count = () => store.sqlite.prepare('SELECT count(*) FROM submission_answers').pluck().get();
const pull = (onPage?: () => void) =>
  pullChanges({
    store,
    client: new SyncClient({ serverUrl: url, deviceId: 'indexes', token: 'token' }),
    tables: ['submission_answers'],
    onPage,
  });

/** Three pages of 100 answers: versions 1-100, 101-200, 201-300. */
const threePages = (cursor: string | null) => {
  const from = cursor === null ? 0 : Number(cursor);
  const rows = Array.from({ length: 100 }, (_, i) => answer(from + i + 1));
  return page(rows, String(from + 100), from + 100 < 300);
};

describe("a pull of several pages into the empty answers' table", () => {
  it('applies its pages without the secondary index and builds it after the last one', async () => {
    const seenDuring: boolean[] = [];
    answerFor = threePages;
    await pull(() => seenDuring.push(hasIndex()));
    expect(seenDuring).toEqual([false, false, false]);
    expect(hasIndex()).toBe(true);
    expect(count()).toBe(300);
    expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    // The index answers a submission's answers again.
    const plan = store.sqlite
      .prepare(`EXPLAIN QUERY PLAN SELECT * FROM submission_answers WHERE submission_id = ?`)
      .all('x') as { detail: string }[];
    expect(plan.map((step) => step.detail).join(' ')).toContain(INDEX);
  });

  it('builds the index again when a later page fails, and keeps the pages applied before it', async () => {
    answerFor = (cursor) =>
      cursor === '100' ? page([{ ...answer(101), submission_id: null }], '200', true) : threePages(cursor);
    await expect(pull()).rejects.toThrow(/NOT NULL/);
    expect(hasIndex()).toBe(true);
    expect(count()).toBe(100);
  });

  it('keeps the index of a table that already holds rows', async () => {
    answerFor = () => page([answer(1)], '1', false);
    await pull();
    const seenDuring: boolean[] = [];
    answerFor = (cursor) => (cursor === '1' ? page([answer(2)], '2', true) : page([answer(3)], '3', false));
    await pull(() => seenDuring.push(hasIndex()));
    expect(seenDuring).toEqual([true, true]);
    expect(count()).toBe(3);
  });
});
